"""Checkout, cancellation and my bookings on the moto server."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from services.accounts.users import User
from services.booking.bookings import booking_id_for
from services.booking.models import Guest, SeatState
from services.booking.payments import Authorization, CardPayment
from services.container import Services
from services.errors import HoldExpired, InvalidRequest, NotFound, PaymentDeclined, ShowClosed, TooLateToCancel
from services.live.hub import SeatChange
from services.notify.outbox import notification_id
from services.platform.schema import OUTBOX, SEATS
from tests.conftest import add_small_showtime, demo_gateway, fake_clock

ALICE = User("u-alice", "alice@example.com", "Alice", "customer", "")
BOB = User("u-bob", "bob@example.com", "Bob", "customer", "")
ADMIN = User("u-admin", "admin@example.com", "Admin", "admin", "")
GOOD = CardPayment("4242 4242 4242 4242")
DECLINED = CardPayment("4000 0000 0000 0002")


def seat_items(services: Services, showtime_id: str) -> dict[str, dict]:
    items = services.aws.table(SEATS).query(KeyConditionExpression="showtime_id = :s", ConsistentRead=True,
                                            ExpressionAttributeValues={":s": showtime_id})["Items"]
    return {item["seat_id"]: item for item in items}


def test_checkout_sells_seats_writes_booking_and_outbox(small: Services) -> None:
    changes: list[SeatChange] = []
    small.live.subscribe("tiny-show", lambda _s, c: changes.extend(c))
    hold = small.inventory.hold("tiny-show", ["C3", "A1"], ALICE.user_id)
    booking = small.bookings.checkout(hold.hold_id, ALICE, GOOD)
    assert booking.booking_id == booking_id_for(hold.hold_id) and booking.status == "confirmed"
    assert booking.seat_ids == ["C3", "A1"]
    assert (booking.price.subtotal, booking.price.fee, booking.price.total) == (55000, 6000, 71980)
    assert booking.movie_title == "The Tiny Picture" and booking.theater_name == "Tiny Cinema"
    assert booking.screen_name == "Screen 1" and booking.card_last4 == "4242"
    assert demo_gateway(small).get(booking.payment_id).status == "captured"
    seats = seat_items(small, "tiny-show")
    assert {seat_id: (item["status"], item["booking_id"]) for seat_id, item in seats.items()} == {
        "C3": ("sold", booking.booking_id), "A1": ("sold", booking.booking_id)}
    assert "ttl" not in seats["C3"] and "expires_at" not in seats["C3"]
    assert small.inventory.get_hold(hold.hold_id).status == "confirmed"
    assert changes[-2:] == [SeatChange("C3", SeatState.SOLD), SeatChange("A1", SeatState.SOLD)]
    note = small.aws.table(OUTBOX).get_item(
        Key={"notification_id": notification_id(booking.booking_id, "booking_confirmed")})["Item"]
    assert note["email"] == "alice@example.com" and note["pending"] == "1"
    facts = note["booking"]
    assert facts["theater_address"] == "1 Test Road" and facts["timezone"] == "Asia/Kolkata"
    assert facts["seats"][0]["category_name"] == "Prime" and facts["price"]["total"] == 71980
    assert facts["starts_at_local"].endswith("+05:30")
    assert small.inventory.seat_map("tiny-show", ALICE.user_id).counts()["sold"] == 2


def test_double_submit_returns_the_same_booking_and_charges_once(small: Services) -> None:
    hold = small.inventory.hold("tiny-show", ["B1"], ALICE.user_id)
    first = small.bookings.checkout(hold.hold_id, ALICE, GOOD)
    second = small.bookings.checkout(hold.hold_id, ALICE, GOOD)
    assert second == first
    assert [a.status for a in demo_gateway(small).authorizations()] == ["captured"]
    assert small.bookings.my_bookings(ALICE.user_id) == [first]


def test_checkout_of_someone_elses_hold_is_not_found(small: Services) -> None:
    hold = small.inventory.hold("tiny-show", ["B1"], ALICE.user_id)
    with pytest.raises(NotFound):
        small.bookings.checkout(hold.hold_id, BOB, GOOD)
    with pytest.raises(NotFound):
        small.bookings.checkout("h-nope", BOB, GOOD)


def test_expired_hold_cannot_be_bought(small: Services) -> None:
    hold = small.inventory.hold("tiny-show", ["B2"], ALICE.user_id)
    fake_clock(small).advance(minutes=8, seconds=1)
    with pytest.raises(HoldExpired):
        small.bookings.checkout(hold.hold_id, ALICE, GOOD)
    assert demo_gateway(small).authorizations() == []
    assert seat_items(small, "tiny-show")["B2"]["status"] == "held"  # untouched; free by its expiry


def test_hold_expiring_during_checkout_voids_the_authorization(small: Services, monkeypatch) -> None:
    hold = small.inventory.hold("tiny-show", ["B3"], ALICE.user_id)
    original = small.payments.authorize

    def slow_bank(*args: Any, **kwargs: Any) -> Authorization:
        authorization = original(*args, **kwargs)
        fake_clock(small).advance(minutes=9)  # the bank took its time
        return authorization

    monkeypatch.setattr(small.payments, "authorize", slow_bank)
    with pytest.raises(HoldExpired):
        small.bookings.checkout(hold.hold_id, ALICE, GOOD)
    assert [a.status for a in demo_gateway(small).authorizations()] == ["voided"]
    assert small.bookings.my_bookings(ALICE.user_id) == []
    assert seat_items(small, "tiny-show")["B3"]["status"] == "held"


def test_declined_card_keeps_the_hold_for_another_try(small: Services) -> None:
    hold = small.inventory.hold("tiny-show", ["C4"], ALICE.user_id)
    with pytest.raises(PaymentDeclined):
        small.bookings.checkout(hold.hold_id, ALICE, DECLINED)
    with pytest.raises(InvalidRequest):
        small.bookings.checkout(hold.hold_id, ALICE, CardPayment("1234"))
    assert small.inventory.get_hold(hold.hold_id).status == "active"
    assert small.bookings.checkout(hold.hold_id, ALICE, GOOD).status == "confirmed"


def test_changed_selection_after_authorization_is_not_sold(small: Services, monkeypatch) -> None:
    hold = small.inventory.hold("tiny-show", ["C5"], ALICE.user_id)
    original = small.payments.authorize

    def meanwhile(*args: Any, **kwargs: Any) -> Authorization:
        authorization = original(*args, **kwargs)
        small.inventory.hold("tiny-show", ["C6"], ALICE.user_id)  # another tab changed the seats
        return authorization

    monkeypatch.setattr(small.payments, "authorize", meanwhile)
    with pytest.raises(HoldExpired):
        small.bookings.checkout(hold.hold_id, ALICE, GOOD)
    monkeypatch.undo()
    booking = small.bookings.checkout(hold.hold_id, ALICE, GOOD)
    assert booking.seat_ids == ["C6"]
    assert sorted(a.status for a in demo_gateway(small).authorizations()) == ["captured", "voided"]


def test_checkout_after_sales_cutoff_is_refused(small: Services) -> None:
    add_small_showtime(small, "tiny-later", timedelta(minutes=15))
    hold = small.inventory.hold("tiny-later", ["A1"], ALICE.user_id)
    fake_clock(small).advance(minutes=6)
    with pytest.raises(ShowClosed):
        small.bookings.checkout(hold.hold_id, ALICE, GOOD)
    assert demo_gateway(small).authorizations() == []


def test_guest_checkout(small: Services) -> None:
    guest = Guest("kiosk-7f3a", "walkin@example.com")
    hold = small.inventory.hold("tiny-show", ["A8"], guest.user_id)
    booking = small.bookings.checkout(hold.hold_id, guest, GOOD)
    assert booking.user_id == "kiosk-7f3a" and booking.email == "walkin@example.com"


def test_cancel_frees_seats_records_refund_and_notifies(small: Services) -> None:
    hold = small.inventory.hold("tiny-show", ["A2", "A3"], ALICE.user_id)
    booking = small.bookings.checkout(hold.hold_id, ALICE, GOOD)
    with pytest.raises(NotFound):
        small.bookings.cancel(booking.booking_id, BOB)
    cancelled = small.bookings.cancel(booking.booking_id, ALICE)
    assert cancelled.status == "cancelled"
    assert cancelled.refund == booking.price.total - 6000 - 1080
    assert small.bookings.get(booking.booking_id, ALICE) == cancelled
    assert small.bookings.cancel(booking.booking_id, ALICE) == cancelled  # idempotent
    assert seat_items(small, "tiny-show") == {}
    assert demo_gateway(small).get(booking.payment_id).refunded == cancelled.refund
    note = small.aws.table(OUTBOX).get_item(
        Key={"notification_id": notification_id(booking.booking_id, "booking_cancelled")})["Item"]
    assert note["booking"]["status"] == "cancelled" and note["booking"]["refund"] == cancelled.refund
    # the freed seats can be sold again
    again = small.inventory.hold("tiny-show", ["A2"], BOB.user_id)
    assert small.bookings.checkout(again.hold_id, BOB, GOOD).seat_ids == ["A2"]


def test_cancel_cutoff(small: Services) -> None:
    add_small_showtime(small, "tiny-evening", timedelta(hours=3))
    hold = small.inventory.hold("tiny-evening", ["B4"], ALICE.user_id)
    booking = small.bookings.checkout(hold.hold_id, ALICE, GOOD)
    fake_clock(small).advance(hours=1, seconds=1)  # 1h59m59s before the show: past the 2h cut-off
    with pytest.raises(TooLateToCancel, match="until"):
        small.bookings.cancel(booking.booking_id, ALICE)
    assert small.bookings.get(booking.booking_id, ALICE).status == "confirmed"


def test_my_bookings_newest_first_own_only_and_admin_reads(small: Services) -> None:
    ids = []
    for seats in (["A1"], ["A2"], ["A3"]):
        hold = small.inventory.hold("tiny-show", seats, ALICE.user_id)
        ids.append(small.bookings.checkout(hold.hold_id, ALICE, GOOD).booking_id)
        fake_clock(small).advance(minutes=1)
    hold = small.inventory.hold("tiny-show", ["B1"], BOB.user_id)
    bobs = small.bookings.checkout(hold.hold_id, BOB, GOOD)
    assert [b.booking_id for b in small.bookings.my_bookings(ALICE.user_id)] == ids[::-1]
    assert [b.booking_id for b in small.bookings.my_bookings(BOB.user_id)] == [bobs.booking_id]
    with pytest.raises(NotFound):
        small.bookings.get(bobs.booking_id, ALICE)
    assert small.bookings.get(bobs.booking_id, ADMIN) == bobs
    assert len(small.bookings.for_showtime("tiny-show")) == 4


def test_demo_catalog_checkout(seeded: Services) -> None:
    showtime = seeded.catalog.upcoming_in_city("Delhi")[-1]
    free = [s.seat_id for s in seeded.inventory.seat_map(showtime.showtime_id).seats if s.status == "available"][:3]
    hold = seeded.inventory.hold(showtime.showtime_id, free, ALICE.user_id)
    booking = seeded.bookings.checkout(hold.hold_id, ALICE, GOOD)
    assert booking.city == "Delhi" and booking.seat_ids == free
    assert booking.price.total == hold.quote.price.total  # type: ignore[union-attr]
