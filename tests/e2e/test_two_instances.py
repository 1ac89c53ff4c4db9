"""Two app instances in sync, in real Chromium: the test starts a redis-server, the shared embedded backend
(``python main.py backend``) and two apps on it with ``MOVIEMAGIC_REDIS_URL``, and puts a browser on each.

A hold on A shows on B; a sale on B shows on A; a seat whose hold expires and is taken by someone else
straight away is never shown as the first holder's (nor flips back afterwards); an instance that restarts
brings its browsers' maps up to date; a login and the seats held survive moving to the other instance.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import requests
from playwright.sync_api import BrowserContext, Page, expect

from services.clock import iso
from services.platform.aws import connect
from services.platform.schema import HOLDS, SEATS
from services.settings import Settings
from tests.e2e.app_process import RunningApp, start_app, start_backend
from tests.e2e.test_seatmap_live import expect_state, open_map, pay, register, seat
from tests.redis_server import RedisServer

API = "/api/v1"
PASSWORD = "correct horse"


class Cluster:
    """The shared pieces and the two instances (A and B)."""

    def __init__(self, root: Path) -> None:
        self.data = root / "data"  # one data dir: the backend's, and the apps' shared secrets
        self.redis = RedisServer(root / "redis").start()
        self.backend = start_backend(self.data)
        self.apps: list[RunningApp] = []
        for _ in range(2):
            self.apps.append(self.start_instance())

    def start_instance(self, port: int | None = None) -> RunningApp:
        at = {"port": str(port)} if port else {}
        # Seats are picked one by one across two browsers; the single-seat rule has its own tests.
        return start_app(self.data, endpoint_url=self.backend.url, redis_url=self.redis.url,
                         single_seat_rule="false", **at)

    def restart(self, index: int) -> RunningApp:
        old = self.apps[index]
        old.stop()
        self.apps[index] = self.start_instance(int(old.url.rsplit(":", 1)[1]))
        return self.apps[index]

    def stop(self) -> None:
        for app in self.apps:
            app.stop()
        self.backend.stop()
        self.redis.stop()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    cluster = Cluster(tmp_path_factory.mktemp("two-instances"))
    yield cluster
    cluster.stop()


@pytest.fixture(scope="module")
def showtime_id() -> str:
    """Tomorrow evening's show in the demo's grand hall (rows up to W)."""
    tomorrow = (datetime.now(ZoneInfo("Asia/Kolkata")) + timedelta(days=1)).strftime("%Y%m%d")
    return f"lumiere-bandra-mumbai.audi-1.{tomorrow}.1915"


def api_hold(app: RunningApp, showtime_id: str, seats: list[str]) -> dict[str, Any]:
    """Someone else, through the API of ``app``, registers and holds ``seats``."""
    email = f"api.{uuid.uuid4().hex[:6]}@example.com"
    http = requests.Session()
    response = http.post(f"{app.url}{API}/auth/register", json={"name": "Api Buyer", "email": email,
                                                                "password": PASSWORD}, timeout=30)
    assert response.status_code == 201, response.text
    token = http.post(f"{app.url}{API}/auth/login", json={"email": email, "password": PASSWORD}, timeout=30)
    auth = {"Authorization": f"Bearer {token.json()['access_token']}"}
    hold = http.post(f"{app.url}{API}/showtimes/{showtime_id}/holds", json={"seat_ids": seats}, headers=auth,
                     timeout=30)
    assert hold.status_code == 201, hold.text
    return dict(hold.json())


def record_states(page: Page, seat_id: str) -> None:
    """Keep every state the seat is shown in (its st-* class), in order, in window.__states."""
    seat(page, seat_id).evaluate("""element => {
        const state = () => (element.className.match(/\\bst-(\\w)\\b/) || [])[1];
        window.__states = [state()];
        new MutationObserver(() => {
            const now = state();
            if (now !== window.__states[window.__states.length - 1]) window.__states.push(now);
        }).observe(element, {attributes: true, attributeFilter: ['class']});
    }""")


def test_a_hold_on_a_shows_on_b_and_a_sale_on_b_shows_on_a(
    cluster: Cluster, showtime_id: str, contexts: Callable[..., BrowserContext]
) -> None:
    a, b = cluster.apps
    alice, bob = contexts().new_page(), contexts().new_page()
    register(alice, a, "Alice")
    register(bob, b, "Bob")
    open_map(alice, a, showtime_id)
    open_map(bob, b, showtime_id)

    seat(alice, "W10").click()
    expect_state(alice, "W10", "m")
    expect_state(bob, "W10", "h")  # held on A, shown on B

    seat(bob, "W12").click()
    expect_state(bob, "W12", "m")
    expect_state(alice, "W12", "h")
    bob.get_by_role("button", name=re.compile("Proceed to pay")).click()
    expect(bob.get_by_text("Checkout")).to_be_visible()
    pay(bob)
    expect(bob.get_by_text("You're all set!")).to_be_visible(timeout=15_000)
    expect_state(alice, "W12", "s")  # sold on B, shown on A
    expect_state(alice, "W10", "m")


def test_a_seat_passing_straight_from_one_hold_to_another_is_never_shown_wrong(
    cluster: Cluster, showtime_id: str, contexts: Callable[..., BrowserContext]
) -> None:
    a, b = cluster.apps
    alice, viewer = contexts().new_page(), contexts().new_page()
    register(alice, a, "Asha")
    open_map(alice, a, showtime_id)
    open_map(viewer, b, showtime_id)
    seat(alice, "V20").click()
    expect_state(alice, "V20", "m")
    expect_state(viewer, "V20", "h")
    record_states(alice, "V20")
    record_states(viewer, "V20")
    # Alice's hold runs out and, through B, someone else takes the seat at once (an expired hold counts as
    # free): the seat goes from one hold to another, perhaps without ever being free in between.
    rewind(cluster, showtime_id, "V20")
    other = api_hold(b, showtime_id, ["V20"])
    assert other["seat_ids"] == ["V20"]
    expect_state(alice, "V20", "h")  # not "mine" any more: someone else's
    expect(alice.get_by_text("has ended")).to_be_visible()
    expect_state(viewer, "V20", "h")
    # Let every instance's sync and sweeper run a few more rounds, then look at what each map went through.
    alice.wait_for_timeout(2500)
    for page, first in ((alice, "m"), (viewer, "h")):
        states = page.evaluate("window.__states")
        assert states[0] == first and states[-1] == "h", states
        assert "m" not in states[states.index("h"):], f"shown as the old hold's again: {states}"
        # Free in between is true only if the sweeper freed it before the new hold; never after it.
        assert states in (["m", "h"], ["m", "a", "h"], ["h"], ["h", "a", "h"]), states


def rewind(cluster: Cluster, showtime_id: str, seat_id: str) -> None:
    """Make a hold look 2 minutes past its expiry, straight in the shared backend (instead of waiting)."""
    aws = connect(Settings(backend="embedded", table_prefix="moviemagic-", endpoint_url=cluster.backend.url))
    past = iso(datetime.now(UTC) - timedelta(minutes=2))
    key = {"showtime_id": showtime_id, "seat_id": seat_id}
    hold_id = aws.table(SEATS).get_item(Key=key)["Item"]["hold_id"]
    aws.table(SEATS).update_item(Key=key, UpdateExpression="SET expires_at = :past",
                                 ExpressionAttributeValues={":past": past})
    aws.table(HOLDS).update_item(Key={"hold_id": hold_id}, UpdateExpression="SET expires_at = :past",
                                 ExpressionAttributeValues={":past": past})


def test_a_restarted_instance_brings_its_browsers_up_to_date(
    cluster: Cluster, showtime_id: str, contexts: Callable[..., BrowserContext]
) -> None:
    a, b = cluster.apps
    carol, dev = contexts().new_page(), contexts().new_page()
    register(carol, a, "Carol")
    register(dev, b, "Dev")
    open_map(carol, a, showtime_id)
    open_map(dev, b, showtime_id)
    expect_state(dev, "U5", "a")
    b.stop()  # B goes away with Dev's map open ...
    seat(carol, "U5").click()  # ... meanwhile a hold on A: B is not there to hear it
    expect_state(carol, "U5", "m")
    cluster.restart(1)  # B is back on the same address; Dev's browser reconnects to the new process
    expect_state(dev, "U5", "h", timeout=30_000)
    expect(dev.get_by_role("button", name="Account menu")).to_be_visible()  # still logged in
    seat(dev, "U6").click()  # and the map is live again both ways
    expect_state(dev, "U6", "m")
    expect_state(carol, "U6", "h")


def test_a_login_and_its_held_seats_survive_a_switch_of_instance(
    cluster: Cluster, showtime_id: str, contexts: Callable[..., BrowserContext]
) -> None:
    a, b = cluster.apps
    page = contexts().new_page()
    register(page, a, "Esha")
    open_map(page, a, showtime_id)
    seat(page, "T7").click()
    expect_state(page, "T7", "m")
    # The load balancer moves her to B (same site, same cookie; only the server changes).
    open_map(page, b, showtime_id)
    expect(page.get_by_role("button", name="Account menu")).to_be_visible()
    expect_state(page, "T7", "m")  # her seats, as hers
    expect(page.locator(".mm-summary")).to_contain_text("T7")
