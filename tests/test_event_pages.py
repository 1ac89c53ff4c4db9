"""Events in the pages (issue 17), through NiceGUI's simulated user: the home page lists the city's live events
beside the films and filters them; the event page shows dates and ticket types with availability; buying
general-admission tickets goes through the same checkout to the same confirmation and ticket."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from nicegui.testing import User

from main import build_services
from services.container import Services
from services.events.demo import DemoEvents
from services.platform.aws import connect
from services.settings import Settings
from tests.conftest import CATALOG_DIR
from tests.test_flow_booking import log_in

# Before `user` starts the app: its settings, its tables, the demo events in them (the app caches its catalog).
pytestmark = pytest.mark.usefixtures("app_env", "backstage")
COMEDY = "laugh-riot-late-night"


@pytest.fixture
def backstage(app_env: Settings) -> Services:
    """The demo events on the app's tables, and the test's own eyes on them."""
    services = build_services(app_env, connect(app_env))
    DemoEvents(services.aws, services.clock, CATALOG_DIR).load()
    return services


def tomorrows_comedy(backstage: Services) -> str:
    tomorrow = (backstage.clock.now().astimezone(ZoneInfo("Asia/Kolkata")) + timedelta(days=1)).date()
    return next(show.showtime_id for show in backstage.events.catalog.performances(COMEDY)
                if show.local_date() == tomorrow)


async def test_home_lists_events_beside_films_and_filters_them(user: User, backstage: Services) -> None:
    await user.open("/?city=Mumbai")
    await user.should_see(marker="events-title", retries=50)
    await user.should_see("Laugh Riot Late Night")
    await user.should_see("The Ninth Monsoon")
    await user.should_see(marker="movie-grid")  # the films are still there
    await user.open("/?city=Mumbai&q=biswa")  # a performer's name finds the event
    await user.should_see("Laugh Riot Late Night", retries=50)
    await user.should_not_see("The Ninth Monsoon")
    await user.open("/?city=Mumbai&kind=theatre")
    await user.should_see("The Ninth Monsoon", retries=50)
    await user.should_not_see("Laugh Riot Late Night")
    await user.should_not_see(marker="movie-grid")
    await user.open("/?city=Mumbai&kind=movies")
    await user.should_see(marker="movie-grid", retries=50)
    await user.should_not_see(marker="events-title")


async def test_buying_general_admission_tickets_on_the_event_page(user: User, backstage: Services) -> None:
    show = tomorrows_comedy(backstage)
    # Someone else holds every front table: the page says so and offers none.
    for index in range(5):
        backstage.events.quotas.hold(show, {"front-table": 4}, f"crowd-{index}")
    account = await log_in(user, backstage)
    await user.open(f"/event/{COMEDY}?city=Mumbai&show={show}")
    await user.should_see(marker="ticket-types", retries=50)
    await user.should_see("Performers: Zakir Qureshi, Aditi Mittal-Rao, Biswa Pant, Kenny Sebastian-Roy")
    await user.should_see("The Habitat, Khar")
    await user.should_see(marker="availability-sold_out")
    await user.should_see("Choose how many tickets")
    user.find(marker="plus-general").click()
    user.find(marker="plus-general").click()
    await user.should_see("2 tickets · ₹1,198", retries=20)
    user.find(marker="ga-continue").click()
    await user.should_see(marker="pay", retries=100)
    await user.should_see("Tickets held for")
    await user.should_see("General × 2")
    user.find(marker="card-number").type("4242 4242 4242 4242")
    user.find(marker="card-expiry").type("12/39")
    user.find(marker="card-cvc").type("123")
    user.find(marker="pay").click()
    await user.should_see("You're all set!", retries=100)
    booking = backstage.bookings.my_bookings(account.user_id)[0]
    assert [seat.seat_id for seat in booking.seats] == [f"{booking.reference}-1", f"{booking.reference}-2"]
    general = next(t for t in backstage.events.quotas.ticket_types(show) if t.type_id == "general")
    assert (general.sold, general.held) == (2, 0)
    await user.open(f"/ticket/{booking.booking_id}")
    await user.should_see("TICKET NUMBERS", retries=50)
    await user.should_see(f"{booking.reference}-2")
    await user.should_see("General admission")  # the entry, where a film says its screen
    await user.should_see(marker="ticket-qr")


async def test_over_the_limit_is_not_offered_and_a_movie_id_is_not_an_event(user: User, backstage: Services) -> None:
    show = tomorrows_comedy(backstage)
    await user.open(f"/event/{COMEDY}?show={show}")
    await user.should_see(marker="ticket-types", retries=50)
    for _ in range(8):
        user.find(marker="plus-front-table").click()
    await user.should_see("4 tickets", retries=20)  # the per-order limit
    await user.open("/event/the-last-monsoon")
    await user.should_see(marker="not-found", retries=50)
