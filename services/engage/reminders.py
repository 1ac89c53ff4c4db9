"""Reminders a setting's hours before the show, through the outbox (issue 15).

The reminder is an outbox record written in the booking's own sale transaction, with ``created_at`` set to
the moment it is due: the worker's query on the sparse ``pending`` index only takes records whose
``created_at`` has come (services/notify/notifications.py), so nothing new has to run on a timer, and a
restart loses nothing (the record waits in DynamoDB). Its id is ``<booking_id>#booking_reminder``: one per
booking, put only if absent, claimed and marked by the worker's lease like every outbox record, so it is
sent once. A cancellation before it is due deletes it in the cancellation's own transaction.

``on_sale`` / ``on_cancel`` have the shape of the booking service's counters (``BookingCounters``), so
they ride along with the sales counters (``services/engage/hooks.py``).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from services.booking.models import Booking
from services.clock import iso, parse_iso
from services.notify.outbox import notification_id, outbox_put
from services.platform.aws import Aws
from services.platform.schema import OUTBOX
from services.settings import Settings


class Reminders:
    def __init__(self, aws: Aws, settings: Settings) -> None:
        self._aws = aws
        self._settings = settings
        self._outbox = aws.table_name(OUTBOX)

    def due_at(self, booking: Booking) -> datetime:
        return booking.starts_at - timedelta(hours=self._settings.reminder_hours)

    def on_sale(self, booking: Booking) -> list[dict[str, Any]]:
        """The reminder's outbox record, unless reminders are off or the show is already that close."""
        if self._settings.reminder_hours == 0 or booking.price.total <= 0 or not booking.email:
            return []
        due = self.due_at(booking)
        if due <= parse_iso(booking.created_at):
            return []  # booked inside the window: the confirmation is the reminder
        return [outbox_put(self._aws, "booking_reminder", booking.to_item(), iso(due))]

    def on_cancel(self, booking: Booking) -> list[dict[str, Any]]:
        """Delete a reminder not yet due (one already due has gone out, or is going: leave it be)."""
        cancelled_at = parse_iso(booking.cancelled_at) if booking.cancelled_at else None
        if self._settings.reminder_hours == 0 or cancelled_at is None or self.due_at(booking) <= cancelled_at:
            return []
        return [{"Delete": {"TableName": self._outbox,
                            "Key": {"notification_id": notification_id(booking.booking_id, "booking_reminder")}}}]
