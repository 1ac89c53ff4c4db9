"""Booking engine bench: seat-map cost vs table size, DynamoDB requests per operation, checkout throughput.

    .venv/bin/python bench/bench_booking.py [--other-seats 100000] [--buyers 20]

Runs on the embedded backend (moto in-process, one request at a time, over HTTP) with the demo
catalog, and prints ``key=value`` lines. moto's own query and transaction times grow with table
size (it copies whole tables per transaction), so judge scaling by items read and requests made.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import out  # noqa: E402
from main import build_services  # noqa: E402
from services.booking.models import Guest  # noqa: E402
from services.booking.payments import CardPayment  # noqa: E402
from services.catalog.demo import DemoCatalog  # noqa: E402
from services.clock import SystemClock  # noqa: E402
from services.container import Services  # noqa: E402
from services.platform.aws import connect  # noqa: E402
from services.platform.embedded import EmbeddedServer  # noqa: E402
from services.platform.provisioning import provision  # noqa: E402
from services.platform.schema import SEATS  # noqa: E402
from services.settings import Settings  # noqa: E402

CARD = CardPayment("4242424242424242")


class RequestCounter:
    """Counts DynamoDB API calls per operation with a botocore event hook."""

    def __init__(self, services: Services) -> None:
        self.counts: Counter[str] = Counter()
        self._lock = threading.Lock()
        services.aws.ddb.meta.events.register("before-call.dynamodb", self._count)

    def _count(self, model: Any, **_: Any) -> None:
        with self._lock:
            self.counts[model.name] += 1

    def measure(self, action: Any) -> tuple[Any, int, dict[str, int]]:
        before = Counter(self.counts)
        result = action()
        delta = self.counts - before
        return result, sum(delta.values()), dict(delta)


def build(endpoint: str) -> Services:
    secret = "bench-secret-0123456789abcdef"
    settings = Settings(backend="aws", endpoint_url=endpoint, table_prefix="bench-", api_secret=secret,
                        ticket_secret=secret, storage_secret=secret, bcrypt_rounds=4)
    aws = connect(settings)
    provision(aws)
    services = build_services(settings, aws, SystemClock())
    DemoCatalog(aws, services.clock, ROOT / "assets" / "catalog").load(days=2)
    return services


def showtimes_on_sale(services: Services, count: int) -> list[str]:
    """Tomorrow's shows in big halls (so every buyer finds seats), in a stable order."""
    tomorrow = services.clock.now() + timedelta(hours=20)
    shows = [s for city in services.catalog.cities() for s in services.catalog.upcoming_in_city(city)
             if s.starts_at > tomorrow and services.catalog.layout_of(s).capacity >= 300]
    return [s.showtime_id for s in sorted(shows, key=lambda s: s.showtime_id)][:count]


def free_seats(services: Services, showtime_id: str) -> list[str]:
    return [s.seat_id for s in services.inventory.seat_map(showtime_id).seats if s.status == "available"]


def sell_directly(services: Services, showtime_prefix: str, count: int, start: int = 0) -> float:
    """Write ``count`` sold seat items of other showtimes straight into the table (batch writes)."""
    started = time.perf_counter()
    with services.aws.table(SEATS).batch_writer() as writer:
        for n in range(start, start + count):
            writer.put_item(Item={"showtime_id": f"{showtime_prefix}{n // 500:05d}", "seat_id": f"S{n % 500}",
                                  "status": "sold", "booking_id": f"bk-bench-{n // 4}"})
    return time.perf_counter() - started


def seat_map_view(services: Services, showtime_id: str, runs: int = 15) -> tuple[float, int]:
    times, items = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        items = services.inventory.seat_map(showtime_id).items_read
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), items


def requests_per_operation(services: Services, counter: RequestCounter, showtime_id: str) -> None:
    catalog_warm = services.inventory.seat_map(showtime_id)  # the catalog cache is warm, as in the app
    services.catalog.movie(catalog_warm.showtime.movie_id)  # (the buyer came from the movie's page)
    seats = [s.seat_id for s in catalog_warm.seats if s.status == "available"][:4]
    guest = Guest("bench-requests", "bench@example.com")
    _, view, view_ops = counter.measure(lambda: services.inventory.seat_map(showtime_id, guest.user_id))
    hold, hold_n, hold_ops = counter.measure(lambda: services.inventory.hold(showtime_id, seats[:2], guest.user_id))
    _, again_n, _ = counter.measure(lambda: services.inventory.hold(showtime_id, seats[1:3], guest.user_id))
    booking, checkout_n, checkout_ops = counter.measure(lambda: services.bookings.checkout(hold.hold_id, guest, CARD))
    _, retry_n, _ = counter.measure(lambda: services.bookings.checkout(hold.hold_id, guest, CARD))
    _, cancel_n, _ = counter.measure(lambda: services.bookings.cancel(booking.booking_id, guest))
    other = services.inventory.hold(showtime_id, seats[3:4], guest.user_id)
    _, release_n, _ = counter.measure(lambda: services.inventory.release(other.hold_id, guest.user_id))
    out(requests_per_seatmap_view=view, requests_per_hold=hold_n, requests_per_hold_change=again_n,
        requests_per_checkout=checkout_n, requests_per_checkout_retry=retry_n, requests_per_cancel=cancel_n,
        requests_per_release=release_n)
    out(seatmap_ops=_ops(view_ops), hold_ops=_ops(hold_ops), checkout_ops=_ops(checkout_ops))


