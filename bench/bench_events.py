"""General-admission bench (events, issue 17): DynamoDB requests per GA hold / checkout / release, and how a
quota holds up under racing buyers (throughput, sold vs capacity).

    .venv/bin/python bench/bench_events.py [--buyers 50] [--capacity 120] [--threads 16]

Runs on the embedded backend (moto in-process, one request at a time, over HTTP) with the demo events, and
prints ``key=value`` lines. Never part of pass/fail.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from main import build_services  # noqa: E402
from services.booking.models import Guest  # noqa: E402
from services.booking.payments import CardPayment  # noqa: E402
from services.clock import SystemClock  # noqa: E402
from services.container import Services  # noqa: E402
from services.errors import SoldOut  # noqa: E402
from services.events.demo import DemoEvents  # noqa: E402
from services.events.models import TicketType  # noqa: E402
from services.platform import dynamo  # noqa: E402
from services.platform.aws import connect  # noqa: E402
from services.platform.embedded import EmbeddedServer  # noqa: E402
from services.platform.provisioning import provision  # noqa: E402
from services.platform.schema import SHOWTIMES  # noqa: E402
from services.settings import Settings  # noqa: E402

CARD = CardPayment("4242424242424242")


class RequestCounter:
    def __init__(self, services: Services) -> None:
        self.counts: Counter[str] = Counter()
        self._lock = threading.Lock()
        services.aws.ddb.meta.events.register("before-call.dynamodb", self._count)

    def _count(self, model: Any, **_: Any) -> None:
        with self._lock:
            self.counts[model.name] += 1

    def measure(self, action: Any) -> int:
        before = sum(self.counts.values())
        action()
        return sum(self.counts.values()) - before


def out(**values: object) -> None:
    for key, value in values.items():
        print(f"{key}={value}", flush=True)


def build(endpoint: str) -> Services:
    secret = "bench-secret-0123456789abcdef"
    settings = Settings(backend="aws", endpoint_url=endpoint, table_prefix="bench-", api_secret=secret,
                        ticket_secret=secret, storage_secret=secret, bcrypt_rounds=4)
    aws = connect(settings)
    provision(aws)
    services = build_services(settings, aws, SystemClock())
    DemoEvents(aws, services.clock, ROOT / "assets" / "catalog").load()
    return services


def race_show(services: Services, capacity: int) -> str:
    """A fresh GA performance of the demo comedy night with one "Standing" type of ``capacity``."""
    comedy = services.events.catalog.performances("laugh-riot-late-night")[-1]
    showtime_id = f"{comedy.showtime_id}.bench"
    table = services.aws.table(SHOWTIMES)
    source = table.get_item(Key={"showtime_id": comedy.showtime_id})["Item"]
    table.put_item(Item={**source, "showtime_id": showtime_id})
    ticket = TicketType("standing", "Standing", capacity, 50000, 4)
    dynamo.transact_write(services.aws, [services.events.quotas.add_ticket_type_action(showtime_id, ticket)])
    services.catalog.invalidate()
    return showtime_id


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--buyers", type=int, default=50)
    parser.add_argument("--capacity", type=int, default=120)
    parser.add_argument("--threads", type=int, default=16)
    args = parser.parse_args()
    server = EmbeddedServer()
    services = build(server.start())
    counter = RequestCounter(services)
    quotas, bookings = services.events.quotas, services.bookings
    show = race_show(services, args.capacity)
    quotas.ticket_types(show)  # warm the catalog cache, as in the app
    services.catalog.showtime(show)
    buyer = Guest("bench-one", "one@example.com")
    holds: list[Any] = []
    out(requests_per_ga_hold=counter.measure(lambda: holds.append(quotas.hold(show, {"standing": 2}, buyer.user_id))))
    out(requests_per_ga_hold_change=counter.measure(lambda: holds.append(quotas.hold(show, {"standing": 3},
                                                                                     buyer.user_id))))
    out(requests_per_ga_checkout=counter.measure(lambda: bookings.checkout(holds[-1].hold_id, buyer, CARD)))
    other = quotas.hold(show, {"standing": 1}, "bench-two")
    out(requests_per_ga_release=counter.measure(lambda: quotas.release(other.hold_id, "bench-two")))

    timings: list[float] = []
    lock = threading.Lock()

    def buy(index: int) -> str:
        guest = Guest(f"racer-{index}", f"racer{index}@example.com")
        started = time.perf_counter()
        try:
            hold = quotas.hold(show, {"standing": 1 + index % 4}, guest.user_id)
            bookings.checkout(hold.hold_id, guest, CARD)
        except SoldOut:
            return "sold_out"
        with lock:
            timings.append((time.perf_counter() - started) * 1000)
        return "bought"

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.threads) as pool:
        outcomes = list(pool.map(buy, range(args.buyers)))
    elapsed = time.perf_counter() - started
    ticket = next(t for t in quotas.ticket_types(show) if t.type_id == "standing")
    confirmed = [b for b in bookings.for_showtime(show) if b.status == "confirmed"]
    out(race_buyers=args.buyers, race_capacity=ticket.capacity, race_sold=ticket.sold, race_free=ticket.free,
        race_held=ticket.held, race_tickets_in_bookings=sum(len(b.seats) for b in confirmed),
        race_bought=outcomes.count("bought"), race_sold_out=outcomes.count("sold_out"),
        ga_checkouts_per_s=round(outcomes.count("bought") / elapsed, 1),
        ga_hold_plus_checkout_ms_p50=round(statistics.median(timings), 1) if timings else "n/a",
        ga_hold_plus_checkout_ms_p95=round(sorted(timings)[int(len(timings) * 0.95) - 1], 1) if timings else "n/a",
        oversold=ticket.sold > ticket.capacity)
    server.stop()


if __name__ == "__main__":
    main()
