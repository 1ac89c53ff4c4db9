"""Nothing acknowledged is lost: the app as the README runs it, killed with SIGKILL and started again on the
same data; the shared backend (`python main.py backend`) replays to exactly the state it had; two app
processes on one shared backend never sell a seat twice."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import boto3
import requests

from services.notify.mailbox import MailboxService
from services.platform.aws import EMBEDDED_CREDENTIALS, connect
from services.platform.durable import SNAPSHOT_FILE
from services.platform.schema import ALL_TABLES
from services.settings import Settings
from tests.e2e.app_process import RunningApp, start_app, start_backend

API = "/api/v1"
CARD = {"method": "card", "card_number": "4242 4242 4242 4242"}
PASSWORD = "long enough"
# Crash tests book whatever seats are free, one by one; the single-seat rule (its own tests) would refuse some.
ANY_SEATS = {"single_seat_rule": "false"}


# The JSON API as a client uses it -----------------------------------------------------------------
class Client:
    def __init__(self, app: RunningApp) -> None:
        self.base = app.url + API
        self.http = requests.Session()

    def register(self, email: str) -> None:
        response = self.http.post(f"{self.base}/auth/register", json={"name": "Crash Test", "email": email,
                                                                       "password": PASSWORD}, timeout=30)
        assert response.status_code == 201, response.text

    def login(self, email: str) -> dict[str, str]:
        response = self.http.post(f"{self.base}/auth/login", json={"email": email, "password": PASSWORD}, timeout=30)
        assert response.status_code == 200, f"{email}: {response.text}"
        return {"Authorization": f"Bearer {response.json()['access_token']}"}

    def book(self, auth: dict[str, str], showtime: str, seats: list[str]) -> dict[str, Any]:
        hold = self.http.post(f"{self.base}/showtimes/{showtime}/holds", json={"seat_ids": seats}, headers=auth,
                              timeout=30)
        assert hold.status_code == 201, hold.text
        booked = self.http.post(f"{self.base}/bookings", json={"hold_id": hold.json()["hold_id"], "payment": CARD},
                                headers=auth, timeout=30)
        assert booked.status_code == 201, booked.text
        return booked.json()

    def cancel(self, auth: dict[str, str], booking_id: str) -> dict[str, Any]:
        response = self.http.post(f"{self.base}/bookings/{booking_id}/cancel", headers=auth, timeout=30)
        assert response.status_code == 200, response.text
        return response.json()

    def bookings(self, auth: dict[str, str]) -> dict[str, dict[str, Any]]:
        response = self.http.get(f"{self.base}/bookings", headers=auth, timeout=30)
        assert response.status_code == 200, response.text
        return {booking["booking_id"]: booking for booking in response.json()}

    def seat_status(self, showtime: str) -> dict[str, str]:
        response = self.http.get(f"{self.base}/showtimes/{showtime}/seats", timeout=30)
        assert response.status_code == 200, response.text
        return {seat["seat_id"]: seat["status"] for seat in response.json()["seats"]}

    def bookable_seats(self, showtime: str) -> list[str]:
        return [seat for seat, status in self.seat_status(showtime).items() if status == "available"]

    def a_showtime(self, index: int = 0) -> str:
        """A show well in the future (tomorrow or later), so sales and cancellations are open."""
        shows = self.http.get(f"{self.base}/showtimes", params={"city": "Mumbai"}, timeout=30).json()
        later = [show for show in shows if show["starts_at"][:10] > time.strftime("%Y-%m-%d")]
        return later[index]["showtime_id"]


def _emails(name: str) -> str:
    return f"{name}.{uuid.uuid4().hex[:6]}@example.com"


# Reading a data directory while nothing else uses it ------------------------------------------------
@contextmanager
def backend_on(data_dir: Path) -> Iterator[tuple[RunningApp, Settings]]:
    backend = start_backend(data_dir)
    try:
        yield backend, Settings(endpoint_url=backend.url, data_dir=data_dir)
    finally:
        backend.stop()


def mail_by_booking(settings: Settings, emails: list[str]) -> Counter[tuple[str, str, str]]:
    """(recipient, kind, booking id) -> how many such messages reached the mailbox."""
    mailbox = MailboxService(connect(settings), clock=None)  # type: ignore[arg-type]  # reading needs no clock
    return Counter((mail.recipient, mail.kind, mail.booking_id) for email in emails
                   for mail in mailbox.messages_for(email))


# The crash test -----------------------------------------------------------------------------------
def test_kill_9_loses_nothing_acknowledged_and_sends_each_email_once(tmp_path: Path) -> None:
    """Rounds of: confirm bookings, cancel one, register accounts, SIGKILL at once (one round in the middle
    of a checkout burst), start again on the same data; then every acknowledged booking, cancellation and
    account is there, no seat is half-booked, and each booking's emails arrived exactly once."""
    data = tmp_path / "data"
    confirmed: dict[str, tuple[str, str]] = {}  # booking id -> (email, showtime)
    cancelled: set[str] = set()
    accounts: list[str] = []
    owners: list[str] = []  # accounts, and the burst's buyers
    for round_number in range(3):
        app = start_app(data, **ANY_SEATS)
        client = Client(app)
        showtime = client.a_showtime(round_number)
        for _ in range(2):
            email = _emails("buyer")
            client.register(email)
            accounts.append(email)
            owners.append(email)
        auth = client.login(accounts[-1])
        seats = client.bookable_seats(showtime)
        for index in range(3):
            booking = client.book(auth, showtime, seats[2 * index : 2 * index + 2])
            confirmed[booking["booking_id"]] = (accounts[-1], showtime)
        victim = next(iter(sorted(set(confirmed) - cancelled)))
        owner_auth = client.login(confirmed[victim][0])
        assert client.cancel(owner_auth, victim)["status"] == "cancelled"
        cancelled.add(victim)
        if round_number == 1:
            owners += _checkout_burst_then_kill(app, client, showtime, seats[6:], confirmed)
        else:
            app.kill()  # at once: the last answers left a moment ago

    app = start_app(data, **ANY_SEATS)
    client = Client(app)
    try:
        for account in accounts:
            mine = client.bookings(client.login(account))  # every registered account survived
            for booking_id, (owner, _show) in confirmed.items():
                if owner == account:
                    assert booking_id in mine, f"acknowledged booking {booking_id} was lost"
                    expected = "cancelled" if booking_id in cancelled else "confirmed"
                    assert mine[booking_id]["status"] == expected
        existing = _assert_nothing_half_booked(client, owners, {show for _owner, show in confirmed.values()})
        _wait_for_mail(app, {(booking, "booking_confirmed") for booking in existing}
                       | {(booking, "booking_cancelled") for booking in cancelled})
    finally:
        app.stop()  # the mailbox collects what is still in its inboxes on the way out

    with backend_on(data) as (_backend, settings):
        mail = mail_by_booking(settings, owners)
    duplicates = {key: count for key, count in mail.items() if count > 1}
    assert not duplicates, f"emails sent twice: {duplicates}"
    assert {booking for _who, _kind, booking in mail} <= set(existing), "an email for a booking that is not there"
    for booking_id, owner in existing.items():  # the acknowledged ones, and any the kill cut off but made whole
        assert mail[(owner, "booking_confirmed", booking_id)] == 1, f"no confirmation for {booking_id}"
    for booking_id in cancelled:
        assert mail[(confirmed[booking_id][0], "booking_cancelled", booking_id)] == 1


