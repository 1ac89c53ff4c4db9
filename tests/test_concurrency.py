"""50 buyers race for overlapping seats of one showtime, with real threads against the moto server.

After every round: every seat is sold at most once, every sold seat belongs to exactly one confirmed
booking, every confirmed booking's seats are sold to it, and money matches (captured = booked).
``check_invariants`` is shared with the property-based and fault-injection tests.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from services.booking.models import Booking, Guest
from services.booking.payments import CardPayment, DemoGateway
from services.booking.pricing import percent_of
from services.container import Services
from services.errors import DomainError, HoldExpired, SeatUnavailable
from services.platform.schema import SEATS
from tests.conftest import add_small_showtime

GOOD = CardPayment("4242424242424242")
BUYERS = 50
ROUNDS = 5


def check_invariants(services: Services, showtime_ids: list[str]) -> list[Booking]:
    """Assert the seat/booking/payment invariants; returns the confirmed bookings."""
    all_confirmed: list[Booking] = []
    all_bookings: list[Booking] = []
    for showtime_id in showtime_ids:
        items = services.aws.table(SEATS).query(
            KeyConditionExpression="showtime_id = :s", ExpressionAttributeValues={":s": showtime_id},
            ConsistentRead=True)["Items"]
        sold = {item["seat_id"]: item["booking_id"] for item in items if item["status"] == "sold"}
        bookings = services.bookings.for_showtime(showtime_id)
        for booking in bookings:  # the index agrees with the table
            assert services.bookings.get(booking.booking_id, Guest(booking.user_id)) == booking
        confirmed = {b.booking_id: b for b in bookings if b.status == "confirmed"}
        seat_counts = Counter(seat for b in confirmed.values() for seat in b.seat_ids)
        assert all(count == 1 for count in seat_counts.values()), seat_counts  # no seat in two bookings
        for seat_id, booking_id in sold.items():
            assert booking_id in confirmed, (seat_id, booking_id)  # sold only to a confirmed booking
            assert seat_id in confirmed[booking_id].seat_ids
        for booking in confirmed.values():
            assert all(sold.get(seat) == booking.booking_id for seat in booking.seat_ids), booking.booking_id
        for booking in bookings:
            check_price(services, booking)
        all_confirmed += confirmed.values()
        all_bookings += bookings
    check_payments(services, all_bookings)
    return all_confirmed


def check_price(services: Services, booking: Booking) -> None:
    showtime = services.catalog.showtime(booking.showtime_id)
    settings = services.settings
    assert [seat.price for seat in booking.seats] == [showtime.prices[seat.category] for seat in booking.seats]
    price = booking.price
    assert price.subtotal == sum(seat.price for seat in booking.seats)
    assert price.fee == settings.convenience_fee_minor * len(booking.seats)
    assert price.tax == percent_of(price.subtotal + price.fee, settings.tax_percent)
    assert price.total == price.subtotal + price.fee + price.tax and price.currency == settings.currency
    if booking.status == "cancelled":
        assert booking.refund == services.pricing.refund(price) and 0 <= booking.refund <= price.total


def check_payments(services: Services, bookings: list[Booking]) -> None:
    """No money taken without a booking, every booking paid exactly its total, refunds as recorded."""
    gateway = services.payments
    assert isinstance(gateway, DemoGateway)
    by_payment = {booking.payment_id: booking for booking in bookings}
    for authorization in gateway.authorizations():
        if authorization.status in ("captured", "refunded"):
            booking = by_payment.get(authorization.authorization_id)
            assert booking is not None, authorization  # captured money always has its booking
            assert authorization.amount == booking.price.total
            if booking.status == "cancelled":
                assert authorization.status == "refunded" and authorization.refunded == booking.refund
            else:
                assert authorization.status == "captured"
    for booking in bookings:
        assert gateway.get(booking.payment_id).status in ("captured", "refunded")


def buyer(services: Services, showtime_id: str, number: int, pool: list[str], start: threading.Barrier) -> str:
    rng = random.Random(number)
    customer = Guest(f"buyer-{number}", f"buyer{number}@example.com")
    seats = rng.sample(pool, rng.randint(1, 4))
    start.wait()
    try:
        hold = services.inventory.hold(showtime_id, seats, customer.user_id)
        if rng.random() < 0.1:
            services.inventory.release(hold.hold_id, customer.user_id)
            return "released"
        booking = services.bookings.checkout(hold.hold_id, customer, GOOD)
        if rng.random() < 0.2:  # some double-click
            assert services.bookings.checkout(hold.hold_id, customer, GOOD) == booking
        return "booked"
    except SeatUnavailable:
        return "unavailable"
    except HoldExpired:
        return "expired"
    except DomainError as exc:
        return type(exc).__name__


def test_fifty_buyers_race_for_overlapping_seats(small: Services) -> None:
    all_seats = [s.seat_id for s in small.inventory.seat_map("tiny-show").seats if s.status == "available"]
    outcomes: Counter[str] = Counter()
    showtimes = []
    with ThreadPoolExecutor(max_workers=BUYERS) as pool:
        for round_number in range(ROUNDS):
            showtime_id = add_small_showtime(small, f"race-{round_number}", timedelta(days=1))
            showtimes.append(showtime_id)
            hot = random.Random(round_number).sample(all_seats, 12)  # heavy overlap on half the hall
            start = threading.Barrier(BUYERS)
            futures = [pool.submit(buyer, small, showtime_id, round_number * 100 + n, hot, start)
                       for n in range(BUYERS)]
            results = Counter(future.result() for future in futures)
            outcomes += results
            confirmed = [b for b in check_invariants(small, showtimes) if b.showtime_id == showtime_id]
            assert len(confirmed) == results["booked"] >= 1
            assert sum(len(b.seat_ids) for b in confirmed) <= 12
    assert outcomes["unavailable"] > 0, outcomes  # the race was real
    assert set(outcomes) <= {"booked", "unavailable", "released", "expired"}, outcomes
