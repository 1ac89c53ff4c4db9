"""The staff console's Events page (issue 17), through NiceGUI's simulated user: a venue's manager sees its
performances with their quotas and changes one; ushers do not get the page."""

from __future__ import annotations

import pytest
from nicegui.testing import User as SimulatedUser

from main import build_services
from services.container import Services
from services.events.demo import DemoEvents
from services.platform.aws import connect
from services.settings import Settings
from tests.conftest import CATALOG_DIR
from tests.test_staff_pages import log_in, make_staff

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
