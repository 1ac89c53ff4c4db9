"""The catalog's data: movies, theaters with their screens, showtimes, and a movie's listing in a city.

Plain frozen values, no I/O; ``services/catalog/catalog.py`` reads them from DynamoDB.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from services.catalog.layouts import Layout
from services.errors import NotFound
from services.i18n import t


def screen_key(theater_id: str, screen_id: str) -> str:
    """A screen's id unique across theaters: "<theater_id>.<screen_id>"."""
    return f"{theater_id}.{screen_id}"


@dataclass(frozen=True)
class Movie:
    movie_id: str
    title: str
    tagline: str
    genres: tuple[str, ...]
    languages: tuple[str, ...]
    certificate: str
    runtime_min: int
    rating: float
    votes: int
    release_date: str
    director: str
    cast: tuple[str, ...]
    synopsis: str
    poster: str  # a file under /assets (the demo's posters)
    poster_key: str = ""  # an uploaded poster's S3 stem (services/catalog/posters.py); wins over ``poster``
    # "movie", or an event's kind ("concert", "comedy", "theatre", ...): events are listings in the same table,
    # their performers in ``cast``, description in ``synopsis``, age rating in ``certificate``, duration in
    # ``runtime_min`` (docs/ARCHITECTURE.md, Events).
    kind: str = "movie"

    @property
    def is_event(self) -> bool:
        return self.kind != "movie"


@dataclass(frozen=True)
class Screen:
    screen_id: str
    name: str
    format: str
    prices: dict[str, int]
    layout: Layout
    layout_version: int = 1  # staff layout editor: each saved edit is a new version (services/staff/layouts.py)


@dataclass(frozen=True)
class Theater:
    theater_id: str
    name: str
    city: str
    address: str
    timezone: str
    screens: tuple[Screen, ...]
    kind: str = "cinema"  # or "venue": a place where events are performed (a club, an arena, a theatre)
    map_url: str = ""

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def screen(self, screen_id: str) -> Screen:
        for screen in self.screens:
            if screen.screen_id == screen_id:
                return screen
        raise NotFound(t("That screen does not exist."))


@dataclass(frozen=True)
class Showtime:
    showtime_id: str
    movie_id: str
    theater_id: str
    screen_id: str
    city: str
    starts_at: datetime  # UTC
    ends_at: datetime  # UTC
    language: str
    format: str
    prices: dict[str, int]  # category code -> minor units
    timezone: str
    status: str = "scheduled"  # or "cancelled" (staff console): no longer listed nor sold
    layout_version: int = 1  # the screen's layout version it was scheduled with (kept when the layout is edited)
    listing: str = "movie"  # or "event": ``movie_id`` is then the event's id (a performance of it)
    admission: str = "seated"  # "seated" (the hall's seats), "general" (GA ticket types only) or "mixed" (both)

    @property
    def has_seats(self) -> bool:
        return self.admission != "general"

    @property
    def has_ticket_types(self) -> bool:
        return self.admission != "seated"

    @property
    def screen_key(self) -> str:
        """The screen's id unique across theaters (screen ids repeat: every theater has a "screen-1")."""
        return screen_key(self.theater_id, self.screen_id)

    def local_start(self) -> datetime:
        return self.starts_at.astimezone(ZoneInfo(self.timezone))

    def local_date(self) -> date:
        return self.local_start().date()

    @property
    def min_price(self) -> int:
        return min(self.prices.values(), default=0)


@dataclass(frozen=True)
class Listing:
    """A movie as it plays in one city: its shows there and the lowest price."""

    movie: Movie
    showtimes: tuple[Showtime, ...]

    @property
    def from_price(self) -> int:
        return min(showtime.min_price for showtime in self.showtimes)

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(showtime.language for showtime in self.showtimes))
