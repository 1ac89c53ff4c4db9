"""The staff console's pages through NiceGUI's simulated user: each page admits exactly the roles it is
for (customers and other roles see "not found"), the menu offers only what the member may use, the
check-in page admits a typed code once, and the staff page creates an account (audited)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from nicegui import ui
from nicegui.testing import User as SimulatedUser

from services.container import Services
from services.formatting import format_money
from services.staff.schedule import ShowRequest
from services.staff.team import NewAccount
from tests.staff_helpers import PASSWORD, book_seats, customer, demo_show_soon

pytestmark = pytest.mark.usefixtures("mailbox_env")
HOME = "lumiere-bandra-mumbai"
OTHER = "rangmahal-andheri-mumbai"
PAGES = ["/staff", "/staff/schedule", "/staff/screens", "/staff/bookings", "/staff/checkin", "/staff/reports",
         "/staff/audit", "/staff/team", "/staff/theaters"]
MANAGER_PAGES = ["/staff", "/staff/schedule", "/staff/screens", "/staff/bookings", "/staff/checkin",
                 "/staff/reports", "/staff/audit", "/staff/theaters"]


def make_staff(services: Services, name: str, role: str, theaters: list[str]) -> NewAccount:
    boss = services.users.register("Boss", f"boss-{name}@example.com", PASSWORD, role="admin")
    known = [theater.theater_id for theater in services.catalog.theaters()]
    return services.staff.team.create(boss, name.title(), f"{name}@example.com", role, theaters, known)


async def log_in(user: SimulatedUser, email: str, password: str) -> None:
    await user.open("/login")
    user.find(marker="login-email").type(email)
    user.find(marker="login-password").type(password)
    user.find(marker="login-submit").click()
    await user.should_see(marker="account-menu", retries=200)


async def admin_opens(user: SimulatedUser, services: Services, path: str, ready: str) -> None:
    """An admin (Root) logs in and opens ``path`` until the element marked ``ready`` shows."""
    services.users.register("Root", "root@example.com", PASSWORD, role="admin")
    await log_in(user, "root@example.com", PASSWORD)
    await user.open(path)
    await user.should_see(marker=ready, retries=50)


async def assert_pages(user: SimulatedUser, allowed: list[str]) -> None:
    for path in PAGES:
        await user.open(path)
        if path in allowed:
            await user.should_see(marker="page-title", retries=50)
            await user.should_not_see(marker="not-found")
        else:
            await user.should_see(marker="not-found", retries=50)
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
    await user.should_see("Check-in", retries=50)
    await user.should_not_see("Audit")  # neither in the menu nor on the dashboard
    await user.should_not_see("Staff accounts")


async def test_a_manager_reads_the_audit_but_manages_no_accounts(user: SimulatedUser, app_services: Services) -> None:
    manager = make_staff(app_services, "maya", "manager", [HOME])
    await log_in(user, manager.user.email, manager.password)
    await assert_pages(user, MANAGER_PAGES)


async def test_an_admin_sees_every_page(user: SimulatedUser, app_services: Services) -> None:
    app_services.users.register("Root", "root@example.com", PASSWORD, role="admin")
    await log_in(user, "root@example.com", PASSWORD)
    await assert_pages(user, PAGES)
    await user.should_see("Kiosks", retries=50)


async def test_logged_out_visitors_are_sent_to_log_in(user: SimulatedUser, app_services: Services) -> None:
    customer(app_services, "carl")  # (as in the other tests: the app has finished starting by now)
    await user.open("/staff/checkin")
    await user.should_see(marker="login-email", retries=50)


async def test_the_door_admits_a_typed_code_once(user: SimulatedUser, app_services: Services) -> None:
    booking = book_seats(app_services, customer(app_services, "carl"), demo_show_soon(app_services, HOME))
    token = app_services.tickets.token_for(booking)
    usher = make_staff(app_services, "ursula", "usher", [HOME])
    await log_in(user, usher.user.email, usher.password)
    await user.open("/staff/checkin")
    await user.should_see(marker="checkin-code", retries=50)
    user.find(marker="checkin-code").type(token).trigger("keydown.enter")
    await user.should_see("ADMIT", retries=50)
    await user.should_see(" · ".join(booking.seat_ids), retries=50)
    user.find(marker="checkin-code").type(token).trigger("keydown.enter")
    await user.should_see("DO NOT ADMIT", retries=50)
    await user.should_see("Already admitted at", retries=50)
    await user.should_see("by Ursula", retries=50)


async def test_the_door_of_another_theater_refuses(user: SimulatedUser, app_services: Services) -> None:
    booking = book_seats(app_services, customer(app_services, "carl"), demo_show_soon(app_services, HOME))
    usher = make_staff(app_services, "otto", "usher", [OTHER])
    await log_in(user, usher.user.email, usher.password)
    await user.open("/staff/checkin")
    await user.should_see(marker="checkin-code", retries=50)
    user.find(marker="checkin-code").type(app_services.tickets.token_for(booking)).trigger("keydown.enter")
    await user.should_see("DO NOT ADMIT", retries=50)
    await user.should_see(f"This ticket is for {booking.theater_name}, not this theater.", retries=50)
    carl = app_services.users.get("carl@example.com")
    assert "admitted_at" not in app_services.bookings.get(booking.booking_id, carl).extra


async def test_the_admin_creates_an_usher_and_the_audit_shows_it(user: SimulatedUser,
                                                                  app_services: Services) -> None:
    await admin_opens(user, app_services, "/staff/team", "team-name")
    user.find(marker="team-name").type("Nina Door")
    user.find(marker="team-email").type("nina@example.com")
    theaters = user.find(marker="team-theaters").elements.pop()
    assert isinstance(theaters, ui.select)
    theaters.value = [HOME]
    user.find(marker="team-submit").click()
    await user.should_see(marker="team-password", retries=50)
    shown = user.find(marker="team-password").elements.pop()
    assert isinstance(shown, ui.label)
    password = shown.text
    assert app_services.users.authenticate("nina@example.com", password).role == "usher"
    await user.open("/staff/audit")
    await user.should_see("staff.created", retries=50)
    await user.should_see("nina@example.com", retries=50)


async def test_a_manager_previews_and_schedules_a_show(user: SimulatedUser, app_services: Services) -> None:
    manager = make_staff(app_services, "maya", "manager", [HOME])
    await log_in(user, manager.user.email, manager.password)
    await user.open("/staff/schedule")
    await user.should_see(marker="schedule-plan", retries=50)
    day = app_services.clock.now().date() + timedelta(days=9)  # beyond the demo's week: the screen is free
    user.find(marker="schedule-day").clear().type(day.isoformat())
    await user.should_see("Nothing scheduled.", retries=50)
    user.find(marker="schedule-time").clear().type("23:50")
    user.find(marker="schedule-preview").click()
    await user.should_see("1 shows would fit, 0 overlap.", retries=50)
    user.find(marker="schedule-create").click()
    await user.should_see("1 created, 0 refused (overlap).", retries=50)
    await user.should_see(marker="schedule-show", retries=50)
    user.find(marker="schedule-preview").click()
    await user.should_see("0 shows would fit, 1 overlap.", retries=50)
    screen = app_services.catalog.theater(HOME).screens[0].screen_id
    plan = app_services.staff.schedule.day_plan(manager.user, f"{HOME}.{screen}", day)
    assert [f"{start:%H:%M}" for _id, start, _end in plan] == ["23:50"]


async def test_a_manager_reads_the_reports(user: SimulatedUser, app_services: Services) -> None:
    booking = book_seats(app_services, customer(app_services, "carl"), demo_show_soon(app_services, HOME), 3)
    manager = make_staff(app_services, "maya", "manager", [HOME])
    await log_in(user, manager.user.email, manager.password)
    await user.open("/staff/reports")
    for marker in ("chart-revenue", "chart-occupancy-day", "chart-occupancy-movie", "chart-lead", "chart-mix"):
        await user.should_see(marker=marker, retries=50)
    await user.should_see(marker="report-kpis", retries=50)
    await user.should_see(format_money(booking.price.total, booking.price.currency), retries=50)
    user.find(marker="report-csv").click()
    response = await user.download.next(timeout=10)
    assert response.content.startswith(b"date,shows,tickets_sold") and booking.showtime_id.encode() in response.content


async def test_the_desk_finds_cancels_and_resends(user: SimulatedUser, app_services: Services) -> None:
    booking = book_seats(app_services, customer(app_services, "carl"), demo_show_soon(app_services, HOME), 2)
    manager = make_staff(app_services, "maya", "manager", [HOME])
    await log_in(user, manager.user.email, manager.password)
    await user.open("/staff/bookings?q=carl@example.com")
    await user.should_see(marker="desk-result", retries=50)
    user.find(marker="desk-result").click()
    await user.should_see(marker="desk-booking", retries=50)
    await user.should_see("Not admitted yet", retries=50)
    user.find(marker="desk-resend").click()
    await user.should_see("Confirmation queued.", retries=50)
    await user.should_see(marker="desk-reason", retries=50)  # the show starts in 40 minutes: past the cut-off
    user.find(marker="desk-cancel").click()
    await user.should_see("past the cancel cut-off: write why", retries=50)
    user.find(marker="desk-reason").type("Customer stuck in traffic, manager approved")
    user.find(marker="desk-cancel").click()
    await user.should_see(marker="desk-refund", retries=50)
    carl = app_services.users.get("carl@example.com")
    assert app_services.bookings.get(booking.booking_id, carl).status == "cancelled"


async def test_a_manager_paints_a_layout_and_saves_a_new_version(user: SimulatedUser, app_services: Services) -> None:
    manager = make_staff(app_services, "maya", "manager", [HOME])
    await log_in(user, manager.user.email, manager.password)
    await user.open("/staff/screens")
    await user.should_see(marker="seat-grid", retries=50)
    before = app_services.catalog.theater(HOME).screens[0].layout
    await user.should_see(f"{before.capacity} seats for sale", retries=50)
    tool = user.find(marker="layout-tool").elements.pop()
    assert isinstance(tool, ui.toggle)
    tool.value = "x"  # the "Blocked" tool
    user.find(marker="layout-cells").trigger("click", "3")  # every row's 4th place
    blocked_now = sum(1 for seat in before.seats if seat.grid_col == 3 and not seat.blocked)
    await user.should_see(f"{before.capacity - blocked_now} seats for sale", retries=50)
    user.find(marker="layout-save").click()
    await user.should_see("Saved as version 2.", retries=50)
    app_services.catalog.invalidate()
    after = app_services.catalog.theater(HOME).screens[0]
    assert after.layout_version == 2 and after.layout.capacity == before.capacity - blocked_now


async def test_a_manager_moves_a_show_and_its_customer_is_told(user: SimulatedUser, app_services: Services) -> None:
    manager = make_staff(app_services, "maya", "manager", [HOME])
    theater = app_services.catalog.theater(HOME)
    screen = theater.screens[0].screen_id
    day = app_services.clock.now().astimezone(theater.tz).date() + timedelta(days=9)  # beyond the demo's week
    first = app_services.staff.schedule.schedule(manager.user, ShowRequest(
        app_services.catalog.all_movies()[0].movie_id, f"{HOME}.{screen}", datetime.combine(day, time(10),
                                                                                              tzinfo=theater.tz), {}))
    later = app_services.staff.schedule.schedule(manager.user, ShowRequest(
        first.movie_id, f"{HOME}.{screen}", datetime.combine(day, time(18), tzinfo=theater.tz), {}))
    booking = book_seats(app_services, customer(app_services, "carl"), first.showtime_id, 2)
    await log_in(user, manager.user.email, manager.password)
    await user.open("/staff/schedule")
    await user.should_see(marker="schedule-plan", retries=50)
    user.find(marker="schedule-day").clear().type(day.isoformat())
    await user.should_see("10:00–", retries=50)
    await user.should_see("18:00–", retries=50)
    user.find(marker="schedule-move").click()  # the first of the day's two shows (10:00)
    await user.should_see(marker="move-confirm", retries=50)
    user.find(marker="move-time").clear().type("18:30")  # into the evening show: refused, nothing moves
    user.find(marker="move-confirm").click()
    await user.should_see(f"This screen is busy then: {later.showtime_id}.", retries=50)
    user.find(marker="move-time").clear().type("14:00")
    user.find(marker="move-confirm").click()
    await user.should_see("Show moved; 1 booking told.", retries=50)
    plan = app_services.staff.schedule.day_plan(manager.user, f"{HOME}.{screen}", day)
    assert [f"{start:%H:%M}" for _id, start, _end in plan] == ["14:00", "18:00"]
    carl = app_services.users.get("carl@example.com")
    moved = app_services.bookings.get(booking.booking_id, carl)
    assert moved.local_start().time() == time(14) and moved.extra["move_version"] == 1
