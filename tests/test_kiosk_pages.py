"""The kiosk through NiceGUI's simulated user on the real services (moto) with a fake clock: pairing, a
walk-up purchase, idle reset, decline and cancel, reload, staff corner, revocation, out of order."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime

import pytest
from nicegui.testing import User

from components.seat_grid import SeatGrid
from main import build_services
from services.accounts.users import User as Account
from services.clock import FakeClock
from services.container import Services
from services.kiosk.kiosks import NewKiosk
from services.platform.aws import connect
from services.settings import Settings
from tests.kiosk_harness import app_with, until

ADMIN = Account("u-admin", "admin@example.com", "Admin", "admin", "")
THEATER = "lumiere-bandra-mumbai"


@pytest.fixture
def kclock() -> FakeClock:
    return FakeClock(datetime.now(UTC).replace(microsecond=0))


@pytest.fixture
def ksvc(app_env: Settings, kclock: FakeClock) -> Services:
    return build_services(app_env, connect(app_env), kclock)


@pytest.fixture
async def browsers(ksvc: Services) -> AsyncIterator[Callable[[], User]]:
    async with app_with(ksvc) as new_user:
        yield new_user


async def paired(user: User, ksvc: Services, pin: bool = False) -> NewKiosk:
    created = ksvc.kiosks.create(ADMIN, THEATER, "Lobby left")
    await user.open(f"/kiosk/pair/{created.pairing_code}")
    user.find(marker="pair").click()
    await user.should_see(marker="paired", retries=50)
    return created


def grid_of(user: User) -> SeatGrid:
    return next(iter(user.find(marker="seat-grid").elements))  # type: ignore[return-value]


def specific(user: User, generic: str) -> str:
    """The own marker of one element marked ``generic`` (e.g. one film among the movie tiles)."""
    element = next(iter(user.find(marker=generic).elements))
    return next(m for m in element._markers if m != generic)  # noqa: SLF001


async def to_seats(user: User, count: int = 2) -> SeatGrid:
    await user.open("/kiosk")
    await user.should_see(marker="touch-to-start", retries=50)
    user.find(marker="touch-to-start").click()
    await user.should_see(marker="page-title", retries=50)
    user.find(marker=specific(user, "movie-tile")).trigger("click")
    await user.should_see("Pick a time", retries=50)
    user.find(marker=specific(user, "time-slot")).click()
    await user.should_see("How many tickets?", retries=50)
    user.find(marker=f"count-{count}").click()
    await user.should_see(marker="seat-grid", retries=50)
    grid = grid_of(user)
    await until(lambda: len(grid.mine) == count)
    return grid


async def test_a_walk_up_purchase_from_attract_to_ticket(browsers: Callable[[], User], ksvc: Services) -> None:
    user = browsers()
    created = await paired(user, ksvc)
    grid = await to_seats(user)
    seats = list(grid.mine)
    showtime_id = grid.showtime_id
    user.find(marker="to-pay").click()
    await user.should_see(marker="terminal", retries=50)
    await user.should_see("Tap, insert or swipe your card")
    user.find(marker="demo-approve").click()
    await user.should_see(marker="ticket-done", retries=80)
    sold = {s.seat_id for s in ksvc.inventory.seat_map(showtime_id).seats if s.status == "sold"}
    assert set(seats) <= sold
    kiosk = ksvc.kiosks.get(created.kiosk.kiosk_id)
    assert kiosk.last_sale_booking_id
    user.find(marker="ticket-finish").click()
    await user.should_see(marker="touch-to-start", retries=50)
    user.should_not_see(marker="ticket-done")
