"""The staff console's pages through NiceGUI's simulated user: each page admits exactly the roles it is
for (customers and other roles see "not found"), the menu offers only what the member may use, the
check-in page admits a typed code once, and the staff page creates an account (audited)."""

from __future__ import annotations

import pytest
from nicegui.testing import User as SimulatedUser

from services.container import Services
from services.staff.team import NewAccount
from tests.staff_helpers import PASSWORD, book_seats, customer, demo_show_soon

pytestmark = pytest.mark.usefixtures("mailbox_env")
HOME = "lumiere-bandra-mumbai"
OTHER = "rangmahal-andheri-mumbai"
PAGES = ["/staff", "/staff/checkin", "/staff/audit", "/staff/team"]


def make_staff(services: Services, name: str, role: str, theaters: list[str]) -> NewAccount:
    boss = services.users.register("Boss", f"boss-{name}@example.com", PASSWORD, role="admin")
    known = [theater.theater_id for theater in services.catalog.theaters()]
    return services.staff.team.create(boss, name.title(), f"{name}@example.com", role, theaters, known)


async def log_in(user: SimulatedUser, email: str, password: str) -> None:
    await user.open("/login")
    user.find(marker="login-email").type(email)
    user.find(marker="login-password").type(password)
    user.find(marker="login-submit").click()
    await user.should_see(marker="account-menu", retries=50)


async def assert_pages(user: SimulatedUser, allowed: list[str]) -> None:
    for path in PAGES:
        await user.open(path)
        if path in allowed:
            await user.should_see(marker="page-title")
            await user.should_not_see(marker="not-found")
        else:
            await user.should_see(marker="not-found")
            await user.should_not_see(marker="staff-nav")


async def test_customers_see_no_staff_page(user: SimulatedUser, app_services: Services) -> None:
    customer(app_services, "carl")
    await log_in(user, "carl@example.com", PASSWORD)
    await assert_pages(user, [])


async def test_an_usher_sees_only_the_door(user: SimulatedUser, app_services: Services) -> None:
    usher = make_staff(app_services, "ursula", "usher", [HOME])
    await log_in(user, usher.user.email, usher.password)
    await assert_pages(user, ["/staff", "/staff/checkin"])
    await user.open("/staff")
    await user.should_see("Check-in")
    await user.should_not_see("Audit")  # neither in the menu nor on the dashboard
    await user.should_not_see("Staff accounts")


async def test_a_manager_reads_the_audit_but_manages_no_accounts(user: SimulatedUser, app_services: Services) -> None:
    manager = make_staff(app_services, "maya", "manager", [HOME])
    await log_in(user, manager.user.email, manager.password)
    await assert_pages(user, ["/staff", "/staff/checkin", "/staff/audit"])


async def test_an_admin_sees_every_page(user: SimulatedUser, app_services: Services) -> None:
    app_services.users.register("Root", "root@example.com", PASSWORD, role="admin")
    await log_in(user, "root@example.com", PASSWORD)
    await assert_pages(user, PAGES)
    await user.should_see("Kiosks")


async def test_logged_out_visitors_are_sent_to_log_in(user: SimulatedUser) -> None:
    await user.open("/staff/checkin")
    await user.should_see(marker="login-email")


async def test_the_door_admits_a_typed_code_once(user: SimulatedUser, app_services: Services) -> None:
    booking = book_seats(app_services, customer(app_services, "carl"), demo_show_soon(app_services, HOME))
    token = app_services.tickets.token_for(booking)
    usher = make_staff(app_services, "ursula", "usher", [HOME])
    await log_in(user, usher.user.email, usher.password)
    await user.open("/staff/checkin")
    user.find(marker="checkin-code").type(token).trigger("keydown.enter")
    await user.should_see("ADMIT")
    await user.should_see(" · ".join(booking.seat_ids))
    user.find(marker="checkin-code").type(token).trigger("keydown.enter")
    await user.should_see("DO NOT ADMIT")
    await user.should_see("Already admitted at")
    await user.should_see("by Ursula")


async def test_the_door_of_another_theater_refuses(user: SimulatedUser, app_services: Services) -> None:
    booking = book_seats(app_services, customer(app_services, "carl"), demo_show_soon(app_services, HOME))
    usher = make_staff(app_services, "otto", "usher", [OTHER])
    await log_in(user, usher.user.email, usher.password)
    await user.open("/staff/checkin")
    user.find(marker="checkin-code").type(app_services.tickets.token_for(booking)).trigger("keydown.enter")
    await user.should_see("DO NOT ADMIT")
    await user.should_see(f"This ticket is for {booking.theater_name}, not this theater.")
    carl = app_services.users.get("carl@example.com")
    assert "admitted_at" not in app_services.bookings.get(booking.booking_id, carl).extra


async def test_the_admin_creates_an_usher_and_the_audit_shows_it(user: SimulatedUser,
                                                                  app_services: Services) -> None:
    app_services.users.register("Root", "root@example.com", PASSWORD, role="admin")
    await log_in(user, "root@example.com", PASSWORD)
    await user.open("/staff/team")
    user.find(marker="team-name").type("Nina Door")
    user.find(marker="team-email").type("nina@example.com")
    user.find(marker="team-theaters").elements.pop().value = [HOME]
    user.find(marker="team-submit").click()
    await user.should_see(marker="team-password")
    password = user.find(marker="team-password").elements.pop().text
    assert app_services.users.authenticate("nina@example.com", password).role == "usher"
    await user.open("/staff/audit")
    await user.should_see("staff.created")
    await user.should_see("nina@example.com")
