"""The ticket page and its PDF download through NiceGUI's simulated user: the owner sees the ticket with
its QR code, anyone else sees "not found", a cancelled booking shows no QR."""

from __future__ import annotations

from datetime import timedelta

import pytest
from nicegui.testing import User as SimulatedUser

from services.accounts.users import User
from services.booking.models import Booking
from services.booking.payments import APPROVE_CARD, CardPayment
from services.container import Services

PASSWORD = "password123"


pytestmark = pytest.mark.usefixtures("mailbox_env")


def register(services: Services, name: str, role: str = "customer") -> User:
    return services.users.register(name.title(), f"{name}@example.com", PASSWORD, role=role)  # type: ignore[arg-type]


def book(services: Services, user: User, count: int = 2) -> Booking:
    soon = services.clock.now() + timedelta(hours=3)
    showtime = next(s for s in services.catalog.upcoming_in_city("Mumbai") if s.starts_at > soon)
    free = [seat.seat_id for seat in services.inventory.seat_map(showtime.showtime_id).seats
            if seat.status == "available"]
    hold = services.inventory.hold(showtime.showtime_id, free[:count], user.user_id)
    return services.bookings.checkout(hold.hold_id, user, CardPayment(APPROVE_CARD))


async def login(user: SimulatedUser, name: str) -> None:
    await user.open("/login")
    user.find(marker="login-email").type(f"{name}@example.com")
    user.find(marker="login-password").type(PASSWORD)
    user.find(marker="login-submit").click()
    await user.should_see(marker="account-menu", retries=200)


async def test_the_owner_sees_the_ticket_and_downloads_the_pdf(user: SimulatedUser, app_services: Services) -> None:
    booking = book(app_services, register(app_services, "alice"))
    await login(user, "alice")
    await user.open(f"/ticket/{booking.booking_id}")
    await user.should_see(marker="ticket-qr")
    await user.should_see(booking.movie_title)
    await user.should_see(booking.theater_name)
    await user.should_see(f"Booking {booking.reference}")  # the short reference, as on every page
    for seat in booking.seat_ids:
        await user.should_see(seat)
    user.find(marker="ticket-download").click()
    response = await user.download.next(timeout=10)
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


async def test_another_user_gets_not_found(user: SimulatedUser, app_services: Services) -> None:
    booking = book(app_services, register(app_services, "alice"))
    register(app_services, "bob")
    await login(user, "bob")
    await user.open(f"/ticket/{booking.booking_id}")
    await user.should_see(marker="not-found")
    await user.should_see("We could not find that ticket.")
    await user.should_not_see(marker="ticket-qr")
    assert (await user.http_client.get(f"/ticket/{booking.booking_id}/pdf")).status_code == 404
    await user.open("/ticket/bk-h-does-not-exist")
    await user.should_see(marker="not-found")


async def test_an_admin_may_open_any_ticket(user: SimulatedUser, app_services: Services) -> None:
    booking = book(app_services, register(app_services, "alice"))
    register(app_services, "boss", role="admin")
    await login(user, "boss")
    await user.open(f"/ticket/{booking.booking_id}")
    await user.should_see(marker="ticket-qr")


async def test_logged_out_visitors_are_sent_to_log_in(user: SimulatedUser, app_services: Services) -> None:
    booking = book(app_services, register(app_services, "alice"))
    await user.open(f"/ticket/{booking.booking_id}")
    await user.should_see(marker="login-email", retries=50)
    response = await user.http_client.get(f"/ticket/{booking.booking_id}/pdf")
    assert response.status_code == 303 and response.headers["location"].startswith("/login?next=")


async def test_a_cancelled_booking_shows_no_qr(user: SimulatedUser, app_services: Services) -> None:
    alice = register(app_services, "alice")
    booking = book(app_services, alice)
    app_services.bookings.cancel(booking.booking_id, alice)
    await login(user, "alice")
    await user.open(f"/ticket/{booking.booking_id}")
    await user.should_see(marker="ticket-cancelled")
    await user.should_not_see(marker="ticket-qr")
    await user.should_not_see(marker="ticket-download")
    assert (await user.http_client.get(f"/ticket/{booking.booking_id}/pdf")).status_code == 404
