"""The outbox worker on the moto server: owner-only delivery through filter policies, staff copies, SNS
outages (injected), racing workers and restarts. Each test reads real SQS queues subscribed to the topic."""

from __future__ import annotations

import json
import random
import threading
import uuid
from datetime import datetime, timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError

from services.accounts.users import User
from services.booking.models import Booking
from services.booking.payments import APPROVE_CARD, CardPayment
from services.clock import parse_iso
from services.container import Services
from services.formatting import format_money
from services.notify.notifications import LEASE, NotificationWorker, RunReport
from services.notify.outbox import Kind, notification_id
from services.notify.subscriptions import ARN_ATTRIBUTE, filter_policy
from services.platform.schema import OUTBOX, USERS
from tests.conftest import fake_clock
from tests.faults import Faults, unreachable


# Helpers ------------------------------------------------------------------------------------------
def book(services: Services, user: User, seats: list[str], showtime_id: str = "tiny-show") -> Booking:
    hold = services.inventory.hold(showtime_id, seats, user.user_id)
    return services.bookings.checkout(hold.hold_id, user, CardPayment(APPROVE_CARD))


def inbox(services: Services, email: str | None) -> str:
    """An SQS queue subscribed like ``email``'s subscription (filtered), or unfiltered like staff's."""
    sqs = services.aws.sqs
    url = sqs.create_queue(QueueName=f"test-inbox-{uuid.uuid4().hex[:12]}")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    attributes = {"FilterPolicy": filter_policy(email)} if email else {}
    services.aws.sns.subscribe(TopicArn=services.subscriptions.topic_arn(), Protocol="sqs", Endpoint=arn,
                               Attributes=attributes)
    return url


def drain(services: Services, url: str) -> list[dict[str, Any]]:
    """Every SNS envelope waiting in a queue (never waits: WaitTimeSeconds=0)."""
    found: list[dict[str, Any]] = []
    while True:
        messages = services.aws.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10,
                                                    WaitTimeSeconds=0).get("Messages", [])
        if not messages:
            return found
        for message in messages:
            found.append(json.loads(message["Body"]))
            services.aws.sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


def record(services: Services, booking_id: str, kind: Kind = "booking_confirmed") -> dict[str, Any]:
    key = {"notification_id": notification_id(booking_id, kind)}
    return services.aws.table(OUTBOX).get_item(Key=key, ConsistentRead=True)["Item"]


