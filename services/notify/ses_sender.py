"""The SES sender: mails each message published to the topic to its one recipient with Amazon SES.

On when ``MOVIEMAGIC_SES_SENDER`` (a verified identity) is set. SNS stays the publishing interface
(``services/notify/notifications.py``); an SQS queue subscribed to the topic (``deploy/cloudformation.yaml``,
or ``python main.py provision`` and the embedded backend) feeds this worker, which for each SNS envelope:

1. **claims** the notification's Outbox item (``SET ses_lease_until`` on condition that it was not mailed
   yet and nobody else holds an unexpired claim), so two senders never mail the same notification;
2. **sends** it with ``ses.send_email`` to the ``email`` message attribute;
3. **marks** it (``SET emailed_at, ses_message_id``) and only then deletes the SQS message.

A redelivered message (SQS at-least-once, or a crash before the delete) finds ``emailed_at`` and is
deleted without mailing again. A failed send releases the claim and lets the SQS message reappear after
``retry_seconds``. Guest messages (no address) are deleted here: the staff address gets them through SNS.
"""

from __future__ import annotations

import contextlib
import json
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal

from services.clock import Clock, iso
from services.errors import ServiceUnavailable
from services.notify.notifications import GUEST_RECIPIENT
from services.notify.subscriptions import SubscriptionService
from services.platform import dynamo
from services.platform.aws import Aws
from services.platform.aws_errors import AWS_ERRORS, error_code
from services.platform.logs import log_event
from services.platform.schema import OUTBOX

Outcome = Literal["done", "retry", "leave"]
CLAIM = timedelta(minutes=5)  # longer than one SES call with its retries; a crashed claim frees after it


@dataclass
class SendReport:
    sent: int = 0
    duplicates: int = 0  # redeliveries of something already mailed: deleted, not mailed
    skipped: int = 0  # guests, unreadable envelopes, or claimed by another sender
    failed: int = 0  # SES refused or was unreachable: the message comes back after its visibility timeout


class SesSender:
    def __init__(self, aws: Aws, clock: Clock, subscriptions: SubscriptionService, *, ses: Any = None,
                 sqs: Any = None, batch_size: int = 10, retry_seconds: int = 30) -> None:
        self._aws = aws
        self._clock = clock
        self._subscriptions = subscriptions
        self._ses = ses or aws.ses
        self._sqs = sqs or aws.sqs
        self._table = aws.table(OUTBOX)
        self._sender = aws.settings.ses_sender
        self._queue_name = aws.settings.ses_queue_name
        self._queue_url: str | None = None
        self._batch_size = batch_size
        self._retry_seconds = retry_seconds  # a message SES did not take comes back after this long

    def queue_url(self) -> str:
        if self._queue_url is None:
            try:
                self._queue_url = self._sqs.get_queue_url(QueueName=self._queue_name)["QueueUrl"]
            except AWS_ERRORS as exc:
                raise ServiceUnavailable(f"SES queue {self._queue_name}: {error_code(exc)}") from exc
        return self._queue_url

    def run_once(self) -> SendReport:
        """Mail what is waiting in the queue (one receive of up to ``batch_size`` messages, no long poll)."""
        report = SendReport()
        url = self.queue_url()
        try:
            messages = self._sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=self._batch_size,
                                                 WaitTimeSeconds=0).get("Messages", [])
        except AWS_ERRORS as exc:
            log_event("ses.receive_failed", level=logging.WARNING, error=error_code(exc))
            return report
        for message in messages:
            outcome = self._handle(message, report)
            if outcome == "done":
                self._delete(url, message["ReceiptHandle"])
            elif outcome == "retry":
                self._retry_later(url, message["ReceiptHandle"])
        return report

    def _handle(self, message: dict[str, Any], report: SendReport) -> Outcome:
        """``done``: mailed, mailed before, or nothing to mail (delete it); ``retry``: SES did not take it;
        ``leave``: another sender holds it."""
        try:
            envelope = json.loads(message["Body"])
            attributes = envelope.get("MessageAttributes", {})
            recipient = attributes["email"]["Value"]
            notification_id = attributes["notification_id"]["Value"]
            subject, body = envelope.get("Subject") or "", envelope["Message"]
        except (KeyError, TypeError, ValueError):
            log_event("ses.unreadable", level=logging.ERROR, message_id=message.get("MessageId", ""))
            report.skipped += 1
            return "done"
        if recipient == GUEST_RECIPIENT:
            report.skipped += 1
            return "done"
        claim = self._claim(notification_id)
        if claim == "emailed":
            report.duplicates += 1
            log_event("ses.duplicate_skipped", notification_id=notification_id)
            return "done"
        if claim == "busy":
            report.skipped += 1
            return "leave"  # another sender is on it; if it crashed, the message comes back after the claim
        try:
            response = self._ses.send_email(
                Source=self._sender, Destination={"ToAddresses": [recipient]},
                Message={"Subject": {"Data": subject, "Charset": "UTF-8"},
                         "Body": {"Text": {"Data": body, "Charset": "UTF-8"}}})
        except AWS_ERRORS as exc:
            self._release(notification_id)
            report.failed += 1
            log_event("ses.send_failed", level=logging.WARNING, notification_id=notification_id,
                      error=error_code(exc))
            return "retry"
        self._mark(notification_id, response["MessageId"])
        report.sent += 1
        log_event("ses.sent", notification_id=notification_id, email_domain=recipient.rpartition("@")[2])
        return "done"

    def _claim(self, notification_id: str) -> str:
        """``claimed``, ``emailed`` (done before) or ``busy`` (another sender holds an unexpired claim)."""
        now = self._clock.now()
        try:
            dynamo.update_item(
                self._table, {"notification_id": notification_id},
                UpdateExpression="SET ses_lease_until = :until",
                ConditionExpression="attribute_exists(notification_id) AND attribute_not_exists(emailed_at) "
                                    "AND (attribute_not_exists(ses_lease_until) OR ses_lease_until <= :now)",
                ExpressionAttributeValues={":until": iso(now + CLAIM), ":now": iso(now)},
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
            return "claimed"
        except dynamo.ConditionFailed as exc:
            old = exc.old_item or {}
            return "emailed" if (not old or "emailed_at" in old) else "busy"

    def _mark(self, notification_id: str, ses_message_id: str) -> None:
        dynamo.update_item(
            self._table, {"notification_id": notification_id},
            UpdateExpression="SET emailed_at = :now, ses_message_id = :mid REMOVE ses_lease_until",
            ExpressionAttributeValues={":now": iso(self._clock.now()), ":mid": ses_message_id},
        )

    def _release(self, notification_id: str) -> None:
        with contextlib.suppress(dynamo.ConditionFailed, ServiceUnavailable):  # else the claim just expires
            dynamo.update_item(self._table, {"notification_id": notification_id},
                               UpdateExpression="REMOVE ses_lease_until",
                               ConditionExpression="attribute_not_exists(emailed_at)")

    def _retry_later(self, url: str, receipt: str) -> None:
        try:
            self._sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=receipt,
                                                VisibilityTimeout=self._retry_seconds)
        except AWS_ERRORS as exc:  # it comes back after the queue's own visibility timeout instead
            log_event("ses.retry_delay_failed", level=logging.WARNING, error=error_code(exc))

    def _delete(self, url: str, receipt: str) -> None:
        try:
            self._sqs.delete_message(QueueUrl=url, ReceiptHandle=receipt)
        except AWS_ERRORS as exc:  # it comes back and is recognised as mailed
            log_event("ses.delete_failed", level=logging.WARNING, error=error_code(exc))
