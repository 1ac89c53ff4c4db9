"""Arranging the coming-back tests (issue 15): customers who saw the tiny catalog's movie."""

from __future__ import annotations

import itertools
from datetime import timedelta

from services.accounts.users import User
from services.booking.bookings import Booking
from services.booking.payments import APPROVE_CARD, CardPayment
from services.container import Services
from tests.conftest import add_small_showtime, fake_clock

MOVIE = "tiny-movie"
_shows = itertools.count()


def book_soon(services: Services, user: User, seats: list[str], points: int = 0) -> Booking:
    """Book ``seats`` of a new tiny show starting in three hours (on sale, still cancellable)."""
    showtime_id = add_small_showtime(services, f"tiny-engage-{next(_shows)}", timedelta(hours=3))
    hold = services.inventory.hold(showtime_id, seats, user.user_id)
    return services.bookings.checkout(hold.hold_id, user, CardPayment(APPROVE_CARD), points)


def after_the_show(services: Services) -> None:
    """Move the clock past every show booked by ``book_soon`` so far (they end five hours from then)."""
    fake_clock(services).advance(hours=6)
