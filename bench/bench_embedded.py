"""Embedded backend bench: durability cost, snapshot stalls, start-up, cost vs history, buyers, memory soak.

    .venv/bin/python bench/bench_embedded.py                          # this checkout ("after") only
    .venv/bin/python bench/bench_embedded.py --before /work/main      # and the same on another checkout
    .venv/bin/python bench/bench_embedded.py --only scaling,buyers --quick

Each section runs in its own process (moto's state is per process) on the checkout it measures, and prints
``section.key=value`` lines prefixed with ``before.`` or ``after.``. Sections:

- ``journal`` (after only): ms per journaled write, and checkouts/s, with and without the journal, one run;
- ``snapshot``: the longest any request waited while a snapshot (after) or a save (before) ran, at 10,000
  and 50,000 items;
- ``startup``: restoring 10,000 realistic bookings (with their seats and outbox records);
- ``scaling``: hold + checkout at 100 and at 50,000 sold seats in the tables (goal: ratio <= 1.5);
- ``buyers``: the app (``python main.py``) over its JSON API: checkouts/s and p95 with 1, 20, 50 buyers;
- ``soak``: the app over its JSON API, rounds of visitors (catalog, seat map, hold, release): RSS per round.
"""

from __future__ import annotations

import argparse
import importlib
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent.parent
SECTIONS = ("journal", "snapshot", "startup", "scaling", "buyers", "soak")


def out(**values: object) -> None:
    for key, value in values.items():
        print(f"{key}={value}", flush=True)


# Worker side: runs inside the checkout it measures ------------------------------------------------
def _imports(root: Path) -> Any:
    sys.path[:0] = [str(root), str(root / "bench")]
    # The booking bench's helpers (demo catalog, shows on sale, free seats), from the measured checkout.
    return importlib.import_module("bench_booking")


def _server(root: Path, durable: bool) -> tuple[Any, Any]:
    """An embedded server; on a checkout with the journal, journaling to a temporary directory."""
    from services.platform.embedded import EmbeddedServer

    server = EmbeddedServer()
    store = None
    if durable:
        from services.platform.durable import DurableStore

        store = DurableStore(Path(tempfile.mkdtemp(prefix="bench-embedded-")), server.app,
                             snapshot_seconds=3600, snapshot_journal_bytes=1 << 40)
        store.open()
    server.start()
    return server, store


def _has_journal(root: Path) -> bool:
    return (root / "services" / "platform" / "journal.py").exists()


