"""The in-process live hub: services publish seat changes of a showtime, open seat maps receive them.

Publishers are services running in worker threads; subscribers are seat grids. A callback is called in
the publisher's thread and must only hand the change over (e.g. to its event loop), never block.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from services.booking.models import SeatState

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SeatChange:
    seat_id: str
    status: SeatState  # never HELD_BY_YOU: whose hold it is travels as hold_id
    hold_id: str | None = None  # whose hold, so a viewer can tell "held by you" from "held by others"


Listener = Callable[[str, list[SeatChange]], None]


class LiveHub:
    def __init__(self) -> None:
        self._listeners: dict[str, set[Listener]] = {}
        self._lock = threading.Lock()

    def subscribe(self, showtime_id: str, listener: Listener) -> Callable[[], None]:
        """Start receiving changes of one showtime; returns the function that stops it."""
        with self._lock:
            self._listeners.setdefault(showtime_id, set()).add(listener)

        def unsubscribe() -> None:
            with self._lock:
                listeners = self._listeners.get(showtime_id)
                if listeners is not None:
                    listeners.discard(listener)
                    if not listeners:
                        del self._listeners[showtime_id]

        return unsubscribe

    def publish(self, showtime_id: str, changes: list[SeatChange]) -> None:
        if not changes:
            return
        with self._lock:
            listeners = list(self._listeners.get(showtime_id, ()))
        for listener in listeners:
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
