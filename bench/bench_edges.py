"""Abuse bench for issue 11: what one attacker gets out of ``python main.py`` (embedded backend).

    .venv/bin/python bench/bench_edges.py

Prints ``key=value`` lines:
- ``body_50mb_status`` / ``body_50mb_rss_growth_mb``: one 50 MB JSON body sent with its Content-Length,
  then ``body_4x50mb_rss_growth_mb``: four such bodies in parallel, streamed without a Content-Length;
- ``guess_burst_checked``: of 40 parallel wrong guesses at one account's password over the API, how many
  were checked (401) rather than refused before checking (429), and ``guess_burst_seconds``;
- ``hold_burst_seats`` / ``hold_burst_503``: seats one account holds on one show after 20 parallel
  10-seat hold requests, and how many of them answered 503.
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.e2e.app_process import RunningApp, start_app

MB = 1024 * 1024


def body_limit(app: RunningApp) -> None:
    url = f"{app.url}/api/v1/auth/login"
    before = app.rss_kb()
    body = b'{"email": "' + b"x" * (50 * MB) + b'", "password": "y"}'
    status = requests.post(url, data=body, headers={"Content-Type": "application/json"}, timeout=120).status_code
    print(f"body_50mb_status={status}")
    print(f"body_50mb_rss_growth_mb={(app.rss_kb() - before) / 1024:.0f}")

    def streamed() -> None:
        def chunks() -> Iterator[bytes]:
            yield b'{"email": "'
            for _ in range(50):
                yield b"x" * MB
            yield b'", "password": "y"}'
        with contextlib.suppress(requests.ConnectionError):  # refused mid-stream
            requests.post(url, data=chunks(), headers={"Content-Type": "application/json"}, timeout=120)

    peak = app.rss_kb()
    threads = [threading.Thread(target=streamed) for _ in range(4)]
    for thread in threads:
        thread.start()
    while any(thread.is_alive() for thread in threads):
        peak = max(peak, app.rss_kb())
        time.sleep(0.05)
    print(f"body_4x50mb_rss_growth_mb={(peak - before) / 1024:.0f}")


def token(app: RunningApp, email: str) -> dict[str, str]:
    requests.post(f"{app.url}/api/v1/auth/register", json={"name": "Bench", "email": email,
                                                            "password": "correct horse"}, timeout=10)
    response = requests.post(f"{app.url}/api/v1/auth/login", json={"email": email, "password": "correct horse"},
                             timeout=10)
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def guess_burst(app: RunningApp) -> None:
    token(app, "victim@example.com")

    def guess(n: int) -> int:
        return requests.post(f"{app.url}/api/v1/auth/login", json={"email": "victim@example.com",
                                                                    "password": f"guess {n}"}, timeout=60).status_code

    started = time.perf_counter()
    with ThreadPoolExecutor(40) as pool:
        statuses = list(pool.map(guess, range(40)))
    print(f"guess_burst_checked={statuses.count(401)} guess_burst_refused={statuses.count(429)} "
          f"guess_burst_seconds={time.perf_counter() - started:.1f}")


def hold_burst(app: RunningApp) -> None:
    headers = token(app, "holder@example.com")
    tomorrow = (datetime.now(ZoneInfo("Asia/Kolkata")) + timedelta(days=1)).strftime("%Y%m%d")
    showtime = f"lumiere-bandra-mumbai.audi-1.{tomorrow}.1915"
    rows = ["G", "H", "J", "K", "L", "M", "N", "P", "Q", "R"]

    def hold(n: int) -> int:
        seats = [f"{rows[n % len(rows)]}{number}" for number in range(10, 20)]
        return requests.post(f"{app.url}/api/v1/showtimes/{showtime}/holds", json={"seat_ids": seats},
                             headers=headers, timeout=120).status_code

    with ThreadPoolExecutor(20) as pool:
        statuses = list(pool.map(hold, range(20)))
    seats = requests.get(f"{app.url}/api/v1/showtimes/{showtime}/seats", headers=headers, timeout=30).json()
    mine = sum(1 for seat in seats["seats"] if seat.get("held_by_you"))
    print(f"hold_burst_seats={mine} hold_burst_503={statuses.count(503)} "
          f"hold_burst_statuses={sorted(set(statuses))}")


def main() -> None:
    app = start_app(Path(tempfile.mkdtemp(prefix="bench-edges-")))
    try:
        body_limit(app)
        guess_burst(app)
        hold_burst(app)
    finally:
        app.stop()


if __name__ == "__main__":
    main()
