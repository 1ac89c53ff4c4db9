"""Several instances in sync: the hub's per-seat versions, the re-reading sync, and the Redis channel.

Service tests: "another instance" is a second set of services on the same tables (its own hub); the
channel runs on a real redis-server that the test starts, stops and starts again."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis

from main import build_services
from services.booking.models import SeatState
from services.container import Services
from services.live.channel import RedisChannel
from services.live.hub import LiveHub, SeatChange
from services.live.sync import LiveSync
from services.settings import Settings
from tests.conftest import fake_clock
from tests.redis_server import RedisServer

HELD, SOLD, FREE = SeatState.HELD, SeatState.SOLD, SeatState.AVAILABLE


def wait_for(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Patience for another thread (not a speed limit)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "gave up waiting"
        time.sleep(0.01)


def collect(hub: LiveHub, showtime_id: str) -> list[SeatChange]:
    got: list[SeatChange] = []
    hub.subscribe(showtime_id, lambda _s, changes: got.extend(changes))
    return got


# The hub's versions -------------------------------------------------------------------------------------
def test_a_read_that_began_before_a_change_here_never_rolls_that_seat_back() -> None:
    hub = LiveHub()
    got = collect(hub, "s1")
    hub.apply_read("s1", hub.begin_read(), {"A1": SeatChange("A1", FREE), "A2": SeatChange("A2", FREE)})
    got.clear()
    version = hub.begin_read()  # a read starts ...
    hub.publish("s1", [SeatChange("A1", HELD, "h-1")])  # ... a hold here commits and is shown ...
    # ... and the read, which did not see the hold, comes back later; it also saw A2 sold elsewhere.
    delivered = hub.apply_read("s1", version, {"A1": SeatChange("A1", FREE), "A2": SeatChange("A2", SOLD)})
    assert delivered == [SeatChange("A2", SOLD)]
    assert got == [SeatChange("A1", HELD, "h-1"), SeatChange("A2", SOLD)]
    # A read that began after the hold may say anything about A1: it is newer.
    assert hub.apply_read("s1", hub.begin_read(), {"A1": SeatChange("A1", HELD, "h-2"),
                                                  "A2": SeatChange("A2", SOLD)}) == [SeatChange("A1", HELD, "h-2")]


def test_the_first_read_tells_everything_and_later_reads_only_what_differs() -> None:
    hub = LiveHub()
    got = collect(hub, "s1")
    seats = {"A1": SeatChange("A1", FREE), "A2": SeatChange("A2", HELD, "h-9")}
    assert hub.apply_read("s1", hub.begin_read(), seats) == list(seats.values())
    assert hub.apply_read("s1", hub.begin_read(), seats) == []  # a repeat (a duplicate message): nothing new
    assert len(got) == 2
    assert hub.apply_read("unwatched", hub.begin_read(), seats) == []  # nobody here watches it


def test_the_hub_forgets_a_showtime_nobody_watches_and_starts_afresh() -> None:
    hub = LiveHub()
    got: list[SeatChange] = []
    stop = hub.subscribe("s1", lambda _s, changes: got.extend(changes))
    hub.apply_read("s1", hub.begin_read(), {"A1": SeatChange("A1", FREE)})
    stop()
    hub.subscribe("s1", lambda _s, changes: got.extend(changes))
    assert hub.apply_read("s1", hub.begin_read(), {"A1": SeatChange("A1", FREE)}) == [SeatChange("A1", FREE)]


def test_a_change_goes_to_the_channel_once_after_the_viewers_here() -> None:
    hub = LiveHub()
    order: list[str] = []
    sent: list[tuple[str, list[SeatChange]]] = []

    class Recorder:
        def send(self, showtime_id: str, changes: list[SeatChange]) -> bool:
            order.append("channel")
            sent.append((showtime_id, changes))
            return True

    hub.channel = Recorder()
    hub.subscribe("s1", lambda *_: order.append("viewer"))
    hub.publish("s1", [SeatChange("B1", SOLD)])
    hub.publish("s1", [])
    assert order == ["viewer", "channel"]
    assert sent == [("s1", [SeatChange("B1", SOLD)])]


# The sync, against the booking services ---------------------------------------------------------------
@pytest.fixture
def pair(small: Services, settings: Settings) -> tuple[Services, Services]:
    """This instance (``small``) and another one on the same tables."""
    return small, build_services(settings, small.aws, small.clock)


def test_a_hold_and_a_sale_on_another_instance_reach_this_instances_viewers(pair: tuple[Services, Services]) -> None:
    here, there = pair
    sync = LiveSync(here.inventory.live_states, here.live, resync_seconds=60)
    got = collect(here.live, "tiny-show")
    sync.sync_once("tiny-show")  # the baseline: every seat once
    assert {c.seat_id for c in got} >= {"A1", "A2"} and all(c.status == FREE for c in got)
    got.clear()
    hold = there.inventory.hold("tiny-show", ["A1", "A2"], "alice")
    assert got == []  # another process's hub: nothing reaches ours by itself
    assert sorted(sync.sync_once("tiny-show"), key=lambda c: c.seat_id) == [
        SeatChange("A1", HELD, hold.hold_id), SeatChange("A2", HELD, hold.hold_id)]
    there.inventory.release(hold.hold_id, "alice")
    bob = there.inventory.hold("tiny-show", ["A1"], "bob")  # A1 passes to another hold between two reads
    assert sorted(sync.sync_once("tiny-show"), key=lambda c: c.seat_id) == [
        SeatChange("A1", HELD, bob.hold_id), SeatChange("A2", FREE)]
    assert sync.sync_once("tiny-show") == []  # nothing new: nothing said


def test_an_expired_hold_reads_as_free(pair: tuple[Services, Services]) -> None:
    here, there = pair
    sync = LiveSync(here.inventory.live_states, here.live, resync_seconds=60)
    got = collect(here.live, "tiny-show")
    there.inventory.hold("tiny-show", ["B1"], "alice")
    sync.sync_once("tiny-show")
    assert SeatChange("B1", HELD) not in got and any(c.seat_id == "B1" and c.status == HELD for c in got)
    fake_clock(here).advance(minutes=here.settings.hold_minutes, seconds=1)
    assert sync.sync_once("tiny-show") == [SeatChange("B1", FREE)]


# The Redis channel --------------------------------------------------------------------------------------
@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path / "redis").start()
    yield server
    server.stop()


def test_two_instances_hear_each_other_over_redis_and_resync_after_it_restarts(
    pair: tuple[Services, Services], redis_server: RedisServer
) -> None:
    here, there = pair
    syncs, channels = [], []
    for services in (here, there):
        channel = RedisChannel(redis_server.url, services.settings.live_channel)
        sync = LiveSync(services.inventory.live_states, services.live, resync_seconds=600)
        services.live.channel, services.live.on_change = channel, sync.mark
        sync.start()
        channel.start(sync.on_message, sync.mark_watched)
        syncs.append(sync)
        channels.append(channel)
    try:
        for channel in channels:
            wait_for(channel.connected.is_set)
        seen_here = collect(here.live, "tiny-show")
        seen_there = collect(there.live, "tiny-show")
        hold = there.inventory.hold("tiny-show", ["C3"], "alice")
        wait_for(lambda: SeatChange("C3", HELD, hold.hold_id) in seen_here)
        bob = here.inventory.hold("tiny-show", ["C4"], "bob")
        wait_for(lambda: SeatChange("C4", HELD, bob.hold_id) in seen_there)

        redis_server.stop()  # the channel is gone: a change now reaches nobody else ...
        wait_for(lambda: not channels[0].connected.is_set())
        there.inventory.release(hold.hold_id, "alice")
        assert not channels[1].send("tiny-show", [SeatChange("C3", FREE)])  # said once, to nobody
        redis_server.start()  # ... until the channel is back, and every instance reads what it watches
        wait_for(lambda: SeatChange("C3", FREE) in seen_here, timeout=20)
    finally:
        for channel in channels:
            channel.stop()
        for sync in syncs:
            sync.stop()


def test_a_message_from_this_instance_or_in_a_strange_shape_is_not_news(redis_server: RedisServer) -> None:
    heard: list[str] = []
    connected = threading.Event()
    listener = RedisChannel(redis_server.url, "test-live")
    listener.start(lambda showtime_id, _changes: heard.append(showtime_id), connected.set)
    other = RedisChannel(redis_server.url, "test-live")
    other.start(lambda *_: None, lambda: None)
    stranger = redis.Redis.from_url(redis_server.url)
    try:
        wait_for(connected.is_set)
        wait_for(other.connected.is_set)
        listener.send("mine", [SeatChange("A1", SOLD)])
        stranger.publish("test-live", b"not json")
        stranger.publish("test-live", b'{"o": "x", "s": "s1", "c": [["A1", "nonsense", null]]}')
        assert other.send("theirs", [SeatChange("A1", SOLD)])
        wait_for(lambda: heard == ["theirs"])
    finally:
        listener.stop()
        other.stop()
        stranger.close()
