"""Recommendations (issue 15): "Because you watched …" and "Popular in <city> this week", from aggregates
that every sale updates in its own transaction, so a recommendation reads a handful of items and never
walks the bookings.

Items (Recommendations table):
- ``city#<city>#<ISO week>`` / ``<movie_id>``: tickets sold that week in that city (cancellations subtract);
- ``co#<movie_id>`` / ``<other movie_id>``: how many customers booked both (item-to-item co-occurrence),
  counted once per customer and pair when the second of the two is booked;
- ``user#<user_id>`` / ``seen``: the movies the customer booked, newest last (what "you watched" means).

Ranking for a customer with a history: how often the customers who booked their last few movies also
booked each other movie (ties go to what sells this week); movies already seen are left out. Without a history (a new
customer), popularity in the city alone. The offline quality is measured by bench/bench_recommendations.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from boto3.dynamodb.conditions import Key

from services.booking.models import Booking
from services.catalog.catalog import CatalogService
from services.catalog.models import Listing
from services.clock import Clock, parse_iso
from services.platform import dynamo
from services.platform.aws import Aws
from services.platform.schema import RECOMMENDATIONS

RECENT = 5  # "because you watched": the customer's last few movies
PAIRS_PER_SALE = 15  # co-occurrence pairs a sale updates at most (keeps the transaction well under 100 items)


def week_of(moment: datetime, zone: str) -> str:
    year, week, _ = moment.astimezone(ZoneInfo(zone)).isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class Recommendations:
    because: str | None  # the title the "because you watched" row names (None: no history)
    for_you: list[Listing]
    popular: list[Listing]


class Recommender:
    def __init__(self, aws: Aws, clock: Clock, catalog: CatalogService) -> None:
        self._clock = clock
        self._catalog = catalog
        self._table = aws.table(RECOMMENDATIONS)
        self._table_name = aws.table_name(RECOMMENDATIONS)

    # On sale / cancel (BookingCounters shape, see services/engage/hooks.py) ------------------------
    def on_sale(self, booking: Booking) -> list[dict[str, Any]]:
        tickets = len(booking.seats)
        actions = [self._add(self._city_key(booking), booking.movie_id, tickets)]
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

    def for_city(self, user_id: str | None, city: str, limit: int = 5) -> Recommendations:
        listings = self._catalog.now_showing(city)
        theaters = self._catalog.theaters_in(city)
        zone = theaters[0].timezone if theaters else "UTC"
        popularity = self.popularity(city, zone)
        popular = sorted((listing for listing in listings if popularity.get(listing.movie.movie_id, 0) > 0),
                         key=lambda listing: -popularity[listing.movie.movie_id])[:limit]
        seen = self.seen(user_id) if user_id else []
        if not seen:
            return Recommendations(None, [], popular)
        by_id = {listing.movie.movie_id: listing for listing in listings}
        ranked = [by_id[movie_id] for movie_id in self.rank(seen, list(by_id), popularity)[:limit]]
        because = self._catalog.movies({seen[-1]}).get(seen[-1])
        return Recommendations(because.title if because else None, ranked, popular)

    # Helpers --------------------------------------------------------------------------------------
    def _city_key(self, booking: Booking) -> str:
        return f"city#{booking.city}#{week_of(parse_iso(booking.created_at), booking.timezone)}"

    def _add(self, scope: str, key: str, amount: int) -> dict[str, Any]:
        return {"Update": {"TableName": self._table_name, "Key": {"scope": scope, "key": key},
                           "UpdateExpression": "ADD n :n", "ExpressionAttributeValues": {":n": amount}}}

