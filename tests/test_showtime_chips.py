"""Informative showtime chips: "from ₹…" and how full the show is (filling fast / almost full / sold out),
from the per-show sales counters the sale and cancellation transactions keep (never the shows' seats)."""

from __future__ import annotations

import uuid

import pytest
from nicegui.testing import User

from main import build_services
from services.booking.availability import Fullness, fullness
from services.booking.models import Guest
from services.booking.payments import CardPayment
from services.container import Services
from services.formatting import format_money
from services.platform.aws import connect
from services.settings import Settings

CARD = CardPayment("4242 4242 4242 4242")


def sell(services: Services, showtime_id: str, seats: list[str]) -> tuple[str, Guest]:
    guest = Guest(f"g-{uuid.uuid4().hex[:8]}", "guest@example.com")
    hold = services.inventory.hold(showtime_id, seats, guest.user_id)
    return services.bookings.checkout(hold.hold_id, guest, CARD).booking_id, guest


@pytest.mark.parametrize(("sold", "expected"), [
    (0, Fullness.AVAILABLE), (59, Fullness.AVAILABLE), (60, Fullness.FILLING_FAST), (89, Fullness.FILLING_FAST),
    (90, Fullness.ALMOST_FULL), (99, Fullness.ALMOST_FULL), (100, Fullness.SOLD_OUT)])
def test_fullness_thresholds(sold: int, expected: Fullness) -> None:
    assert fullness(sold, 100) == expected


def test_counts_follow_sales_and_cancellations(small: Services) -> None:
    show = small.catalog.showtime("tiny-show")
    first = small.availability.for_shows([show])["tiny-show"]
    # 23 bookable seats (A5 is blocked); the cheapest category is classic at ₹200.
    assert (first.from_price, first.capacity, first.sold, first.fullness) == (20000, 23, 0, Fullness.AVAILABLE)
    booking, owner = sell(small, "tiny-show", ["A1", "A2", "A3", "A4", "A6", "A7", "A8"])
    sell(small, "tiny-show", [f"B{n}" for n in range(1, 9)])
    filling = small.availability.for_shows([show])["tiny-show"]
    assert (filling.sold, filling.fullness) == (15, Fullness.FILLING_FAST)
    sell(small, "tiny-show", [f"C{n}" for n in range(3, 9)])
    assert small.availability.for_shows([show])["tiny-show"].fullness == Fullness.ALMOST_FULL
    small.bookings.cancel(booking, owner)
    assert small.availability.for_shows([show])["tiny-show"].sold == 14
    other = small.availability.for_shows([small.catalog.showtime("tiny-soon")])["tiny-soon"]
    assert other.sold == 0  # counters are per show


async def test_chips_show_the_price_floor_and_how_full(app_env: Settings, user: User, show: str) -> None:
    backstage = build_services(app_env, connect(app_env))
    showtime = backstage.catalog.showtime(show)
    capacity = backstage.catalog.layout_of(showtime).capacity
    while backstage.availability.for_shows([showtime])[show].sold < capacity * 0.6:
        holder = f"g-{uuid.uuid4().hex[:8]}"
        block = backstage.inventory.best_seats(show, 8, holder) or backstage.inventory.best_seats(show, 2, holder)
        hold = backstage.inventory.hold(show, block, holder)
        backstage.bookings.checkout(hold.hold_id, Guest(holder, "guest@example.com"), CARD)
    day = showtime.local_date().isoformat()
    await user.open(f"/movie/{showtime.movie_id}?city={showtime.city}&date={day}")
    await user.should_see(marker="showtimes")
    await user.should_see(f"from {format_money(showtime.min_price)}")
    await user.should_see("Filling fast")