def _ops(ops: dict[str, int]) -> str:
    return ",".join(f"{name}:{count}" for name, count in sorted(ops.items()))


def throughput(services: Services, showtime_ids: list[str], buyers: int, per_buyer: int) -> None:
    """``buyers`` threads each book ``per_buyer`` times (2 seats each, their own seats: no conflicts)."""
    plans = []
    for showtime_id in showtime_ids:
        seats = free_seats(services, showtime_id)
        plans += [(showtime_id, seats[i:i + 2]) for i in range(0, len(seats) - 1, 2)]
    needed = buyers * per_buyer
    if len(plans) < needed:
        raise SystemExit(f"not enough free seats for {needed} bookings")
    latencies: list[float] = []
    lock = threading.Lock()

    def buyer(number: int) -> int:
        guest = Guest(f"bench-buyer-{number}", f"buyer{number}@example.com")
        for showtime_id, seats in plans[number * per_buyer:(number + 1) * per_buyer]:
            started = time.perf_counter()
            hold = services.inventory.hold(showtime_id, seats, guest.user_id)
            services.bookings.checkout(hold.hold_id, guest, CARD)
            with lock:
                latencies.append((time.perf_counter() - started) * 1000)
        return per_buyer

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=buyers) as pool:
        booked = sum(pool.map(buyer, range(buyers)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    out(concurrent_buyers=buyers, checkouts=booked, checkout_wall_s=round(elapsed, 2),
        checkouts_per_s=round(booked / elapsed, 1),
        hold_plus_checkout_ms_p50=round(latencies[len(latencies) // 2], 1),
        hold_plus_checkout_ms_p95=round(latencies[int(len(latencies) * 0.95) - 1], 1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--other-seats", type=int, default=100_000)
    parser.add_argument("--buyers", type=int, default=20)
    parser.add_argument("--per-buyer", type=int, default=5)
    args = parser.parse_args()

    server = EmbeddedServer()
    services = build(server.start())
    counter = RequestCounter(services)
    target, *others = showtimes_on_sale(services, 6)
    out(backend="embedded", target_showtime=target,
        target_capacity=services.catalog.layout_of(services.catalog.showtime(target)).capacity)

    requests_per_operation(services, counter, others[0])
    throughput(services, others[1:], args.buyers, args.per_buyer)

    # The target show has sales of its own (the same at both table sizes).
    for number, seats in enumerate([free_seats(services, target)[i:i + 4] for i in range(0, 60, 4)]):
        guest = Guest(f"bench-target-{number}", "t@example.com")
        services.bookings.checkout(services.inventory.hold(target, seats, guest.user_id).hold_id, guest, CARD)

    sell_directly(services, "bench-other-", 100)
    small_ms, small_items = seat_map_view(services, target)
    out(other_sold_seats_small=100, seatmap_view_ms_at_100=round(small_ms, 2), seatmap_items_read_at_100=small_items)

    load_s = sell_directly(services, "bench-other-", args.other_seats - 100, start=100)
    big_ms, big_items = seat_map_view(services, target)
    _, big_requests, _ = counter.measure(lambda: services.inventory.seat_map(target))
    out(other_sold_seats_large=args.other_seats, load_seconds=round(load_s, 1),
        seatmap_view_ms_at_large=round(big_ms, 2), seatmap_items_read_at_large=big_items,
        seatmap_requests_at_large=big_requests, seatmap_view_ms_ratio=round(big_ms / small_ms, 2),
        seatmap_items_read_ratio=round(big_items / small_items, 2))

    # One hold at the large size, to show moto's own transaction cost (it copies the table).
    seats = free_seats(services, target)[:2]
    started = time.perf_counter()
    services.inventory.hold(target, seats, "bench-large-hold")
    out(hold_ms_at_large_moto=round((time.perf_counter() - started) * 1000, 1))
    server.stop()


if __name__ == "__main__":
    main()
