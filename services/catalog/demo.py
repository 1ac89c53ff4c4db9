"""Loads the demo catalog (data files under ``assets/catalog``) and schedules a week of showtimes.

Showtimes are generated relative to today, in each theater's local time, so the demo never goes
stale. Loading is idempotent: items that exist are left alone (an edited catalog is not clobbered),
so every start only adds the days that have come into the window.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from services.clock import Clock, iso
from services.platform import dynamo
from services.platform.aws import Aws
from services.platform.schema import MOVIES, SHOWTIMES, THEATERS, Table

# The language a city's shows prefer when a movie is offered in several.
_CITY_LANGUAGES = {
    "Chennai": ("Tamil", "English", "Hindi"),
    "Hyderabad": ("Telugu", "Hindi", "English"),
    "Bengaluru": ("Kannada", "English", "Hindi", "Tamil", "Telugu"),
    "Kathmandu": ("Nepali", "Hindi", "English"),
}
_DEFAULT_LANGUAGES = ("Hindi", "English")
# Trailers and ads before the feature, and cleaning after: a show occupies its screen this much longer.
_SHOW_PADDING = timedelta(minutes=20)


@dataclass(frozen=True)
class SeedReport:
    movies: int
    theaters: int
    showtimes: int


class DemoCatalog:
    def __init__(self, aws: Aws, clock: Clock, catalog_dir: Path) -> None:
        self._aws = aws
        self._clock = clock
        self._dir = catalog_dir

    def load(self, days: int = 7) -> SeedReport:
        """Write what is missing: movies, theaters (with their seat layouts) and ``days`` of shows."""
        movies = self._read("movies.json")
        theaters = self._read("theaters.json")
        layouts = {path.stem: json.loads(path.read_text()) for path in sorted((self._dir / "layouts").glob("*.json"))}
        movie_items = [{**movie, "catalog": "movie"} for movie in movies]
        theater_items = [_theater_item(theater, layouts) for theater in theaters]
        showtime_items = list(self._schedule(movies, theaters, days))
        return SeedReport(
            movies=self._put_missing(MOVIES, "movie_id", movie_items),
            theaters=self._put_missing(THEATERS, "theater_id", theater_items),
            showtimes=self._put_missing(SHOWTIMES, "showtime_id", showtime_items),
        )

    def _read(self, name: str) -> list[dict[str, Any]]:
        return json.loads((self._dir / name).read_text(), parse_float=Decimal)

    def _schedule(self, movies: list[dict[str, Any]], theaters: list[dict[str, Any]], days: int) -> Any:
        today = self._clock.now().date()
        for theater in theaters:
            zone = ZoneInfo(theater["timezone"])
            local_today = self._clock.now().astimezone(zone).date()
            for offset in range(days):
                day = local_today + timedelta(days=offset)
                for screen_index, screen in enumerate(theater["screens"]):
                    for slot, start in enumerate(screen["shows"]):
                        movie = _pick_movie(movies, theater["theater_id"], screen_index, slot, day, today)
                        if movie is None:
                            continue
                        yield _showtime_item(theater, screen, movie, day, start, zone)

    def _put_missing(self, table: Table, key: str, items: list[dict[str, Any]]) -> int:
        """Batch-read which keys exist, then batch-write only the others."""
        name = self._aws.table_name(table)
        found = dynamo.batch_get_all(self._aws, name, [{key: item[key]} for item in items],
                                     ProjectionExpression="#k", ExpressionAttributeNames={"#k": key})
        existing = {item[key] for item in found}
        missing = [item for item in items if item[key] not in existing]
        with self._aws.table(table).batch_writer() as writer:
            for item in missing:
                writer.put_item(Item=item)
        return len(missing)


def _theater_item(theater: dict[str, Any], layouts: dict[str, dict[str, Any]]) -> dict[str, Any]:
    screens = []
    for screen in theater["screens"]:
        layout = layouts[screen["layout_id"]]
        screens.append({key: value for key, value in screen.items() if key != "shows"} | {"layout": layout})
    return {
        **{key: value for key, value in theater.items() if key != "screens"},
        "screens": screens,
        "catalog": "theater",
        "city_name": f"{theater['city']}#{theater['name']}",
    }


def _pick_movie(
    movies: list[dict[str, Any]], theater_id: str, screen_index: int, slot: int, day: date, today: date
) -> dict[str, Any] | None:
    """A stable but varied rotation: each screen changes films through the day and the week."""
    playing = [m for m in movies if date.fromisoformat(str(m["release_date"])) <= day]
    if not playing:
        return None
    seed = int(hashlib.sha256(theater_id.encode()).hexdigest()[:6], 16)
    index = seed + screen_index * 5 + slot * 3 + (day - today).days * 7
    return playing[index % len(playing)]


def _showtime_item(
    theater: dict[str, Any], screen: dict[str, Any], movie: dict[str, Any], day: date, start: str, zone: ZoneInfo
) -> dict[str, Any]:
    local_start = datetime.combine(day, time.fromisoformat(start), tzinfo=zone)
    starts_at = local_start.astimezone(UTC)
    ends_at = starts_at + timedelta(minutes=int(movie["runtime_min"])) + _SHOW_PADDING
    preferred = _CITY_LANGUAGES.get(theater["city"], _DEFAULT_LANGUAGES)
    language = next((lang for lang in preferred if lang in movie["languages"]), movie["languages"][0])
    return {
        "showtime_id": f"{theater['theater_id']}.{screen['screen_id']}.{day:%Y%m%d}.{start.replace(':', '')}",
        "movie_id": movie["movie_id"],
        "theater_id": theater["theater_id"],
        "screen_id": screen["screen_id"],
        "city": theater["city"],
        "timezone": theater["timezone"],
        "starts_at": iso(starts_at),
        "ends_at": iso(ends_at),
        "language": language,
        "format": screen.get("format", "2D"),
        "prices": screen["prices"],
    }
