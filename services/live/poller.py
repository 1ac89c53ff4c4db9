"""Live seat maps across several app instances (DESIGN.md §4): poll what this process's viewers watch.

The LiveHub is in-process, so a hold made through instance A never reaches a map served by instance B.
With ``live_poller`` on, each process reads the Seats partition of every showtime its viewers watch,
every ``live_poll_seconds`` (one Query per showtime per process, not per viewer), and publishes what
changed since its last read to its own hub. Repeats of changes the hub already carried are harmless:
a grid ignores a change to the state it already shows.
"""

from __future__ import annotations

from services.booking.inventory import InventoryService
from services.booking.models import SeatState
from services.live.hub import LiveHub, SeatChange
from services.platform.logs import log_event

# Everything else shows as available.
_PUBLISHED = {SeatState.HELD: SeatState.HELD, SeatState.HELD_BY_YOU: SeatState.HELD, SeatState.SOLD: SeatState.SOLD}


class LivePoller:
    def __init__(self, inventory: InventoryService, hub: LiveHub) -> None:
        self._inventory = inventory
        self._hub = hub
        self._last: dict[str, dict[str, SeatState]] = {}

    def poll_once(self) -> int:
        """Read each watched showtime once and publish its changes; returns how many seats changed."""
        watched = self._hub.watched_showtimes()
        for gone in set(self._last) - set(watched):
            del self._last[gone]  # nobody here watches it any more
        changed = 0
        for showtime_id in watched:
            try:
                seat_map = self._inventory.seat_map(showtime_id)
            except Exception as exc:  # a bad moment must not stop the other showtimes or the next round
                log_event("live_poller.read_failed", showtime_id=showtime_id, error=type(exc).__name__)
                continue
            now = {s.seat_id: _PUBLISHED[s.status] for s in seat_map.seats if s.status in _PUBLISHED}
            before = self._last.get(showtime_id)
            self._last[showtime_id] = now
            if before is None:
                continue  # the first read is the baseline: a new viewer's map was read just now anyway
            changes = [SeatChange(seat_id, status) for seat_id, status in now.items() if before.get(seat_id) != status]
            changes += [SeatChange(seat_id, SeatState.AVAILABLE) for seat_id in before if seat_id not in now]
            if changes:
                self._hub.publish(showtime_id, changes)
                changed += len(changes)
        return changed
