"""The embedded backend's mailbox: what SNS would have emailed, kept so the Mailbox page can show it.

Every email subscription gets a twin SQS queue (an "inbox") subscribed to the topic with the *same*
filter policy, so an inbox receives exactly what that address would receive from SNS: this exercises
the real filtering rather than imitating it. ``collect()`` moves messages from the inboxes into
DynamoDB (the Outbox table, under ``mailbox#<email>`` keys outside the sparse ``pending`` index), which
the embedded backend saves to its data file: SNS subscriptions and SQS queues are recreated on every
start, but nothing a user has seen in their mailbox is lost.

The embedded server admits one request at a time, so receives never wait (``WaitTimeSeconds=0``).
Never used on AWS, where SNS sends real email.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from services.clock import Clock, iso
from services.platform import dynamo
from services.platform.aws import Aws
from services.platform.aws_errors import aws_call
from services.platform.logs import log_event
from services.platform.schema import OUTBOX

DIRECTORY_KEY = "mailbox#directory"
KEEP_MESSAGES = 100  # per mailbox; the oldest are dropped beyond that (an item stays well under 400 KB)
FULL_SWEEP_SECONDS = 30.0


def mailbox_key(email: str) -> str:
    return f"mailbox#{email}"


@dataclass(frozen=True)
class MailItem:
    message_id: str
    recipient: str
    subject: str
    body: str
    kind: str
    booking_id: str
    sent_at: str  # when SNS accepted it (UTC ISO)
    received_at: str  # when it reached the mailbox

    def to_item(self) -> dict[str, Any]:
        return dict(self.__dict__)

    @property
    def dedup_key(self) -> str:
        """One mail per booking and kind: a notification published again (its worker crashed between
        publishing and marking it sent) carries a new SNS message id but is the same email."""
        return f"{self.booking_id}#{self.kind}" if self.booking_id and self.kind else self.message_id

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> MailItem:
        return cls(**{name: str(item.get(name, "")) for name in cls.__dataclass_fields__})


class MailboxService:
    def __init__(self, aws: Aws, clock: Clock) -> None:
        self._aws = aws
        self._clock = clock
        self._table = aws.table(OUTBOX)
        self._inboxes: dict[str, str] = {}  # email -> queue URL (this process's queues)
        self._unfiltered: set[str] = set()
        self._dirty: set[str] = set()
        self._last_sweep = 0.0
        self._lock = threading.Lock()

    # Inboxes --------------------------------------------------------------------------------------
    def ensure_inbox(self, topic_arn: str, email: str, *, filtered: bool) -> str:
        """Create ``email``'s inbox queue and subscribe it like the email subscription; idempotent."""
        with self._lock:
            if email in self._inboxes:
                return self._inboxes[email]
        sqs, sns = self._aws.sqs, self._aws.sns
        with aws_call("mailbox.ensure_inbox"):
            url = sqs.create_queue(QueueName=_queue_name(topic_arn, email))["QueueUrl"]
            queue_arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
            attributes = {"FilterPolicyScope": "MessageAttributes",
                          "FilterPolicy": json.dumps({"email": [email]})} if filtered else {}
            sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=queue_arn, Attributes=attributes)
        dynamo.update_item(
            self._table, {"notification_id": DIRECTORY_KEY},
            UpdateExpression="ADD recipients :email" + ("" if filtered else ", unfiltered :email"),
            ExpressionAttributeValues={":email": {email}},
        )
        with self._lock:
            self._inboxes[email] = url
            if not filtered:
                self._unfiltered.add(email)
        return url

    def has_inbox(self, email: str) -> bool:
        with self._lock:
            return email in self._inboxes

    def recipients(self) -> list[str]:
        """Every address that ever had an inbox (kept in DynamoDB, so it survives a restart)."""
        item = dynamo.get_item(self._table, {"notification_id": DIRECTORY_KEY}, consistent=True) or {}
        return sorted(item.get("recipients", set()))

    def note(self, email: str) -> None:
        """A message was just published for ``email``: collect its inbox on the next round."""
        with self._lock:
            self._dirty.add(email)

    # Moving messages into DynamoDB ----------------------------------------------------------------
    def collect(self, *, everything: bool = False) -> int:
        """Move delivered messages from the inboxes into the mailbox; returns how many arrived.

        Each round reads the inboxes of recently published recipients and the unfiltered ones; every
        ``FULL_SWEEP_SECONDS`` (or when asked) it reads them all."""
        now = time.monotonic()
        with self._lock:
            sweep = everything or now - self._last_sweep >= FULL_SWEEP_SECONDS
            wanted = set(self._inboxes) if sweep else (self._dirty | self._unfiltered) & set(self._inboxes)
            self._dirty.clear()
            if sweep:
                self._last_sweep = now
            inboxes = [(email, self._inboxes[email]) for email in sorted(wanted)]
        return sum(self._drain(email, url) for email, url in inboxes)

    def _drain(self, email: str, url: str) -> int:
        arrived = 0
        for _ in range(10):  # at most 100 messages per inbox and round; the rest wait for the next one
            with aws_call("mailbox.receive"):
                messages = self._aws.sqs.receive_message(
                    QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0, VisibilityTimeout=30
                ).get("Messages", [])
            if not messages:
                break
            for message in messages:
                item = _mail_item(email, message["Body"], iso(self._clock.now()))
                if item is not None:
                    arrived += self._store(item)
                # Deleted only once stored: a crash in between redelivers it, and _store drops the copy.
                with aws_call("mailbox.delete_message"):
                    self._aws.sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        return arrived

    def _store(self, mail: MailItem) -> int:
        try:
            updated = dynamo.update_item(
                self._table, {"notification_id": mailbox_key(mail.recipient)},
                UpdateExpression="SET messages = list_append(if_not_exists(messages, :empty), :new), "
                                 "recipient = :recipient, updated_at = :now ADD message_ids :ids",
                ConditionExpression="attribute_not_exists(message_ids) OR NOT contains(message_ids, :id)",
                ExpressionAttributeValues={":empty": [], ":new": [mail.to_item()], ":recipient": mail.recipient,
                                           ":now": mail.received_at, ":ids": {mail.dedup_key},
                                           ":id": mail.dedup_key},
                ReturnValues="UPDATED_NEW",
            )
        except dynamo.ConditionFailed:
            return 0  # already in the mailbox (SQS delivers at least once; a crashed worker publishes again)
        overflow = updated["messages"][: max(0, len(updated["messages"]) - KEEP_MESSAGES)]
        if overflow:
            dynamo.update_item(
                self._table, {"notification_id": mailbox_key(mail.recipient)},
                UpdateExpression="REMOVE " + ", ".join(f"messages[{i}]" for i in range(len(overflow)))
                                 + " DELETE message_ids :old",
                ExpressionAttributeValues={":old": {MailItem.from_item(old).dedup_key for old in overflow}},
            )
        log_event("mailbox.delivered", kind=mail.kind, booking_id=mail.booking_id)
        return 1

    # Reading --------------------------------------------------------------------------------------
    def messages_for(self, email: str) -> list[MailItem]:
        """One recipient's mailbox, newest first."""
        item = dynamo.get_item(self._table, {"notification_id": mailbox_key(email)}, consistent=True)
        return _newest_first(item.get("messages", []) if item else [])

    def all_messages(self) -> list[MailItem]:
        """Every recipient's mailbox (admins), newest first."""
        keys = [{"notification_id": mailbox_key(email)} for email in self.recipients()]
        items = dynamo.batch_get_all(self._aws, self._aws.table_name(OUTBOX), keys, ConsistentRead=True)
        return _newest_first(message for item in items for message in item.get("messages", []))


