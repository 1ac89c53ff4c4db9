"""What the benches share: their ``key=value`` output, percentiles, and the demo's largest hall."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from services.catalog.catalog import CatalogService
from services.clock import SystemClock
from services.platform.aws import connect
from services.settings import Settings


def out(**values: object) -> None:
    """One ``key=value`` line per value, flushed at once (the figures are read while a bench runs); floats
    to two decimals, enough for sub-millisecond channel figures and readable for seconds."""
    for key, value in values.items():
        print(f"{key}={round(value, 2)}" if isinstance(value, float) else f"{key}={value}", flush=True)


def pct(values: list[float], q: float) -> float:
    """The ``q`` quantile (nearest rank) of ``values``; NaN for none."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")


@dataclass(frozen=True)
class GrandShow:
    showtime_id: str
    seats: int  # in the hall
    movie_ids: list[str]  # up to 10 films playing in its city (for browsing customers)


def grand_show(endpoint: str) -> GrandShow:
    """The next show on sale (an hour ahead or more) in the demo's largest hall, read through the catalog of
    the embedded backend at ``endpoint``."""
    catalog = CatalogService(connect(Settings(backend="embedded", table_prefix="moviemagic-"), endpoint),
                             SystemClock())
    theater, screen = max(((t, s) for t in catalog.theaters() for s in t.screens),
                          key=lambda pair: pair[1].layout.capacity)
    soon = datetime.now(UTC) + timedelta(hours=1)
    upcoming = catalog.upcoming_in_city(theater.city)
    show = next(s for s in upcoming
                if s.theater_id == theater.theater_id and s.screen_id == screen.screen_id and s.starts_at > soon)
    return GrandShow(show.showtime_id, len(screen.layout.seats), sorted({s.movie_id for s in upcoming})[:10])
