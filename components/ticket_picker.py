"""General-admission ticket types with a quantity each (events): the rows with price, early-bird price,
availability ("few left", "sold out") and +/- buttons up to the per-order limit and what is left, and the chosen
total. The event page sells standing tickets with it; the seat page of a mixed performance adds them to the
seats picked on the map (one order, one checkout). No rules here: what sells and at what price is
``TicketType``'s; the hold checks it all again."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

from nicegui import ui

from services.events.models import Availability, TicketType
from services.formatting import format_money
from services.i18n import N_, t

# What a ticket type's state is called wherever it is shown (the event page, the kiosk's times and quantities).
_LABELS = {
    Availability.FEW_LEFT: N_("Few left"),
    Availability.SOLD_OUT: N_("Sold out"),
    Availability.NOT_YET: N_("Not on sale yet"),
    Availability.ENDED: N_("Sales ended"),
}
_BADGES = {state: (label, "bg-amber-500/20 text-amber-300" if state is Availability.FEW_LEFT
                   else "bg-white/10 text-white/60") for state, label in _LABELS.items()}


def availability_label(state: Availability) -> str:
    """The state in the customer's language ("" for plain available)."""
    return t(_LABELS[state]) if state in _LABELS else ""


class TicketPicker:
    """The rows; ``wanted`` is what the customer chose ({type id: quantity > 0}); ``on_change`` runs on each step."""

    def __init__(self, types: list[TicketType], now: datetime, currency: str, *,
                 on_change: Callable[[], None] = lambda: None, start: Mapping[str, int] | None = None) -> None:
        self.types = types
        self.now = now
        self._currency = currency
        self._on_change = on_change
        self.quantities: dict[str, int] = {ticket.type_id: 0 for ticket in types}
        for ticket in types:
            self._row(ticket, min(int((start or {}).get(ticket.type_id, 0)), ticket.most_in_one_order(now)))

    @property
    def wanted(self) -> dict[str, int]:
        return {type_id: count for type_id, count in self.quantities.items() if count}

    @property
    def count(self) -> int:
        return sum(self.quantities.values())

    @property
    def amount(self) -> int:
        return sum(ticket.price_at(self.now) * self.quantities[ticket.type_id] for ticket in self.types)

    def _row(self, ticket: TicketType, start: int) -> None:
        now, currency = self.now, self._currency
        state = ticket.availability(now)
        most = ticket.most_in_one_order(now)
        self.quantities[ticket.type_id] = min(start, most)
        with ui.row().classes("w-full items-center gap-3 rounded-xl p-3 flex-nowrap").style(
                "border: 1px solid rgba(255,255,255,.12)").mark(f"ticket-type-{ticket.type_id}"):
            with ui.column().classes("gap-0 min-w-0 grow"):
                with ui.row().classes("items-center gap-2"):
                    ui.label(ticket.name).classes("text-white font-medium")
                    if state in _BADGES:
                        text, classes = _BADGES[state]
                        ui.label(t(text)).classes(f"text-xs font-bold px-2 py-0.5 rounded {classes}").mark(
                            f"availability-{state.value}")
                with ui.row().classes("items-baseline gap-2"):
                    ui.label(format_money(ticket.price_at(now), currency)).classes("text-accent font-semibold")
                    if ticket.is_early(now):
                        ui.label(format_money(ticket.price, currency)).classes("mm-muted text-xs line-through")
                        ui.label(t("Early bird")).classes("text-xs text-green-400")
                ui.label(t("Up to {n} per order", n=ticket.per_order_limit)).classes("mm-muted text-xs")
            with ui.row().classes("items-center gap-1 flex-nowrap shrink-0"):
                # The steppers name their type: "More" alone says nothing to a screen reader among several rows.
                fewer, more = t("Fewer: {name}", name=ticket.name), t("More: {name}", name=ticket.name)
                minus = ui.button(icon="remove").props('flat round dense').classes(
                    "text-white").mark(f"minus-{ticket.type_id}")
                minus.props["aria-label"] = fewer  # a prop, not parsed: a name may hold quotes
                count = ui.label(str(self.quantities[ticket.type_id])).classes(
                    "text-white font-bold w-6 text-center").props('aria-live="polite"').mark(f"qty-{ticket.type_id}")
                plus = ui.button(icon="add").props('flat round dense').classes(
                    "text-white").mark(f"plus-{ticket.type_id}")
                plus.props["aria-label"] = more

        def show(value: int) -> None:
            count.set_text(str(value))
            minus.set_enabled(value > 0)
            plus.set_enabled(value < most)

        def step(delta: int) -> None:
            value = min(most, max(0, self.quantities[ticket.type_id] + delta))
            self.quantities[ticket.type_id] = value
            show(value)
            self._on_change()

        minus.on_click(lambda: step(-1))
        plus.on_click(lambda: step(1))
        show(self.quantities[ticket.type_id])


def tickets_query(wanted: Mapping[str, int]) -> str:
    """Chosen quantities in a link (``standing:2,vip:1``): the event page hands them to the seat map."""
    return ",".join(f"{type_id}:{count}" for type_id, count in wanted.items() if count)


def parse_tickets_query(text: str) -> dict[str, int]:
    """The quantities of ``tickets_query``; anything garbled is left out (the picker caps the rest)."""
    wanted: dict[str, int] = {}
    for part in (text or "").split(",")[:20]:
        type_id, _, count = part.partition(":")
        if type_id and count.isdigit() and len(count) <= 3:
            wanted[type_id] = int(count)
    return wanted
