"""Seats at the kiosk: the live seat map (the web's component) with the best block of N seats already
held; one tap elsewhere moves the whole block there. Holds go through the web's seat selection."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from components.seat_grid import SeatGrid
from components.seat_selection import WHY_NOT, SeatSelection, Selection
from pages.kiosk.controller import KioskController
from pages.kiosk.screens_browse import _foot_nav, _movie_header, _reach, tickets
from services.booking.inventory import SeatMap
from services.errors import ShowClosed
from services.formatting import format_money
from services.i18n import t
from services.kiosk.seat_moves import block_around

TOUCH_SEAT_PX = 48  # a finger needs a seat at least this big: the map opens zoomed around the held block


async def seats(ctx: KioskController) -> None:
    visit = ctx.visit
    if visit is None or visit.showtime is None or visit.movie is None:
        return
    show, holder, count = visit.showtime, visit.checkout_id, visit.count
    services = ctx.services
    try:
        services.inventory.ensure_on_sale(show)
    except ShowClosed as exc:
        ui.notify(exc.message, type="warning")
        return
    seat_map = await ctx.run(services.inventory.seat_map, show.showtime_id, holder)
    main, _ = ctx.show("seats")
    currency = services.settings.currency

    async def reload() -> SeatMap:
        return await ctx.run(services.inventory.seat_map, show.showtime_id, holder)

    async def pick(seat_id: str, code: str) -> None:
        """A tap: un-pick my seat, add a seat while short of N, otherwise move the block to this seat."""
        ctx.touch()
        mine = list(selection.hold.seat_ids) if selection.hold else []
        if code in WHY_NOT or seat_id in mine or len(mine) < count:
            await selection.pick(seat_id, code)
            return
        codes = grid.codes()
        block = block_around(grid.layout, codes, seat_id, count)
        await selection.choose(block or [*mine[1:], seat_id])

    _reach(main)
    with main:
        _movie_header(visit.movie, show)
        with ui.element("div").classes("k-split"):
            with ui.element("div").classes("k-card flex-1 min-h-0 p-3 overflow-y-auto").style("touch-action: pan-y"):
                grid = SeatGrid(seat_map, currency=currency, hub=services.live, reload=reload,
                                on_pick=ctx.act(pick), focus_px=TOUCH_SEAT_PX).classes("w-full")
            changed = _summary(ctx, count)

    selection = SeatSelection(services.inventory, services.pricing, services.clock, show, holder, grid,
                              on_change=changed, on_login_needed=lambda _s: None)
    changed(selection.current)

    async def back() -> None:
        if ctx.visit is not None and ctx.visit.hold_id:
            await ctx.run(services.kiosk_sales.abandon, ctx.visit.hold_id, holder)
            ctx.remember_hold(None)
        await tickets(ctx, show)

    _foot_nav(ctx, back)
    await selection.suggest(count)


def _summary(ctx: KioskController, count: int) -> Callable[[Selection], None]:
    """The picked seats and their price beside the map; returns what shows a new selection."""
    with ui.column().classes("k-side k-card p-6 gap-4 min-h-0").mark("kiosk-summary"):
        ui.label(t("Your seats")).classes("text-[1.3em] font-bold text-white")
        picked = ui.label().classes("text-[1.6em] font-extrabold text-accent").mark("picked-seats")
        total = ui.label().classes("text-[1.2em] text-white").mark("seats-total")
        ui.label(t("Tap another seat to move your group there.")).classes("k-muted text-[.85em]")
        pay = ui.button(t("Continue to pay"), icon="credit_card", on_click=ctx.act(lambda: _to_pay(ctx))).props(
            "unelevated no-caps").classes("k-big w-full").mark("to-pay")

    def changed(current: Selection) -> None:
        ctx.remember_hold(current.hold.hold_id if current.hold else None)
        if current.hold is None or current.quote is None:
            picked.set_text("—")
            total.set_text(t("Pick {n} seats on the map.", n=count))
            pay.disable()
            return
        picked.set_text(", ".join(current.hold.seat_ids))
        total.set_text(t("{n} tickets · {total} with fee and taxes", n=len(current.hold.seat_ids),
                         total=format_money(current.quote.price.total, current.quote.price.currency)))
        pay.enable()

    return changed


async def _to_pay(ctx: KioskController) -> None:
    from pages.kiosk.screen_pay import pay

    await pay(ctx)
