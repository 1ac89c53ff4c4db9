"""Recommendations (issue 15): "Because you watched …" and "Popular in <city> this week", from aggregates
that every sale updates in its own transaction, so a recommendation reads a handful of items and never
walks the bookings.

Items (Recommendations table):
- ``city#<city>#<ISO week>`` / ``<movie_id>``: tickets sold that week in that city (cancellations subtract);
- ``co#<movie_id>`` / ``<other movie_id>``: how many customers booked both (item-to-item co-occurrence),
  counted once per customer and pair when the second of the two is booked;
- ``user#<user_id>`` / ``seen``: the movies the customer booked, newest last (what "you watched" means);
- ``user#<user_id>`` / ``lang#<language>``: how many of their bookings were shows in that language.

A customer's taste (``Taste``, read with one Query of their partition and one BatchGet of their reviews of
what they saw): the genres of what they watched, weighted by how they rated it (4-5 stars count double,
unrated once, 1-2 stars against), the languages they book, and their ratings. Ranking (``rank_for_taste``)
scores each unseen movie now showing in the city by co-bookings with their recent liked movies, genre
affinity, language fit and what sells in the city this week; a movie like one they rated 1-2 stars (a genre
that nets out against them) is left out. Without a history (a new customer), popularity in the city alone.
The offline quality is measured by bench/bench_recommendations.py (this, co-bookings alone, popularity).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from boto3.dynamodb.conditions import Key

from services.booking.models import Booking
from services.catalog.catalog import CatalogService
from services.catalog.models import Listing, Movie
from services.clock import Clock, parse_iso
from services.engage.reviews import review_key
from services.errors import NotFound
from services.platform import dynamo
from services.platform.aws import Aws
from services.platform.schema import RECOMMENDATIONS, REVIEWS

RECENT = 5  # "because you watched": the customer's last few movies
PAIRS_PER_SALE = 15  # co-occurrence pairs a sale updates at most (keeps the transaction well under 100 items)
RATED = 50  # the most recent movies whose ratings are read (one BatchGet)
LIKED, DISLIKED = 4, 2  # stars: at least LIKED boosts, at most DISLIKED excludes what is like it
# How much each signal counts (each scaled to 0..1 first); tuned on bench/bench_recommendations.py.
WEIGHTS = {"co": 1.5, "genre": 1.5, "language": 0.5, "popular": 0.3}


def week_of(moment: datetime, zone: str) -> str:
    year, week, _ = moment.astimezone(ZoneInfo(zone)).isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class Taste:
    """What a customer's history says they like."""

    seen: list[str]  # movie ids, newest last
    ratings: dict[str, int] = field(default_factory=dict)  # movie id -> stars, where they reviewed it
    languages: dict[str, int] = field(default_factory=dict)  # show language -> bookings

    def weight(self, movie_id: str) -> int:
        stars = self.ratings.get(movie_id)
        if stars is None:
            return 1
        return 2 if stars >= LIKED else -2 if stars <= DISLIKED else 1

    def liked_recent(self) -> list[str]:
        """The recent movies to find co-bookings from: not the ones they rated low."""
        return [movie_id for movie_id in self.seen if self.weight(movie_id) > 0][-RECENT:]


@dataclass(frozen=True)
class Recommendations:
    because: str | None  # the title the "because you watched" row names (None: no history)
    for_you: list[Listing]
    popular: list[Listing]


