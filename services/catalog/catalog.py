"""The read side of the catalog: cities, theaters with their screens, movies and showtimes.

The catalog is small and read-mostly, so it is cached in process for a short time. Every read is a
GetItem, BatchGetItem or an index Query: no Scan on any path a user can trigger.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from boto3.dynamodb.conditions import Key

from services.catalog.layout_versions import archived_layout
from services.catalog.layouts import Layout, parse_layout
from services.catalog.models import Listing, Movie, Screen, Showtime, Theater, screen_key
from services.catalog.search import title_matches
from services.clock import Clock, iso, parse_iso
from services.errors import NotFound
from services.i18n import t
from services.platform import dynamo
from services.platform.aws import Aws
from services.platform.schema import MOVIES, SHOWTIMES, THEATERS

T = TypeVar("T")


class _TtlCache:
    """A tiny thread-safe cache: the catalog changes rarely and every page reads it."""

    def __init__(self, seconds: float) -> None:
        self._seconds = seconds
        self._entries: dict[Any, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: Any, load: Callable[[], T]) -> T:
        now = time.monotonic()
        with self._lock:
            entry = self._entries.get(key)
            if entry and entry[0] > now:
                return entry[1]
        value = load()
        with self._lock:
            self._entries[key] = (now + self._seconds, value)
        return value

    def peek(self, key: Any) -> Any | None:
        with self._lock:
            entry = self._entries.get(key)
            return entry[1] if entry and entry[0] > time.monotonic() else None

    def put(self, key: Any, value: Any) -> None:
        with self._lock:
            self._entries[key] = (time.monotonic() + self._seconds, value)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


class CatalogService:
    # How far ahead the city listings look; the demo schedules a week.
    HORIZON_DAYS = 8

    def __init__(self, aws: Aws, clock: Clock, cache_seconds: float = 30.0) -> None:
        self._aws = aws
        self._clock = clock
        self._cache = _TtlCache(cache_seconds)
        self._movies = aws.table(MOVIES)
        self._theaters = aws.table(THEATERS)
        self._showtimes = aws.table(SHOWTIMES)

    def invalidate(self) -> None:
        self._cache.clear()

    # Theaters and cities -------------------------------------------------------------------------
    def theaters(self) -> list[Theater]:
        def load() -> list[Theater]:
            items = _query_all(
                self._theaters, IndexName="all-theaters", KeyConditionExpression=Key("catalog").eq("theater")
            )
            return [_theater(item) for item in items]

        return self._cache.get("theaters", load)

    def cities(self) -> list[str]:
        return sorted({theater.city for theater in self.theaters()})

    def theaters_in(self, city: str) -> list[Theater]:
        """The city's cinemas (event venues are theaters of kind "venue": ``venues_in``)."""
        return [theater for theater in self.theaters() if theater.city == city and theater.kind == "cinema"]

    def venues_in(self, city: str) -> list[Theater]:
        return [theater for theater in self.theaters() if theater.city == city and theater.kind == "venue"]

    def theater(self, theater_id: str) -> Theater:
        for theater in self.theaters():
            if theater.theater_id == theater_id:
                return theater
        item = dynamo.get_item(self._theaters, {"theater_id": theater_id}, message=_unavailable())
        if not item:
            raise NotFound(t("That theater does not exist."))
        return _theater(item)

    # Movies ---------------------------------------------------------------------------------------
    def movie(self, movie_id: str) -> Movie:
        movies = self.movies([movie_id])
        if movie_id not in movies:
            raise NotFound(t("That movie does not exist."))
        return movies[movie_id]

    def movies(self, movie_ids: Iterable[str]) -> dict[str, Movie]:
        found: dict[str, Movie] = {}
        missing: list[str] = []
        for movie_id in sorted(set(movie_ids)):
            cached = self._cache.peek(("movie-item", movie_id))
            if cached is None:
                missing.append(movie_id)
            else:
                found[movie_id] = cached
        for movie_id, movie in self._load_movies(missing).items():
            self._cache.put(("movie-item", movie_id), movie)
            found[movie_id] = movie
        return found

    def all_movies(self) -> list[Movie]:
        return self._cache.get("all-movies", lambda: self.movies_in("movie"))

    def movies_in(self, partition: str) -> list[Movie]:
        """The listings of one partition of the all-movies index ("movie": the catalogue; "retired"; "event"),
        by title."""
        items = _query_all(self._movies, IndexName="all-movies", KeyConditionExpression=Key("catalog").eq(partition))
        return [_movie(item) for item in items]

    def all_events(self) -> list[Movie]:
        """Every event listing (concerts, comedy, plays...): in the Movies table under ``catalog = "event"``."""
        return self._cache.get("all-events", lambda: self.movies_in("event"))

    def _load_movies(self, movie_ids: list[str]) -> dict[str, Movie]:
        items = dynamo.batch_get_all(self._aws, self._aws.table_name(MOVIES), [{"movie_id": m} for m in movie_ids])
        return {movie.movie_id: movie for movie in map(_movie, items)}

    # Showtimes ------------------------------------------------------------------------------------
    def showtime(self, showtime_id: str) -> Showtime:
        def load() -> Showtime:
            item = dynamo.get_item(self._showtimes, {"showtime_id": showtime_id}, message=_unavailable())
            if not item:
                raise NotFound(t("That showtime does not exist."))
            return self._showtime(item)

        return self._cache.get(("showtime", showtime_id), load)

    def screen_of(self, showtime: Showtime) -> Screen:
        return self.theater(showtime.theater_id).screen(showtime.screen_id)

    def layout_of(self, showtime: Showtime) -> Layout:
        """The hall as the show was scheduled: an edited layout never changes a show already on sale."""
        screen = self.screen_of(showtime)
        if showtime.layout_version == screen.layout_version:
            return screen.layout
        key = (screen_key(showtime.theater_id, showtime.screen_id), showtime.layout_version)

        def load() -> Layout:
            data = archived_layout(self._aws, key[0], key[1])
            if data is None:  # never archived: cannot happen, the editor archives a version before replacing it
                raise NotFound(t("That screen does not exist."))
            return parse_layout(data)

        return self._cache.get(("layout", key), load)

    def upcoming_in_city(self, city: str, listing: str = "movie") -> list[Showtime]:
        """Shows (``listing="event"``: event performances) in a city that have not started yet, soonest first
        (one index Query, cached)."""
        now = self._clock.now()
        items = self._cache.get(("city", city), lambda: self._query_window("by-city-start", "city", city))
        return [showtime for showtime in items
                if showtime.starts_at > now and showtime.status != "cancelled" and showtime.listing == listing]

    def upcoming_for_movie(self, movie_id: str, city: str | None = None) -> list[Showtime]:
        """A movie's shows, or an event's performances (its id is the showtimes' ``movie_id``)."""
        now = self._clock.now()
        items = self._cache.get(("movie", movie_id), lambda: self._query_window("by-movie-start", "movie_id", movie_id))
        return [s for s in items if s.starts_at > now and (city is None or s.city == city) and s.status != "cancelled"]

    def _query_window(self, index: str, key: str, value: str) -> list[Showtime]:
        # A little into the past so a cached list stays right for its whole cache lifetime.
        start = self._clock.now() - timedelta(hours=1)
        end = start + timedelta(days=self.HORIZON_DAYS)
        items = _query_all(
            self._showtimes,
            IndexName=index,
            KeyConditionExpression=Key(key).eq(value) & Key("starts_at").between(iso(start), iso(end)),
        )
        return [self._showtime(item) for item in items]

    def playing_elsewhere(self, chosen: str, shown: set[str], *, on: date | None = None, genre: str | None = None,
                          language: str | None = None, query: str | None = None) -> list[tuple[str, Listing]]:
        """A search looks in every city: each matching movie not already shown for the chosen city, with the
        first other city it plays in."""
        found: dict[str, tuple[str, Listing]] = {}
        for city in self.cities():
            if city == chosen:
                continue
            for listing in self.now_showing(city, on=on, genre=genre, language=language, query=query):
                if listing.movie.movie_id not in shown:
                    found.setdefault(listing.movie.movie_id, (city, listing))
        return list(found.values())

    def now_showing(
        self,
        city: str,
        *,
        on: date | None = None,
        genre: str | None = None,
        language: str | None = None,
        query: str | None = None,
    ) -> list[Listing]:
        """What plays in ``city`` (on a local date), filtered; most shows first, then by rating."""
        showtimes = [s for s in self.upcoming_in_city(city) if on is None or s.local_date() == on]
        if language:
            showtimes = [s for s in showtimes if s.language == language]
        by_movie: dict[str, list[Showtime]] = {}
        for showtime in showtimes:
            by_movie.setdefault(showtime.movie_id, []).append(showtime)
        movies = self.movies(by_movie)
        listings = [
            Listing(movies[movie_id], tuple(shows))
            for movie_id, shows in by_movie.items()
            if movie_id in movies and not movies[movie_id].is_event
            and _matches(movies[movie_id], genre=genre, query=query)
        ]
        return sorted(listings, key=lambda listing: _best_first(listing.movie))

    def find_movies(
        self,
        *,
        city: str | None = None,
        on: date | None = None,
        genre: str | None = None,
        language: str | None = None,
        query: str | None = None,
    ) -> list[Movie]:
        """Movies matching the filters. With ``city`` or ``on`` (a local date) only those playing then and
        there (in any city when only a date is given), best rated first; else the whole catalogue."""
        if not city and not on:  # the catalogue in its own order (the index's: by id)
            return [m for m in self.all_movies() if _matches(m, genre=genre, language=language, query=query)]
        found: dict[str, Movie] = {}
        for name in [city] if city else self.cities():
            for listing in self.now_showing(name, on=on, genre=genre, language=language, query=query):
                found.setdefault(listing.movie.movie_id, listing.movie)
        return sorted(found.values(), key=_best_first)

    def showtime_from_item(self, item: dict[str, Any]) -> Showtime:
        """A showtime read by someone else's query (the staff reports)."""
        return self._showtime(item)

    def _showtime(self, item: dict[str, Any]) -> Showtime:
        return Showtime(
            showtime_id=item["showtime_id"],
            movie_id=item["movie_id"],
            theater_id=item["theater_id"],
            screen_id=item["screen_id"],
            city=item["city"],
            starts_at=parse_iso(item["starts_at"]),
            ends_at=parse_iso(item["ends_at"]),
            language=item["language"],
            format=item["format"],
            prices={code: int(value) for code, value in item["prices"].items()},
            timezone=item["timezone"],
            status=item.get("status", "scheduled"),
            layout_version=int(item.get("layout_version", 1)),
            listing=item.get("listing", "movie"),
            admission=item.get("admission", "seated"),
        )