def _checkouts(bb: Any, services: Any, plans: list[tuple[str, list[str]]], buyers: int) -> tuple[float, float]:
    """``buyers`` threads share ``plans`` (hold + checkout each); returns (checkouts/s, p95 ms)."""
    latencies: list[float] = []
    lock = threading.Lock()
    per = len(plans) // buyers

    def buyer(number: int) -> None:
        guest = bb.Guest(f"bench-{number}", f"b{number}@example.com")  # wherever the checkout keeps it
        for showtime_id, seats in plans[number * per : (number + 1) * per]:
            started = time.perf_counter()
            hold = services.inventory.hold(showtime_id, seats, guest.user_id)
            services.bookings.checkout(hold.hold_id, guest, bb.CARD)
            with lock:
                latencies.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=buyers) as pool:
        list(pool.map(buyer, range(buyers)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    return len(latencies) / elapsed, latencies[max(0, int(len(latencies) * 0.95) - 1)]


def _plans(bb: Any, services: Any, showtimes: list[str]) -> list[tuple[str, list[str]]]:
    plans = []
    for showtime_id in showtimes:
        seats = bb.free_seats(services, showtime_id)
        plans += [(showtime_id, seats[i : i + 2]) for i in range(0, len(seats) - 1, 2)]
    return plans


def work_journal(root: Path, quick: bool) -> None:
    bb = _imports(root)
    server, _store = _server(root, durable=True)
    services = bb.build(server.endpoint_url)
    from services.platform.schema import SEATS

    table = services.aws.table(SEATS)
    journal = server.app.journal
    writes = 100 if quick else 300
    for label, attached in (("without", None), ("with", journal)):
        server.app.journal = attached
        started = time.perf_counter()
        for n in range(writes):
            table.put_item(Item={"showtime_id": f"journal-{label}", "seat_id": f"S{n}", "status": "sold"})
        out(**{f"put_item_ms_{label}_journal": round((time.perf_counter() - started) * 1000 / writes, 2)})
    plans = _plans(bb, services, bb.showtimes_on_sale(services, 4))
    count = 60 if quick else 200
    for label, attached in (("without", None), ("with", journal)):
        server.app.journal = attached
        rate, p95 = _checkouts(bb, services, plans[:count], 20)
        plans = plans[count:]
        out(**{f"checkouts_per_s_{label}_journal": round(rate, 1), f"checkout_p95_ms_{label}_journal": round(p95)})
    server.app.journal = journal
    out(journal_bytes_per_record=round(journal.writer.bytes / max(1, journal.writer.records)))


def _fill(services: Any, total: int, start: int = 0) -> None:
    from services.platform.schema import SEATS

    with services.aws.table(SEATS).batch_writer() as writer:
        for n in range(start, total):
            writer.put_item(Item={"showtime_id": f"fill-{n // 500:05d}", "seat_id": f"S{n % 500}", "status": "sold",
                                  "booking_id": f"bk-fill-{n // 2}", "price": 25000, "category": "classic"})


def _longest_wait_during(services: Any, action: Callable[[], Any]) -> tuple[float, float, Any]:
    """Run ``action`` while a reader requests a seat map-sized read nonstop; (longest wait ms, action s)."""
    from services.platform.schema import SEATS

    table = services.aws.table(SEATS)
    waits: list[float] = []
    failed: list[int] = []
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            started = time.perf_counter()
            try:
                table.get_item(Key={"showtime_id": "fill-00000", "seat_id": "S1"})
            except Exception:
                failed.append(1)
            waits.append((time.perf_counter() - started) * 1000)

    thread = threading.Thread(target=reader)
    thread.start()
    time.sleep(0.3)
    baseline = max(waits) if waits else 0.0
    started = time.perf_counter()
    result = action()
    took = time.perf_counter() - started
    time.sleep(0.3)
    stop.set()
    thread.join()
    if failed:
        out(requests_failed_during_save=len(failed))
    return max(waits), took, (result, baseline)


def work_snapshot(root: Path, quick: bool) -> None:
    bb = _imports(root)
    durable = _has_journal(root)
    server, store = _server(root, durable)
    services = bb.build(server.endpoint_url)
    done = 0
    for size in (10_000, 50_000):
        _fill(services, size, done)
        done = size
        if durable:
            store.longest_hold_seconds = 0.0
            table = services.aws.table(__import__("services.platform.schema", fromlist=["SEATS"]).SEATS)
            table.put_item(Item={"showtime_id": "dirty", "seat_id": str(size)})  # something to snapshot
            longest, took, (_, base) = _longest_wait_during(services, store.compact)
            out(**{f"snapshot_longest_request_wait_ms_at_{size}": round(longest, 1),
                   f"snapshot_lock_held_ms_at_{size}": round(store.longest_hold_seconds * 1000, 1),
                   f"snapshot_total_s_at_{size}": round(took, 2),
                   f"snapshot_file_mb_at_{size}": round(store.snapshot_path.stat().st_size / 2**20, 1),
                   f"request_wait_ms_without_snapshot_{size}": round(base, 1)})
        else:
            save = importlib.import_module("services.platform.snapshot").save  # the old whole-store save
            path = Path(tempfile.mkdtemp()) / "embedded-data.json"

            def save_all(path: Path = path, save: Any = save) -> Any:
                return save(services.aws, server.app, path)

            longest, took, (_, base) = _longest_wait_during(services, save_all)
            out(**{f"snapshot_longest_request_wait_ms_at_{size}": round(longest, 1),
                   f"snapshot_total_s_at_{size}": round(took, 2),
                   f"request_wait_ms_without_snapshot_{size}": round(base, 1)})
        if quick:
            break


def _realistic_bookings(bb: Any, services: Any, count: int) -> None:
    """``count`` bookings shaped like a real one (cloned from one made through the services), with their
    two sold seats and their outbox record."""
    from services.platform.schema import BOOKINGS, OUTBOX, SEATS

    showtime = bb.showtimes_on_sale(services, 1)[0]
    guest = bb.Guest("bench-clone", "clone@example.com")
    hold = services.inventory.hold(showtime, bb.free_seats(services, showtime)[:2], guest.user_id)
    booking = services.bookings.checkout(hold.hold_id, guest, bb.CARD)
    item = services.aws.table(BOOKINGS).get_item(Key={"booking_id": booking.booking_id})["Item"]
    outbox = services.aws.table(OUTBOX).get_item(Key={"notification_id": f"{booking.booking_id}#booking_confirmed"})
    note = outbox.get("Item") or {}
    bookings, seats, notes = (services.aws.table(t).batch_writer() for t in (BOOKINGS, SEATS, OUTBOX))
    with bookings, seats, notes:
        for n in range(count):
            booking_id = f"bk-{uuid.uuid4().hex[:16]}"
            show = f"clone-show-{n // 200:04d}"
            seat_ids = [f"S{(n % 200) * 2}", f"S{(n % 200) * 2 + 1}"]
            bookings.put_item(Item=item | {"booking_id": booking_id, "showtime_id": show, "seat_ids": seat_ids})
            for seat in seat_ids:
                seats.put_item(Item={"showtime_id": show, "seat_id": seat, "status": "sold", "booking_id": booking_id})
            if note:
                notes.put_item(Item=note | {"notification_id": f"{booking_id}#booking_confirmed",
                                            "booking_id": booking_id})


def work_startup(root: Path, quick: bool) -> None:
    bb = _imports(root)
    durable = _has_journal(root)
    count = 2_000 if quick else 10_000
    data = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    from services.platform.embedded import EmbeddedServer

    server = EmbeddedServer()
    store = None
    if durable:
        from services.platform.durable import DurableStore

        store = DurableStore(data, server.app, snapshot_seconds=3600, snapshot_journal_bytes=1 << 40)
        store.open()
    server.start()
    services = bb.build(server.endpoint_url)
    _realistic_bookings(bb, services, count)
    out(bookings=count)
    if durable:
        # Journal only (a kill before any snapshot): everything is replayed.
        server.stop()
        assert store is not None
        store.abandon()
        out(journal_mb=round(sum(p.stat().st_size for p in data.glob("journal-*.log")) / 2**20, 1))
        out(startup_s_journal_only=_time_restore(root, data, durable=True))
        out(startup_s_from_snapshot=_time_restore(root, data, durable=True))  # the first one left a snapshot
        out(snapshot_mb=round((data / "embedded.snapshot").stat().st_size / 2**20, 1))
    else:
        save = importlib.import_module("services.platform.snapshot").save  # the old whole-store save
        save(services.aws, server.app, data / "embedded-data.json")
        out(data_file_mb=round((data / "embedded-data.json").stat().st_size / 2**20, 1))
        out(startup_s_from_data_file=_time_restore(root, data, durable=False))


def _time_restore(root: Path, data: Path, durable: bool) -> float:
    """A new process restores ``data`` (and provisions, as the app does); seconds until it could serve."""
    if durable:
        code = (
            "import time, logging; t = time.perf_counter()\n"
            "from pathlib import Path\n"
            "from services.settings import Settings\n"
            "from services.platform.backend import start_backend\n"
            f"backend = start_backend(Settings(data_dir=Path({str(data)!r})))\n"
            "print(round(time.perf_counter() - t, 2), flush=True)\n"
            "backend.stop()\n"
        )
    else:
        code = (
            "import time; t = time.perf_counter()\n"
            "from pathlib import Path\n"
            "from services.settings import Settings\n"
            "from services.platform.backend import start_backend\n"
            f"backend = start_backend(Settings(data_dir=Path({str(data)!r})))\n"
            "print(round(time.perf_counter() - t, 2), flush=True)\n"
            "import os; os._exit(0)\n"  # no save on the way out: the next measurement restores the same file
        )
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    return float(result.stdout.strip().splitlines()[0])


def work_scaling(root: Path, quick: bool) -> None:
    bb = _imports(root)
    server, _store = _server(root, _has_journal(root))
    services = bb.build(server.endpoint_url)
    shows = bb.showtimes_on_sale(services, 3)
    large = 10_000 if quick else 50_000
    results = {}
    for label, sold, show in (("100", 100, shows[0]), (str(large), large, shows[1])):
        _fill(services, sold, 0 if label == "100" else 100)
        plans = _plans(bb, services, [show])[:15]
        times = []
        for number, (showtime_id, seats) in enumerate(plans):
            guest = bb.Guest(f"scale-{label}-{number}", "s@example.com")
            started = time.perf_counter()
            hold = services.inventory.hold(showtime_id, seats, guest.user_id)
            services.bookings.checkout(hold.hold_id, guest, bb.CARD)
            times.append((time.perf_counter() - started) * 1000)
        results[label] = statistics.median(times)
        view_started = time.perf_counter()
        services.inventory.seat_map(show)
        out(**{f"hold_plus_checkout_ms_at_{label}": round(results[label], 1),
               f"seatmap_view_ms_at_{label}": round((time.perf_counter() - view_started) * 1000, 1)})
    out(hold_plus_checkout_ratio=round(results[str(large)] / results["100"], 2))


# App side: python main.py of the checkout, over its JSON API ------------------------------------------
def _app(root: Path) -> Any:
    sys.path.insert(0, str(HERE))
    from tests.e2e.app_process import start_app_at

    # Every bench buyer signs up from 127.0.0.1: lift the per-address sign-up limit (older checkouts ignore it).
    return start_app_at(root, Path(tempfile.mkdtemp(prefix="bench-app-")) / "data",
                        registrations_per_client_per_hour="100000")


class _Api:
    def __init__(self, url: str) -> None:
        import requests

        self.base = url + "/api/v1"
        self.http = requests.Session()

    def account(self, name: str) -> dict[str, str]:
        email = f"{name}.{uuid.uuid4().hex[:6]}@example.com"
        self.http.post(f"{self.base}/auth/register", json={"name": name, "email": email, "password": "long enough"})
        token = self.http.post(f"{self.base}/auth/login", json={"email": email, "password": "long enough"})
        return {"Authorization": f"Bearer {token.json()['access_token']}"}

    def big_shows(self, count: int) -> list[str]:
        shows = [show for city in ("Mumbai", "Bengaluru", "Delhi", "Chennai", "Hyderabad", "Kolkata", "Pune")
                 for show in self.http.get(f"{self.base}/showtimes", params={"city": city}).json()
                 if show["starts_at"][:10] > time.strftime("%Y-%m-%d")]
        return [show["showtime_id"] for show in shows][:count]

    def free(self, showtime: str) -> list[str]:
        seats = self.http.get(f"{self.base}/showtimes/{showtime}/seats").json()["seats"]
        return [seat["seat_id"] for seat in seats if seat["status"] == "available"]

    def checkout(self, auth: dict[str, str], showtime: str, seats: list[str]) -> str:
        """'ok', or how the hold or the checkout was answered."""
        hold = self.http.post(f"{self.base}/showtimes/{showtime}/holds", json={"seat_ids": seats}, headers=auth)
        if hold.status_code != 201:
            return f"hold:{hold.status_code}"
        booked = self.http.post(f"{self.base}/bookings", headers=auth, json={
            "hold_id": hold.json()["hold_id"], "payment": {"method": "card", "card_number": "4242424242424242"}})
        return "ok" if booked.status_code == 201 else f"checkout:{booked.status_code}"


def work_buyers(root: Path, quick: bool) -> None:
    app = _app(root)
    try:
        api = _Api(app.url)
        pairs = []
        for show in api.big_shows(12):
            seats = api.free(show)
            pairs += [(show, seats[i : i + 2]) for i in range(0, len(seats) - 1, 2)]
        levels = ((1, 10), (20, 3), (50, 2)) if not quick else ((1, 5), (20, 2))
        for buyers, each in levels:
            auths = [api.account(f"buyer{n}") for n in range(buyers)]
            plan, pairs = pairs[: buyers * each], pairs[buyers * each :]
            latencies, elapsed, refused = _buy_over_api(app.url, auths, plan, each)
            p95 = round(latencies[max(0, int(len(latencies) * .95) - 1)]) if latencies else "none"
            out(**{f"checkouts_per_s_{buyers}_buyers": round(len(latencies) / elapsed, 1),
                   f"checkout_p95_ms_{buyers}_buyers": p95,
                   f"checkouts_ok_{buyers}_buyers": f"{len(latencies)}/{len(plan)}",
                   f"checkouts_refused_{buyers}_buyers": ",".join(sorted(refused)) or "none"})
    finally:
        app.stop()


def _buy_over_api(url: str, auths: list[dict[str, str]], plan: list[Any],
                  each: int) -> tuple[list[float], float, set[str]]:
    """One thread per buyer, ``each`` hold + checkout apiece; (sorted latencies in ms of those that
    succeeded, seconds it took, how the others were answered)."""
    latencies: list[float] = []
    refused: set[str] = set()
    lock = threading.Lock()

    def buyer(number: int) -> None:
        client = _Api(url)
        for show, seats in plan[number * each : (number + 1) * each]:
            started = time.perf_counter()
            answer = client.checkout(auths[number], show, seats)
            with lock:
                if answer == "ok":
                    latencies.append((time.perf_counter() - started) * 1000)
                else:
                    refused.add(answer)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(auths)) as pool:
        list(pool.map(buyer, range(len(auths))))
    return sorted(latencies), time.perf_counter() - started, refused


def work_soak(root: Path, quick: bool) -> None:
    app = _app(root)
    try:
        api = _Api(app.url)
        shows = api.big_shows(4)
        threads = 10
        auths = [api.account(f"visitor{n}") for n in range(threads)]
        visitors = 60 if quick else 150
        rounds = 4 if quick else 10
        rss = []

        def visit(number: int) -> None:
            client = _Api(app.url)
            show = shows[number % len(shows)]
            for visitor in range(number, visitors, threads):
                client.http.get(f"{client.base}/movies", params={"city": "Mumbai"})
                client.http.get(f"{client.base}/showtimes", params={"city": "Mumbai"})
                free = client.free(show)
                pick = free[(visitor * 2) % max(1, len(free) - 2) :][:2]
                hold = client.http.post(f"{client.base}/showtimes/{show}/holds", json={"seat_ids": pick},
                                        headers=auths[number])
                if hold.status_code == 201:
                    client.http.delete(f"{client.base}/holds/{hold.json()['hold_id']}", headers=auths[number])

        for number in range(1, rounds + 1):
            started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=threads) as pool:
                list(pool.map(visit, range(threads)))
            time.sleep(1)
            rss.append(app.rss_kb() / 1024)
            out(**{f"rss_mib_after_round_{number}": round(rss[-1], 1),
                   f"round_{number}_s": round(time.perf_counter() - started, 1)})
        out(visitors_per_round=visitors, rss_round_last_vs_2_percent=round((rss[-1] / rss[1] - 1) * 100, 1))
    finally:
        app.stop()


