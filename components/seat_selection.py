"""One viewer's seats on one showtime: every click on the map holds or releases through the booking service.

Seat-by-seat picking maps onto the service's all-or-none hold with replace semantics: picking a seat
holds (mine + it), un-picking holds (mine - it), and un-picking the last seat releases the hold. Clicks
are handled one at a time (a lock), so quick taps never race each other; a conflict re-reads the hall.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

from nicegui import background_tasks, ui

from components.seat_grid import SeatGrid
from components.service_call import call
from services.booking.best_seats import best_block
from services.booking.inventory import InventoryService
from services.booking.models import Hold
from services.booking.pricing import PricingService, Quote
from services.catalog.models import Showtime
from services.clock import Clock
from services.errors import (
    DomainError,
    HoldExpired,
    InvalidRequest,
    NotFound,
    SeatRuleBroken,
    SeatUnavailable,
    ShowClosed,
)
from services.i18n import N_, t

WHY_NOT = {
    "h": N_("Seat {seat} is being held by someone else right now. It may free up in a few minutes."),
    "s": N_("Seat {seat} is already sold. Please choose another seat."),
    "b": N_("Seat {seat} is not for sale."),
}


@dataclass
class Selection:
    hold: Hold | None
    quote: Quote | None

    def seconds_left(self, now_ts: float) -> float:
        return max(0.0, self.hold.expires_at.timestamp() - now_ts) if self.hold else 0.0


class SeatSelection:
    def __init__(
        self,
        inventory: InventoryService,
        pricing: PricingService,
        clock: Clock,
        showtime: Showtime,
        holder: str | None,
        grid: SeatGrid,
        *,
        on_change: Callable[[Selection], None],
        on_login_needed: Callable[[str], None],
        release: Callable[[str, str], object] | None = None,
    ) -> None:
        self._inventory = inventory
        self._pricing = pricing
        self._clock = clock
        self._showtime = showtime
        self._holder = holder
        self._grid = grid
        self._on_change = on_change
        self._on_login_needed = on_login_needed
        # How a cleared pick is given back: the inventory's release, or at a mixed performance the one that also
        # returns the order's standing tickets (QuotaService.release).
        self._release = release or inventory.release
        self._lock = asyncio.Lock()
        self.current = Selection(None, None)
        grid.on_lost = self._lost

    @property
    def hold(self) -> Hold | None:
        return self.current.hold

    @property
    def holder(self) -> str | None:
        return self._holder

    async def resume(self) -> None:
        """Pick up the viewer's live hold on this showtime (a reload, or coming back from checkout)."""
        if self._grid.hold_id and self._holder:
            try:
                hold = await call(self._inventory.get_hold, self._grid.hold_id, self._holder)
            except DomainError:
                return
            if hold.is_live(self._clock.now()):
                self._show(hold)

    # Clicks -----------------------------------------------------------------------------------------
    async def pick(self, seat_id: str, code: str) -> None:
        if code in WHY_NOT:
            self._grid.settle([seat_id])
            ui.notify(t(WHY_NOT[code], seat=seat_id), type="warning")
            return
        if self._holder is None:
            self._grid.settle([seat_id])
            self._on_login_needed(seat_id)
            return
        self._grid.pending.add(seat_id)
        async with self._lock:
            mine = list(self.hold.seat_ids) if self.hold else []
            wanted = [s for s in mine if s != seat_id] if seat_id in mine else [*mine, seat_id]
            await self._request(wanted, [seat_id])

    async def choose(self, seat_ids: list[str]) -> None:
        """Hold exactly these seats (the best-seats suggestion, or seats picked before logging in)."""
        if self._holder is None:
            self._on_login_needed(seat_ids[0])
            return
        async with self._lock:
            self._grid.pending.update(seat_ids)
            await self._request(list(seat_ids), list(seat_ids))

    async def suggest(self, count: int) -> None:
        """Hold the best block of ``count`` free seats together (replacing the current pick)."""
        codes = {seat: code for seat, code in self._grid.codes().items() if code != "m"}  # mine may be reused
        block = best_block(self._grid.layout, codes, count)
        if block is None:
            ui.notify(t("There are no {n} seats together any more. Try fewer seats.", n=count), type="warning")
            return
        mine = list(self.hold.seat_ids) if self.hold else []
        if mine and set(mine) != set(block) and not await _replace_asked(mine, block):
            return
        await self.choose(block)
        if self.hold and set(block) <= set(self.hold.seat_ids):
            self._grid.focus_seat(block[0])

    async def extend(self) -> bool:
        """The hold's one extension (offered in its last minute); False, with the reason shown, when refused."""
        async with self._lock:
            if self.hold is None or self._holder is None:
                return False
            try:
                hold = await call(self._inventory.extend, self.hold.hold_id, self._holder)
            except DomainError as exc:
                ui.notify(exc.message, type="warning", multi_line=True)
                await self._refresh_hold()
                return False
            self._show(hold)
            return True

    async def clear(self) -> None:
        async with self._lock:
            if self.hold:
                mine = list(self.hold.seat_ids)
                self._grid.pending.update(mine)
                await self._request([], mine)

    # Talking to the booking service ------------------------------------------------------------------------
    async def _request(self, wanted: list[str], touched: list[str]) -> None:
        inventory = self._inventory
        showtime_id = self._showtime.showtime_id
        hold = self.hold
        holder = self._holder
        if holder is None:  # pick() and choose() ask the viewer to log in before getting here
            return
        result: Hold | None
        try:
            if wanted:
                result = await call(inventory.hold, showtime_id, wanted, holder)
            elif hold is not None:
                await call(self._release, hold.hold_id, holder)
                result = None
            else:
                result = None
        except SeatRuleBroken as exc:  # the seats are free; the choice would strand one: say how to fix it
            self._grid.settle(touched)
            ui.notify(exc.message, type="warning", multi_line=True, timeout=8000)
            return
        except SeatUnavailable as exc:
            ui.notify(exc.message, type="warning")
            await self._reread(touched)
            return
        except (HoldExpired, NotFound) as exc:
            ui.notify(exc.message, type="warning")
            self.current = Selection(None, None)
            await self._reread(touched)
            self._on_change(self.current)
            return
        except ShowClosed as exc:
            self._grid.settle(touched)
            ui.notify(exc.message, type="negative")
            return
        except InvalidRequest as exc:  # e.g. more than the maximum seats
            self._grid.settle(touched)
            ui.notify(exc.message, type="warning")
            return
        except DomainError as exc:
            self._grid.settle(touched)
            ui.notify(exc.message, type="negative")
            return
        if result is None:
            self._grid.set_mine([], None, touched)
            self.current = Selection(None, None)
            self._on_change(self.current)
            return
        self._show(result, touched)

    def _show(self, hold: Hold, touched: list[str] | None = None) -> None:
        quote = hold.quote or self._pricing.quote(self._showtime, self._grid.layout, hold.seat_ids)
        self.current = Selection(hold, quote)
        self._grid.set_mine(hold.seat_ids, hold.hold_id, touched or [])
        self._on_change(self.current)

    async def _reread(self, touched: list[str]) -> None:
        seat_map = await call(self._inventory.seat_map, self._showtime.showtime_id, self._holder)
        self._grid.resync(seat_map)
        for seat_id in touched:
            self._grid.pending.discard(seat_id)
        mine = self._grid.mine
        if self.hold and set(mine) != set(self.hold.seat_ids):
            await self._refresh_hold()

    async def refresh(self) -> None:
        """Ask the service again (the countdown reached zero, or my seats changed elsewhere)."""
        async with self._lock:
            await self._refresh_hold()

    async def _refresh_hold(self) -> None:
        hold_id = self._grid.hold_id
        if not hold_id or not self._holder:
            self.current = Selection(None, None)
            self._on_change(self.current)
            return
        hold: Hold | None
        try:
            hold = await call(self._inventory.get_hold, hold_id, self._holder)
        except DomainError:
            hold = None
        if hold is None or not hold.is_live(self._clock.now()):
            before = self.hold
            self.current = Selection(None, None)
            self._grid.set_mine([], None)
            self._on_change(self.current)
            if before is not None:
                _tell_hold_ended(list(before.seat_ids))
        else:
            self._show(hold)

    async def _refresh_in_context(self) -> None:
        with self._grid:
            await self.refresh()

    # Live: my seats went away (the hold expired and was swept, or it was booked in another tab) ----------
    def _lost(self, seat_ids: list[str]) -> None:
        """Some of my seats turned free or someone else's. That is also what this page's own replacement of
        seats looks like (best seats, a move) while its request is under way, so never conclude from it
        that the hold ended: ask the service (after any request in flight), which tells only if it did."""
        if not self.hold:
            return
        background_tasks.create(self._refresh_in_context(), name="refresh hold")


async def _replace_asked(mine: list[str], block: list[str]) -> bool:
    """Best seats would replace the seats the customer picked: ask first."""
    with ui.dialog() as dialog, ui.card().classes("mm-surface p-5 gap-3 max-w-sm").mark("replace-seats"):
        ui.label(t("Replace your seats?")).classes("mm-title text-xl text-white")
        ui.label(t("You picked {mine}. The best {n} seats together are {block}.", mine=", ".join(mine),
                   n=len(block), block=", ".join(block))).classes("text-gray-200")
        with ui.row().classes("w-full justify-end gap-2"):
            ui.button(t("Keep my seats"), on_click=lambda: dialog.submit(False)).props(
                "flat no-caps").classes("text-white").mark("keep-seats")
            ui.button(t("Use the best seats"), on_click=lambda: dialog.submit(True)).props(
                "unelevated no-caps").mark("use-best-seats")
    answer = await dialog
    dialog.delete()
    return bool(answer)


def _tell_hold_ended(seat_ids: list[str]) -> None:
    ui.notify(t("Your hold on {seats} has ended and the seats were released. Pick seats again to continue.",
                seats=", ".join(seat_ids)), type="warning", timeout=8000, multi_line=True)
