"""Emails: the outbox worker, SNS subscriptions, message text and the embedded mailbox."""
