"""Two instances under load: browsing customers, seat-map viewers on one show, buyers racing, soak rounds.

    .venv/bin/python bench/bench_scale.py                          # ~1.5 minutes: 200 viewers, 50 buyers
    .venv/bin/python bench/bench_scale.py --viewers 500 --browsers 20 --soak-rounds 4

Starts what several instances need on one machine: a redis-server (Debian's), the durable embedded backend
(``python main.py backend``) and two apps on it with ``MOVIEMAGIC_REDIS_URL`` (as the README runs them);
then, all at once for ``--seconds``:
- ``--browsers`` customers browsing (home, a movie page, the catalog and seat-map API), half on each app;
- ``--viewers`` seat-map viewers of one show in the demo's grand hall, half on each app. Each is a real
  NiceGUI client (its page was requested, so the server built the page and a subscribed seat grid) whose
  socket speaks NiceGUI's protocol without a browser, as in bench_seatmap.py: 500 Chromium pages would need
  ~25 GB on this 2-core machine; the server's work per viewer is the same;
- ``--buyers`` buyers racing through the JSON API for the same few rows (hold 2 seats, pay), each on one app.
Then it checks that no seat was sold twice and that the show's map agrees with the bookings, and runs
``--soak-rounds`` rounds in which new visitors arrive, watch, hold, buy and leave, printing each app's
memory per round. Prints ``key=value`` lines; see bench/README.md.

Against a deployment (docs/DEPLOY.md, "Grow past one instance"): ``--url https://<load balancer>`` (give it
once per address, or once for the balancer) and ``--showtime <id>`` of a show with free seats. Nothing is
started; every viewer and buyer keeps its own cookies, so the balancer's stickiness spreads them over the
servers as it would real visitors; "other instance" then means any viewer (the balancer does not say which
server a viewer got). Buyers share accounts (``--buyers-per-account``, 5 by default there) so the sign-up
limits and nginx's sign-in rate limit (waited out on 429) are not what gets measured; memory per round is
not printed (the servers' own CloudWatch metrics show it).

Latency to the *other* instance: from the moment a buyer sends a hold to instance X to the moment a viewer
on instance Y receives that seat as held (its ``applyChanges`` message), for every hold and every viewer on Y.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import random
import re
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import aiohttp
import socketio

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import grand_show, out, pct  # noqa: E402
from bench.two_instances import two_instances  # noqa: E402
from tests.e2e.app_process import RunningApp  # noqa: E402

API = "/api/v1"
PASSWORD = "correct horse"
CARD = {"method": "card", "card_number": "4242 4242 4242 4242"}


class Instance(Protocol):
    """Where the load goes: an app this script started (RunningApp) or a deployment's address (Remote)."""

    url: str


@dataclass
class Remote:
    url: str


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: Counter[str] = field(default_factory=Counter)

    def add(self, kind: str, ms: float) -> None:
        self.latencies.setdefault(kind, []).append(ms)

    def report(self, prefix: str) -> None:
        for kind, values in sorted(self.latencies.items()):
            out(**{f"{prefix}{kind}_n": len(values), f"{prefix}{kind}_ms_p50": pct(values, 0.5),
                   f"{prefix}{kind}_ms_p95": pct(values, 0.95)})


# The viewers: raw NiceGUI clients ----------------------------------------------------------------------
class Viewer:
    def __init__(self, instance: int) -> None:
        self.instance = instance
        self.sio = socketio.AsyncClient(reconnection=False)
        self.held_at: dict[str, float] = {}  # seat -> when this viewer first heard it held (ms, wall clock)

    async def connect(self, app: Instance, url: str, stats: Stats) -> None:
        started = time.time()
        # Its own cookies, like a real visitor's browser: behind a load balancer the stickiness cookie keeps
        # the socket on the server that built the page.
        async with aiohttp.ClientSession() as session:
            async with session.get(url) as response:
                html = await response.text()
            cookies = "; ".join(f"{c.key}={c.value}" for c in session.cookie_jar)
        stats.add("page_showtime", (time.time() - started) * 1000)
        client_id = re.search(r"'client_id': '([0-9a-f-]+)'", html).group(1)  # type: ignore[union-attr]

        @self.sio.on("run_javascript")
        async def on_js(data: dict[str, Any]) -> None:
            code = data.get("code", "")
            if "applyChanges" in code or "resync" in code:
                now = time.time() * 1000
                held = re.findall(r'\["([A-Z]+\d+)",\s*"h"\]', code) + re.findall(r'"([A-Z]+\d+)":\s*"h"', code)
                for seat_id in held:
                    self.held_at.setdefault(seat_id, now)

        query = {"client_id": client_id, "tab_id": str(uuid.uuid4()), "document_id": str(uuid.uuid4()),
                 "next_message_id": "0", "implicit_handshake": "true"}
        await self.sio.connect(f"{app.url}?{'&'.join(f'{k}={v}' for k, v in query.items())}",
                               headers={"Cookie": cookies} if cookies else {},
                               socketio_path="/_nicegui_ws/socket.io", transports=["websocket"])

    async def close(self) -> None:
        with contextlib.suppress(Exception):  # already gone
            await self.sio.disconnect()