def _queue_name(topic_arn: str, email: str) -> str:
    """A stable, valid SQS name per topic and address (names allow only [A-Za-z0-9_-], 80 characters)."""
    topic = hashlib.sha256(topic_arn.encode()).hexdigest()[:8]
    address = hashlib.sha256(email.encode()).hexdigest()[:20]
    return f"moviemagic-inbox-{topic}-{address}"


def _mail_item(recipient: str, body: str, received_at: str) -> MailItem | None:
    """An SNS envelope (not raw delivery) as the recipient's mail client would show it."""
    try:
        envelope = json.loads(body)
    except ValueError:
        log_event("mailbox.unreadable", recipient_domain=recipient.rpartition("@")[2])
        return None
    attributes = envelope.get("MessageAttributes") or {}
    return MailItem(
        message_id=str(envelope.get("MessageId", "")),
        recipient=recipient,
        subject=str(envelope.get("Subject") or ""),
        body=str(envelope.get("Message", "")),
        kind=str(attributes.get("kind", {}).get("Value", "")),
        booking_id=str(attributes.get("booking_id", {}).get("Value", "")),
        sent_at=str(envelope.get("Timestamp", "")),
        received_at=received_at,
    )


def _newest_first(items: Iterable[dict[str, Any]]) -> list[MailItem]:
    mails = [MailItem.from_item(item) for item in items]
    return sorted(mails, key=lambda mail: (mail.received_at, mail.sent_at), reverse=True)