class Recommender:
    def __init__(self, aws: Aws, clock: Clock, catalog: CatalogService) -> None:
        self._aws = aws
        self._clock = clock
        self._catalog = catalog
        self._reviews_name = aws.table_name(REVIEWS)
        self._table = aws.table(RECOMMENDATIONS)
        self._table_name = aws.table_name(RECOMMENDATIONS)

    # On sale / cancel (BookingCounters shape, see services/engage/hooks.py) ------------------------
    def on_sale(self, booking: Booking) -> list[dict[str, Any]]:
        tickets = len(booking.seats)
        actions = [self._add(self._city_key(booking), booking.movie_id, tickets)]
        language = self._show_language(booking.showtime_id)
        if language:
            actions.append(self._add(f"user#{booking.user_id}", f"lang#{language}", 1))
        seen = self.seen(booking.user_id)
        if booking.movie_id not in seen:
            for other in seen[-PAIRS_PER_SALE:]:
                actions += [self._add(f"co#{other}", booking.movie_id, 1),
                            self._add(f"co#{booking.movie_id}", other, 1)]
            actions.append({"Update": {
                "TableName": self._table_name, "Key": {"scope": f"user#{booking.user_id}", "key": "seen"},
                "UpdateExpression": "SET movies = list_append(if_not_exists(movies, :empty), :movie)",
                "ExpressionAttributeValues": {":empty": [], ":movie": [booking.movie_id]}}})
        return actions

    def on_cancel(self, booking: Booking) -> list[dict[str, Any]]:
        """A refunded sale no longer counts as selling (the customer's interest stays in their history)."""
        return [self._add(self._city_key(booking), booking.movie_id, -len(booking.seats))]

    # Reading --------------------------------------------------------------------------------------
    def seen(self, user_id: str) -> list[str]:
        item = dynamo.get_item(self._table, {"scope": f"user#{user_id}", "key": "seen"}, consistent=True)
        return list(item.get("movies", [])) if item else []

    def popularity(self, city: str, zone: str) -> dict[str, int]:
        """Tickets per movie in ``city`` this ISO week (one Query of a partition the size of the catalog)."""
        scope = f"city#{city}#{week_of(self._clock.now(), zone)}"
        found = dynamo.query_all(self._table, KeyConditionExpression=Key("scope").eq(scope))
        return {item["key"]: int(item.get("n", 0)) for item in found.items}

    def co_occurring(self, movie_id: str) -> dict[str, int]:
        found = dynamo.query_all(self._table, KeyConditionExpression=Key("scope").eq(f"co#{movie_id}"))
        return {item["key"]: int(item.get("n", 0)) for item in found.items}

    def rank(self, seen: list[str], candidates: list[str], popularity: dict[str, int]) -> list[str]:
        """Unseen candidates booked by the same customers as the recent movies, most co-bookings first
        (ties: what sells more this week). Movies nobody co-booked are left to the "popular" row."""
        together: dict[str, int] = {}
        for recent in seen[-RECENT:]:
            for other, count in self.co_occurring(recent).items():
                together[other] = together.get(other, 0) + count
        found = [movie_id for movie_id in candidates if together.get(movie_id, 0) > 0 and movie_id not in seen]
        return sorted(found, key=lambda movie_id: (-together[movie_id], -popularity.get(movie_id, 0)))

    def taste(self, user_id: str) -> Taste:
        """The customer's history, languages and ratings: one Query of their partition, one BatchGet of reviews."""
        found = dynamo.query_all(self._table, KeyConditionExpression=Key("scope").eq(f"user#{user_id}"),
                                 ConsistentRead=True)
        seen: list[str] = []
        languages: dict[str, int] = {}
        for item in found.items:
            if item["key"] == "seen":
                seen = list(item.get("movies", []))
            elif item["key"].startswith("lang#") and int(item.get("n", 0)) > 0:
                languages[item["key"].removeprefix("lang#")] = int(item["n"])
        keys = [{"movie_id": movie_id, "review_key": review_key(user_id)} for movie_id in dict.fromkeys(seen[-RATED:])]
        reviews = dynamo.batch_get_all(self._aws, self._reviews_name, keys,
                                       ProjectionExpression="movie_id, rating") if keys else []
        ratings = {item["movie_id"]: int(item["rating"]) for item in reviews if "rating" in item}
        return Taste(seen, ratings, languages)

    def rank_for_taste(self, taste: Taste, candidates: list[Movie], popularity: dict[str, int]) -> list[str]:
        """Unseen candidates by a blend of co-bookings, genres, languages and city sales; those like a movie the
        customer rated low (their genres net out against them) are left out."""
        seen = set(taste.seen)
        together: Counter[str] = Counter()
        for recent in taste.liked_recent():
            together.update(self.co_occurring(recent))
        genre_weight: Counter[str] = Counter()
        movies = self._catalog.movies(set(taste.seen))
        for movie_id in taste.seen:
            movie = movies.get(movie_id)
            for genre in movie.genres if movie else []:
                genre_weight[genre] += taste.weight(movie_id)
        disliked = {genre for movie_id in taste.seen if taste.weight(movie_id) < 0
                    for genre in (movies[movie_id].genres if movie_id in movies else [])}
        top_co = max(together.values(), default=0) or 1
        top_genre = max((w for w in genre_weight.values() if w > 0), default=0) or 1
        top_pop = max(popularity.values(), default=0) or 1
        booked = sum(taste.languages.values()) or 1
        scored: list[tuple[float, str]] = []
        for movie in candidates:
            if movie.movie_id in seen:
                continue
            affinity = sum(genre_weight.get(genre, 0) for genre in movie.genres)
            if affinity <= 0 and disliked & set(movie.genres):
                continue  # like something they rated low, and nothing they liked
            language = max((taste.languages.get(name, 0) for name in movie.languages), default=0) / booked
            score = (WEIGHTS["co"] * together.get(movie.movie_id, 0) / top_co
                     + WEIGHTS["genre"] * max(affinity, 0) / (top_genre * max(1, len(movie.genres)) ** 0.5)
                     + WEIGHTS["language"] * language
                     + WEIGHTS["popular"] * popularity.get(movie.movie_id, 0) / top_pop)
            if score > 0:
                scored.append((score, movie.movie_id))
        scored.sort(key=lambda pair: (-pair[0], pair[1]))
        return [movie_id for _score, movie_id in scored]

    def for_city(self, user_id: str | None, city: str, limit: int = 5) -> Recommendations:
        listings = self._catalog.now_showing(city)
        theaters = self._catalog.theaters_in(city)
        zone = theaters[0].timezone if theaters else "UTC"
        popularity = self.popularity(city, zone)
        popular = sorted((listing for listing in listings if popularity.get(listing.movie.movie_id, 0) > 0),
                         key=lambda listing: -popularity[listing.movie.movie_id])[:limit]
        taste = self.taste(user_id) if user_id else Taste([])
        if not taste.seen:
            return Recommendations(None, [], popular)
        by_id = {listing.movie.movie_id: listing for listing in listings}
        ranked = [by_id[movie_id] for movie_id in
                  self.rank_for_taste(taste, [listing.movie for listing in listings], popularity)[:limit]]
        named = (taste.liked_recent() or taste.seen)[-1]
        because = self._catalog.movies({named}).get(named)
        return Recommendations(because.title if because else None, ranked, popular)

    # Helpers --------------------------------------------------------------------------------------
    def _show_language(self, showtime_id: str) -> str:
        try:
            return self._catalog.showtime(showtime_id).language
        except NotFound:
            return ""

    def _city_key(self, booking: Booking) -> str:
        return f"city#{booking.city}#{week_of(parse_iso(booking.created_at), booking.timezone)}"

    def _add(self, scope: str, key: str, amount: int) -> dict[str, Any]:
        return {"Update": {"TableName": self._table_name, "Key": {"scope": scope, "key": key},
                           "UpdateExpression": "ADD n :n", "ExpressionAttributeValues": {":n": amount}}}

