"""Who may review a movie: someone who attended it (one rule, used by reviews and the pages).

Attended = a confirmed booking of that movie that was admitted at the door (services/staff/checkins.py
sets ``admitted_at``), or whose show has ended. Reads only the customer's own bookings (one Query on the
by-user index), never anyone else's.
"""

from __future__ import annotations

from services.booking.bookings import BookingService
from services.booking.models import Booking
from services.catalog.catalog import CatalogService
from services.clock import Clock
from services.errors import NotFound


class Attendance:
    def __init__(self, clock: Clock, catalog: CatalogService, bookings: BookingService) -> None:
        self._clock = clock
        self._catalog = catalog
        self._bookings = bookings

    def attended(self, user_id: str, movie_id: str) -> bool:
        return any(self.counts(booking) for booking in self._bookings.my_bookings(user_id, limit=1000)
                   if booking.movie_id == movie_id)

    def attended_movies(self, user_id: str) -> list[str]:
        """The movies this customer saw, most recent booking first."""
        seen: dict[str, None] = {}
        for booking in self._bookings.my_bookings(user_id, limit=1000):
            if booking.movie_id not in seen and self.counts(booking):
                seen[booking.movie_id] = None
        return list(seen)

    def counts(self, booking: Booking) -> bool:
        if booking.status != "confirmed":
            return False
        if booking.extra.get("admitted_at") or booking.extra.get("tickets_admitted"):  # seats, or a GA ticket
            return True
        try:
            ends_at = self._catalog.showtime(booking.showtime_id).ends_at
        except NotFound:  # a show no longer in the catalog: its start plus a long film is past enough
            return False
        return ends_at <= self._clock.now()
