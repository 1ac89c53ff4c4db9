"""The staff console's Events page (issue 17), through NiceGUI's simulated user: a venue's manager sees its
performances with their quotas and changes one; ushers do not get the page."""

from __future__ import annotations

import pytest
from nicegui import ui
from nicegui.elements.upload_files import SmallFileUpload
from nicegui.testing import User as SimulatedUser

from main import build_services
from services.container import Services
from services.events.demo import DemoEvents
from services.platform.aws import connect
from services.settings import Settings
from tests.conftest import CATALOG_DIR
from tests.test_staff_pages import log_in, make_staff
from tests.test_staff_posters import png

CLUB = "habitat-khar-mumbai"


@pytest.fixture
def demo_events(mailbox_env: Settings) -> None:
    """The demo events on the app's tables before the app starts (its catalog caches what it reads)."""
    services = build_services(mailbox_env, connect(mailbox_env))
    DemoEvents(services.aws, services.clock, CATALOG_DIR).load()


pytestmark = pytest.mark.usefixtures("mailbox_env", "demo_events")


async def test_a_venue_manager_changes_a_quota(user: SimulatedUser, app_services: Services) -> None:
    manager = make_staff(app_services, "mona", "manager", [CLUB])
    show = app_services.events.catalog.performances("laugh-riot-late-night")[-1].showtime_id
    await log_in(user, manager.user.email, manager.password)
    await user.open("/staff/events")
    await user.should_see(marker=f"edit-{show}-front-table", retries=400)
    await user.should_see("Laugh Riot Late Night · Comedy")
    await user.should_not_see("The Ninth Monsoon · Theatre")  # another venue's
    await user.should_not_see(marker="event-form")  # admins only
    user.find(marker=f"edit-{show}-front-table").click()
    await user.should_see(marker="ticket-dialog", retries=20)
    user.find(marker="ticket-capacity").clear().type("30")
    user.find(marker="ticket-save").click()
    await user.should_see("0 sold · 0 held · 30 free of 30", retries=50)
    front = next(t for t in app_services.events.quotas.ticket_types(show) if t.type_id == "front-table")
    assert (front.capacity, front.free) == (30, 30)


async def test_ushers_do_not_get_the_events_page(user: SimulatedUser, app_services: Services) -> None:
    usher = make_staff(app_services, "ursula", "usher", [CLUB])
    await log_in(user, usher.user.email, usher.password)
    await user.open("/staff/events")
    await user.should_see(marker="not-found", retries=50)


async def test_an_admin_edits_an_event_and_uploads_its_poster(user: SimulatedUser, app_services: Services) -> None:
    boss = make_staff(app_services, "ada", "admin", [])
    await log_in(user, boss.user.email, boss.password)
    await user.open("/staff/events")
    await user.should_see(marker="edit-event-laugh-riot-late-night", retries=400)
    user.find(marker="edit-event-laugh-riot-late-night").click()
    await user.should_see(marker="event-editor", retries=20)
    upload = next(iter(user.find(marker="event-poster").elements))
    assert isinstance(upload, ui.upload)
    await upload.handle_uploads([SmallFileUpload("poster.png", "image/png", png())])
    await user.should_see("Poster saved.", retries=50)
    stem = app_services.events.catalog.event("laugh-riot-late-night").poster_key
    assert stem.startswith("laugh-riot-late-night/")
    user.find(marker="event-title").clear().type("Laugh Riot: Late, Later")
    user.find(marker="event-minutes").clear().type("100")
    user.find(marker="event-edit-save").click()
    await user.should_see("Laugh Riot: Late, Later saved.", retries=50)
    app_services.catalog.invalidate()  # the test's own services cache what they read; the app wrote
    saved = app_services.events.catalog.event("laugh-riot-late-night")
    assert (saved.title, saved.runtime_min, saved.poster_key) == ("Laugh Riot: Late, Later", 100, stem)
    # A venue too.
    await user.open("/staff/events")
    await user.should_see(marker=f"edit-venue-{CLUB}", retries=400)
    user.find(marker=f"edit-venue-{CLUB}").click()
    await user.should_see(marker="venue-editor", retries=20)
    user.find(marker="venue-address").clear().type("201 Linking Road, Khar West")
    user.find(marker="venue-edit-save").click()
    await user.should_see("The Habitat, Khar saved.", retries=100)
    app_services.catalog.invalidate()
    assert app_services.catalog.theater(CLUB).address == "201 Linking Road, Khar West"


async def test_managers_do_not_edit_events(user: SimulatedUser, app_services: Services) -> None:
    manager = make_staff(app_services, "max", "manager", [CLUB])
    await log_in(user, manager.user.email, manager.password)
    await user.open("/staff/events")
    await user.should_see(marker="staff-performances", retries=400)
    await user.should_not_see(marker="staff-events")
    await user.should_not_see(marker="edit-event-laugh-riot-late-night")


async def test_a_venue_manager_sets_an_early_bird_and_a_sales_window(user: SimulatedUser,
                                                                    app_services: Services) -> None:
    manager = make_staff(app_services, "mira", "manager", [CLUB])
    show = app_services.events.catalog.performances("laugh-riot-late-night")[-1]
    await log_in(user, manager.user.email, manager.password)
    await user.open("/staff/events")
    await user.should_see(marker=f"edit-{show.showtime_id}-general", retries=400)
    user.find(marker=f"edit-{show.showtime_id}-general").click()
    await user.should_see(marker="ticket-dialog", retries=20)
    user.find(marker="ticket-off-sale").type("tomorrow at nine")
    user.find(marker="ticket-save").click()
    await user.should_see("Please write times as YYYY-MM-DD HH:MM.", retries=20)
    local_day = show.local_start().date()
    user.find(marker="ticket-off-sale").clear().type(f"{local_day:%Y-%m-%d} 20:00")
    user.find(marker="ticket-early-price").clear().type("45000")
    user.find(marker="ticket-early-until").clear().type(f"{local_day:%Y-%m-%d} 12:00")
    user.find(marker="ticket-save").click()
    await user.should_not_see(marker="ticket-dialog", retries=50)
    general = next(t for t in app_services.events.quotas.ticket_types(show.showtime_id) if t.type_id == "general")
    zone = show.local_start().tzinfo
    assert general.early_price == 45000
    assert general.early_until is not None and general.early_until.astimezone(zone).hour == 12
    assert general.off_sale_at is not None and general.off_sale_at.astimezone(zone).strftime("%H:%M") == "20:00"
