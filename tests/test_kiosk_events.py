"""Events at the kiosk (issue 17): today's performances at the kiosk's theater are listed like films; seated and
mixed ones sell their seats on the map, general-admission ones their standing tickets (tests/test_kiosk_standing.py
walks that journey)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta

import pytest
from nicegui.testing import User

from main import build_services
from services.accounts.users import User as Account
from services.clock import FakeClock, iso
from services.container import Services
from services.events.demo import DemoEvents
from services.events.models import Availability, TicketType
from services.kiosk.sales import StandingOffer
from services.platform.aws import connect
from services.platform.schema import SHOWTIMES
from services.settings import Settings
from tests.conftest import CATALOG_DIR, add_small_showtime, store_account
from tests.events_helpers import add_event, add_ga_show
from tests.kiosk_harness import app_with

ADMIN = Account("u-admin", "admin@example.com", "Admin", "admin", "")
STAGE = "prithvi-juhu-mumbai"  # a demo venue with one seated hall


def test_the_kiosk_lists_standing_mixed_and_seated_performances_with_the_standing_offer(small: Services) -> None:
    store_account(small.aws, ADMIN)
    add_event(small)
    add_ga_show(small, "gig-standing", capacity=2, starts_in=timedelta(hours=3))
    add_ga_show(small, "gig-mixed", admission="mixed", starts_in=timedelta(hours=4))
    add_small_showtime(small, "tiny-today", timedelta(hours=3))
    kiosk = small.kiosks.create(ADMIN, "tiny-theater", "Lobby").kiosk
    listed = {entry.movie.movie_id: [show.showtime_id for show in entry.shows]
              for entry in small.kiosk_sales.shows(kiosk)}
    assert listed["tiny-gig"] == ["gig-standing", "gig-mixed"]  # soonest first
    assert "tiny-today" in listed["tiny-movie"]  # the films are still there
    offer = small.kiosk_sales.standing_offer("gig-standing")
    assert (offer.from_price, offer.closed) == (50000, None)
    small.events.quotas.hold("gig-standing", {"standing": 2}, "web-a")  # capacity 2: all of it held elsewhere
    assert small.kiosk_sales.standing_offer("gig-standing").closed == Availability.SOLD_OUT


def test_the_standing_offer_says_why_nothing_can_be_bought(small: Services) -> None:
    """Not on sale yet (a type comes later: come back) is told apart from sold out and from sales ended."""
    add_event(small)
    now = small.clock.now()
    later = TicketType("later", "Later", 10, 40000, 4, on_sale_at=now + timedelta(hours=1), position=1)
    gone = TicketType("gone", "Gone", 10, 30000, 4, off_sale_at=now - timedelta(minutes=1), position=2)
    add_ga_show(small, "gig-later", starts_in=timedelta(hours=5), types=(later, gone))
    assert small.kiosk_sales.standing_offer("gig-later") == StandingOffer(None, Availability.NOT_YET)
    add_ga_show(small, "gig-over", starts_in=timedelta(hours=5), types=(gone,))
    assert small.kiosk_sales.standing_offer("gig-over") == StandingOffer(None, Availability.ENDED)


@pytest.fixture
def stage(app_env: Settings) -> Services:
    """The demo events, and a seated performance at the demo stage in two hours (on sale at the kiosk)."""
    services = build_services(app_env, connect(app_env), FakeClock(datetime.now(UTC).replace(microsecond=0)))
    store_account(services.aws, ADMIN)
    DemoEvents(services.aws, services.clock, CATALOG_DIR).load()
    starts_at = services.clock.now() + timedelta(hours=2)
    theater = services.catalog.theater(STAGE)
    hall = theater.screens[0]
    services.aws.table(SHOWTIMES).put_item(Item={
        "showtime_id": f"{STAGE}.{hall.screen_id}.kiosk-test", "movie_id": "the-ninth-monsoon-play",
        "listing": "event", "admission": "seated", "theater_id": STAGE, "screen_id": hall.screen_id,
        "city": theater.city, "timezone": theater.timezone, "starts_at": iso(starts_at),
        "ends_at": iso(starts_at + timedelta(hours=2)), "language": "Hindi", "format": "Live",
        "prices": hall.prices})
    services.catalog.invalidate()
    return services


@pytest.fixture
async def browsers(stage: Services) -> AsyncIterator[Callable[[], User]]:
    async with app_with(stage) as new_user:
        yield new_user


async def test_a_venue_kiosk_shows_todays_play_and_its_seat_map(browsers: Callable[[], User], stage: Services) -> None:
    user = browsers()
    created = stage.kiosks.create(ADMIN, STAGE, "Foyer")
    await user.open(f"/kiosk/pair/{created.pairing_code}")
    user.find(marker="pair").click()
    await user.should_see(marker="paired", retries=50)
    await user.open("/kiosk")
    await user.should_see(marker="touch-to-start", retries=50)
    await user.should_see("The Ninth Monsoon")
    user.find(marker="touch-to-start").click()
    await user.should_see(marker="movie-the-ninth-monsoon-play", retries=50)
    await user.should_see("Pick a show")  # not only movies to pick from here
    user.find(marker="movie-the-ninth-monsoon-play").trigger("click")
    await user.should_see("Pick a time", retries=50)
