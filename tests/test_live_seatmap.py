"""Live seat maps: the hub, the grids subscribed to it (and unsubscribed when their browser goes), the app's
expiry sweeper, and the optional poller for several instances."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from nicegui import Client
from nicegui.testing import User

from components.seat_grid import SeatGrid
from main import build_services
from services.booking.models import SeatState
from services.container import Services
from services.live.hub import LiveHub, SeatChange
from services.live.poller import LivePoller
from services.platform.aws import connect
from services.settings import Settings
from tests.conftest import fake_clock
from tests.test_flow_booking import grid_of, log_in, open_show, pick, rewind, until


@pytest.fixture
def backstage(app_env: Settings) -> Services:
    """Services of "another instance" on the app's tables (its hub is not the app's)."""
    return build_services(app_env, connect(app_env))


# The hub ----------------------------------------------------------------------------------------------
def test_hub_delivers_to_the_showtimes_listeners_until_they_unsubscribe() -> None:
    hub = LiveHub()
    got: list[tuple[str, list[SeatChange]]] = []
    stop = hub.subscribe("s1", lambda showtime_id, changes: got.append((showtime_id, changes)))
    hub.subscribe("s2", lambda *_: pytest.fail("another showtime's listener was called"))
    hub.publish("s1", [SeatChange("A1", SeatState.HELD, "h-1")])
    hub.publish("s1", [])  # nothing to say: nobody is called
    assert got == [("s1", [SeatChange("A1", SeatState.HELD, "h-1")])]
    assert sorted(hub.watched_showtimes()) == ["s1", "s2"]
    stop()
    stop()  # twice is harmless
    hub.publish("s1", [SeatChange("A1", SeatState.AVAILABLE)])
    assert len(got) == 1
    assert hub.watched_showtimes() == ["s2"] and hub.listener_count() == 1


def test_one_broken_listener_does_not_stop_the_others(caplog: pytest.LogCaptureFixture) -> None:
    hub = LiveHub()
    got: list[str] = []
    def broken(*_: object) -> None:
        raise ZeroDivisionError

    hub.subscribe("s1", broken)
    hub.subscribe("s1", lambda _s, changes: got.extend(c.seat_id for c in changes))
    hub.publish("s1", [SeatChange("B2", SeatState.SOLD)])
    assert got == ["B2"]
    assert "live listener failed" in caplog.text


def test_hub_is_safe_with_many_threads_subscribing_and_publishing() -> None:
    hub = LiveHub()
    received: list[int] = []
    lock = threading.Lock()

    def viewer(n: int) -> None:
        def note(_s: str, _changes: list[SeatChange]) -> None:
            with lock:
                received.append(n)

        stop = hub.subscribe("s", note)
        for _ in range(50):
            hub.publish("s", [SeatChange(f"A{n}", SeatState.HELD)])
        stop()

    threads = [threading.Thread(target=viewer, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert hub.listener_count() == 0 and hub.watched_showtimes() == []
    assert len(received) >= 20 * 50  # each viewer at least hears its own changes


# Grids in the app (NiceGUI's simulated users) --------------------------------------------------------------
@pytest.mark.usefixtures("app_env")
async def test_another_viewer_sees_a_hold_and_its_release_live(
    user: User, create_user, backstage: Services, show: str
) -> None:
    # Both log in before either opens the seat map. Simulated users share ``ui.navigate``: it belongs to the
    # user whose attributes were read last, and an open seat map's updates read its user's (NiceGUI's
    # outbox hook), so Bob's after-login redirect could land in Alice's browser.
    await log_in(user, backstage, "Alice")
    other: User = create_user()
    try:
        await log_in(other, backstage, "Bob")
    except AssertionError:  # Bob is logged in; only the redirect after it reached Alice's simulated browser
        await other.open("/")
        await other.should_see(marker="account-menu", retries=100)
    alice = await open_show(user, show)
    bob = await open_show(other, show)
    assert bob.code("A3") == "a"
    pick(user, "A3")
    await until(lambda: alice.code("A3") == "m")
    await until(lambda: bob.code("A3") == "h")  # no reload; how fast: bench/bench_seatmap.py
    pick(user, "A3")
    await until(lambda: alice.code("A3") == "a")
    await until(lambda: bob.code("A3") == "a")  # the other map follows the release too
    assert alice.mine == [] and bob.mine == []


def run_handlers(client: Client, handlers: list[Callable[..., Any]]) -> None:
    """What NiceGUI does when a tab's socket drops or reconnects: run the handlers registered with the
    public ``client.on_disconnect`` / ``on_connect``, the way it runs them (``safe_invoke``)."""
    for handler in list(handlers):
        client.safe_invoke(handler)


@pytest.mark.usefixtures("app_env")
async def test_a_disconnect_ends_the_subscription_and_a_reconnect_catches_up(
    user: User, backstage: Services, show: str
) -> None:
    grid = await open_show(user, show)
    hub = grid.hub
    assert hub is not None
    client = grid.client
    watching = hub.listener_count(show)
    assert grid.watching and watching >= 1
    run_handlers(client, client.disconnect_handlers)  # the browser's socket dropped
    assert not grid.watching and hub.listener_count(show) == watching - 1  # no leak while the tab is away
    backstage.inventory.hold(show, ["B5"], "someone-else")  # happens while this viewer is offline
    hub.publish(show, [SeatChange("B6", SeatState.SOLD)])  # and this is missed entirely
    assert grid.code("B6") == "a"
    run_handlers(client, client.connect_handlers)  # ... and came back
    await until(lambda: grid.watching and grid.code("B5") == "h")
    assert hub.listener_count(show) == watching
    client.delete()  # the tab is gone for good
    assert hub.listener_count(show) == watching - 1


@pytest.mark.usefixtures("app_env")
async def test_a_closed_tab_leaves_no_listener_behind(user: User, show: str) -> None:
    grids: list[SeatGrid] = []
    for _ in range(3):
        grids.append(await open_show(user, show))
    hub = grids[0].hub
    assert hub is not None
    assert hub.listener_count(show) >= 3
    for grid in grids:
        grid.client.delete()
    assert hub.listener_count(show) == 0


@pytest.mark.usefixtures("app_env")
async def test_an_expired_hold_turns_free_on_open_maps(user: User, backstage: Services, show: str) -> None:
    backstage.inventory.hold(show, ["C7"], "someone-else")
    grid = await open_show(user, show)
    assert grid.code("C7") == "h"
    rewind(backstage, show, ["C7"])
    await until(lambda: grid.code("C7") == "a", timeout=4.0)  # the app's sweeper runs every second


@pytest.mark.usefixtures("app_env")
async def test_my_own_expired_hold_clears_the_summary_and_says_so(user: User, backstage: Services, show: str) -> None:
    await log_in(user, backstage)
    grid = await open_show(user, show)
    pick(user, "C8")
    await until(lambda: grid.mine == ["C8"])
    rewind(backstage, show, ["C8"])
    await until(lambda: grid.mine == [], timeout=4.0)
    await user.should_see("has ended and the seats were released", retries=50)
    await user.should_see("Pick up to 10 seats on the map.")
    assert grid_of(user) is grid


# Several instances: the poller ------------------------------------------------------------------------------
def test_poller_carries_another_instances_changes_to_this_instances_viewers(
    small: Services, settings: Settings
) -> None:
    other_instance = build_services(settings, small.aws, small.clock)
    poller = LivePoller(small.inventory, small.live)
    got: list[SeatChange] = []
    small.live.subscribe("tiny-show", lambda _s, changes: got.extend(changes))
    assert poller.poll_once() == 0  # the first read is the baseline
    hold = other_instance.inventory.hold("tiny-show", ["A1", "A2"], "alice")  # instance B: our hub never hears
    assert got == []
    assert poller.poll_once() == 2
    assert sorted((c.seat_id, c.status) for c in got) == [("A1", "held"), ("A2", "held")]
    got.clear()
    other_instance.inventory.release(hold.hold_id, "alice")
    fake_clock(small).advance(seconds=1)
    assert poller.poll_once() == 2
    assert sorted((c.seat_id, c.status) for c in got) == [("A1", "available"), ("A2", "available")]
    assert poller.poll_once() == 0  # nothing new: nothing published


def test_poller_counts_expired_holds_as_free_and_forgets_unwatched_shows(small: Services) -> None:
    poller = LivePoller(small.inventory, small.live)
    got: list[SeatChange] = []
    stop = small.live.subscribe("tiny-show", lambda _s, changes: got.extend(changes))
    small.inventory.hold("tiny-show", ["B1"], "alice")
    poller.poll_once()
    fake_clock(small).advance(minutes=small.settings.hold_minutes, seconds=1)
    poller.poll_once()
    assert [(c.seat_id, c.status) for c in got] == [("B1", "held"), ("B1", "available")]
    stop()
    assert poller.poll_once() == 0 and poller._last == {}
