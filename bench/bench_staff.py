"""Staff console bench: what the analytics page costs for 30 days x 12 theaters as bookings grow, and
how fast the door answers a scan.

    .venv/bin/python bench/bench_staff.py [--bookings 40 200] [--scans 100]

Runs on the embedded backend (moto in-process, over HTTP, one request at a time) with the demo catalog
scheduled for 30 days, and prints ``key=value`` lines:
- ``report_requests_at_N`` / ``report_items_read_at_N``: DynamoDB requests and items read (Query
  ScannedCount) for one report per theater (12) over 30 days, after N bookings spread over the same
  shows. Flat in N: the report reads per-day and per-show counters and the showtimes, never the bookings.
- ``checkin_ms_p50`` / ``_p95``: CheckinService.admit (verify the signed token, read the booking,
  one conditional transaction) over ``--scans`` different tickets of today's shows.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from main import build_services  # noqa: E402
from services.booking.bookings import Booking  # noqa: E402
from services.booking.payments import CardPayment  # noqa: E402
from services.catalog.demo import DemoCatalog  # noqa: E402
from services.clock import FakeClock  # noqa: E402
from services.container import Services  # noqa: E402
from services.platform.aws import connect  # noqa: E402
from services.platform.embedded import EmbeddedServer  # noqa: E402
from services.platform.provisioning import provision  # noqa: E402
from services.settings import Settings  # noqa: E402

CARD = CardPayment("4242424242424242")
DAYS = 30


def out(**values: object) -> None:
    for key, value in values.items():
        print(f"{key}={value}", flush=True)


def build(endpoint: str) -> Services:
    secret = "bench-secret-0123456789abcdef"
    settings = Settings(backend="aws", endpoint_url=endpoint, table_prefix="benchstaff-", api_secret=secret,
                        ticket_secret=secret, storage_secret=secret, bcrypt_rounds=4)
    aws = connect(settings)
    provision(aws)
    # Early morning in India: today's shows are all still ahead (the door needs shows today).
    clock = FakeClock(datetime.now(UTC).replace(hour=2, minute=0, second=0, microsecond=0))
    services = build_services(settings, aws, clock)
    started = time.perf_counter()
    report = DemoCatalog(aws, clock, ROOT / "assets" / "catalog").load(days=DAYS)
    out(seed_showtimes=report.showtimes, seed_s=round(time.perf_counter() - started, 1))
    return services


def report_cost(services: Services, admin: object) -> tuple[int, int, int]:
    requests = items = tickets = 0
    for theater in services.catalog.theaters():
        first = services.clock.now().astimezone(theater.tz).date()
        report = services.staff.reports.report(admin, theater.theater_id, first, first + timedelta(days=DAYS - 1))  # type: ignore[arg-type]
        requests += report.requests
        items += report.items_read
        tickets += report.totals()["tickets_sold"]
    return requests, items, tickets


def book(services: Services, buyer: object, showtime_id: str, seats: int = 1) -> Booking:
    free = [s.seat_id for s in services.inventory.seat_map(showtime_id).seats if s.status == "available"][:seats]
    hold = services.inventory.hold(showtime_id, free, buyer.user_id)  # type: ignore[attr-defined]
    return services.bookings.checkout(hold.hold_id, buyer, CARD)  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bookings", type=int, nargs=2, default=[40, 200])
    parser.add_argument("--scans", type=int, default=100)
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's server logs every request
    server = EmbeddedServer()
    endpoint = server.start()
    try:
        services = build(endpoint)
        admin = services.users.register("Bench Admin", "bench-admin@example.com", "bench-password", role="admin")
        buyer = services.users.register("Bench Buyer", "bench-buyer@example.com", "bench-password")
        today = [s for city in services.catalog.cities() for s in services.catalog.upcoming_in_city(city)
                 if s.local_date() == services.clock.now().astimezone(s.local_start().tzinfo).date()]
        shows = sorted(today, key=lambda s: s.showtime_id)[:20]  # the same 20 shows take every booking
        requests, items, _ = report_cost(services, admin)
        out(report_requests_at_0=requests, report_items_read_at_0=items)
        made: list[Booking] = []
        for target in args.bookings:
            started = time.perf_counter()
            while len(made) < target:
                made.append(book(services, buyer, shows[len(made) % len(shows)].showtime_id))
            out(**{f"booking_s_to_{target}": round(time.perf_counter() - started, 1)})
            requests, items, tickets = report_cost(services, admin)
            out(**{f"report_requests_at_{target}": requests, f"report_items_read_at_{target}": items,
                   f"report_tickets_at_{target}": tickets})
        low, high = args.bookings
        out(report_items_read_ratio=round(report_cost(services, admin)[1] / max(1, items), 3),
            note=f"items_read_at_{high}_vs_{low}_should_be_equal")
        while len(made) < args.scans:
            made.append(book(services, buyer, shows[len(made) % len(shows)].showtime_id))
        times = []
        for booking in made[: args.scans]:
            token = services.tickets.token_for(booking)
            started = time.perf_counter()
            services.staff.checkins.admit(admin, token)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        out(checkin_scans=len(times), checkin_ms_p50=round(statistics.median(times), 1),
            checkin_ms_p95=round(times[int(len(times) * 0.95) - 1], 1))
    finally:
        server.stop()


if __name__ == "__main__":
    main()
