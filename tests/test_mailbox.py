"""The embedded mailbox: SQS inboxes subscribed with the same filter policies as the email subscriptions,
collected into DynamoDB so a restart (which loses SNS and SQS state) loses no message."""

from __future__ import annotations

import pytest

from main import build_services
from services.accounts.users import User
from services.booking.models import Booking
from services.booking.payments import APPROVE_CARD, CardPayment
from services.container import Services
from services.notify.mailbox import MailItem
from services.platform.schema import OUTBOX
from services.settings import Settings
from tests.conftest import make_settings

STAFF = "boxoffice@example.com"


@pytest.fixture
def settings(moto_endpoint: str) -> Settings:
    return make_settings(moto_endpoint, mailbox=True, staff_email=STAFF)


@pytest.fixture
def people(small: Services) -> dict[str, User]:
    small.subscriptions.prepare()  # the staff address, as the app does before its first round
    return {name: small.users.register(name.title(), f"{name}@example.com", "password123")
            for name in ("alice", "bob")}


def book(services: Services, user: User, seats: list[str]) -> Booking:
    hold = services.inventory.hold("tiny-show", seats, user.user_id)
    return services.bookings.checkout(hold.hold_id, user, CardPayment(APPROVE_CARD))


def deliver(services: Services) -> int:
    services.notifications.run_once()
    assert services.mailbox is not None
    return services.mailbox.collect(everything=True)


def test_each_recipient_s_mailbox_holds_exactly_what_sns_sends_them(small: Services, people) -> None:
    mailbox = small.mailbox
    assert mailbox is not None
    alice_booking = book(small, people["alice"], ["A1"])
    bob_booking = book(small, people["bob"], ["A2", "A3"])
    assert deliver(small) == 4  # alice, bob, and the staff copy of each

    alice_mail = mailbox.messages_for("alice@example.com")
    assert [(m.booking_id, m.kind, m.recipient) for m in alice_mail] == [
        (alice_booking.booking_id, "booking_confirmed", "alice@example.com")]
    assert alice_mail[0].subject.startswith("Booking confirmed: The Tiny Picture")
    assert "A1 (Classic)" in alice_mail[0].body and "Tiny Cinema" in alice_mail[0].body
    assert [m.booking_id for m in mailbox.messages_for("bob@example.com")] == [bob_booking.booking_id]
    assert sorted(m.booking_id for m in mailbox.messages_for(STAFF)) == sorted(
        [alice_booking.booking_id, bob_booking.booking_id])
    assert len(mailbox.all_messages()) == 4
    assert sorted(mailbox.recipients()) == sorted(["alice@example.com", "bob@example.com", STAFF])
    assert deliver(small) == 0  # nothing twice


def test_the_staff_subscription_has_no_filter_policy(small: Services, people) -> None:
    topic = small.subscriptions.topic_arn()
    subscriptions = small.aws.sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
    staff = [s for s in subscriptions if s["Protocol"] == "email" and s["Endpoint"] == STAFF]
    assert len(staff) == 1
    attributes = small.aws.sns.get_subscription_attributes(SubscriptionArn=staff[0]["SubscriptionArn"])["Attributes"]
    assert "FilterPolicy" not in attributes


def test_a_restart_keeps_every_message_and_restores_the_subscriptions(small: Services, people, settings) -> None:
    first = book(small, people["alice"], ["B1"])
    deliver(small)
    _forget_sns_and_sqs(small)  # what a restart of the embedded backend does to SNS and SQS

    restarted = build_services(settings, small.aws, small.clock)  # a new process: nothing in memory
    assert restarted.mailbox is not None
    assert [m.booking_id for m in restarted.mailbox.messages_for("alice@example.com")] == [first.booking_id]
    restarted.subscriptions.prepare()
    second = book(restarted, people["alice"], ["B2"])
    assert deliver(restarted) == 2  # alice and staff
    assert [m.booking_id for m in restarted.mailbox.messages_for("alice@example.com")] == [
        second.booking_id, first.booking_id]
    assert [m.booking_id for m in restarted.mailbox.messages_for("bob@example.com")] == []


def test_a_redelivered_message_is_kept_once_and_old_ones_make_room(small: Services, monkeypatch) -> None:
    mailbox = small.mailbox
    assert mailbox is not None
    monkeypatch.setattr("services.notify.mailbox.KEEP_MESSAGES", 3)

    def mail(n: int) -> MailItem:
        return MailItem(f"m-{n}", "dana@example.com", f"Subject {n}", "Body", "booking_confirmed", f"bk-{n}",
                        f"2030-01-01T00:00:0{n}.000Z", f"2030-01-01T00:00:0{n}Z")

    assert mailbox._store(mail(1)) == 1
    assert mailbox._store(mail(1)) == 0  # SQS delivered it twice
    for n in range(2, 6):
        mailbox._store(mail(n))
    assert [m.message_id for m in mailbox.messages_for("dana@example.com")] == ["m-5", "m-4", "m-3"]


def _forget_sns_and_sqs(services: Services) -> None:
    sns, sqs = services.aws.sns, services.aws.sqs
    topic = services.subscriptions.topic_arn()
    for subscription in sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]:
        sns.unsubscribe(SubscriptionArn=subscription["SubscriptionArn"])
        if subscription["Protocol"] == "sqs":
            queue = sqs.get_queue_url(QueueName=subscription["Endpoint"].rsplit(":", 1)[1])["QueueUrl"]
            sqs.delete_queue(QueueUrl=queue)


def test_mailbox_is_off_on_aws_by_default(moto_endpoint: str) -> None:
    assert not make_settings(moto_endpoint).mailbox_enabled
    assert make_settings(moto_endpoint, backend="embedded").mailbox_enabled


def test_a_booking_published_again_after_a_crash_is_one_mail(small: Services, people) -> None:
    """A worker that crashed between publishing and marking a record leaves it leased; the next start
    takes the lease over and publishes again: SNS sends a second message, the mailbox keeps one."""
    booking = book(small, people["bob"], ["C3"])
    outbox = small.aws.table(OUTBOX)
    record_id = f"{booking.booking_id}#booking_confirmed"
    record = outbox.get_item(Key={"notification_id": record_id})["Item"]
    message = small.messages.compose("booking_confirmed", record["booking"])
    attributes = {"email": {"DataType": "String", "StringValue": "bob@example.com"},
                  "kind": {"DataType": "String", "StringValue": "booking_confirmed"},
                  "booking_id": {"DataType": "String", "StringValue": booking.booking_id}}
    small.aws.sns.publish(TopicArn=small.subscriptions.topic_arn(), Subject=message.subject, Message=message.body,
                          MessageAttributes=attributes)  # the crashed worker's publish
    outbox.update_item(Key={"notification_id": record_id},
                       UpdateExpression="SET lease_until = :later, lease_owner = :dead",
                       ExpressionAttributeValues={":later": "2999-01-01T00:00:00.000Z", ":dead": "w-crashed"})
    assert small.notifications.run_once().published == 0  # still leased by the dead worker
    assert small.notifications.take_over_leases() == 1
    assert small.notifications.run_once().published == 1
    assert small.mailbox is not None
    small.mailbox.collect(everything=True)
    assert [(m.booking_id, m.kind) for m in small.mailbox.messages_for("bob@example.com")] == [
        (booking.booking_id, "booking_confirmed")]
