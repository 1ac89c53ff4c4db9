"""Holds that respect people, on the seat page (NiceGUI user simulation): best seats asks before replacing
picked seats and never claims the hold ended; the last-minute warning offers the one extension; the seats
go back on sale when the page goes away (not on the way to checkout). Chromium runs the real countdown and a
real closed tab in tests/e2e/test_holds_e2e.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from nicegui.testing import User

from components.hold_timer import HoldTimer
from main import build_services
from services.clock import iso
from services.container import Services
from services.platform.aws import connect
from services.platform.schema import HOLDS, SEATS
from services.settings import Settings
from tests.test_flow_booking import log_in, open_show, pick, until

pytestmark = pytest.mark.usefixtures("app_env")


@pytest.fixture
def backstage(app_env: Settings) -> Services:
    """Services on the app's tables: the test's own eyes (as in tests/test_flow_booking.py)."""
    return build_services(app_env, connect(app_env))


def shorten(backstage: Services, showtime_id: str, seat_ids: list[str], seconds: int) -> None:
    """Leave the hold on these seats ``seconds`` to live, straight in the tables (instead of waiting)."""
    soon = iso(datetime.now(UTC) + timedelta(seconds=seconds))
    seats = backstage.aws.table(SEATS)
    hold_ids = set()
    for seat_id in seat_ids:
        key = {"showtime_id": showtime_id, "seat_id": seat_id}
        hold_ids.add(seats.get_item(Key=key)["Item"]["hold_id"])
        seats.update_item(Key=key, UpdateExpression="SET expires_at = :soon", ExpressionAttributeValues={":soon": soon})
    for hold_id in hold_ids:
        backstage.aws.table(HOLDS).update_item(Key={"hold_id": hold_id}, UpdateExpression="SET expires_at = :soon",
                                               ExpressionAttributeValues={":soon": soon})


async def test_best_seats_asks_before_replacing_and_never_claims_the_hold_ended(
        user: User, backstage: Services, show: str) -> None:
    await log_in(user, backstage)
    grid = await open_show(user, show)
    pick(user, "A1")
    await until(lambda: grid.mine == ["A1"])
    user.find(marker="best-3").click()
    await user.should_see(marker="replace-seats")
    await user.should_see("You picked A1.")
    user.find(marker="keep-seats").click()
    await user.should_not_see(marker="replace-seats")
    assert grid.mine == ["A1"]
    user.find(marker="best-3").click()
    await user.should_see(marker="replace-seats")
    user.find(marker="use-best-seats").click()
    await until(lambda: len(grid.mine) == 3 and "A1" not in grid.mine)
    held = {s.seat_id for s in backstage.inventory.seat_map(show).seats if s.status == "held"}
    assert held == set(grid.mine)
    await user.should_not_see("has ended")


async def test_the_last_minute_warning_offers_one_extension(user: User, backstage: Services, show: str) -> None:
    account = await log_in(user, backstage)
    grid = await open_show(user, show)
    pick(user, "C5")
    await until(lambda: grid.mine == ["C5"])
    shorten(backstage, show, ["C5"], 45)
    await user.should_not_see(marker="hold-warning")
    timer = next(e for e in user.find(kind=HoldTimer).elements if isinstance(e, HoldTimer) and e.warn_at)
    user.find(kind=HoldTimer).trigger("warn")  # what the browser's countdown says entering its last minute
    await user.should_see("Your seats are held for less than a minute.")
    user.find(marker="extend-hold").click()
    await until(lambda: backstage.inventory.active_hold(show, account.user_id) is not None
                and backstage.inventory.active_hold(show, account.user_id).extended)  # type: ignore[union-attr]
    hold = backstage.inventory.active_hold(show, account.user_id)
    assert hold is not None and (hold.expires_at - datetime.now(UTC)).total_seconds() > 4 * 60
    await user.should_not_see(marker="hold-warning")
    assert timer.seconds > 4 * 60
    user.find(kind=HoldTimer).trigger("warn")  # the new countdown's last minute: no second extension
    await user.should_see("You have had your extra time. Please finish your booking.")