WORK = {"journal": work_journal, "snapshot": work_snapshot, "startup": work_startup, "scaling": work_scaling,
        "buyers": work_buyers, "soak": work_soak}


# Driver -------------------------------------------------------------------------------------------
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, help="another checkout (e.g. /work/main) to measure the same way")
    parser.add_argument("--only", default=",".join(SECTIONS))
    parser.add_argument("--quick", action="store_true", help="smaller sizes: a look, not figures")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--root", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        os.chdir(args.root)
        import logging

        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        WORK[args.worker](args.root, args.quick)
        return
    trees = [("after", HERE)] + ([("before", args.before.resolve())] if args.before else [])
    for section in args.only.split(","):
        for label, root in trees:
            if section == "journal" and label == "before":
                continue  # there is no journal to switch off
            command = [sys.executable, __file__, "--worker", section, "--root", str(root)]
            command += ["--quick"] if args.quick else []
            started = time.perf_counter()
            result = subprocess.run(command, capture_output=True, text=True, check=False)
            for line in result.stdout.splitlines():
                if "=" in line and not line.startswith(" "):
                    print(f"{label}.{section}.{line}", flush=True)
            if result.returncode:
                print(f"{label}.{section}.failed={result.stderr.strip().splitlines()[-1:]}", flush=True)
            print(f"{label}.{section}.bench_seconds={round(time.perf_counter() - started)}", flush=True)


if __name__ == "__main__":
    main()