def _matches(movie: Movie, *, genre: str | None = None, language: str | None = None,
             query: str | None = None) -> bool:
    """The movie search: genre and language exact, the query a part of the title, typos forgiven
    (``search.title_matches``)."""
    return ((not genre or genre in movie.genres) and (not language or language in movie.languages)
            and title_matches(query, movie.title))


def _best_first(movie: Movie) -> tuple[float, str]:
    return -float(movie.rating), movie.title


def _query_all(table: Any, **kwargs: Any) -> list[dict[str, Any]]:
    return dynamo.query_all(table, message=_unavailable(), **kwargs).items


def _unavailable() -> str:
    return t("The programme cannot be loaded just now. Please try again in a moment.")


def _movie(item: dict[str, Any]) -> Movie:
    return Movie(
        movie_id=item["movie_id"],
        title=item["title"],
        tagline=item.get("tagline", ""),
        genres=tuple(item.get("genres", [])),
        languages=tuple(item.get("languages", [])),
        certificate=item.get("certificate", ""),
        runtime_min=int(item.get("runtime_min", 0)),
        rating=float(item.get("rating", Decimal(0))),
        votes=int(item.get("votes", 0)),
        release_date=item.get("release_date", ""),
        director=item.get("director", ""),
        cast=tuple(item.get("cast", [])),
        synopsis=item.get("synopsis", ""),
        poster=item.get("poster", ""),
        poster_key=item.get("poster_key", ""),
        kind=item.get("kind", "movie"),
    )


def _theater(item: dict[str, Any]) -> Theater:
    screens = tuple(
        Screen(
            screen_id=screen["screen_id"],
            name=screen["name"],
            format=screen.get("format", "2D"),
            prices={code: int(value) for code, value in screen["prices"].items()},
            layout=parse_layout(screen["layout"]),
            layout_version=int(screen.get("layout_version", 1)),
        )
        for screen in item.get("screens", [])
    )
    return Theater(
        theater_id=item["theater_id"],
        name=item["name"],
        city=item["city"],
        address=item.get("address", ""),
        timezone=item["timezone"],
        screens=screens,
        kind=item.get("kind", "cinema"),
        map_url=item.get("map_url", ""),
    )
