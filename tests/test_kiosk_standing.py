"""Standing (general-admission) tickets at the kiosk, through NiceGUI's simulated user on the real services (moto)
with a fake clock: a walk-up purchase counted against the quota with one code per ticket, refusals (over the limit,
sold out) that hold nothing, a sold-out performance marked on the time screen, and the idle reset giving the held
tickets back."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from datetime import timedelta

import pytest
from nicegui import app, ui
from nicegui.testing import User

from pages.kiosk.controller import CREDENTIAL_KEY, VISIT_KEY
from services.clock import FakeClock, iso
from services.container import Services
from services.events.demo import DemoEvents
from services.events.models import TicketType
from services.formatting import format_money
from services.platform import dynamo
from services.platform.schema import SHOWTIMES
from services.settings import Settings
from tests.conftest import CATALOG_DIR
from tests.events_helpers import add_event, counters
from tests.kiosk_harness import ADMIN, app_with, kiosk_clock, kiosk_services, until

VENUE = "habitat-khar-mumbai"  # a demo venue without halls: standing only
GIG = "kiosk-gig"
SHOW = f"{VENUE}.kiosk-gig"


@pytest.fixture
def kclock() -> FakeClock:
    return kiosk_clock()


@pytest.fixture
def ksvc(app_env: Settings, kclock: FakeClock) -> Services:
    services = kiosk_services(app_env, kclock)
    DemoEvents(services.aws, services.clock, CATALOG_DIR).load()  # the venue
    return services


def standing_show(services: Services, capacity: int, limit: int) -> None:
    """A general-admission performance of a gig at the venue in two hours: "Standing" at ₹500."""
    add_event(services, GIG, "Kiosk Gig")
    theater = services.catalog.theater(VENUE)
    starts_at = services.clock.now() + timedelta(hours=2)
    services.aws.table(SHOWTIMES).put_item(Item={
        "showtime_id": SHOW, "movie_id": GIG, "listing": "event", "admission": "general", "theater_id": VENUE,
        "screen_id": "", "city": theater.city, "timezone": theater.timezone, "starts_at": iso(starts_at),
        "ends_at": iso(starts_at + timedelta(hours=2)), "language": "English", "format": "Live", "prices": {}})
    ticket = TicketType("standing", "Standing", capacity, 50000, limit, position=1)
    dynamo.transact_write(services.aws, [services.events.quotas.add_ticket_type_action(SHOW, ticket)])
    services.catalog.invalidate()


@pytest.fixture
async def browsers(ksvc: Services) -> AsyncIterator[Callable[[], User]]:
    async with app_with(ksvc) as new_user:
        yield new_user


def stored(user: User) -> set[str]:
    with user:
        return set(app.storage.user.keys())


async def to_standing(user: User, ksvc: Services) -> None:
    """Pair a kiosk at the venue and walk from the attract screen to the gig's quantity screen."""
    created = ksvc.kiosks.create(ADMIN, VENUE, "Door")
    await user.open(f"/kiosk/pair/{created.pairing_code}")
    user.find(marker="pair").click()
    await user.should_see(marker="paired", retries=50)
    await user.open("/kiosk")
    await user.should_see(marker="touch-to-start", retries=50)
    user.find(marker="touch-to-start").click()
    await user.should_see(marker=f"movie-{GIG}", retries=50)
    user.find(marker=f"movie-{GIG}").trigger("click")
    await user.should_see("Pick a time", retries=50)
    await user.should_see(f"from {format_money(50000, ksvc.settings.currency)}")
    user.find(marker=f"time-{SHOW}").click()
    await user.should_see(marker="standing-standing", retries=50)


def tap(user: User, marker: str, times: int = 1) -> None:
    for _ in range(times):
        user.find(marker=marker).click()


async def test_a_walk_up_standing_purchase_is_counted_and_shows_a_code_per_ticket(
        browsers: Callable[[], User], ksvc: Services) -> None:
    standing_show(ksvc, capacity=10, limit=4)
    user = browsers()
    await to_standing(user, ksvc)
    await user.should_see("Up to 4 per order · 10 left")
    tap(user, "plus-standing", 5)  # the fifth tap does nothing: four per order
    await user.should_see("4 tickets · " + format_money(200000, ksvc.settings.currency), retries=20)
    tap(user, "minus-standing", 2)
    await user.should_see("2 tickets · " + format_money(100000, ksvc.settings.currency), retries=20)
    tap(user, "standing-to-pay")
    await user.should_see(marker="terminal", retries=50)
    await user.should_see("2 × Standing")
    assert counters(ksvc, SHOW) == (10, 8, 2, 0)  # held while the customer pays
    tap(user, "demo-approve")
    await user.should_see(marker="ticket-done", retries=80)
    assert counters(ksvc, SHOW) == (10, 8, 0, 2)
    await user.should_see(marker="kiosk-ticket-code-1")
    await user.should_see(marker="kiosk-ticket-code-2")
    await user.should_see("Each code admits one entry: show them all at the entrance")
    await user.should_not_see(marker="kiosk-ticket-code-3")
    user.find(marker="ticket-finish").click()
    await user.should_see(marker="touch-to-start", retries=50)
    assert stored(user) == {CREDENTIAL_KEY}


