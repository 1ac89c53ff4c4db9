"""Several sets of aggregates in the booking transactions: the booking service takes one ``counters``
object (``BookingCounters``); this one hands it the actions of each in turn (sales counters, reminders)."""

from __future__ import annotations

from typing import Any

from services.booking.bookings import BookingCounters
from services.booking.models import Booking


class CombinedCounters:
    def __init__(self, *parts: BookingCounters) -> None:
        self._parts = parts

    def on_sale(self, booking: Booking) -> list[dict[str, Any]]:
        return [action for part in self._parts for action in part.on_sale(booking)]

    def on_cancel(self, booking: Booking) -> list[dict[str, Any]]:
        return [action for part in self._parts for action in part.on_cancel(booking)]
