"""What the viewer has picked: seats, categories, subtotal, fee, tax, total and the hold countdown.

A card beside the map on wide screens; a sticky bar at the bottom on phones. Amounts come from the
server-side quote of the hold (services.pricing), never from the browser.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import groupby
from typing import Any

from nicegui import ui

from components.hold_timer import HoldTimer
from services.booking.pricing import Quote
from services.formatting import format_money
from services.i18n import t, tn

_CSS = """
.mm-summary { z-index: 1500; }
@media (max-width: 1023.98px) {
  .mm-summary { position: fixed; left: 0; right: 0; bottom: 0; border-radius: 18px 18px 0 0 !important;
                box-shadow: 0 -10px 30px rgba(0,0,0,.55); padding-bottom: max(12px, env(safe-area-inset-bottom)); }
}
.mm-hold-timer { display: inline-flex; align-items: center; gap: 4px; font-variant-numeric: tabular-nums;
                 font-weight: 700; color: #fbbf24; }
.mm-hold-timer .material-icons { font-size: 18px; }
.mm-hold-timer.urgent { color: #fb7185; }
.mm-hold-timer.done { color: #a09cb5; }
.mm-price-row { display: flex; justify-content: space-between; width: 100%; font-size: .92rem; }
"""


class BookingSummary:
    def __init__(
        self,
        currency: str,
        prices: list[tuple[str, int]],
        *,
        on_continue: Callable[[], Any],
        on_clear: Callable[[], Any],
        on_expired: Callable[[], Any],
        max_seats: int,
        on_extend: Callable[[], Any] | None = None,
        warn_seconds: int = 60,
        extension_minutes: int = 4,
    ) -> None:
        ui.add_css(_CSS)
        self._currency = currency
        self.quote: Quote | None = None
        self._extra_text = ""  # what else goes in the order (a mixed event's standing tickets), priced at checkout
        with (
            ui.column()
            .classes("mm-surface mm-summary w-full lg:w-80 shrink-0 p-4 lg:p-5 gap-3 lg:sticky lg:top-24")
            .mark("booking-summary") as self.root
        ):
            # The hold's last minute: a warning with the one extension (both layouts; above the phone bar).
            with ui.column().classes("w-full gap-2 rounded-lg p-3 bg-rose-500/15 border border-rose-400/50").props(
                'role="alert"'
            ).mark("hold-warning") as self._warning:
                ui.label(t("Your seats are held for less than a minute.")).classes("text-white font-medium")
                self._extend = ui.button(
                    t("Keep them {n} more minutes", n=extension_minutes), on_click=on_extend or (lambda: None)
                ).props("unelevated no-caps color=rose-5").classes("w-full").mark("extend-hold")
                self._extended_note = ui.label(t("You have had your extra time. Please finish your booking.")
                                               ).classes("mm-muted text-sm")
            self._warning.set_visibility(False)
            self._can_extend = on_extend is not None
            # Wide screens: the full card.
            with ui.column().classes("w-full gap-3 max-lg:hidden"):
                ui.label(t("Your seats")).classes("mm-title text-xl text-white")
                self._empty = ui.column().classes("w-full gap-2")
                with self._empty:
                    ui.label(t("Pick up to {n} seats on the map.", n=max_seats)).classes("mm-muted")
                    for name, price in prices:
                        with ui.row().classes("mm-price-row"):
                            ui.label(name).classes("text-white")
                            ui.label(format_money(price, currency)).classes("mm-muted")
                self._details = ui.column().classes("w-full gap-2")
                with self._details:
                    self._seat_lines = ui.column().classes("w-full gap-1").mark("summary-seats")
                    self._extra = ui.label().classes("text-accent text-sm").mark("summary-extra")
                    self._extra.set_visibility(False)
                    ui.separator().classes("opacity-20")
                    self._subtotal = self._price_row(t("Tickets"))
                    self._fee = self._price_row(t("Convenience fee"))
                    self._tax = self._price_row(t("Taxes"))
                    ui.separator().classes("opacity-20")
                    with ui.row().classes("mm-price-row items-baseline"):
                        ui.label(t("Total")).classes("text-white font-bold text-lg")
                        self._total = ui.label().classes("text-white font-bold text-lg").mark("summary-total")
                    with ui.row().classes("w-full items-center justify-between"):
                        ui.label(t("Seats held for")).classes("mm-muted text-sm")
                        self.timer = HoldTimer(0, on_expired, warn_at=warn_seconds, on_warn=self.warn)
                    self._continue = (
                        ui.button(on_click=on_continue).props("unelevated no-caps size=lg").classes("w-full")
                        .mark("continue")
                    )
                    ui.button(t("Clear selection"), on_click=on_clear).props(
                        "flat no-caps dense color=grey-5"
                    ).classes("w-full").mark("clear-selection")
            # Phones: a compact bar at the bottom of the screen.
            with ui.row().classes("lg:hidden w-full items-center gap-3 flex-nowrap"):
                with ui.column().classes("gap-0 min-w-0 flex-1"):
                    self._bar_seats = ui.label().classes("text-white font-bold truncate w-full")
                    with ui.row().classes("items-center gap-3 flex-nowrap"):
                        self._bar_total = ui.label().classes("text-white text-sm")
                        self.bar_timer = HoldTimer(0, None)
                self._bar_continue = (
                    ui.button(t("Continue"), on_click=on_continue).props("unelevated no-caps").classes("shrink-0")
                    .mark("continue-bar")
                )
            self._live = ui.label().classes("sr-only").props('aria-live="polite"')
        self.show(None, 0)

    def set_extra(self, text: str) -> None:
        """Something else the order will hold ("" for nothing): shown under the seats, and the button then says
        Continue, since the total above is the seats' and the whole order is priced at checkout."""
        self._extra_text = text
        self._extra.set_text(text)
        self._extra.set_visibility(bool(text))
        if self.quote is not None and self.quote.seats:  # the countdown goes on untouched
            self._continue.set_text(self._continue_text(self.quote))

    def _continue_text(self, quote: Quote) -> str:
        if self._extra_text:
            return t("Continue")
        return t("Proceed to pay {total}", total=format_money(quote.price.total, self._currency))

    def allow_extension(self, allowed: bool) -> None:
        """Whether the warning offers the extension (not when this hold had it already, e.g. before a reload)."""
        self._can_extend = allowed

    def warn(self) -> None:
        """The hold's last stretch: say so, offering the one extension unless it was used."""
        self._extend.set_visibility(self._can_extend)
        self._extended_note.set_visibility(not self._can_extend)
        self._warning.set_visibility(True)

    def extended(self) -> None:
        """The extension was granted: the warning goes (``show`` restarts the countdown)."""
        self._can_extend = False
        self._warning.set_visibility(False)

    def _price_row(self, name: str) -> ui.label:
        with ui.row().classes("mm-price-row"):
            ui.label(name).classes("mm-muted")
            return ui.label().classes("text-white")

    def show(self, quote: Quote | None, seconds_left: float) -> None:
        """Show a hold's quote (None: nothing picked)."""
        self.quote = quote
        empty = quote is None or not quote.seats
        self._empty.set_visibility(empty)
        self._details.set_visibility(not empty)
        if empty or seconds_left > self.timer.warn_at:
            self._warning.set_visibility(False)
        self.root.classes(add="max-lg:hidden" if empty else "", remove="" if empty else "max-lg:hidden")
        if empty:
            self._live.set_text(t("No seats selected."))
            return
        assert quote is not None
        self._seat_lines.clear()
        with self._seat_lines:
            for name, group in groupby(sorted(quote.seats, key=lambda s: (s.price, s.row, s.number)),
                                       key=lambda s: s.category_name):
                seats = list(group)
                with ui.row().classes("mm-price-row items-start gap-2 flex-nowrap"):
                    with ui.column().classes("gap-0 min-w-0"):
                        ui.label(f"{name} × {len(seats)}").classes("text-white font-medium")
                        ui.label(", ".join(seat.seat_id for seat in seats)).classes("mm-muted text-sm")
                    amount = format_money(sum(seat.price for seat in seats), self._currency)
                    ui.label(amount).classes("text-white shrink-0")
        price = quote.price
        self._subtotal.set_text(format_money(price.subtotal, self._currency))
        self._fee.set_text(format_money(price.fee, self._currency))
        self._tax.set_text(format_money(price.tax, self._currency))
        self._total.set_text(format_money(price.total, self._currency))
        self._continue.set_text(self._continue_text(quote))
        count = len(quote.seats)
        seat_ids = ", ".join(seat.seat_id for seat in quote.seats)
        self._bar_seats.set_text(tn("{n} seat · {seats}", "{n} seats · {seats}", count, seats=seat_ids))
        self._bar_total.set_text(format_money(price.total, self._currency))
        self.timer.restart(seconds_left)
        self.bar_timer.restart(seconds_left)
        total = format_money(price.total, self._currency)
        self._live.set_text(t("{n} selected: {seats}. Total {total}.", n=count, seats=seat_ids, total=total))

