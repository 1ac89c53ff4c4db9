"""The SES sender on the moto server: the topic feeds an SQS queue, each confirmation is mailed once to its
owner through SES (read back with the public ``get_send_statistics``), a redelivery is never mailed again,
and no filter-policy subscription is made for customers."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from services.accounts.users import User
from services.booking.models import Booking
from services.booking.payments import APPROVE_CARD, CardPayment
from services.container import Services
from services.notify.outbox import notification_id
from services.notify.ses_sender import SesSender
from services.platform.schema import OUTBOX, USERS
from services.settings import Settings
from tests.conftest import make_settings


@pytest.fixture
def settings(moto_endpoint: str) -> Settings:
    """SES on, with a sender address and queue of this test's own (the moto server is shared)."""
    unique = uuid.uuid4().hex[:10]
    return make_settings(moto_endpoint, ses_sender=f"tickets-{unique}@moviemagic.example",
                         ses_queue_name=f"ses-{unique}")


@pytest.fixture
def sender(small: Services) -> SesSender:
    assert small.ses_sender is not None
    small.aws.ses.verify_email_identity(EmailAddress=small.settings.ses_sender)
    return small.ses_sender


def sent_count(services: Services) -> int:
    points = services.aws.ses.get_send_statistics()["SendDataPoints"]
    return sum(point["DeliveryAttempts"] for point in points)


def book(services: Services, user: User, seats: list[str]) -> Booking:
    hold = services.inventory.hold("tiny-show", seats, user.user_id)
    return services.bookings.checkout(hold.hold_id, user, CardPayment(APPROVE_CARD))


def outbox(services: Services, booking_id: str) -> dict[str, Any]:
    key = {"notification_id": notification_id(booking_id, "booking_confirmed")}
    return services.aws.table(OUTBOX).get_item(Key=key, ConsistentRead=True)["Item"]


def test_a_confirmation_is_mailed_once_through_ses_and_the_queue_is_emptied(small: Services,
                                                                            sender: SesSender) -> None:
    before = sent_count(small)
    alice = small.users.register("Alice", "alice@example.com", "password123")
    booking = book(small, alice, ["A1", "A2"])

    assert small.notifications.run_once().published == 1
    report = sender.run_once()

    assert (report.sent, report.duplicates, report.failed) == (1, 0, 0)
    assert sent_count(small) == before + 1
    item = outbox(small, booking.booking_id)
    assert item["emailed_at"] and item["ses_message_id"]
    assert sender.run_once().sent == 0  # the SQS message was deleted after SES accepted it
    assert sent_count(small) == before + 1


def test_a_redelivered_message_is_not_mailed_twice(small: Services, sender: SesSender) -> None:
    alice = small.users.register("Alice", "alice@example.com", "password123")
    book(small, alice, ["B1"])
    small.notifications.run_once()
    queue = sender.queue_url()
    # Read the envelope without deleting it, mail it, then put the same envelope back (a redelivery).
    envelope = small.aws.sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=1, VisibilityTimeout=0,
                                             WaitTimeSeconds=0)["Messages"][0]["Body"]
    assert sender.run_once().sent == 1
    before = sent_count(small)
    small.aws.sqs.send_message(QueueUrl=queue, MessageBody=envelope)

    report = sender.run_once()

    assert (report.sent, report.duplicates) == (0, 1)
    assert sent_count(small) == before
    assert "Messages" not in small.aws.sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=0)


def test_an_unverified_sender_fails_and_the_message_waits_in_the_queue(small: Services) -> None:
    sender = SesSender(small.aws, small.clock, small.subscriptions, retry_seconds=0)
    # No verify_email_identity: SES refuses the Source. (The queue was made by provisioning.)
    alice = small.users.register("Alice", "alice@example.com", "password123")
    booking = book(small, alice, ["C1"])
    small.notifications.run_once()

    report = sender.run_once()

    assert (report.sent, report.failed) == (0, 1)
    assert "emailed_at" not in outbox(small, booking.booking_id)
    small.aws.ses.verify_email_identity(EmailAddress=small.settings.ses_sender)
    assert sender.run_once().sent == 1  # the same message, back at once (retry_seconds=0), now accepted


def test_customers_get_no_filter_policy_subscription_when_ses_is_on(small: Services, sender: SesSender) -> None:
    alice = small.users.register("Alice", "alice@example.com", "password123")
    book(small, alice, ["A3"])
    small.notifications.run_once()

    stored = small.aws.table(USERS).get_item(Key={"email": "alice@example.com"}, ConsistentRead=True)["Item"]
    assert "notify_subscription_arn" not in stored
    subscriptions = small.aws.sns.list_subscriptions_by_topic(TopicArn=small.subscriptions.topic_arn())
    assert [s["Protocol"] for s in subscriptions["Subscriptions"]] == ["sqs"]
    assert small.subscriptions.status("alice@example.com") == "confirmed"
