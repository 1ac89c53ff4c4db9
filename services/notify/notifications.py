"""The outbox worker: publishes pending notifications to SNS, once, and retries failures with backoff.

The booking transaction writes a pending record (``services/notify/outbox.py``); this worker (one per
process, started with the app) finds them through the sparse ``pending`` index and handles each so:

1. **claim**: a conditional update sets ``lease_until``/``lease_owner`` only if the record is still
   pending, not leased by a live lease, and due (``next_attempt_at``). Of two workers (or a worker and
   a restarted process) exactly one wins; the loser moves on.
2. **publish** to the topic, with the owner's address in the ``email`` message attribute (subscriptions
   filter on it). The SNS client fails fast (2 s connect, 5 s read, 2 attempts), so a publish ends far
   inside the 5-minute lease, and a worker never starts one with less than a minute of lease left.
3. **mark sent**: REMOVE ``pending`` (it leaves the index), SET ``sent_at``/``message_id``, on condition
   that this worker still holds the lease.

At most once: nobody publishes without holding an unexpired lease, and a lease outlives any publish,
so two live workers never publish the same record. The one gap is a crash (or a DynamoDB outage longer
than the lease) *between* a successful publish and its mark: once the lease expires the record is
claimed again and published a second time. That window is one SNS round trip wide; it is narrowed by
retrying the mark at once, then remembering unmarked records in memory and marking them before any new
claim, never re-claiming them here. A duplicate email is preferred to a lost one, since SNS standard
topics have no deduplication (FIFO topics do, but cannot deliver email).

Failures set ``next_attempt_at`` with exponential backoff and full jitter (5 s doubling to 15 min) and
release the lease; a connection, throttling or permission error also pauses this worker until then, so
an SNS outage costs one failed call per pause (the pauses growing with that record's attempts), not one
call per pending record. Records are never dropped for a
transient error: when SNS is back every pending one goes out. Only a message SNS rejects as invalid
is given up after ``MAX_INVALID_ATTEMPTS`` (kept with ``failed_at`` for an operator). Bookings never
wait for any of this: they only wrote the record.
"""

from __future__ import annotations

import logging
import random
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from boto3.dynamodb.conditions import Key

from services.clock import Clock, iso
from services.errors import ServiceUnavailable
from services.notify.messages import Message, MessageComposer
from services.notify.outbox import PENDING
from services.notify.subscriptions import SubscriptionService
from services.platform import dynamo, topic
from services.platform.aws import Aws
from services.platform.aws_errors import AWS_ERRORS, error_code
from services.platform.logs import log_event
from services.platform.schema import OUTBOX
from services.platform.topic import TopicMissing

LEASE = timedelta(minutes=5)
MIN_LEASE_LEFT = timedelta(minutes=1)  # never start a publish with less lease than this left
BACKOFF_BASE_SECONDS = 5.0
BACKOFF_CAP_SECONDS = 15 * 60.0
MAX_INVALID_ATTEMPTS = 5
GUEST_RECIPIENT = "guest"  # the email attribute of a booking without an address (matches no user's filter)
# SNS refusing the request itself (as opposed to being unreachable, throttled or misconfigured).
_INVALID = {"InvalidParameter", "InvalidParameterValue", "ValidationError"}
_MARK_RETRY_DELAYS = (0.2, 0.5, 1.0)


@dataclass
class RunReport:
    published: int = 0
    failed: int = 0
    skipped: int = 0  # claimed by someone else, or not due
    paused: bool = False
    recipients: list[str] = field(default_factory=list)


