"""Holds that respect people, in real Chromium: the countdown's last-minute warning and its one extension,
and seats going back on sale when the customer closes the tab (not 8 minutes later), but not on the way
to checkout. Also the seat map's "accessible seats" filter."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import BrowserContext, expect

from services.clock import iso
from services.platform.aws import Aws, connect
from services.platform.schema import HOLDS, SEATS
from services.settings import Settings
from tests.e2e.conftest import RunningApp
from tests.e2e.test_seatmap_live import expect_state, open_map, register, seat


@pytest.fixture(scope="module")
def holds_app(app_factory: Callable[..., RunningApp]) -> RunningApp:
    """An app of its own (this module shortens holds in its tables), with the seat rules as the product has them."""
    return app_factory(single_seat_rule="true")


@pytest.fixture(scope="module")
def show() -> str:
    """Tomorrow evening's show in the demo's lounge (84 seats)."""
    tomorrow = (datetime.now(ZoneInfo("Asia/Kolkata")) + timedelta(days=1)).strftime("%Y%m%d")
    return f"lumiere-bandra-mumbai.audi-3.{tomorrow}.1800"


def tables(app: RunningApp) -> Aws:
    match = re.search(r"event=embedded.started endpoint=(\S+)", app.log())
    assert match, "the embedded backend logs its endpoint"
    return connect(Settings(backend="embedded", table_prefix="moviemagic-"), match.group(1))


def seat_item(app: RunningApp, show: str, seat_id: str) -> dict[str, Any] | None:
    return tables(app).table(SEATS).get_item(Key={"showtime_id": show, "seat_id": seat_id}, ConsistentRead=True
                                             ).get("Item")


def shorten(app: RunningApp, show: str, seat_id: str, seconds: int) -> None:
    """Leave the hold on this seat ``seconds`` to live (instead of waiting 7 minutes)."""
    aws = tables(app)
    soon = iso(datetime.now(UTC) + timedelta(seconds=seconds))
    item = seat_item(app, show, seat_id)
    assert item is not None
    aws.table(SEATS).update_item(Key={"showtime_id": show, "seat_id": seat_id},
                                 UpdateExpression="SET expires_at = :soon", ExpressionAttributeValues={":soon": soon})
    aws.table(HOLDS).update_item(Key={"hold_id": item["hold_id"]}, UpdateExpression="SET expires_at = :soon",
                                 ExpressionAttributeValues={":soon": soon})


def test_the_last_minute_warning_and_one_extension(holds_app: RunningApp, show: str,
                                                   contexts: Callable[..., BrowserContext]) -> None:
    page = contexts().new_page()
    register(page, holds_app, "Esha")
    open_map(page, holds_app, show)
    # The "accessible seats" filter highlights the wheelchair spaces and companion seats, and lets go again.
    toggle = page.get_by_role("button", name="Accessible seats")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".sg.sg-acc-only")).to_have_count(1)
    assert page.locator(".sg-seat.acc").count() == 8  # C1, C2, C15, C16, F1, F2, F11, F12 in the lounge
    toggle.click()
    expect(page.locator(".sg.sg-acc-only")).to_have_count(0)
    seat(page, "B5").click()
    expect_state(page, "B5", "m")
    shorten(holds_app, show, "B5", 68)
    seat(page, "B6").click()  # the hold grows; its countdown restarts from the (shortened) expiry
    expect_state(page, "B6", "m")
    warning = page.locator(".mm-summary [role=alert]")
    expect(warning).to_contain_text("less than a minute", timeout=30_000)
    page.get_by_role("button", name="Keep them 4 more minutes").click()
    expect(warning).to_be_hidden(timeout=15_000)
    expect(page.locator(".mm-summary .mm-hold-timer").first).to_have_text(re.compile(r"[45]:\d\d"),
                                                                           timeout=15_000)
    item = seat_item(holds_app, show, "B5")
    assert item is not None and item["expires_at"] > iso(datetime.now(UTC) + timedelta(minutes=4))


def test_closing_the_tab_releases_the_seats_but_checkout_keeps_them(holds_app: RunningApp, show: str,
                                                                    contexts: Callable[..., BrowserContext]) -> None:
    context = contexts()
    page = context.new_page()
    register(page, holds_app, "Farah")
    open_map(page, holds_app, show)
    seat(page, "A3").click()
    expect_state(page, "A3", "m")
    page.close()  # the customer closes the tab
    deadline = time.monotonic() + 30  # NiceGUI lets a closed page reconnect for a few seconds first
    while seat_item(holds_app, show, "A3") is not None:
        assert time.monotonic() < deadline, "the seat was not released after the tab closed"
        time.sleep(0.3)

    page = context.new_page()
    open_map(page, holds_app, show)
    seat(page, "A12").click()
    expect_state(page, "A12", "m")
    page.get_by_role("button", name=re.compile(r"^Proceed to pay")).click()
    expect(page).to_have_url(re.compile(r"/checkout/"))
    time.sleep(8)  # longer than NiceGUI keeps the show page's client after the browser left it
    item = seat_item(holds_app, show, "A12")
    assert item is not None and item["status"] == "held"