async def connect_viewers(apps: list[Instance], url_path: str, count: int, stats: Stats) -> list[Viewer]:
    viewers = [Viewer(index % len(apps)) for index in range(count)]
    for start in range(0, count, 10):
        batch = viewers[start : start + 10]
        results = await asyncio.gather(*(v.connect(apps[v.instance], apps[v.instance].url + url_path, stats)
                                         for v in batch), return_exceptions=True)
        for result in results:
            if isinstance(result, Exception):
                stats.errors[f"viewer_connect_{type(result).__name__}"] += 1
    return [v for v in viewers if v.sio.connected]


# Browsing customers and buyers --------------------------------------------------------------------------
async def timed(session: aiohttp.ClientSession, stats: Stats, kind: str, method: str, url: str,
                **kwargs: Any) -> tuple[int, Any]:
    started = time.time()
    try:
        async with session.request(method, url, timeout=aiohttp.ClientTimeout(total=30), **kwargs) as response:
            body = await (response.json() if "/api/" in url else response.text())
            status = response.status
    except Exception as exc:
        stats.errors[f"{kind}_{type(exc).__name__}"] += 1
        return 0, None
    stats.add(kind, (time.time() - started) * 1000)
    if status >= 500:
        stats.errors[f"{kind}_{status}"] += 1
    return status, body


async def browse(app: Instance, movie_ids: list[str], showtime_id: str, until: float, stats: Stats) -> None:
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < until:
            await timed(session, stats, "page_home", "GET", f"{app.url}/")
            await timed(session, stats, "page_movie", "GET", f"{app.url}/movie/{random.choice(movie_ids)}")
            await timed(session, stats, "api_showtimes", "GET", f"{app.url}{API}/showtimes",
                        params={"city": "Mumbai"})
            await timed(session, stats, "api_seats", "GET", f"{app.url}{API}/showtimes/{showtime_id}/seats")
            await asyncio.sleep(random.uniform(0.2, 0.6))  # a person reads


async def signed_in(session: aiohttp.ClientSession, stats: Stats, kind: str, url: str,
                    body: dict[str, str]) -> tuple[int, Any]:
    """A sign-up or sign-in call; a 429 (nginx's per-visitor rate limit on a deployment) is waited out."""
    for _attempt in range(20):
        status, answer = await timed(session, stats, kind, "POST", url, json=body)
        if status != 429:
            return status, answer
        await asyncio.sleep(6)  # nginx lets one more through every 6 s (10 a minute)
    return status, answer


async def account(session: aiohttp.ClientSession, app: Instance, stats: Stats) -> dict[str, str]:
    email = f"load.{uuid.uuid4().hex[:10]}@example.com"
    await signed_in(session, stats, "api_register", f"{app.url}{API}/auth/register",
                    {"name": "Load Buyer", "email": email, "password": PASSWORD})
    _status, body = await signed_in(session, stats, "api_login", f"{app.url}{API}/auth/login",
                                    {"email": email, "password": PASSWORD})
    return {"Authorization": f"Bearer {body['access_token']}"}


@dataclass
class Sale:
    seats: list[str]
    booking_id: str


async def buy(app: Instance, instance: int, auth: dict[str, str], showtime_id: str, pool: list[str],
              stats: Stats, holds: list[tuple[int, str, float, float]], sales: list[Sale]) -> None:
    """Try pairs from the contested pool until one pair is bought or the pool looks gone."""
    async with aiohttp.ClientSession() as session:
        for _attempt in range(6):
            start = random.randrange(0, len(pool) - 1)
            pair = pool[start : start + 2]
            sent = time.time() * 1000
            status, hold = await timed(session, stats, "api_hold", "POST",
                                       f"{app.url}{API}/showtimes/{showtime_id}/holds", json={"seat_ids": pair},
                                       headers=auth)
            if status != 201:
                continue  # taken by someone else (409), or an error counted in timed()
            acked = time.time() * 1000
            holds.extend((instance, seat_id, sent, acked) for seat_id in pair)
            status, booking = await timed(session, stats, "api_checkout", "POST", f"{app.url}{API}/bookings",
                                          json={"hold_id": hold["hold_id"], "payment": CARD}, headers=auth)
            if status == 201:
                sales.append(Sale(list(booking["seat_ids"]), booking["booking_id"]))
                return


