"""When a show is on sale and until when a booking can be cancelled: the one place these rules live.
Pages, the API and the services all ask here (all times UTC-aware; the settings give the cut-offs)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

from services.catalog.models import Showtime
from services.settings import Settings


class _Booked(Protocol):
    @property
    def status(self) -> str: ...
    @property
    def starts_at(self) -> datetime: ...


def sales_close_at(showtime: Showtime, settings: Settings) -> datetime:
    """Booking for a show closes this long before it starts."""
    return showtime.starts_at - timedelta(minutes=settings.sales_cutoff_minutes)


def on_sale(showtime: Showtime, now: datetime, settings: Settings) -> bool:
    return showtime.status != "cancelled" and now < sales_close_at(showtime, settings)


def cancellable_until(booking: _Booked, settings: Settings) -> datetime:
    """The last moment the owner (or an admin) may cancel."""
    return booking.starts_at - timedelta(minutes=settings.cancel_cutoff_minutes)


def moved(booking: object) -> bool:
    """Staff moved this booking's show (services/staff/moves.py): its customer may cancel freely."""
    return bool(getattr(booking, "extra", {}).get("move_version"))


def can_cancel(booking: _Booked, now: datetime, settings: Settings) -> bool:
    if booking.status == "confirmed" and moved(booking):
        return now < booking.starts_at  # a show moved by the theater: until it starts, whatever the cut-off
    return booking.status == "confirmed" and now <= cancellable_until(booking, settings)
