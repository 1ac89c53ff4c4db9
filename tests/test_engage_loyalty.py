"""Loyalty points (issue 15), over moto: earned on paid bookings, spent at checkout as a discount the
server computes, given back and taken back on cancellation, untouched by a failed payment, and never
below zero however many checkouts spend them at once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from services.accounts.users import User
from services.booking.payments import APPROVE_CARD, DECLINE_CARD, CardPayment
from services.container import Services
from services.engage.errors import NotEnoughPoints
from services.errors import HoldExpired, InvalidRequest, PaymentDeclined
from services.platform.schema import LOYALTY
from tests.conftest import add_small_showtime, demo_gateway, fake_clock
from tests.engage_helpers import book_soon
from tests.staff_helpers import customer

# One classic seat: ₹200 + ₹30 fee + 18% tax = ₹271.40 -> 2 whole ₹100 -> 10 points at the default 5 per ₹100.
ONE_SEAT_TOTAL = 27140


def give_points(services: Services, user: User, points: int) -> None:
    """Test data: a balance as if earned earlier."""
    services.aws.table(LOYALTY).put_item(Item={"user_id": user.user_id, "entry": "balance", "points": points})


def test_points_are_earned_on_a_paid_booking_and_listed(small: Services) -> None:
    ann = customer(small, "ann")
    booking = book_soon(small, ann, ["A1"])
    assert booking.price.total == ONE_SEAT_TOTAL and booking.extra["points_earned"] == 10
    loyalty = small.engage.loyalty
    assert loyalty.balance(ann.user_id) == 10
    [entry] = loyalty.history(ann.user_id)
    assert (entry.kind, entry.points, entry.booking_id, entry.movie_title) == (
        "earned", 10, booking.booking_id, "The Tiny Picture")


def test_redeeming_takes_a_discount_computed_on_the_server(small: Services) -> None:
    ann = customer(small, "ann")
    give_points(small, ann, 50)
    booking = book_soon(small, ann, ["A1"], points=30)
    assert booking.price.discount == 3000 and booking.price.total == ONE_SEAT_TOTAL - 3000
    charged = demo_gateway(small).get(booking.payment_id)
    assert (charged.amount, charged.status) == (ONE_SEAT_TOTAL - 3000, "captured")
    # Paid ₹241.40 -> 2 whole ₹100 -> 10 points earned; 30 spent.
    assert small.engage.loyalty.balance(ann.user_id) == 50 - 30 + 10
    assert sorted((e.kind, e.points) for e in small.engage.loyalty.history(ann.user_id)) == [
        ("earned", 10), ("redeemed", -30)]


def test_bad_redemptions_are_refused_and_change_nothing(small: Services) -> None:
    ann = customer(small, "ann")
    give_points(small, ann, 500)
    for points in (-1, 201):  # 201 points would be worth more than the ₹200 of tickets
        with pytest.raises(InvalidRequest):
            book_soon(small, ann, ["A1"], points=points)
    bob = customer(small, "bob")
    give_points(small, bob, 5)
    with pytest.raises(NotEnoughPoints):
        book_soon(small, bob, ["A2"], points=6)
    assert small.engage.loyalty.balance(ann.user_id) == 500 and small.engage.loyalty.balance(bob.user_id) == 5
    assert small.bookings.my_bookings(ann.user_id) == [] == small.bookings.my_bookings(bob.user_id)


def test_a_failed_payment_or_a_lost_hold_keeps_the_points(small: Services) -> None:
    ann = customer(small, "ann")
    give_points(small, ann, 40)
    showtime = add_small_showtime(small, "tiny-fail", timedelta(hours=3))
    hold = small.inventory.hold(showtime, ["B1"], ann.user_id)
    with pytest.raises(PaymentDeclined):
        small.bookings.checkout(hold.hold_id, ann, CardPayment(DECLINE_CARD), 40)
    assert small.engage.loyalty.balance(ann.user_id) == 40
    fake_clock(small).advance(minutes=small.settings.hold_minutes + 1)  # the hold lapses while paying
    with pytest.raises(HoldExpired):
        small.bookings.checkout(hold.hold_id, ann, CardPayment(APPROVE_CARD), 40)
    assert small.engage.loyalty.balance(ann.user_id) == 40 and small.engage.loyalty.history(ann.user_id) == []


def test_cancelling_gives_back_spent_points_and_takes_back_earned_ones(small: Services) -> None:
    ann = customer(small, "ann")
    give_points(small, ann, 20)
    booking = book_soon(small, ann, ["A1"], points=20)
    loyalty = small.engage.loyalty
    assert loyalty.balance(ann.user_id) == 10  # 20 - 20 spent + 10 earned
    cancelled = small.bookings.cancel(booking.booking_id, ann)
    assert cancelled.status == "cancelled" and loyalty.balance(ann.user_id) == 20
    kinds = sorted((e.kind, e.points) for e in loyalty.history(ann.user_id))
    assert kinds == [("earned", 10), ("redeemed", -20), ("returned", 20), ("reversed", -10)]
    # Earned points already spent elsewhere: the cancellation takes only what is left, never below zero.
    bob = customer(small, "bob")
    first = book_soon(small, bob, ["A2"])
    book_soon(small, bob, ["A3"], points=10)  # spends the 10 points the first booking earned
    assert loyalty.balance(bob.user_id) == 10  # earned again by the second booking
    small.bookings.cancel(first.booking_id, bob)
    assert loyalty.balance(bob.user_id) == 0


def test_twenty_concurrent_redemptions_never_take_the_balance_below_zero(small: Services) -> None:
    ann = customer(small, "ann")
    give_points(small, ann, 30)
    holds = [small.inventory.hold(add_small_showtime(small, f"tiny-race-{i}", timedelta(hours=3)), ["A1"],
                                  ann.user_id) for i in range(20)]

    def pay(hold_id: str) -> str:
        try:
            small.bookings.checkout(hold_id, ann, CardPayment(APPROVE_CARD), 20)
            return "paid"
        except NotEnoughPoints:
            return "refused"

    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(pay, [hold.hold_id for hold in holds]))
    # Each paid booking spends 20 and earns 10 (₹251.40 after the discount -> 2 whole ₹100): 30 -> 20 -> 10,
    # then 10 < 20. Exactly two can pay, whatever the order; the balance never dips below zero on the way.
    assert answers.count("paid") == 2 and answers.count("refused") == 18
    assert small.engage.loyalty.balance(ann.user_id) == 10
    bookings = small.bookings.my_bookings(ann.user_id)
    assert len(bookings) == 2 and all(b.price.discount == 2000 for b in bookings)
    authorizations = demo_gateway(small).authorizations()
    assert sorted(a.status for a in authorizations if a.status != "voided") == ["captured", "captured"]
    assert 30 + sum(entry.points for entry in small.engage.loyalty.history(ann.user_id)) == 10  # history adds up
