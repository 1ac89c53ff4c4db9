"""The events side of the catalog: event listings of a city, their performances, search and filters.

An event is a listing in the Movies table (``catalog = "event"``, its kind in ``kind``) and each performance
is a showtime whose ``listing`` is "event" (``movie_id`` = the event's id), at a cinema's screen or at a
venue (a theater of kind "venue"). So the seat map, holds, checkout, tickets, check-in and reports serve
events through the one path they already have; only general admission is new (``quotas.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.catalog.catalog import CatalogService
from services.catalog.models import Movie, Showtime, Theater
from services.errors import NotFound
from services.i18n import t


@dataclass(frozen=True)
class EventListing:
    """An event as it plays in one city: its upcoming performances there, soonest first."""

    event: Movie
    performances: tuple[Showtime, ...]

    @property
    def first(self) -> Showtime:
        return self.performances[0]


class EventCatalog:
    def __init__(self, catalog: CatalogService) -> None:
        self._catalog = catalog

    def event(self, event_id: str) -> Movie:
        listing = self._catalog.movies([event_id]).get(event_id)
        if listing is None or not listing.is_event:
            raise NotFound(t("That event does not exist."))
        return listing

    def performances(self, event_id: str, city: str | None = None) -> list[Showtime]:
        """An event's upcoming performances (its id is their ``movie_id``: one index Query, cached)."""
        return sorted(self._catalog.upcoming_for_movie(event_id, city), key=lambda s: (s.starts_at, s.showtime_id))

    def venue(self, showtime: Showtime) -> Theater:
        return self._catalog.theater(showtime.theater_id)

    def events_in(self, city: str, *, on: date | None = None, kind: str | None = None, genre: str | None = None,
                  language: str | None = None, query: str | None = None) -> list[EventListing]:
        """Events in ``city`` (on a local date), filtered; the soonest first. The query is a case-insensitive
        part of the title or of a performer's name."""
        shows = [s for s in self._catalog.upcoming_in_city(city, listing="event") if on is None or s.local_date() == on]
        by_event: dict[str, list[Showtime]] = {}
        for show in sorted(shows, key=lambda s: (s.starts_at, s.showtime_id)):
            by_event.setdefault(show.movie_id, []).append(show)
        events = self._catalog.movies(by_event)
        listings = [EventListing(events[event_id], tuple(performances))
                    for event_id, performances in by_event.items()
                    if event_id in events and matches(events[event_id], kind=kind, genre=genre, language=language,
                                                      query=query)]
        return sorted(listings, key=lambda listing: (listing.first.starts_at, listing.event.title))

    def find_events(self, *, city: str | None = None, on: date | None = None, kind: str | None = None,
                    genre: str | None = None, language: str | None = None,
                    query: str | None = None) -> list[EventListing]:
        """Events with performances ahead (in ``city``, or in every city), filtered."""
        found: list[EventListing] = []
        for name in [city] if city else self._catalog.cities():
            found += self.events_in(name, on=on, kind=kind, genre=genre, language=language, query=query)
        return found

    def kinds(self) -> list[str]:
        return sorted({event.kind for event in self._catalog.all_events()})


def matches(event: Movie, *, kind: str | None = None, genre: str | None = None, language: str | None = None,
            query: str | None = None) -> bool:
    """The event search: kind, genre and language exact; the query part of the title or of a performer."""
    needle = (query or "").strip().casefold()
    names = [event.title, *event.cast]
    return ((not kind or event.kind == kind) and (not genre or genre in event.genres)
            and (not language or language in event.languages)
            and (not needle or any(needle in name.casefold() for name in names)))
