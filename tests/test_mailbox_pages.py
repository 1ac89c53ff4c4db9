"""The Mailbox page through NiceGUI's simulated user: a user reads only their own messages, an admin
reads everyone's, and a new confirmation appears without reloading."""

from __future__ import annotations

import pytest
from nicegui import ui
from nicegui.testing import User as SimulatedUser

from services.container import Services
from tests.test_ticket_pages import book, login, register

pytestmark = pytest.mark.usefixtures("mailbox_env")


def deliver(services: Services) -> None:
    services.notifications.run_once()
    assert services.mailbox is not None
    services.mailbox.collect(everything=True)


async def test_a_user_reads_only_their_own_mail(user: SimulatedUser, app_services: Services) -> None:
    alice_booking = book(app_services, register(app_services, "alice"))
    bob_booking = book(app_services, register(app_services, "bob"))
    deliver(app_services)
    await login(user, "alice")
    await user.open("/mailbox")
    await user.should_see(marker="mailbox-message")
    await user.should_see(f"Booking confirmed: {alice_booking.movie_title}")
    await user.should_see("To: alice@example.com")
    await user.should_not_see("To: bob@example.com")
    label = user.find(marker="mailbox-body").elements.pop()
    assert isinstance(label, ui.label)
    body = label.text
    assert alice_booking.booking_id in body and bob_booking.booking_id not in body
    await user.should_not_see(marker="mailbox-recipient")  # only admins choose a recipient


async def test_an_admin_reads_everyone_s_mail(user: SimulatedUser, app_services: Services) -> None:
    book(app_services, register(app_services, "alice"))
    book(app_services, register(app_services, "bob"))
    register(app_services, "boss", role="admin")
    deliver(app_services)
    await login(user, "boss")
    await user.open("/mailbox")
    await user.should_see(marker="mailbox-recipient")
    assert len(user.find(marker="mailbox-message").elements) == 2
    await user.should_see("To: alice@example.com")
    await user.should_see("To: bob@example.com")


async def test_a_new_confirmation_appears_without_a_reload(user: SimulatedUser, app_services: Services) -> None:
    alice = register(app_services, "alice")
    await login(user, "alice")
    await user.open("/mailbox")
    await user.should_see(marker="mailbox-empty")
    booking = book(app_services, alice)
    deliver(app_services)  # the app's own worker would do the same within seconds
    await user.should_see(f"Booking confirmed: {booking.movie_title}", retries=100)
    user.find(marker="account-menu").click()
    await user.should_see("Mailbox")
