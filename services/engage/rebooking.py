""""Book again" from My bookings: the next shows of the same movie at the same theater, still on sale."""

from __future__ import annotations

from services.booking import rules
from services.booking.models import Booking
from services.catalog.catalog import CatalogService
from services.catalog.models import Showtime
from services.clock import Clock
from services.settings import Settings


class Rebooking:
    def __init__(self, clock: Clock, settings: Settings, catalog: CatalogService) -> None:
        self._clock = clock
        self._settings = settings
        self._catalog = catalog

    def next_shows(self, booking: Booking, limit: int = 3) -> list[Showtime]:
        """Soonest first; the catalog's per-movie index (cached), never the bookings."""
        now = self._clock.now()
        shows = [show for show in self._catalog.upcoming_for_movie(booking.movie_id, booking.city)
                 if show.theater_id == booking.theater_id and rules.on_sale(show, now, self._settings)]
        return sorted(shows, key=lambda show: show.starts_at)[:limit]
