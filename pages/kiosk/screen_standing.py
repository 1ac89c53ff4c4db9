"""Standing tickets at the kiosk (a general-admission performance): one row per ticket type with its price,
the limit per order and what is left, big - / + steppers, the total, then the same pay screen as seats.

No rules here: what one order may take is ``TicketType.most_in_one_order``; the hold (``KioskSales.hold_standing``,
the web's quota hold) checks everything again and its refusal is shown as it is worded, with fresh counts.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from nicegui import ui

from components.ticket_picker import availability_label
from pages.kiosk.controller import KioskController
from pages.kiosk.screens_browse import _foot_nav, _movie_header, _reach, film_of, times
from services.catalog.catalog import Showtime
from services.errors import DomainError
from services.events.models import TicketType
from services.formatting import format_money
from services.i18n import t, tn


async def standing(ctx: KioskController, show: Showtime, problem: str = "") -> None:
    visit = ctx.visit
    if visit is None or visit.movie is None:
        return
    visit.showtime = show
    types = await ctx.run(ctx.services.kiosk_sales.ticket_types, show.showtime_id)
    movie, now = visit.movie, ctx.services.clock.now()
    currency = ctx.services.settings.currency
    # What the customer chose before (back from paying, or a refused hold), within what one order may take now.
    chosen = {ticket.type_id: min(visit.standing.get(ticket.type_id, 0), ticket.most_in_one_order(now))
              for ticket in types}
    main, _ = ctx.show("standing")
    _reach(main)
    with main:
        _movie_header(movie, show)
        ui.label(t("How many tickets?")).classes("k-title text-white")
        # The ticket types, and the total with Continue below them (portrait) or beside them (landscape).
        with ui.element("div").classes("k-split"):
            with ui.column().classes("k-scroll w-full gap-5 items-stretch"):
                # refresh is defined below, once the total and the button it updates exist: bound late.
                steps = [_row(ctx, ticket, now, currency, chosen, lambda: refresh())  # noqa: PLW0108
                         for ticket in types]
            with ui.column().classes("k-side k-card p-6 gap-3").mark("standing-summary"):
                total = ui.label().classes("text-[1.3em] font-bold text-white").mark("standing-total")
                error = ui.label(problem).classes("text-negative text-[1.1em] font-bold").props(
                    'role="alert"').mark("standing-error")
                error.set_visibility(bool(problem))
                pay = ui.button(t("Continue to pay"), icon="credit_card").props("unelevated no-caps").classes(
                    "k-big w-full").mark("standing-to-pay")

    def refresh() -> None:
        count = sum(chosen.values())
        amount = sum(ticket.price_at(now) * chosen[ticket.type_id] for ticket in types)
        total.set_text(tn("{n} ticket · {amount}", "{n} tickets · {amount}", count,
                          amount=format_money(amount, currency)) if count else t("Choose how many tickets"))
        pay.set_enabled(count > 0)
        for step in steps:
            step()

    refresh()

    async def hold() -> None:
        if ctx.visit is None:
            return
        wanted = {type_id: count for type_id, count in chosen.items() if count}
        ctx.visit.standing = wanted
        try:
            placed = await ctx.run(ctx.services.kiosk_sales.hold_standing, show.showtime_id, wanted,
                                   ctx.visit.checkout_id)
        except DomainError as exc:  # sold out, over the limit, no longer on sale: say so, with fresh counts
            await standing(ctx, show, exc.message)
            return
        ctx.remember_hold(placed.hold_id)
        from pages.kiosk.screen_pay import pay as pay_screen

        await pay_screen(ctx)

    async def back() -> None:
        if ctx.visit is not None and ctx.visit.hold_id:
            await ctx.run(ctx.services.kiosk_sales.abandon, ctx.visit.hold_id, ctx.visit.checkout_id)
            ctx.remember_hold(None)
        if ctx.visit is not None:
            ctx.visit.standing = {}
        await times(ctx, await film_of(ctx, movie, show))

    pay.on_click(ctx.act(hold))
    _foot_nav(ctx, back)


def _row(ctx: KioskController, ticket: TicketType, now: datetime, currency: str, chosen: dict[str, int],
         changed: Callable[[], None]) -> Callable[[], None]:
    """One ticket type: name, price, limit and what is left, and its stepper (within what one order may take);
    returns what redraws the stepper."""
    most = ticket.most_in_one_order(now)
    with ui.row().classes("k-card w-full items-center gap-5 p-5 flex-nowrap").mark(
            f"standing-type standing-{ticket.type_id}"):
        with ui.column().classes("gap-1 min-w-0 grow"):
            ui.label(ticket.name).classes("text-[1.4em] font-extrabold text-white")
            ui.label(format_money(ticket.price_at(now), currency)).classes("text-[1.2em] font-bold text-accent")
            if most == 0:  # why it cannot be bought now, in the event page's words
                ui.label(availability_label(ticket.availability(now))).classes("k-muted font-bold").mark(
                    f"sold-out-{ticket.type_id}")
            else:
                ui.label(t("Up to {n} per order", n=ticket.per_order_limit) + " · "
                         + tn("{n} left", "{n} left", ticket.free)).classes("k-muted").mark(f"left-{ticket.type_id}")
        with ui.row().classes("items-center gap-4 flex-nowrap shrink-0"):
            # The steppers name their type: "More" alone says nothing to a screen reader among several rows.
            fewer, more = t("Fewer: {name}", name=ticket.name), t("More: {name}", name=ticket.name)
            minus = ui.button(icon="remove", color=None).props('unelevated round').classes(
                "k-step k-soft").mark(f"minus-{ticket.type_id}")
            minus.props["aria-label"] = fewer  # a prop, not parsed: a name may hold quotes
            count = ui.label().classes("k-qty text-white").props('aria-live="polite"').mark(f"qty-{ticket.type_id}")
            plus = ui.button(icon="add", color=None).props('unelevated round').classes(
                "k-step k-soft").mark(f"plus-{ticket.type_id}")
            plus.props["aria-label"] = more

    def step(delta: int) -> None:
        chosen[ticket.type_id] = min(most, max(0, chosen[ticket.type_id] + delta))
        changed()

    def redraw() -> None:
        value = chosen[ticket.type_id]
        count.set_text(str(value))
        minus.set_enabled(value > 0)
        plus.set_enabled(value < most)

    minus.on_click(ctx.act(lambda: step(-1)))
    plus.on_click(ctx.act(lambda: step(1)))
    return redraw
