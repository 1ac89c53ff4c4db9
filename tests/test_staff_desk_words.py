"""The desk and the dashboard speak people's words (NiceGUI's simulated user): the booking reference the
customer sees, the movie's title, theater and screen names and the show's local time, never raw ids."""

from __future__ import annotations

import pytest
from nicegui.testing import User as SimulatedUser

from services.container import Services
from services.formatting import show_clock, show_time
from tests.staff_helpers import book_seats, customer, demo_show_soon
from tests.test_staff_pages import HOME, log_in, make_staff

pytestmark = pytest.mark.usefixtures("mailbox_env")


async def test_the_desk_shows_the_reference_names_and_local_time(user: SimulatedUser,
                                                                 app_services: Services) -> None:
    booking = book_seats(app_services, customer(app_services, "carl"), demo_show_soon(app_services, HOME), 2)
    manager = make_staff(app_services, "maya", "manager", [HOME])
    await log_in(user, manager.user.email, manager.password)
    await user.open(f"/staff/bookings?q={booking.reference.lower()}")  # found by the customer's reference
    await user.should_see(marker="desk-result", retries=50)
    await user.should_see(booking.reference)
    await user.should_see(f"{booking.movie_title} · {show_time(booking)}")
    await user.should_see(f"{booking.theater_name} · {booking.screen_name}")
    await user.should_not_see(booking.booking_id)
    user.find(marker="desk-result").click()
    await user.should_see(marker="desk-booking", retries=50)
    await user.should_see(f"Reference {booking.reference}")
    await user.should_see(show_time(booking, year=True, zone_name=True))
    await user.should_see("Confirmation ·", retries=50)  # the email's kind in words, its time on the theater clock


async def test_the_dashboard_names_todays_shows(user: SimulatedUser, app_services: Services) -> None:
    showtime = app_services.catalog.showtime(demo_show_soon(app_services, HOME))
    theater = app_services.catalog.theater(HOME)
    movie = app_services.catalog.movie(showtime.movie_id)
    manager = make_staff(app_services, "maya", "manager", [HOME])
    await log_in(user, manager.user.email, manager.password)
    await user.open("/staff")
    await user.should_see(marker="staff-show", retries=50)
    await user.should_see(f"{show_clock(showtime)} · {movie.title} · {theater.screen(showtime.screen_id).name}")