class FlakySns:
    """The real SNS client, except that the first ``failures`` publishes fail like an outage."""

    def __init__(self, real: Any, failures: int, error: Exception | None = None) -> None:
        self.real, self.failures, self.error = real, failures, error
        self.publishes = 0
        self.lock = threading.Lock()

    def publish(self, **kwargs: Any) -> dict[str, Any]:
        with self.lock:
            self.publishes += 1
            failing = self.failures > 0
            self.failures -= 1
        if failing:
            raise self.error or EndpointConnectionError(endpoint_url="https://sns.us-east-1.amazonaws.com")
        return self.real.publish(**kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


def worker(services: Services, sns: Any = None, **kwargs: Any) -> NotificationWorker:
    return NotificationWorker(services.aws, services.clock, services.messages, services.subscriptions,
                              sns=sns, rng=random.Random(7), **kwargs)


@pytest.fixture
def people(small: Services) -> dict[str, User]:
    return {name: small.users.register(name.title(), f"{name}@example.com", "password123")
            for name in ("alice", "bob")}


# Owner-only delivery ------------------------------------------------------------------------------
def test_each_owner_receives_only_their_confirmation_and_staff_receives_all(small: Services, people) -> None:
    alice_inbox, bob_inbox, staff_inbox = inbox(small, "alice@example.com"), inbox(small, "bob@example.com"), \
        inbox(small, None)
    alice_booking = book(small, people["alice"], ["A1", "A2"])
    bob_booking = book(small, people["bob"], ["C3"])

    report = small.notifications.run_once()

    assert report.published == 2
    alice_mail, bob_mail, staff_mail = drain(small, alice_inbox), drain(small, bob_inbox), drain(small, staff_inbox)
    assert [m["MessageAttributes"]["booking_id"]["Value"] for m in alice_mail] == [alice_booking.booking_id]
    assert [m["MessageAttributes"]["booking_id"]["Value"] for m in bob_mail] == [bob_booking.booking_id]
    assert sorted(m["MessageAttributes"]["booking_id"]["Value"] for m in staff_mail) == sorted(
        [alice_booking.booking_id, bob_booking.booking_id])
    mail = alice_mail[0]
    assert mail["MessageAttributes"]["email"]["Value"] == "alice@example.com"
    assert mail["Subject"].startswith("Booking confirmed: The Tiny Picture") and len(mail["Subject"]) < 100
    body = mail["Message"]
    for fact in (alice_booking.booking_id, "The Tiny Picture", "Tiny Cinema", "1 Test Road", "Screen 1",
                 "India Standard Time (IST)", alice_booking.reference, "A1, A2 (Classic)", "₹",
                 f"/ticket/{alice_booking.booking_id}"):
        assert fact in body
    assert small.notifications.run_once().published == 0  # nothing twice


def test_registering_alone_makes_aws_email_no_one(small: Services) -> None:
    """Anyone can register any address: on AWS that must not subscribe it (no mail relay, no quota use)."""
    small.users.register("Mallory", "victim@example.com", "password123")
    assert small.subscriptions.status("victim@example.com") == "not_subscribed"
    subscriptions = small.aws.sns.list_subscriptions_by_topic(TopicArn=small.subscriptions.topic_arn())
    assert "victim@example.com" not in {s["Endpoint"] for s in subscriptions["Subscriptions"]}


def test_the_first_booking_subscribes_the_address_with_its_own_filter_policy(small: Services, people) -> None:
    book(small, people["alice"], ["A1"])
    assert small.notifications.run_once().published == 1
    item = small.aws.table(USERS).get_item(Key={"email": "alice@example.com"})["Item"]
    attributes = small.aws.sns.get_subscription_attributes(SubscriptionArn=item[ARN_ATTRIBUTE])["Attributes"]
    assert attributes["Protocol"] == "email" and attributes["Endpoint"] == "alice@example.com"
    assert json.loads(attributes["FilterPolicy"]) == {"email": ["alice@example.com"]}
    assert small.subscriptions.status("alice@example.com") == "confirmed"  # moto confirms at once


def test_an_older_account_is_subscribed_before_its_first_confirmation(small: Services) -> None:
    small.users.on_registered = None  # an account from before subscriptions existed
    carol = small.users.register("Carol", "carol@example.com", "password123")
    assert small.subscriptions.status("carol@example.com") == "not_subscribed"
    book(small, carol, ["B1"])
    assert small.notifications.run_once().published == 1
    assert small.subscriptions.status("carol@example.com") == "confirmed"


def test_pending_confirmation_is_reported_for_the_profile(small: Services, people) -> None:
    small.subscriptions.subscribe_user("alice@example.com")  # as her first booking does

    class PendingSns:
        def get_subscription_attributes(self, SubscriptionArn: str) -> dict[str, Any]:  # noqa: N803
            return {"Attributes": {"PendingConfirmation": "true", "SubscriptionArn": SubscriptionArn}}

    small.subscriptions._sns = PendingSns()
    assert small.subscriptions.status("alice@example.com") == "pending"


def test_a_cancellation_tells_the_owner_the_refund(small: Services, people) -> None:
    alice_inbox = inbox(small, "alice@example.com")
    booking = book(small, people["alice"], ["A3"])
    cancelled = small.bookings.cancel(booking.booking_id, people["alice"])
    assert small.notifications.run_once().published == 2
    kinds = {m["MessageAttributes"]["kind"]["Value"]: m for m in drain(small, alice_inbox)}
    mail = kinds["booking_cancelled"]
    refund = format_money(cancelled.refund or 0, "INR")
    assert mail["Subject"].startswith("Booking cancelled: The Tiny Picture") and refund in mail["Subject"]
    assert "has been cancelled" in mail["Message"] and refund in mail["Message"]


# Faults -------------------------------------------------------------------------------------------
def test_sns_outage_never_touches_the_booking_and_delivers_once_after_recovery(small: Services, people) -> None:
    alice_inbox = inbox(small, "alice@example.com")
    flaky = FlakySns(small.aws.quick_sns(), failures=3)
    outage_worker = worker(small, sns=flaky)

    booking = book(small, people["alice"], ["A6", "A7"])  # SNS is down: the booking still succeeds
    assert small.bookings.get(booking.booking_id, people["alice"]).status == "confirmed"

    delays = []
    for _ in range(3):
        report = outage_worker.run_once()
        assert (report.published, report.failed, report.paused) == (0, 1, True)
        stored = record(small, booking.booking_id)
        assert "pending" in stored and "lease_until" not in stored and stored["last_error"] == \
            "EndpointConnectionError"
        due = stored["next_attempt_at"]
        delays.append((_parse(due) - small.clock.now()).total_seconds())
        assert outage_worker.run_once().paused  # paused: no call to SNS until the backoff is over
        fake_clock(small).set(_parse(due) + timedelta(seconds=1))
    assert delays[0] <= 5 < delays[2] <= 20 and delays[1] <= 10  # exponential, jittered within [cap/2, cap]
    assert flaky.publishes == 3

    report = outage_worker.run_once()  # SNS is back
    assert report.published == 1
    assert outage_worker.run_once().published == 0
    assert worker(small).run_once().published == 0  # another process finds nothing either
    mails = drain(small, alice_inbox)
    assert len(mails) == 1 and mails[0]["MessageAttributes"]["booking_id"]["Value"] == booking.booking_id
    stored = record(small, booking.booking_id)
    assert "pending" not in stored and stored["sent_at"] and int(stored["attempts"]) == 4


def test_a_rejected_message_is_retried_but_does_not_pause_the_others(small: Services, people) -> None:
    invalid = ClientError({"Error": {"Code": "InvalidParameter", "Message": "bad subject"}}, "Publish")
    flaky = FlakySns(small.aws.quick_sns(), failures=1, error=invalid)
    first, second = book(small, people["alice"], ["B2"]), book(small, people["bob"], ["B3"])
    report = worker(small, sns=flaky).run_once()
    assert (report.published, report.failed, report.paused) == (1, 1, False)
    pending = ["pending" in record(small, booking.booking_id) for booking in (first, second)]
    assert sorted(pending) == [False, True]  # the rejected one waits for its retry, the other went out


def test_two_racing_workers_publish_each_confirmation_once(small: Services, people) -> None:
    staff_inbox = inbox(small, None)
    bookings = [book(small, people["alice"] if i % 2 else people["bob"], [seat])
                for i, seat in enumerate(["A1", "A2", "A3", "A4", "B1", "B2", "B3", "B4"])]
    counting = FlakySns(small.aws.quick_sns(), failures=0)
    workers = [worker(small, sns=counting, worker_id=f"racer-{n}") for n in range(2)]
    barrier = threading.Barrier(len(workers))
    faults = Faults(small)
    # Both read the same pending list before either claims anything: each one's first claim waits for the other's.
    faults.on("UpdateItem", lambda: barrier.wait(timeout=30), times=len(workers), when=_is_claim)
    reports: list[RunReport] = []
    threads = [threading.Thread(target=lambda r=racer: reports.append(r.run_once())) for racer in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sum(r.published for r in reports) == len(bookings) == counting.publishes
    assert sum(r.skipped for r in reports) == len(bookings)  # every loser's claim was refused
    delivered = [m["MessageAttributes"]["booking_id"]["Value"] for m in drain(small, staff_inbox)]
    assert sorted(delivered) == sorted(b.booking_id for b in bookings)
    faults.clear()


def test_a_crashed_claim_is_taken_over_after_its_lease(small: Services, people) -> None:
    booking = book(small, people["alice"], ["C4"])
    crashed = worker(small, worker_id="crashed")
    assert crashed._claim(notification_id(booking.booking_id, "booking_confirmed")) is not None  # then it dies

    survivor = worker(small, worker_id="survivor")
    assert survivor.run_once().published == 0  # the lease still holds
    fake_clock(small).advance(seconds=LEASE.total_seconds() + 1)
    assert survivor.run_once().published == 1
    stored = record(small, booking.booking_id)
    assert "pending" not in stored and int(stored["attempts"]) == 2


def test_an_unmarked_publish_is_remembered_not_repeated(small: Services, people) -> None:
    alice_inbox = inbox(small, "alice@example.com")
    booking = book(small, people["alice"], ["C5"])
    sender = worker(small)
    faults = Faults(small)
    # DynamoDB refuses every attempt to mark the record sent (the worker retries a few times).
    faults.fail("UpdateItem", unreachable, times=100, when=lambda params: "sent_at" in params["UpdateExpression"])
    assert sender.run_once().published == 1  # published, but DynamoDB refused the mark
    assert "pending" in record(small, booking.booking_id)

    faults.clear()
    fake_clock(small).advance(seconds=LEASE.total_seconds() + 1)  # even after the lease: it is not claimed again here
    assert sender.run_once().published == 0
    assert "pending" not in record(small, booking.booking_id)
    assert len(drain(small, alice_inbox)) == 1


def test_subject_stays_under_100_characters_for_a_long_title(small: Services, people) -> None:
    booking = book(small, people["alice"], ["B6"])
    item = {**booking.to_item(), "movie_title": "The Extraordinarily Long and Winding Road to the Last Picture "
                                                "Show of the Monsoon Season, Part Two"}
    message = small.messages.compose("booking_confirmed", item)
    assert len(message.subject) < 100 and message.subject.startswith("Booking confirmed: The Extraordinarily")
    assert "…" in message.subject and message.subject.endswith(booking.local_start().strftime("%I:%M %p")
                                                                .lstrip("0"))


def _is_claim(params: Any) -> bool:
    return "lease_owner = :me" in params.get("UpdateExpression", "") and "attempts" in params["UpdateExpression"]


def _parse(stamp: str) -> datetime:
    return parse_iso(stamp)
