"""Keeps this instance's seat maps in step with what every instance changed (several instances).

A showtime is marked when another instance says it changed it (the channel), when this instance changed it
(two local writers may publish out of order), when it gets its first viewer here, when the channel
(re)connects, and every ``resync_seconds`` as a safety net for a lost message. One worker thread then reads
each marked showtime once (a strongly consistent Query of its Seats partition: newer than the write that
caused the mark) and hands the read to the hub, which tells viewers only what differs and never lets an
older read overwrite a newer change (``LiveHub.apply_read``). Marks that arrive during a read cause one
more read after it, so a burst of changes costs a few reads, not one per change.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from services.live.hub import LiveHub, SeatChange
from services.platform.logs import log_event

ReadSeats = Callable[[str], dict[str, SeatChange]]
_RETRY_SECONDS = 0.5  # after a failed read (backend busy or down): the showtime stays marked


class LiveSync:
    def __init__(self, read: ReadSeats, hub: LiveHub, resync_seconds: float) -> None:
        self._read = read
        self._hub = hub
        self._resync_seconds = resync_seconds
        self._marked: set[str] = set()
        self._wake = threading.Condition()
        self._stopping = False
        self._thread: threading.Thread | None = None
        self.reads = 0  # how many reads so far (for benches and tests)

    def mark(self, showtime_id: str) -> None:
        with self._wake:
            self._marked.add(showtime_id)
            self._wake.notify()

    def mark_watched(self) -> None:
        for showtime_id in self._hub.watched_showtimes():
            self.mark(showtime_id)

    def on_message(self, showtime_id: str, _changes: list[SeatChange]) -> None:
        """Another instance changed this showtime: read it, if anyone here watches it."""
        if self._hub.listener_count(showtime_id):
            self.mark(showtime_id)

    def sync_once(self, showtime_id: str) -> list[SeatChange]:
        """Read one showtime and tell this instance's viewers what changed (what the worker does)."""
        version = self._hub.begin_read()
        seats = self._read(showtime_id)
        self.reads += 1
        return self._hub.apply_read(showtime_id, version, seats)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="live-sync", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        with self._wake:
            self._stopping = True
            self._wake.notify()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _run(self) -> None:
        next_resync = time.monotonic() + self._resync_seconds
        while True:
            with self._wake:
                while not self._marked and not self._stopping:
                    remaining = next_resync - time.monotonic()
                    if remaining <= 0:
                        break
                    self._wake.wait(remaining)
                if self._stopping:
                    return
                marked, self._marked = self._marked, set()
            if time.monotonic() >= next_resync:
                marked |= set(self._hub.watched_showtimes())
                next_resync = time.monotonic() + self._resync_seconds
            for showtime_id in marked:
                if not self._hub.listener_count(showtime_id):
                    continue  # nobody here watches it (any more)
                try:
                    self.sync_once(showtime_id)
                except Exception as exc:  # a bad moment must not stop the other showtimes or the next round
                    log_event("live.sync_read_failed", showtime_id=showtime_id, error=type(exc).__name__)
                    with self._wake:
                        self._marked.add(showtime_id)
                    time.sleep(_RETRY_SECONDS)
