"""Recommendation quality offline (issue 15): hit rate @5 of the taste-based ranking (co-bookings + genres
weighted by ratings + languages + city sales, services/engage/recommendations.py: ``rank_for_taste``)
against the previous co-booking-only method (``rank``) and a popularity-only baseline, in the same run, on a
synthetic history with known tastes.

    .venv/bin/python bench/bench_recommendations.py [--users 300] [--history 4] [--seed 7]

Each synthetic customer has a favourite genre (among the demo catalog's four most common ones) and a
favourite language (Hindi, English, Tamil, Telugu), and books ``--history`` movies: with probability
``--taste`` a movie of that genre (one showing in their language if there is one), otherwise one drawn by
overall popularity (a few movies sell most, as in life); they watch in their language where the movie has
it. About half of what they saw they rate: 4-5 stars in their genre, 1-2 stars otherwise (reviews written
into the Reviews table). The last booking of each customer is held out; the rest goes through the real
aggregates (the sale transactions' actions, against the embedded moto server). Then, for each customer, the
three methods rank the movies they have not booked and a hit is the held-out movie in the top 5. Prints
``key=value`` lines: ``hit_rate_at_5_taste``, ``hit_rate_at_5_cooccurrence``, ``hit_rate_at_5_popularity``,
the lifts, and the requests one recommendation costs.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from services.booking.models import Booking  # noqa: E402
from services.booking.pricing import Price, PricedSeat  # noqa: E402
from services.catalog.catalog import CatalogService  # noqa: E402
from services.clock import FakeClock, iso  # noqa: E402
from services.engage.recommendations import Recommender  # noqa: E402
from services.engage.reviews import review_key  # noqa: E402
from services.platform import dynamo  # noqa: E402
from services.platform.aws import connect  # noqa: E402
from services.platform.embedded import EmbeddedServer  # noqa: E402
from services.platform.provisioning import provision  # noqa: E402
from services.platform.schema import MOVIES, REVIEWS, SHOWTIMES  # noqa: E402
from services.settings import Settings  # noqa: E402

CITY, ZONE, TOP = "Benchville", "Asia/Kolkata", 5


def out(**values: object) -> None:
    for key, value in values.items():
        print(f"{key}={value}", flush=True)


LANGUAGES = ("Hindi", "English", "Tamil", "Telugu")


@dataclass
class Customer:
    seen: list[tuple[str, str]] = field(default_factory=list)  # (movie, show language), in booking order
    ratings: dict[str, int] = field(default_factory=dict)


def catalog_movies() -> list[dict[str, object]]:
    return json.loads((ROOT / "assets" / "catalog" / "movies.json").read_text(), parse_float=Decimal)


def synthetic_history(users: int, length: int, taste: float, rng: random.Random) -> dict[str, Customer]:
    movies = catalog_movies()
    genres = Counter(genre for movie in movies for genre in movie["genres"])  # type: ignore[attr-defined]
    favourites = [genre for genre, _ in genres.most_common(4)]
    languages = {str(m["movie_id"]): list(m["languages"]) for m in movies}  # type: ignore[call-overload]
    by_genre = {genre: [str(m["movie_id"]) for m in movies if genre in m["genres"]]  # type: ignore[operator]
                for genre in favourites}
    ids = [str(movie["movie_id"]) for movie in movies]
    weights = [1 / (rank + 1) for rank in range(len(ids))]  # Zipf-like overall popularity
    history: dict[str, Customer] = {}
    for number in range(users):
        genre = favourites[number % len(favourites)]
        language = LANGUAGES[(number // len(favourites)) % len(LANGUAGES)]
        liked = by_genre[genre]
        customer = Customer()
        seen: list[str] = []
        while len(seen) < min(length, len(ids)):
            unseen_liked = [movie for movie in liked if movie not in seen] if rng.random() < taste else []
            in_language = [movie for movie in unseen_liked if language in languages[movie]]
            pick = rng.choice(in_language or unseen_liked) if unseen_liked else rng.choices(ids, weights)[0]
            if pick not in seen:
                seen.append(pick)
                spoken = language if language in languages[pick] else languages[pick][0]
                customer.seen.append((pick, spoken))
                if rng.random() < 0.5:
                    customer.ratings[pick] = rng.choice((4, 5)) if pick in liked else rng.choice((1, 2))
        history[f"user-{number}"] = customer
    return history


def booking(user_id: str, movie_id: str, language: str, now: datetime) -> Booking:
    seat = PricedSeat("A1", "A", 1, "classic", "Classic", 20000)
    return Booking(booking_id=f"bk-{user_id}-{movie_id}", hold_id="h", user_id=user_id, email="", status="confirmed",
                   showtime_id=f"bench-{movie_id}-{language}",
                   movie_id=movie_id, movie_title=movie_id, theater_id="t", theater_name="T",
                   theater_address="", city=CITY, timezone=ZONE, screen_id="1", screen_name="1", starts_at=now,
                   seats=(seat,), price=Price(20000, 0, 0, 20000, "INR"), created_at=iso(now), payment_id="p",
                   card_last4="")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--history", type=int, default=4)
    parser.add_argument("--taste", type=float, default=0.8)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = EmbeddedServer()
    endpoint = server.start()
    try:
        settings = Settings(backend="aws", endpoint_url=endpoint, table_prefix="benchrecs-", bcrypt_rounds=4,
                            api_secret="x" * 32, ticket_secret="x" * 32, storage_secret="x" * 32)
        aws = connect(settings)
        provision(aws)
        clock = FakeClock(datetime.now(UTC).replace(microsecond=0))
        catalog = CatalogService(aws, clock)
        recommender = Recommender(aws, clock, catalog)
        movies = catalog_movies()
        for movie in movies:
            aws.table(MOVIES).put_item(Item={**movie, "catalog": "movie"})
            for language in movie["languages"]:  # type: ignore[attr-defined]
                starts = clock.now() + timedelta(days=1)
                aws.table(SHOWTIMES).put_item(Item={
                    "showtime_id": f"bench-{movie['movie_id']}-{language}", "movie_id": movie["movie_id"],
                    "theater_id": "t", "screen_id": "1", "city": CITY, "timezone": ZONE, "starts_at": iso(starts),
                    "ends_at": iso(starts + timedelta(hours=3)), "language": language, "format": "2D",
                    "prices": {"classic": 20000}})
        history = synthetic_history(args.users, args.history, args.taste, random.Random(args.seed))
        started = time.perf_counter()
        for user_id, customer in history.items():
            for movie_id, language in customer.seen[:-1]:  # the last one is held out
                dynamo.transact_write(aws, recommender.on_sale(booking(user_id, movie_id, language, clock.now())))
                if movie_id in customer.ratings:
                    aws.table(REVIEWS).put_item(Item={"movie_id": movie_id, "review_key": review_key(user_id),
                                                      "rating": customer.ratings[movie_id]})
        out(users=args.users, history=args.history, taste=args.taste,
            sales_recorded=sum(len(c.seen) - 1 for c in history.values()),
            record_s=round(time.perf_counter() - started, 1))
        candidates = sorted(str(m["movie_id"]) for m in movies)
        by_id = catalog.movies(candidates)
        popularity = recommender.popularity(CITY, ZONE)
        by_popularity = sorted(candidates, key=lambda movie: -popularity.get(movie, 0))
        hits = Counter[str]()
        started = time.perf_counter()
        for user_id, customer in history.items():
            seen, held_out = [movie for movie, _ in customer.seen[:-1]], customer.seen[-1][0]

            def filled(ranked: list[str], seen: list[str] = seen) -> list[str]:
                return (ranked + [m for m in by_popularity if m not in seen and m not in ranked])[:TOP]

            taste = recommender.taste(user_id)
            hits["taste"] += held_out in filled(recommender.rank_for_taste(taste, list(by_id.values()), popularity))
            hits["cooccurrence"] += held_out in filled(recommender.rank(seen, candidates, popularity))
            hits["popularity"] += held_out in filled([])
        rates = {name: hits[name] / len(history) for name in ("taste", "cooccurrence", "popularity")}
        out(**{f"hit_rate_at_5_{name}": round(rate, 3) for name, rate in rates.items()})
        out(lift_taste_vs_popularity=round(rates["taste"] / rates["popularity"], 2) if rates["popularity"] else "inf",
            lift_taste_vs_cooccurrence=round(rates["taste"] / rates["cooccurrence"], 2)
            if rates["cooccurrence"] else "inf",
            # The customer's partition (Query), their reviews (BatchGet), one Query per recent liked movie, the
            # city's week (Query); the catalog is cached in process.
            requests_per_recommendation=3 + min(args.history - 1, 5),
            rank_ms=round((time.perf_counter() - started) * 1000 / len(history), 1))
    finally:
        server.stop()


if __name__ == "__main__":
    main()
