"""Arranging the staff console's tests: staff accounts made as an admin makes them, and a booking for
today's show of the tiny catalog (tests/conftest.py's ``small``)."""

from __future__ import annotations

from datetime import timedelta

from services.accounts.users import User
from services.booking.bookings import Booking
from services.booking.payments import APPROVE_CARD, CardPayment
from services.clock import iso
from services.container import Services
from services.errors import EmailTaken, NotFound
from services.platform.schema import SHOWTIMES
from services.staff.team import NewAccount
from tests.conftest import add_small_showtime

PASSWORD = "password123"
THEATERS = ["tiny-theater", "other-theater"]


def admin(services: Services) -> User:
    try:
        return services.users.register("Boss", "boss@example.com", PASSWORD, role="admin")
    except EmailTaken:
        return services.users.get("boss@example.com")


def staff(services: Services, name: str, role: str, theaters: list[str]) -> NewAccount:
    """A staff account created by the admin; ``.password`` is the one-time password it was given."""
    return services.staff.team.create(admin(services), name.title(), f"{name}@example.com", role, theaters, THEATERS)


def customer(services: Services, name: str) -> User:
    return services.users.register(name.title(), f"{name}@example.com", PASSWORD)


def book_today(services: Services, user: User, seats: list[str], showtime_id: str = "tiny-today") -> Booking:
    """Book seats of a show starting three hours from the services' clock (the same local day)."""
    try:
        services.catalog.showtime(showtime_id)
    except NotFound:
        add_small_showtime(services, showtime_id, timedelta(hours=3))
    hold = services.inventory.hold(showtime_id, seats, user.user_id)
    return services.bookings.checkout(hold.hold_id, user, CardPayment(APPROVE_CARD))


def demo_show_soon(services: Services, theater_id: str = "lumiere-bandra-mumbai") -> str:
    """A show of a demo theater's first screen starting in 40 minutes (today, still on sale)."""
    theater = services.catalog.theater(theater_id)
    screen = theater.screens[0]
    starts_at = services.clock.now().replace(microsecond=0) + timedelta(minutes=40)
    showtime_id = f"{theater_id}.{screen.screen_id}.soon-{int(starts_at.timestamp())}"
    services.aws.table(SHOWTIMES).put_item(Item={
        "showtime_id": showtime_id, "movie_id": services.catalog.all_movies()[0].movie_id,
        "theater_id": theater_id, "screen_id": screen.screen_id, "city": theater.city,
        "timezone": theater.timezone, "starts_at": iso(starts_at), "ends_at": iso(starts_at + timedelta(hours=2)),
        "language": "English", "format": screen.format, "prices": screen.prices,
    })
    return showtime_id


def book_seats(services: Services, user: User, showtime_id: str, count: int = 2) -> Booking:
    free = [seat.seat_id for seat in services.inventory.seat_map(showtime_id).seats if seat.status == "available"]
    hold = services.inventory.hold(showtime_id, free[:count], user.user_id)
    return services.bookings.checkout(hold.hold_id, user, CardPayment(APPROVE_CARD))