def fanout(viewers: list[Viewer], holds: list[tuple[int, str, float, float]],
           every_viewer: bool = False) -> tuple[list[float], list[float]]:
    """Hold sent to one instance -> each viewer on the other instance hears the seat held (ms); and the same
    from the moment the hold's answer arrived (the channel, the other instance's read and its emit).
    ``every_viewer``: behind one load-balancer address, where nobody knows which server a viewer got."""
    from_sent, from_ack = [], []
    for instance, seat_id, sent, acked in holds:
        for viewer in viewers:
            heard = viewer.held_at.get(seat_id)
            if (every_viewer or viewer.instance != instance) and heard is not None and heard >= sent:
                from_sent.append(heard - sent)
                from_ack.append(heard - acked)  # may be < 0: B heard it before A's answer reached the buyer
    return from_sent, from_ack


async def check_sales(app: Instance, showtime_id: str, sales: list[Sale]) -> None:
    # Buyers sharing an account share its hold for the show, so two of them can pay the same hold: the
    # answer is the same booking twice (payment is idempotent per hold), one sale.
    bookings = {sale.booking_id: sale for sale in sales}
    sold = Counter(seat for sale in bookings.values() for seat in sale.seats)
    async with aiohttp.ClientSession() as session:
        _status, seat_map = await timed(session, Stats(), "seats", "GET",
                                        f"{app.url}{API}/showtimes/{showtime_id}/seats")
    shown_sold = {seat["seat_id"] for seat in seat_map["seats"] if seat["status"] == "sold"}
    oversold = sum(n - 1 for n in sold.values() if n > 1)
    out(seats_sold=len(sold), oversold=oversold, map_agrees_with_bookings=shown_sold >= set(sold))