def _wait_for_mail(app: RunningApp, expected: set[tuple[str, str]], seconds: float = 45) -> None:
    """Until the app logged each (booking, kind) as delivered to a mailbox (in this run or a killed one:
    their logs stay beside the data). The assertions then read the mailboxes themselves."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        logs = "".join(path.read_text() for path in app.log_path.parent.glob(f"{app.data_dir.name}-*.log"))
        if all(f"kind={kind} booking_id={booking}" in logs for booking, kind in expected):
            return
        time.sleep(0.5)


def _checkout_burst_then_kill(app: RunningApp, client: Client, showtime: str, seats: list[str],
                              confirmed: dict[str, tuple[str, str]]) -> list[str]:
    """Eight buyers check out at once; the process is killed while they are at it. What was answered 201
    must survive; what was not may or may not exist, but never half."""
    buyers = []
    for _ in range(8):
        email = _emails("burst")
        client.register(email)
        buyers.append((email, client.login(email)))
    acknowledged: list[tuple[str, str]] = []
    lock = threading.Lock()
    stop = threading.Event()

    def buy(index: int) -> None:
        email, auth = buyers[index]
        session = Client(app)
        for attempt in range(20):
            if stop.is_set():
                return
            pair = seats[(index * 20 + attempt) * 2 : (index * 20 + attempt) * 2 + 2]
            if len(pair) < 2:
                return
            try:
                booking = session.book(auth, showtime, pair)
            except (requests.RequestException, AssertionError):
                return  # the kill, or a seat another buyer got first
            with lock:
                acknowledged.append((booking["booking_id"], email))

    with ThreadPoolExecutor(max_workers=8) as pool:
        futures = [pool.submit(buy, index) for index in range(8)]
        deadline = time.monotonic() + 30
        while len(acknowledged) < 6 and time.monotonic() < deadline:
            time.sleep(0.05)
        app.kill()  # in the middle of the burst
        stop.set()
        for future in futures:
            future.result()
    assert len(acknowledged) >= 6, "the burst confirmed too few bookings before the kill to mean anything"
    for booking_id, email in acknowledged:
        confirmed[booking_id] = (email, showtime)
    return [email for email, _auth in buyers]


def _assert_nothing_half_booked(client: Client, owners: list[str], showtimes: set[str]) -> dict[str, str]:
    """Every sold seat belongs to exactly one confirmed booking, and every confirmed booking's seats are
    sold; returns every booking there is (id -> owner)."""
    booked: Counter[tuple[str, str]] = Counter()
    existing: dict[str, str] = {}
    for email in owners:
        for booking in client.bookings(client.login(email)).values():
            existing[booking["booking_id"]] = email
            if booking["status"] == "confirmed":
                booked.update((booking["showtime_id"], seat) for seat in booking["seat_ids"])
    assert all(count == 1 for count in booked.values()), "a seat is in two confirmed bookings"
    for showtime in showtimes:
        sold = {seat for seat, status in client.seat_status(showtime).items() if status == "sold"}
        assert sold == {seat for show, seat in booked if show == showtime}
    return existing


# Replay equivalence -------------------------------------------------------------------------------
def _wait_for_snapshot(data: Path, seconds: float = 30) -> None:
    """Until the backend writes its next snapshot (renamed into place: a new file), so what came before
    is replayed from the snapshot and what comes after from the journal."""
    path = data / SNAPSHOT_FILE

    def identity() -> tuple[int, int] | None:
        try:
            status = path.stat()
        except FileNotFoundError:
            return None
        return status.st_ino, status.st_mtime_ns

    before = identity()
    deadline = time.monotonic() + seconds
    while identity() in (before, None) and time.monotonic() < deadline:
        time.sleep(0.05)


def dump(endpoint: str, prefix: str = "moviemagic-") -> dict[str, Any]:
    """Every table's items, the SNS subscriptions and each queue's message counts, in a comparable form."""
    session = boto3.session.Session(region_name="us-east-1", **EMBEDDED_CREDENTIALS)
    ddb = session.client("dynamodb", endpoint_url=endpoint)
    tables = {}
    for table in ALL_TABLES:
        items = []
        for page in ddb.get_paginator("scan").paginate(TableName=prefix + table.logical_name,  # scan-ok: test
                                                       ConsistentRead=True):
            items += [json.dumps(item, sort_keys=True, default=str) for item in page["Items"]]
        tables[table.logical_name] = sorted(items)
    sns = session.client("sns", endpoint_url=endpoint)
    subscriptions = sorted((sub["SubscriptionArn"], sub["Endpoint"])
                           for sub in sns.list_subscriptions()["Subscriptions"])
    sqs = session.client("sqs", endpoint_url=endpoint)
    queues = {}
    for url in sqs.list_queues().get("QueueUrls", []):
        attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        queues[url.rsplit("/", 1)[-1]] = (attributes["ApproximateNumberOfMessages"],
                                          attributes["ApproximateNumberOfMessagesNotVisible"])
    return {"tables": tables, "subscriptions": subscriptions, "queues": queues}


def test_replay_rebuilds_exactly_the_state_before_the_kill(tmp_path: Path) -> None:
    """An app on the shared backend books, cancels and sends emails; the backend is killed (SIGKILL) and
    started again: every table, subscription and queue is as it was, from the snapshot plus the journal."""
    data = tmp_path / "data"
    backend = start_backend(data, snapshot_seconds="2")  # snapshots happen during the work, too
    app = start_app(data, **ANY_SEATS, endpoint_url=backend.url)
    try:
        client = Client(app)
        showtime = client.a_showtime()
        emails = [_emails("replay") for _ in range(3)]
        for email in emails:
            client.register(email)
        bookings = []
        for index, email in enumerate(emails):
            seats = client.bookable_seats(showtime)[:2]
            bookings.append(client.book(client.login(email), showtime, seats))
            if index == 0:
                _wait_for_snapshot(data)  # one snapshot in the middle of the work, the journal after it
        client.cancel(client.login(emails[0]), bookings[0]["booking_id"])
        # The outbox publishes, the mailbox collects: every email of this work, or the assertion below says.
        _wait_for_mail(app, {(booking["booking_id"], "booking_confirmed") for booking in bookings}
                       | {(bookings[0]["booking_id"], "booking_cancelled")})
    finally:
        app.stop()
    before = dump(backend.url)
    assert any(item for item in before["tables"]["Outbox"] if "mailbox#" in item), "no email reached a mailbox"
    backend.kill()
    assert list(data.glob("journal-*.log")), "the kill came before any journal"

    again = start_backend(data)
    try:
        assert dump(again.url) == before
    finally:
        again.stop()


# Two app processes, one shared backend -------------------------------------------------------------
def test_two_apps_on_one_shared_backend_never_sell_a_seat_twice(tmp_path: Path) -> None:
    data = tmp_path / "data"
    backend = start_backend(data)
    apps = [start_app(data, **ANY_SEATS, endpoint_url=backend.url, live_poller="true") for _ in range(2)]
    try:
        clients = [Client(app) for app in apps]
        showtime = clients[0].a_showtime()
        wanted = clients[0].bookable_seats(showtime)[:12]
        buyers = []
        for index in range(8):
            email = _emails("racer")
            clients[index % 2].register(email)
            buyers.append((email, clients[index % 2].login(email)))
        won: list[tuple[str, list[str]]] = []
        lock = threading.Lock()

        def race(index: int) -> None:
            email, auth = buyers[index]
            client = Client(apps[index % 2])  # half the buyers on each app
            for start in range(0, len(wanted), 3):
                pair = wanted[start : start + 3]
                try:
                    booking = client.book(auth, showtime, pair)
                except AssertionError:
                    continue  # someone else holds or bought one of them
                with lock:
                    won.append((email, booking["seat_ids"]))

        with ThreadPoolExecutor(max_workers=8) as pool:
            for future in [pool.submit(race, index) for index in range(8)]:
                future.result()
        sold = Counter(seat for _email, seats in won for seat in seats)
        assert sold, "nobody bought anything"
        assert max(sold.values()) == 1, f"seats sold twice: {[seat for seat, n in sold.items() if n > 1]}"
        statuses = clients[1].seat_status(showtime)
        assert {seat for seat in wanted if statuses[seat] == "sold"} == set(sold)
    finally:
        for app in apps:
            app.stop()
        backend.stop()

