"""The live seat map: ONE custom element (``seat_grid.js``) that draws a whole hall and then takes diffs.

The layout goes to the browser once, as a compact prop (one pattern string per row, not an object per
seat); afterwards only changed seats travel, as ``applyChanges([[seat_id, code], ...])`` through
``run_method`` (never ``update()``, which would re-send the layout). Codes: ``a`` available, ``m`` mine,
``p`` pending (browser only), ``h`` held by someone else, ``s`` sold, ``b`` blocked.

Each grid subscribes to the LiveHub when it is created. The hub calls back in the publisher's thread, so
the listener only hops onto the event loop (``call_soon_threadsafe``). The subscription ends when the
browser disconnects and comes back (with a fresh read of the hall) if the same client reconnects.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from itertools import groupby
from pathlib import Path
from typing import Any

from nicegui import events, ui

from services.booking.models import SeatMap, SeatState
from services.catalog.layouts import Layout
from services.formatting import format_money
from services.i18n import t
from services.live.hub import LiveHub, SeatChange

CSS = Path(__file__).with_name("seat_grid.css")
# SeatState -> the one-letter code seat_grid.js speaks (``p`` pending is the browser's own).
STATE_CODES = {SeatState.AVAILABLE: "a", SeatState.HELD: "h", SeatState.HELD_BY_YOU: "m", SeatState.SOLD: "s",
               SeatState.BLOCKED: "b"}
_KIND_CHARS = {"standard": "s", "wheelchair": "w", "companion": "c"}
logger = logging.getLogger(__name__)

PickHandler = Callable[[str, str], Awaitable[None] | None]


def layout_payload(layout: Layout, prices: dict[str, int], currency: str) -> dict[str, Any]:
    """The hall in a few kilobytes: per row ``[label, grid_row, category, pattern, ids | None, cats | None]``.

    ``pattern`` has one char per grid column (s, w, c, x = blocked, _ = gap). Seat ids are ``label + n``
    (n counted left to right) unless the row lists them; categories are per row unless it lists them."""
    cat_index = {category.code: i for i, category in enumerate(layout.categories)}
    cats = [
        [c.code, c.name, format_money(prices[c.code], currency) if c.code in prices else "—"] for c in layout.categories
    ]
    rows: list[list[Any]] = []
    ordered = sorted(layout.seats, key=lambda seat: (seat.grid_row, seat.grid_col))
    for (grid_row, label), group in groupby(ordered, key=lambda seat: (seat.grid_row, seat.row)):
        seats = list(group)
        pattern = ["_"] * (seats[-1].grid_col + 1)
        for seat in seats:
            pattern[seat.grid_col] = "x" if seat.blocked else _KIND_CHARS.get(seat.kind, "s")
        sequential = all(seat.seat_id == f"{label}{k + 1}" for k, seat in enumerate(seats))
        row_cats = [cat_index.get(seat.category, 0) for seat in seats]
        mixed = len(set(row_cats)) > 1
        row: list[Any] = [label, grid_row, row_cats[0], "".join(pattern)]
        if not sequential or mixed:
            row.append(None if sequential else [seat.seat_id for seat in seats])
        if mixed:
            row.append(row_cats)
        rows.append(row)
    return {"id": layout.layout_id, "cols": layout.grid_cols, "cats": cats, "rows": rows}


def grid_labels() -> dict[str, Any]:
    """Every text the map shows or announces, translated here (the JS only fills in the blanks)."""
    return {
        "grid": t("Seat map. Use the arrow keys to move between seats and Space to select."),
        "row": t("Row {row}"),
        "seat": t("Row {row}, seat {n}, {cat}, {price}, {status}"),
        "status": {
            "a": t("available"), "m": t("selected"), "p": t("updating"),
            "h": t("held by someone else"), "s": t("sold"), "b": t("not for sale"),
        },
        "kind": {"w": t("wheelchair space"), "c": t("companion seat")},
        "screen": t("All eyes this way"),
        "zoom_in": t("Zoom in"), "zoom_out": t("Zoom out"), "fit": t("Show the whole hall"),
        "zoom_hint": t("Pinch or tap to zoom in"),
        "legend_title": t("Legend"),
        "legend": {
            "a": t("Available"), "m": t("Selected"), "h": t("Held by others"), "s": t("Sold"),
            "w": t("Wheelchair"), "c": t("Companion"), "b": t("Blocked"),
        },
    }


class SeatGrid(ui.element, component="seat_grid.js"):
    def __init__(
        self,
        seat_map: SeatMap,
        *,
        currency: str,
        hub: LiveHub | None = None,
        on_pick: PickHandler | None = None,
        reload: Callable[[], Awaitable[SeatMap]] | None = None,
        focus_px: int = 0,
    ) -> None:
        """``focus_px`` > 0 (the kiosk): open zoomed so each seat is at least that many px, centred on the
        viewer's own seats, and re-centre whenever they change; 0 (the web) shows the whole hall."""
        super().__init__()
        ui.add_css(CSS)
        self.showtime_id = seat_map.showtime.showtime_id
        self.layout = seat_map.layout
        self.hold_id: str | None = seat_map.my_hold_id
        self.pending: set[str] = set()  # seats this viewer is changing right now: live echoes are ignored
        self.on_lost: Callable[[list[str]], None] | None = None  # my seats taken away (expiry, another tab)
        self._codes: dict[str, str] = {}
        self._set_codes(seat_map)
        self._props["layout"] = layout_payload(seat_map.layout, seat_map.showtime.prices, currency)
        self._props["status"] = self._sparse_status()
        self._props["labels"] = grid_labels()
        self._props["focus_px"] = focus_px
        self._on_pick = on_pick
        self._reload = reload
        self._hub = hub
        self._unsubscribe: Callable[[], None] | None = None
        self.on("seat", self._handle_pick)
        if hub is not None:
            self._loop = asyncio.get_running_loop()
            self._subscribe()
            self.client.on_disconnect(self._stop_watching)
            self.client.on_delete(self._stop_watching)
            self.client.on_connect(self._resume_watching)
        self.mark("seat-grid")

    # State ----------------------------------------------------------------------------------------
    def code(self, seat_id: str) -> str:
        return self._codes.get(seat_id, "a")

    @property
    def mine(self) -> list[str]:
        return [seat.seat_id for seat in self.layout.seats if self._codes.get(seat.seat_id) == "m"]

    def codes(self) -> dict[str, str]:
        """Every seat that is not simply available, with its code (a copy)."""
        return dict(self._codes)

    def _set_codes(self, seat_map: SeatMap) -> None:
        self._codes = {seat.seat_id: STATE_CODES[seat.status] for seat in seat_map.seats
                       if seat.status != SeatState.AVAILABLE}
        self.hold_id = seat_map.my_hold_id

    def _sparse_status(self) -> dict[str, str]:
        return {seat_id: code for seat_id, code in self._codes.items() if code != "b"}

    def _send(self, diff: list[list[str]], live: bool) -> None:
        if diff and not self.is_deleted:
            self.run_method("applyChanges", diff, live)

    def _set(self, seat_id: str, code: str, diff: list[list[str]]) -> None:
        if self._codes.get(seat_id, "a") == code:
            return
        if code == "a":
            self._codes.pop(seat_id, None)
        else:
            self._codes[seat_id] = code
        diff.append([seat_id, code])

    # Called by the seat selection -------------------------------------------------------------------
    def set_mine(self, seat_ids: Iterable[str], hold_id: str | None, touched: Iterable[str] = ()) -> None:
        """This viewer now holds exactly ``seat_ids`` (after a hold, release or expiry); ``touched`` seats
        were waiting for this answer."""
        wanted = set(seat_ids)
        self.hold_id = hold_id if wanted else None
        diff: list[list[str]] = []
        for seat_id in self.mine:
            if seat_id not in wanted:
                self._set(seat_id, "a", diff)
        for seat_id in wanted:
            self._set(seat_id, "m", diff)
        self.settle(touched, diff)

    def settle(self, seat_ids: Iterable[str], diff: list[list[str]] | None = None) -> None:
        """Stop waiting on these seats; the browser shows their known state again (clears "pending")."""
        diff = list(diff or [])
        sent = {seat_id for seat_id, _ in diff}
        for seat_id in seat_ids:
            self.pending.discard(seat_id)
            if seat_id not in sent:
                diff.append([seat_id, self.code(seat_id)])
        # Touched seats are always re-sent: the browser painted them "p" and waits for the answer.
        self._send(diff, False)

    def resync(self, seat_map: SeatMap) -> None:
        """Replace the whole picture after a conflict or a reconnect (one message with every taken seat)."""
        self._set_codes(seat_map)
        self.pending.clear()
        if not self.is_deleted:
            self.run_method("resync", self._sparse_status())

    def focus_seat(self, seat_id: str) -> None:
        self.run_method("focusSeat", seat_id)

    # Browser events ---------------------------------------------------------------------------------
    async def _handle_pick(self, event: events.GenericEventArguments) -> None:
        seat_id = str((event.args or {}).get("id", ""))
        if self.layout.seat(seat_id) is None:
            return
        if self._on_pick is None:
            self.settle([seat_id])
            return
        result = self._on_pick(seat_id, self.code(seat_id))
        if asyncio.iscoroutine(result):
            await result

    # Live updates -----------------------------------------------------------------------------------
    def _subscribe(self) -> None:
        if self._hub is not None and self._unsubscribe is None:
            self._unsubscribe = self._hub.subscribe(self.showtime_id, self._listener)

    def _listener(self, _showtime_id: str, changes: list[SeatChange]) -> None:
        """Runs in the publisher's thread: hand over to the event loop and return at once."""
        try:
            self._loop.call_soon_threadsafe(self.receive, changes)
        except RuntimeError:  # the loop has closed (shutdown): nothing to show any more
            self._stop_watching()

    def receive(self, changes: list[SeatChange]) -> None:
        """Apply other people's changes (and expiry) on the event loop; send one small diff."""
        if self.is_deleted:
            self._stop_watching()
            return
        diff: list[list[str]] = []
        lost: list[str] = []
        for change in changes:
            if change.seat_id in self.pending or self.layout.seat(change.seat_id) is None:
                continue
            before = self.code(change.seat_id)
            if before == "b":
                continue
            code = self._code_for(change, before)
            if before == "m" and code != "m":
                lost.append(change.seat_id)
            self._set(change.seat_id, code, diff)
        self._send(diff, True)
        if lost and self.on_lost is not None:
            with self:  # called from the loop, outside any page context: notifications need one
                self.on_lost(lost)

    def _code_for(self, change: SeatChange, before: str) -> str:
        if change.status == SeatState.HELD:
            mine = change.hold_id == self.hold_id if change.hold_id else before == "m"
            return "m" if mine and self.hold_id else "h"
        return STATE_CODES.get(change.status, "a")

    def _stop_watching(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    async def _resume_watching(self) -> None:
        """A reconnect: listen again and catch up with what happened meanwhile (no side effects)."""
        if self._unsubscribe is not None or self.is_deleted:
            return
        self._subscribe()
        if self._reload is not None:
            seat_map = await self._reload()
            if not self.is_deleted:
                mine_before = set(self.mine)
                self.resync(seat_map)
                lost = sorted(mine_before - set(self.mine))
                if lost and self.on_lost is not None:
                    with self:
                        self.on_lost(lost)

    def _handle_delete(self) -> None:
        self._stop_watching()
        super()._handle_delete()

    @property
    def hub(self) -> LiveHub | None:
        """Where this grid hears other people's changes (None: a static map)."""
        return self._hub

    @property
    def watching(self) -> bool:
        return self._unsubscribe is not None
