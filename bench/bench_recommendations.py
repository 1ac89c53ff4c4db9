"""Recommendation quality offline (issue 15): hit rate @5 of "Because you watched" (item-to-item
co-occurrence, services/engage/recommendations.py) against a popularity-only baseline, on a synthetic
history with known tastes.

    .venv/bin/python bench/bench_recommendations.py [--users 300] [--history 4] [--seed 7]

Each synthetic customer has one favourite genre (among the demo catalog's four most common ones) and books
``--history`` movies: with probability ``--taste`` a movie of that genre, otherwise one drawn by overall
popularity (a few movies sell most, as in life). The last booking of each customer is held out; the
rest goes through the real aggregates (the sale transactions' actions, against the embedded moto server).
Then, for each customer, both methods rank the movies they have not booked and a hit is the held-out
movie in the top 5. Prints ``key=value`` lines: ``hit_rate_at_5_cooccurrence``,
``hit_rate_at_5_popularity``, ``lift``, and the requests one recommendation costs.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from services.booking.models import Booking  # noqa: E402
from services.booking.pricing import Price, PricedSeat  # noqa: E402
from services.catalog.catalog import CatalogService  # noqa: E402
from services.clock import FakeClock, iso  # noqa: E402
from services.engage.recommendations import Recommender  # noqa: E402
from services.platform import dynamo  # noqa: E402
from services.platform.aws import connect  # noqa: E402
from services.platform.embedded import EmbeddedServer  # noqa: E402
from services.platform.provisioning import provision  # noqa: E402
from services.settings import Settings  # noqa: E402

CITY, ZONE, TOP = "Benchville", "Asia/Kolkata", 5


def out(**values: object) -> None:
    for key, value in values.items():
        print(f"{key}={value}", flush=True)


def synthetic_history(users: int, length: int, taste: float, rng: random.Random) -> dict[str, list[str]]:
    movies = json.loads((ROOT / "assets" / "catalog" / "movies.json").read_text())
    genres = Counter(genre for movie in movies for genre in movie["genres"])
    favourites = [genre for genre, _ in genres.most_common(4)]
    by_genre = {genre: [m["movie_id"] for m in movies if genre in m["genres"]] for genre in favourites}
    ids = [movie["movie_id"] for movie in movies]
    weights = [1 / (rank + 1) for rank in range(len(ids))]  # Zipf-like overall popularity
    history: dict[str, list[str]] = {}
    for number in range(users):
        liked = by_genre[favourites[number % len(favourites)]]
        seen: list[str] = []
        while len(seen) < min(length, len(ids)):
            unseen_liked = [movie for movie in liked if movie not in seen] if rng.random() < taste else []
            pick = rng.choice(unseen_liked) if unseen_liked else rng.choices(ids, weights)[0]
            if pick not in seen:
                seen.append(pick)
        history[f"user-{number}"] = seen
    return history


def booking(user_id: str, movie_id: str, now: datetime) -> Booking:
    seat = PricedSeat("A1", "A", 1, "classic", "Classic", 20000)
    return Booking(booking_id=f"bk-{user_id}-{movie_id}", hold_id="h", user_id=user_id, email="", status="confirmed",
                   showtime_id="s", movie_id=movie_id, movie_title=movie_id, theater_id="t", theater_name="T",
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
        recommender = Recommender(aws, clock, CatalogService(aws, clock))
        history = synthetic_history(args.users, args.history, args.taste, random.Random(args.seed))
        started = time.perf_counter()
        for user_id, movies in history.items():
            for movie_id in movies[:-1]:  # the last one is held out
                dynamo.transact_write(aws, recommender.on_sale(booking(user_id, movie_id, clock.now())))
        out(users=args.users, history=args.history, taste=args.taste,
            sales_recorded=sum(len(m) - 1 for m in history.values()), record_s=round(time.perf_counter() - started, 1))
        candidates = sorted({movie for movies in history.values() for movie in movies}
                            | {m["movie_id"] for m in json.loads((ROOT / "assets/catalog/movies.json").read_text())})
        popularity = recommender.popularity(CITY, ZONE)
        by_popularity = sorted(candidates, key=lambda movie: -popularity.get(movie, 0))
        hits_co = hits_pop = 0
        calls = 0
        for movies in history.values():
            seen, held_out = movies[:-1], movies[-1]
            ranked = recommender.rank(seen, candidates, popularity)
            calls += 1 + min(len(seen), 5)  # seen item + one Query per recent movie
            top = (ranked + [m for m in by_popularity if m not in seen and m not in ranked])[:TOP]
            baseline = [m for m in by_popularity if m not in seen][:TOP]
            hits_co += held_out in top
            hits_pop += held_out in baseline
        rate_co, rate_pop = hits_co / len(history), hits_pop / len(history)
        out(hit_rate_at_5_cooccurrence=round(rate_co, 3), hit_rate_at_5_popularity=round(rate_pop, 3),
            lift=round(rate_co / rate_pop, 2) if rate_pop else "inf",
            requests_per_recommendation=round(calls / len(history), 1) + 1)  # + the city's popularity Query
    finally:
        server.stop()


if __name__ == "__main__":
    main()
