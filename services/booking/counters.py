"""Sales counters for the theater's reports: aggregate items updated in the SAME transaction as the
sale, cancellation or admission they count, so a report reads a handful of items and never walks the
bookings (DESIGN.md §3).

Two items per change, in the Reports table:
- ``scope = "day#<theater_id>"``, ``key = <local show date>``: the day's tickets sold and refunded, gross,
  refunds, admissions, tickets per seat category (``cat_<code>``) and per hours-before-showtime bucket
  (``lead_<bucket>``);
- ``scope = "show#<theater_id>"``, ``key = "<local show date>#<showtime_id>"``: the same per show (for
  occupancy per show, movie and screen).
Everything is counted by the show's local date, so a day's figures are that day's shows.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from services.booking.bookings import Booking
from services.clock import parse_iso
from services.platform.aws import Aws
from services.platform.schema import REPORTS

# Hours before the show at which tickets were bought: (attribute suffix, upper bound in hours).
LEAD_BUCKETS: tuple[tuple[str, float], ...] = (
    ("0_1h", 1), ("1_3h", 3), ("3_6h", 6), ("6_24h", 24), ("1_3d", 72), ("3d_plus", float("inf")),
)


def day_key(booking: Booking) -> tuple[str, str]:
    return f"day#{booking.theater_id}", booking.local_start().date().isoformat()


def show_key(booking: Booking) -> tuple[str, str]:
    return show_key_of(booking.theater_id, booking.local_start().date().isoformat(), booking.showtime_id)


def show_key_of(theater_id: str, local_date: str, showtime_id: str) -> tuple[str, str]:
    """The show item's key (also read by ``availability.py`` for the showtime chips)."""
    return f"show#{theater_id}", f"{local_date}#{showtime_id}"


def lead_bucket(bought_at: datetime, starts_at: datetime) -> str:
    hours = (starts_at - bought_at).total_seconds() / 3600
    return next(name for name, limit in LEAD_BUCKETS if hours < limit)


class SalesCounters:
    def __init__(self, aws: Aws) -> None:
        self._table_name = aws.table_name(REPORTS)

    def on_sale(self, booking: Booking) -> list[dict[str, Any]]:
        added = _sale_figures(booking)
        return [self._add(day_key(booking), added), self._add(show_key(booking), _show_fields(booking, added))]

    def on_move(self, before: Booking, after: Booking) -> list[dict[str, Any]]:
        """A confirmed booking whose show moved (``after``: at its new time and screen). Its sale leaves the
        day and show items of its old local date for those of the new one, in the transaction that moves the
        booking (services/staff/moves.py), so each booking's figures move exactly once and a later
        cancellation's refund lands on the day its sale is counted. One Update per item (a transaction names
        an item once): a move within the same local date changes only the hours-before bucket and labels."""
        changes: dict[tuple[str, str], dict[str, int]] = {}
        for booking, sign in ((before, -1), (after, 1)):
            for key in (day_key(booking), show_key(booking)):
                figures = changes.setdefault(key, {})
                for name, value in _sale_figures(booking).items():
                    figures[name] = figures.get(name, 0) + sign * value
        actions = []
        for key, figures in changes.items():
            fields: dict[str, Any] = {name: value for name, value in figures.items() if value}
            if key == show_key(after):  # the show item names the show's screen: the new one
                fields = _show_fields(after, fields)
            if fields:
                actions.append(self._add(key, fields))
        return actions

    def on_cancel(self, booking: Booking) -> list[dict[str, Any]]:
        """``booking`` as cancelled, with its refund."""
        added = {"tickets_refunded": len(booking.seats), "refunds": booking.refund or 0}
        return [self._add(day_key(booking), added), self._add(show_key(booking), _show_fields(booking, added))]

    def on_admit(self, booking: Booking, people: int | None = None) -> list[dict[str, Any]]:
        """``people``: how many this scan admitted (one GA ticket, or the numbered seats); default all."""
        added = {"admitted": len(booking.seats) if people is None else people}
        return [self._add(day_key(booking), added), self._add(show_key(booking), _show_fields(booking, added))]

    def _add(self, key: tuple[str, str], added: dict[str, Any]) -> dict[str, Any]:
        numbers: dict[str, int] = {name: value for name, value in added.items() if isinstance(value, int)}
        labels: dict[str, str] = {name: value for name, value in added.items() if isinstance(value, str)}
        names = {f"#a{i}": name for i, name in enumerate(numbers)} | {f"#l{i}": name for i, name in enumerate(labels)}
        values: dict[str, Any] = {f":a{i}": value for i, value in enumerate(numbers.values())}
        values |= {f":l{i}": value for i, value in enumerate(labels.values())}
        parts = [f"ADD {', '.join(f'#a{i} :a{i}' for i in range(len(numbers)))}"] if numbers else []
        if labels:
            parts.append("SET " + ", ".join(f"#l{i} = :l{i}" for i in range(len(labels))))
        expression = " ".join(parts)
        return {"Update": {"TableName": self._table_name, "Key": {"scope": key[0], "key": key[1]},
                           "UpdateExpression": expression, "ExpressionAttributeNames": names,
                           "ExpressionAttributeValues": values}}


def _sale_figures(booking: Booking) -> dict[str, int]:
    """What one sale adds: tickets, gross, its hours-before bucket and tickets per seat category."""
    tickets = len(booking.seats)
    added: dict[str, int] = {"tickets_sold": tickets, "gross": booking.price.total,
                             f"lead_{lead_bucket(parse_iso(booking.created_at), booking.starts_at)}": tickets}
    for seat in booking.seats:
        added[f"cat_{seat.category}"] = added.get(f"cat_{seat.category}", 0) + 1
    return added


def _show_fields(booking: Booking, added: dict[str, Any]) -> dict[str, Any]:
    # The show item also names its movie and screen, so occupancy per movie / screen needs no other read.
    return {**added, "showtime_id": booking.showtime_id, "movie_id": booking.movie_id,
            "movie_title": booking.movie_title, "screen_id": booking.screen_id}
