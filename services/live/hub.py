"""The in-process live hub: services publish seat changes of a showtime, open seat maps receive them.

Publishers are services running in worker threads; subscribers are seat grids. A callback is called in
the publisher's thread and must only hand the change over (e.g. to its event loop), never block.

Several instances (``services/live/sync.py``): every change published here also goes to the shared
channel, and what other instances changed comes back as fresh reads of the Seats partition
(``apply_read``). Each seat a viewer here can see carries a version: a number from one counter that a
local change takes when it is published (after its write committed) and a read takes when it starts. A
read only overwrites seats whose version is older than its own, so a read that started before a change
published here never rolls that seat back; a late or repeated channel message only causes another read.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from services.booking.models import SeatState

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SeatChange:
    seat_id: str
    status: SeatState  # never HELD_BY_YOU: whose hold it is travels as hold_id
    hold_id: str | None = None  # whose hold, so a viewer can tell "held by you" from "held by others"


Listener = Callable[[str, list[SeatChange]], None]


class Channel(Protocol):
    """Where this instance tells the others what it changed (``services/live/channel.py``)."""

    def send(self, showtime_id: str, changes: list[SeatChange]) -> bool: ...


class LiveHub:
    def __init__(self) -> None:
        self._listeners: dict[str, set[Listener]] = {}
        # Reentrant: a listener that finds its loop closed unsubscribes from inside a delivery.
        self._lock = threading.RLock()
        self._version = 0
        # What this instance's viewers were last told, per watched showtime: seat -> (change, version).
        self._known: dict[str, dict[str, tuple[SeatChange, int]]] = {}
        self._read_once: set[str] = set()  # showtimes whose every seat this instance has read at least once
        self.channel: Channel | None = None  # several instances: set by main.py
        self.on_change: Callable[[str], None] | None = None  # a showtime changed here or got its first viewer

    def subscribe(self, showtime_id: str, listener: Listener) -> Callable[[], None]:
        """Start receiving changes of one showtime; returns the function that stops it."""
        with self._lock:
            first = showtime_id not in self._listeners
            self._listeners.setdefault(showtime_id, set()).add(listener)
        if first and self.on_change is not None:
            self.on_change(showtime_id)  # a first viewer here: read the showtime so later reads have a baseline

        def unsubscribe() -> None:
            with self._lock:
                listeners = self._listeners.get(showtime_id)
                if listeners is not None:
                    listeners.discard(listener)
                    if not listeners:
                        del self._listeners[showtime_id]
                        self._known.pop(showtime_id, None)
                        self._read_once.discard(showtime_id)

        return unsubscribe

    def publish(self, showtime_id: str, changes: list[SeatChange]) -> None:
        """A change this instance made (its write has committed): to this instance's viewers, then to the
        other instances through the channel, once."""
        if not changes:
            return
        with self._lock:
            self._version += 1
            if showtime_id in self._listeners:
                known = self._known.setdefault(showtime_id, {})
                for change in changes:
                    known[change.seat_id] = (change, self._version)
            self._deliver(showtime_id, changes)
        if self.channel is not None:
            self.channel.send(showtime_id, changes)
        if self.on_change is not None:
            self.on_change(showtime_id)  # confirm by a read: two local writers may publish out of order

    def begin_read(self) -> int:
        """The version of a read of the Seats table that starts now (call just before reading)."""
        with self._lock:
            self._version += 1
            return self._version

    def apply_read(self, showtime_id: str, version: int, seats: dict[str, SeatChange]) -> list[SeatChange]:
        """A read of every seat of the showtime (``InventoryService.live_states``) that began at ``version``:
        tell this instance's viewers what differs from what they were told, except seats changed here
        since the read began. Returns the changes delivered."""
        with self._lock:
            if showtime_id not in self._listeners:
                return []
            first = showtime_id not in self._read_once
            self._read_once.add(showtime_id)
            known = self._known.setdefault(showtime_id, {})
            changes = []
            for seat_id, change in seats.items():
                seen = known.get(seat_id)
                if seen is not None and seen[1] > version:
                    continue  # changed here after this read began: the read may predate it
                if first or seen is None or seen[0] != change:
                    changes.append(change)
                known[seat_id] = (change, version)
            if changes:
                self._deliver(showtime_id, changes)
            return changes

    def _deliver(self, showtime_id: str, changes: list[SeatChange]) -> None:
        for listener in list(self._listeners.get(showtime_id, ())):
            try:
                listener(showtime_id, changes)
            except Exception:  # one broken viewer must not stop the others or the publisher
                logger.exception("live listener failed")

    def watched_showtimes(self) -> list[str]:
        with self._lock:
            return list(self._listeners)

    def listener_count(self, showtime_id: str | None = None) -> int:
        with self._lock:
            if showtime_id is not None:
                return len(self._listeners.get(showtime_id, ()))
            return sum(len(listeners) for listeners in self._listeners.values())
