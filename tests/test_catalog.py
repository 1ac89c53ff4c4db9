"""The demo catalog and browsing: cities, theaters, movies and a week of showtimes, read without a Scan."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from services.catalog.demo import DemoCatalog
from services.clock import FakeClock
from services.container import Services
from tests.conftest import CATALOG_DIR, fake_clock


@pytest.fixture
def operations(seeded: Services) -> Iterator[list[str]]:
    """Every DynamoDB operation the catalog makes while the test runs."""
    seen: list[str] = []

    def record(model: Any, **_: Any) -> None:
        seen.append(model.name)

    events = seeded.aws.dynamodb.meta.client.meta.events
    events.register("before-call.dynamodb.*", record)
    yield seen
    events.unregister("before-call.dynamodb.*", record)


def test_the_demo_catalog_has_what_the_product_promises(seeded: Services) -> None:
    catalog = seeded.catalog
    theaters = catalog.theaters()
    assert len(catalog.cities()) >= 5
    assert len(theaters) >= 10
    assert all(theater.address and theater.timezone for theater in theaters)
    screens = [screen for theater in theaters for screen in theater.screens]
    assert max(screen.layout.capacity for screen in screens) >= 2000
    assert len({screen.layout.capacity for screen in screens}) >= 4, "screens of different sizes"
    for screen in screens:
        assert set(screen.prices) == {category.code for category in screen.layout.categories}
    seats = [seat for screen in screens for seat in screen.layout.seats]
    assert any(seat.kind == "wheelchair" for seat in seats)
    assert any(seat.kind == "companion" for seat in seats)
    assert any(seat.blocked for seat in seats)
    assert len(catalog.all_movies()) >= 16


def test_showtimes_follow_each_theaters_local_clock(seeded: Services) -> None:
    clock = seeded.clock
    kathmandu = seeded.catalog.upcoming_in_city("Kathmandu")
    assert kathmandu, "Kathmandu has shows"
    for showtime in kathmandu:
        local = showtime.local_start()
        # Shows are scheduled on the hour or half hour in local time; UTC+05:45 moves them off it in UTC.
        assert local.minute in {0, 15, 30, 45}
        assert showtime.starts_at.minute != local.minute
    days = {showtime.local_date() for showtime in seeded.catalog.upcoming_in_city("Mumbai")}
    today = clock.now().date()
    assert days <= {today + timedelta(days=offset) for offset in range(3)}
    assert len(days) == 3


def test_seeding_twice_adds_nothing_and_a_later_day_adds_only_new_shows(seeded: Services) -> None:
    loader = DemoCatalog(seeded.aws, seeded.clock, CATALOG_DIR)
    again = loader.load(days=3)
    assert (again.movies, again.theaters, again.showtimes) == (0, 0, 0)
    later = DemoCatalog(seeded.aws, FakeClock(seeded.clock.now() + timedelta(days=1)), CATALOG_DIR).load(days=3)
    assert later.showtimes > 0 and later.movies == 0


def test_browsing_filters_by_date_genre_language_and_title(seeded: Services) -> None:
    catalog = seeded.catalog
    everything = catalog.now_showing("Chennai")
    assert everything
    tomorrow = seeded.clock.now().date() + timedelta(days=1)
    for listing in catalog.now_showing("Chennai", on=tomorrow):
        assert all(showtime.local_date() == tomorrow for showtime in listing.showtimes)
    genre = everything[0].movie.genres[0]
    assert all(genre in listing.movie.genres for listing in catalog.now_showing("Chennai", genre=genre))
    for listing in catalog.now_showing("Chennai", language="Tamil"):
        assert set(listing.languages) == {"Tamil"}
    title = everything[0].movie.title
    found = catalog.now_showing("Chennai", query=title[2:8].upper())
    assert title in [listing.movie.title for listing in found]
    assert catalog.now_showing("Chennai", query="no such film anywhere") == []


def test_past_shows_are_not_offered(seeded: Services) -> None:
    clock = fake_clock(seeded)
    clock.advance(hours=10)
    assert all(showtime.starts_at > clock.now() for showtime in seeded.catalog.upcoming_in_city("Delhi"))
    movie_id = seeded.catalog.upcoming_in_city("Delhi")[0].movie_id
    assert all(s.starts_at > clock.now() for s in seeded.catalog.upcoming_for_movie(movie_id, "Delhi"))


def test_browsing_never_scans(seeded: Services, operations: list[str]) -> None:
    catalog = seeded.catalog
    catalog.invalidate()
    for city in catalog.cities():
        for listing in catalog.now_showing(city):
            catalog.upcoming_for_movie(listing.movie.movie_id, city)
            catalog.movie(listing.movie.movie_id)
    assert operations, "the reads went to DynamoDB"
    assert "Scan" not in operations
    assert set(operations) <= {"Query", "GetItem", "BatchGetItem"}