async def test_over_the_limit_and_sold_out_are_refused_with_a_message_and_nothing_held(
        browsers: Callable[[], User], ksvc: Services) -> None:
    standing_show(ksvc, capacity=4, limit=4)
    user = browsers()
    await to_standing(user, ksvc)
    tap(user, "plus-standing", 3)
    await user.should_see("3 tickets", retries=20)
    quotas = ksvc.events.quotas
    current = quotas.ticket_types(SHOW)[0]  # staff lower the limit while the customer chooses
    lowered = quotas.update_ticket_type_action(SHOW, current, replace(current, per_order_limit=2))
    dynamo.transact_write(ksvc.aws, [lowered])
    tap(user, "standing-to-pay")
    await user.should_see("You can buy at most 2 Standing tickets in one order.", retries=50)
    await user.should_see("Up to 2 per order · 4 left")  # read afresh, the choice within it
    assert counters(ksvc, SHOW) == (4, 4, 0, 0)
    assert VISIT_KEY not in stored(user)
    quotas.hold(SHOW, {"standing": 2}, "web-a")  # web customers take three of the four meanwhile
    quotas.hold(SHOW, {"standing": 1}, "web-b")
    tap(user, "standing-to-pay")
    await user.should_see("Only 1 Standing ticket is left.", retries=50)
    await user.should_see("Up to 2 per order · 1 left")
    assert counters(ksvc, SHOW) == (4, 1, 3, 0)  # the kiosk holds nothing
    assert VISIT_KEY not in stored(user)
    quotas.hold(SHOW, {"standing": 1}, "web-c")
    tap(user, "kiosk-back")
    await user.should_see(marker="time-sold_out", retries=50)
    slot = next(iter(user.find(marker=f"time-{SHOW}").elements))
    assert isinstance(slot, ui.button) and not slot.enabled  # a sold-out time cannot be chosen


async def test_the_idle_reset_gives_the_held_standing_tickets_back(
        browsers: Callable[[], User], ksvc: Services, kclock: FakeClock) -> None:
    standing_show(ksvc, capacity=10, limit=4)
    user = browsers()
    await to_standing(user, ksvc)
    tap(user, "plus-standing", 3)
    await user.should_see("3 tickets", retries=20)
    tap(user, "standing-to-pay")
    await user.should_see(marker="demo-approve", retries=50)
    assert counters(ksvc, SHOW) == (10, 7, 3, 0)
    kclock.advance(seconds=ksvc.settings.kiosk_terminal_seconds + 1)  # no card: the terminal gives up
    await user.should_see("No card was presented.", retries=50)
    kclock.advance(seconds=ksvc.settings.kiosk_idle_seconds + ksvc.settings.kiosk_warning_seconds + 1)
    await user.should_see(marker="touch-to-start", retries=80)
    await until(lambda: counters(ksvc, SHOW) == (10, 10, 0, 0))
    await user.should_not_see(marker="standing-summary")
    assert stored(user) == {CREDENTIAL_KEY}


async def test_a_reload_releases_the_standing_tickets_held(browsers: Callable[[], User], ksvc: Services) -> None:
    standing_show(ksvc, capacity=10, limit=4)
    user = browsers()
    await to_standing(user, ksvc)
    tap(user, "plus-standing", 2)
    await user.should_see("2 tickets", retries=20)
    tap(user, "standing-to-pay")
    await user.should_see(marker="terminal", retries=50)
    tap(user, "kiosk-back")  # back to the quantities: the hold stays while the customer changes it
    await user.should_see(marker="standing-standing", retries=50)
    await user.should_see("2 tickets", retries=20)
    assert counters(ksvc, SHOW) == (10, 8, 2, 0)
    await user.open("/kiosk")
    await user.should_see(marker="touch-to-start", retries=50)
    await until(lambda: counters(ksvc, SHOW) == (10, 10, 0, 0))
