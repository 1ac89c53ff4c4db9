"""Movie search: typos forgiven (rapidfuzz), every city searched (the chosen one first), the query kept in the
box, and "1 movie" / "2 movies"."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from nicegui import ui
from nicegui.testing import User

from main import build_services
from services.catalog.search import title_matches
from services.clock import SystemClock, iso
from services.container import Services
from services.platform.aws import connect
from services.platform.schema import MOVIES, SHOWTIMES, THEATERS
from services.settings import Settings
from tests.conftest import SMALL_LAYOUT, SMALL_PRICES


@pytest.mark.parametrize(("query", "title"), [
    ("monsoom", "The Last Monsoon"), ("LAST monsoon", "The Last Monsoon"), ("kayal", "Kaayal"),
    ("orbit silence", "Orbit of Silence"), ("boundry", "Boundary Line"), ("pip", "Pip and the Paper Moon"),
    ("", "Anything"),
])
def test_typos_and_parts_of_titles_match(query: str, title: str) -> None:
    assert title_matches(query, title)


@pytest.mark.parametrize(("query", "title"), [
    ("zzzz-nothing", "The Last Monsoon"), ("ship", "Pip and the Paper Moon"), ("chai", "Agni Kshetra"),
    ("pop", "Pip and the Paper Moon"),  # three letters: no typo allowed, or everything would match
])
def test_unrelated_queries_do_not_match(query: str, title: str) -> None:
    assert not title_matches(query, title)


def test_the_catalog_search_forgives_typos(seeded: Services) -> None:
    titles = [movie.title for movie in seeded.catalog.find_movies(city="Mumbai", query="hollow havelli")]
    assert titles == ["The Hollow Haveli"]


@pytest.fixture
def elsewhere(app_env: Settings) -> str:
    """A film that plays only in a small town (not in the demo's cities), tomorrow evening."""
    backstage: Services = build_services(app_env, connect(app_env))
    aws = backstage.aws
    aws.table(MOVIES).put_item(Item={
        "movie_id": "zebra-crossing", "title": "Zebra Crossing", "genres": ["Drama"], "languages": ["Marathi"],
        "certificate": "U", "runtime_min": 100, "rating": Decimal("7.1"), "release_date": "2020-01-01",
        "catalog": "movie"})
    aws.table(THEATERS).put_item(Item={
        "theater_id": "tiny-theater", "name": "Tiny Cinema", "city": "Satara", "address": "1 Test Road",
        "timezone": "Asia/Kolkata", "catalog": "theater", "city_name": "Satara#Tiny Cinema",
        "screens": [{"screen_id": "tiny-1", "name": "Screen 1", "format": "2D", "prices": SMALL_PRICES,
                     "layout": SMALL_LAYOUT}]})
    starts = SystemClock().now().replace(microsecond=0) + timedelta(days=1)
    aws.table(SHOWTIMES).put_item(Item={
        "showtime_id": "zebra-show", "movie_id": "zebra-crossing", "theater_id": "tiny-theater",
        "screen_id": "tiny-1", "city": "Satara", "timezone": "Asia/Kolkata", "starts_at": iso(starts),
        "ends_at": iso(starts + timedelta(hours=2)), "language": "Marathi", "format": "2D", "prices": SMALL_PRICES})
    return "Satara"


async def test_search_keeps_the_query_and_looks_in_every_city(elsewhere: str, user: User) -> None:
    await user.open("/?city=Mumbai&q=monsoom")
    await user.should_see("The Last Monsoon")
    await user.should_see("1 movie")
    await user.should_not_see("1 movies")
    boxes = [element for element in user.find(kind=ui.input).elements if isinstance(element, ui.input)]
    assert boxes and all(box.value == "monsoom" for box in boxes)  # the query stays in the box
    await user.open("/?city=Mumbai&q=zebra%20crosing")
    await user.should_see(marker="no-results")  # not in Mumbai...
    await user.should_see("Playing in other cities", retries=100)  # ...but found elsewhere, with the way there
    await user.should_see("Zebra Crossing")
    await user.should_see(f"in {elsewhere}")
    hrefs = [card.props.get("href", "") for card in user.find(marker="movie-card").elements]
    assert "/movie/zebra-crossing?city=Satara" in hrefs  # the card leads to the city where it plays