class NotificationWorker:
    def __init__(
        self,
        aws: Aws,
        clock: Clock,
        composer: MessageComposer,
        subscriptions: SubscriptionService | None = None,
        *,
        sns: Any = None,
        worker_id: str | None = None,
        batch_size: int = 25,
        rng: random.Random | None = None,
        on_published: Callable[[str], None] | None = None,
    ) -> None:
        self._aws = aws
        self._clock = clock
        self._composer = composer
        self._subscriptions = subscriptions
        self._sns = sns or aws.quick_sns()
        self._table = aws.table(OUTBOX)
        self.worker_id = worker_id or f"w-{uuid.uuid4().hex[:12]}"
        self._batch_size = batch_size
        self._rng = rng or random.Random()
        self._on_published = on_published
        self._topic_arn: str | None = None
        self._unmarked: dict[str, str] = {}  # published, not yet marked: notification id -> SNS message id
        self._paused_until: datetime | None = None
        self._stopping = False
        self._run_lock = threading.Lock()

    def stop(self) -> None:
        """Finish the record in hand and claim no more (app shutdown)."""
        self._stopping = True

    # One round ------------------------------------------------------------------------------------
    def run_once(self) -> RunReport:
        """Publish what is due; safe to call from several threads or processes at once."""
        report = RunReport()
        if not self._run_lock.acquire(blocking=False):
            return report  # this worker is already running a round
        try:
            self._mark_remembered()
            now = self._clock.now()
            if self._paused_until is not None and now < self._paused_until:
                report.paused = True
                return report
            for record in self._due(now):
                if self._stopping:
                    break
                if not self._handle(record, report):
                    report.paused = True
                    break
        except ServiceUnavailable as exc:  # DynamoDB unreachable: nothing claimed, try next round
            log_event("notification.round_failed", level=logging.WARNING, error=_code(exc))
        finally:
            self._run_lock.release()
        return report

    def _due(self, now: datetime) -> list[dict[str, Any]]:
        """Pending records whose time has come and that nobody holds, oldest first."""
        stamp = iso(now)
        kwargs: dict[str, Any] = {
            "IndexName": "pending",
            "KeyConditionExpression": Key("pending").eq(PENDING) & Key("created_at").lte(stamp),
            "FilterExpression": "(attribute_not_exists(next_attempt_at) OR next_attempt_at <= :now) "
                                "AND (attribute_not_exists(lease_until) OR lease_until <= :now)",
            "ExpressionAttributeValues": {":now": stamp},
        }
        due: list[dict[str, Any]] = []
        # The index is small (only unsent records); a few pages is plenty per round.
        for pages, response in enumerate(dynamo.query_pages(self._table, **kwargs), start=1):
            due += [item for item in response["Items"] if item["notification_id"] not in self._unmarked]
            if len(due) >= self._batch_size or pages >= 4:
                break
        # A booking's confirmation before its cancellation, even when both were written in one second.
        due.sort(key=lambda item: (item["created_at"], item.get("kind") != "booking_confirmed"))
        return due[: self._batch_size]

    def _handle(self, record: dict[str, Any], report: RunReport) -> bool:
        """Claim, publish, mark one record. False when SNS looks unavailable (stop this round)."""
        notification_id = record["notification_id"]
        claimed = self._claim(notification_id)
        if claimed is None:
            report.skipped += 1
            return True
        try:
            message = self._composer.stored(claimed["kind"], claimed)
        except Exception as exc:  # a record this code cannot read: count it like an invalid message
            self._failed(claimed, "UnreadableRecord", invalid=True, error=exc)
            report.failed += 1
            return True
        if claimed["kind"] in ("booking_confirmed", "password_reset") and self._subscriptions is not None:
            self._subscriptions.ensure(message.recipient)  # older accounts subscribe at their first booking
        if self._clock.now() > _lease_end(claimed) - MIN_LEASE_LEFT:
            self._release(notification_id, None, "LeaseTooShort")
            report.skipped += 1
            return True
        try:
            message_id = self._publish(message, notification_id)
        except (*AWS_ERRORS, ServiceUnavailable, TopicMissing) as exc:
            code = _code(exc)
            invalid = code in _INVALID
            retry_at = self._failed(claimed, code, invalid=invalid, error=exc)
            report.failed += 1
            if not invalid:
                self._paused_until = retry_at  # SNS looks down: wake when this record is due again
                return False
            return True
        self._mark_sent(notification_id, message_id)
        report.published += 1
        report.recipients.append(message.recipient)
        log_event("notification.published", notification_id=notification_id, kind=message.kind,
                  attempts=int(claimed.get("attempts", 1)), message_id=message_id)
        if self._on_published is not None:
            self._on_published(message.recipient)
        return True

    # The three steps ------------------------------------------------------------------------------
    def _claim(self, notification_id: str) -> dict[str, Any] | None:
        now = self._clock.now()
        try:
            return dynamo.update_item(
                self._table, {"notification_id": notification_id},
                UpdateExpression="SET lease_until = :until, lease_owner = :me, "
                                 "attempts = if_not_exists(attempts, :zero) + :one",
                ConditionExpression="attribute_exists(pending) "
                                    "AND (attribute_not_exists(lease_until) OR lease_until <= :now) "
                                    "AND (attribute_not_exists(next_attempt_at) OR next_attempt_at <= :now)",
                ExpressionAttributeValues={":until": iso(now + LEASE), ":me": self.worker_id, ":now": iso(now),
                                           ":zero": 0, ":one": 1},
                ReturnValues="ALL_NEW",
            )
        except dynamo.ConditionFailed:
            return None  # sent already, or another worker holds it, or not due yet

    def _publish(self, message: Message, notification_id: str) -> str:
        if self._topic_arn is None:
            self._topic_arn = self._subscriptions.topic_arn() if self._subscriptions else topic.topic_arn(self._aws)
        attributes = {
            "email": {"DataType": "String", "StringValue": message.recipient or GUEST_RECIPIENT},
            "kind": {"DataType": "String", "StringValue": message.kind},
            # The SES sender marks this Outbox record, so a redelivered message is never mailed twice.
            "notification_id": {"DataType": "String", "StringValue": notification_id},
        }
        if message.booking_id:  # SNS refuses an empty attribute value; account emails have no booking
            attributes["booking_id"] = {"DataType": "String", "StringValue": message.booking_id}
        response = self._sns.publish(TopicArn=self._topic_arn, Subject=message.subject, Message=message.body,
                                     MessageAttributes=attributes)
        return response["MessageId"]

    def _mark_sent(self, notification_id: str, message_id: str) -> None:
        for delay in (*_MARK_RETRY_DELAYS, None):
            try:
                self._mark(notification_id, message_id)
                return
            except dynamo.ConditionFailed:
                # Our lease was taken over: only possible if this publish outlived it (see module doc).
                log_event("notification.lease_lost", level=logging.WARNING, notification_id=notification_id)
                return
            except ServiceUnavailable as exc:
                error: Exception = exc
            if delay is None:
                break
            time.sleep(delay)
        self._unmarked[notification_id] = message_id
        log_event("notification.mark_deferred", level=logging.WARNING, notification_id=notification_id,
                  error=_code(error))

    def _mark(self, notification_id: str, message_id: str) -> None:
        dynamo.update_item(
            self._table, {"notification_id": notification_id},
            UpdateExpression="SET sent_at = :now, message_id = :mid "
                             "REMOVE pending, lease_until, lease_owner, next_attempt_at",
            ConditionExpression="attribute_exists(pending) AND lease_owner = :me",
            ExpressionAttributeValues={":now": iso(self._clock.now()), ":mid": message_id, ":me": self.worker_id},
        )

    def _mark_remembered(self) -> None:
        for notification_id, message_id in list(self._unmarked.items()):
            try:
                self._mark(notification_id, message_id)
            except dynamo.ConditionFailed:
                pass  # marked meanwhile, or the lease was taken over: nothing more to do here
            except ServiceUnavailable:
                return  # still unreachable: keep them, try next round
            del self._unmarked[notification_id]

    def take_over_leases(self) -> int:
        """Free the records claimed by workers that no longer run; returns how many.

        Only for a process that knows it is the only worker: the embedded backend's app, which owns its
        data directory. After a crash between a publish and its mark, the record goes out again at once
        instead of after the lease (the mailbox keeps one mail per booking and kind)."""
        freed = 0
        records = dynamo.query_all(self._table, IndexName="pending", KeyConditionExpression=Key("pending").eq(PENDING),
                                   FilterExpression="attribute_exists(lease_owner) AND lease_owner <> :me",
                                   ExpressionAttributeValues={":me": self.worker_id}).items
        for record in records:
            try:
                dynamo.update_item(self._table, {"notification_id": record["notification_id"]},
                                   UpdateExpression="REMOVE lease_until, lease_owner",
                                   ConditionExpression="lease_owner = :owner",
                                   ExpressionAttributeValues={":owner": record["lease_owner"]})
                freed += 1
            except dynamo.ConditionFailed:
                continue  # its worker marked or released it meanwhile
        return freed

    # Failures -------------------------------------------------------------------------------------
    def _failed(self, record: dict[str, Any], code: str, *, invalid: bool, error: Exception) -> datetime:
        """Release the record with its next attempt time (or give it up); returns that time."""
        attempts = int(record.get("attempts", 1))
        notification_id = record["notification_id"]
        delay = self.backoff_seconds(attempts)
        retry_at = self._clock.now() + timedelta(seconds=delay)
        if invalid and attempts >= MAX_INVALID_ATTEMPTS:
            self._give_up(notification_id, code)
            return retry_at
        self._release(notification_id, retry_at, code)
        log_event("notification.retry", level=logging.WARNING, notification_id=notification_id, error=code,
                  attempts=attempts, retry_in_s=round(delay, 1), detail=type(error).__name__)
        return retry_at

    def backoff_seconds(self, attempts: int) -> float:
        """Full jitter: uniform in [cap/2, cap] where cap doubles per attempt (5 s, 10 s, ... 15 min)."""
        cap = min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** max(0, attempts - 1))
        return self._rng.uniform(cap / 2, cap)

    def _release(self, notification_id: str, next_attempt: datetime | None, code: str) -> None:
        names = "SET last_error = :err" + (", next_attempt_at = :next" if next_attempt else "")
        values: dict[str, Any] = {":err": code, ":me": self.worker_id}
        if next_attempt:
            values[":next"] = iso(next_attempt)
        try:
            dynamo.update_item(
                self._table, {"notification_id": notification_id},
                UpdateExpression=names + " REMOVE lease_until, lease_owner",
                ConditionExpression="lease_owner = :me",
                ExpressionAttributeValues=values,
            )
        except (dynamo.ConditionFailed, ServiceUnavailable) as exc:  # the lease then simply expires
            log_event("notification.release_failed", level=logging.WARNING, notification_id=notification_id,
                      error=_code(exc))

    def _give_up(self, notification_id: str, code: str) -> None:
        try:
            dynamo.update_item(
                self._table, {"notification_id": notification_id},
                UpdateExpression="SET failed_at = :now, last_error = :err REMOVE pending, lease_until, lease_owner",
                ConditionExpression="lease_owner = :me",
                ExpressionAttributeValues={":now": iso(self._clock.now()), ":err": code, ":me": self.worker_id},
            )
        except dynamo.ConditionFailed:  # another worker took the record over: it decides now
            log_event("notification.lease_lost", level=logging.WARNING, notification_id=notification_id)
            return
        log_event("notification.failed", level=logging.ERROR, notification_id=notification_id, error=code)


def _lease_end(record: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(str(record["lease_until"]).replace("Z", "+00:00"))


def _code(exc: BaseException) -> str:
    """The AWS code behind a failure (ServiceUnavailable keeps the AWS error as its cause), for logs."""
    return error_code(exc.__cause__ if isinstance(exc, ServiceUnavailable) and exc.__cause__ else exc)