# The rounds ---------------------------------------------------------------------------------------------
async def load_round(apps: list[Instance], showtime_id: str, movie_ids: list[str], pool: list[str],
                     viewers: int, browsers: int, buyers: int, seconds: float, prefix: str,
                     buyers_per_account: int = 1) -> None:
    stats = Stats()
    started = time.monotonic()
    connected = await connect_viewers(apps, f"/showtime/{showtime_id}", viewers, stats)
    out(**{f"{prefix}viewers_connected": len(connected), f"{prefix}viewers_connect_s": time.monotonic() - started})
    async with aiohttp.ClientSession() as session:
        accounts = [await account(session, apps[index % len(apps)], stats)
                    for index in range(-(-buyers // buyers_per_account))]
    auths = [accounts[index // buyers_per_account] for index in range(buyers)]
    until = time.monotonic() + seconds
    browsing = [asyncio.create_task(browse(apps[index % len(apps)], movie_ids, showtime_id, until, stats))
                for index in range(browsers)]
    holds: list[tuple[int, str, float, float]] = []
    sales: list[Sale] = []
    race_started = time.monotonic()
    await asyncio.gather(*(buy(apps[index % len(apps)], index % len(apps), auths[index], showtime_id, pool, stats,
                               holds, sales) for index in range(buyers)))
    race_s = time.monotonic() - race_started
    await asyncio.gather(*browsing)
    await asyncio.sleep(1.0)  # the last changes reach the viewers
    delays, after_ack = fanout(connected, holds, every_viewer=len(apps) == 1)
    out(**{f"{prefix}checkouts": len(sales), f"{prefix}checkouts_per_s": len(sales) / race_s,
           f"{prefix}holds_made": len(holds) // 2,
           f"{prefix}cross_instance_hold_to_viewer_n": len(delays),
           f"{prefix}cross_instance_hold_to_viewer_ms_p50": pct(delays, 0.5),
           f"{prefix}cross_instance_hold_to_viewer_ms_p95": pct(delays, 0.95),
           f"{prefix}cross_instance_hold_answer_to_viewer_ms_p50": pct(after_ack, 0.5),
           f"{prefix}cross_instance_hold_answer_to_viewer_ms_p95": pct(after_ack, 0.95),
           f"{prefix}errors": sum(stats.errors.values()),
           f"{prefix}error_kinds": ",".join(f"{k}:{n}" for k, n in stats.errors.items()) or "none"})
    stats.report(prefix)
    await check_sales(apps[0], showtime_id, sales)
    await asyncio.gather(*(viewer.close() for viewer in connected))


async def contested_pool(app: Instance, showtime_id: str, size: int) -> list[str]:
    """``size`` free seats from the back rows, in adjacent pairs, as the buyers' contested pool: ``buy`` takes
    neighbours in this list, so a pair never spans a gap or two rows."""
    async with aiohttp.ClientSession() as session:
        _status, seat_map = await timed(session, Stats(), "seats", "GET",
                                        f"{app.url}{API}/showtimes/{showtime_id}/seats")
    rows: dict[str, list[int]] = {}
    for seat in seat_map["seats"]:
        if seat["status"] == "available" and not seat["accessible"]:
            rows.setdefault(seat["row"], []).append(seat["number"])
    pool: list[str] = []
    for row in sorted(rows, key=lambda label: (len(label), label), reverse=True):
        numbers = sorted(rows[row])
        for first, second in itertools.pairwise(numbers):
            if second == first + 1 and f"{row}{first}" not in pool and len(pool) < size:
                pool += [f"{row}{first}", f"{row}{second}"]
    return pool


async def soak(apps: list[Instance], showtime_id: str, movie_ids: list[str], rounds: int, visitors: int,
               buyers_per_account: int) -> None:
    """Rounds of visitors who arrive, watch, hold, buy and leave: memory (of apps started here) and latency."""
    for round_index in range(rounds):
        pool = await contested_pool(apps[0], showtime_id, 24)
        await load_round(apps, showtime_id, movie_ids, pool, viewers=visitors, browsers=4, buyers=10, seconds=3,
                         prefix=f"soak{round_index}_", buyers_per_account=buyers_per_account)
        await asyncio.sleep(2)  # the viewers' clients are pruned after they left
        out(**{f"soak{round_index}_rss_mb_{'ab'[index]}": app.rss_kb() / 1024
               for index, app in enumerate(apps) if isinstance(app, RunningApp)})


async def run(apps: list[Instance], showtime_id: str, movie_ids: list[str], args: argparse.Namespace) -> None:
    def memory(moment: str) -> None:
        out(**{f"rss_mb_{'ab'[index]}_{moment}": app.rss_kb() / 1024
               for index, app in enumerate(apps) if isinstance(app, RunningApp)})

    out(showtime=showtime_id, instances=len(apps))
    memory("start")
    pool = await contested_pool(apps[0], showtime_id, 30)  # 30 seats for 50 buyers of 2
    await load_round(apps, showtime_id, movie_ids, pool, args.viewers, args.browsers, args.buyers, args.seconds,
                     prefix="", buyers_per_account=args.buyers_per_account)
    memory("after_load")
    await soak(apps, showtime_id, movie_ids, args.soak_rounds, args.soak_visitors, args.buyers_per_account)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--viewers", type=int, default=200, help="seat-map viewers of one show (the issue: 500)")
    parser.add_argument("--browsers", type=int, default=10, help="customers browsing pages and the API")
    parser.add_argument("--buyers", type=int, default=50, help="buyers racing for the same rows")
    parser.add_argument("--seconds", type=float, default=15, help="how long the customers browse")
    parser.add_argument("--soak-rounds", type=int, default=3)
    parser.add_argument("--soak-visitors", type=int, default=60)
    parser.add_argument("--url", action="append", default=[],
                        help="load a deployment at this address instead of starting two apps here (repeatable)")
    parser.add_argument("--showtime", help="with --url: the show to load (GET /api/v1/showtimes lists them)")
    parser.add_argument("--buyers-per-account", type=int, help="buyers sharing one account (default 1; 5 with --url)")
    args = parser.parse_args()
    if args.url:
        if not args.showtime:
            parser.error("--url needs --showtime")
        args.buyers_per_account = args.buyers_per_account or 5
        remotes: list[Instance] = [Remote(url.rstrip("/")) for url in args.url]
        async with aiohttp.ClientSession() as session:
            _status, movies = await timed(session, Stats(), "movies", "GET", f"{remotes[0].url}{API}/movies")
        movie_ids = sorted(movie["movie_id"] for movie in movies)[:10]
        await run(remotes, args.showtime, movie_ids, args)
        return
    args.buyers_per_account = args.buyers_per_account or 1
    # Every simulated customer signs up from 127.0.0.1: lift the per-address sign-up limit.
    with two_instances(on_stop=report_log_errors, registrations_per_client_per_hour="100000",
                       registrations_per_hour="1000000") as cluster:
        show = grand_show(cluster.backend.url)
        await run(list(cluster.apps), show.showtime_id, show.movie_ids, args)

def report_log_errors(name: str, app: RunningApp) -> None:
    """What failed inside an app (the exception lines of its tracebacks and its ERROR lines), counted."""
    lines = app.log().splitlines()
    failures: Counter[str] = Counter()
    for index, line in enumerate(lines):
        if line.startswith("Traceback"):
            end = next((j for j in range(index + 1, len(lines)) if lines[j] and not lines[j].startswith(" ")), None)
            if end is not None:
                failures[lines[end][:160]] += 1
        elif " ERROR " in line:
            failures[line.split(" ERROR ", 1)[1][:160]] += 1
    for failure, count in failures.most_common(8):
        print(f"# app {name}: {count} x {failure}", flush=True)


if __name__ == "__main__":
    asyncio.run(main())
