"""Shared fixtures: one locked moto server per test session (boto3 talks to it over HTTP, exactly as to
AWS); every test gets its own table prefix, so tests never see each other's data."""

from __future__ import annotations

import contextlib
import logging
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from nicegui import core
from nicegui.testing import User as SimulatedUser
from xdist.remote import Producer
from xdist.scheduler import LoadScopeScheduling, Scheduling

from api.v1 import PREFIX, create_app
from main import build_services
from services.accounts.users import User
from services.booking.payments import DemoGateway
from services.catalog.demo import DemoCatalog
from services.clock import FakeClock, iso
from services.container import Services
from services.platform.aws import Aws, connect
from services.platform.embedded import EmbeddedServer
from services.platform.schema import ALL_TABLES, MOVIES, SHOWTIMES, THEATERS, USERS, Table
from services.settings import Settings
from tests.moto_direct import DirectProvisioner

ROOT = Path(__file__).resolve().parent.parent
CATALOG_DIR = ROOT / "assets" / "catalog"
TEST_SECRET = "test-secret-0123456789abcdef"

# moto's server logs every request; a failing test's report should show the app's own lines.
logging.getLogger("werkzeug").setLevel(logging.WARNING)


@pytest.fixture(scope="session")
def moto_server() -> Iterator[EmbeddedServer]:
    """This worker's moto server, in this process (so tests/moto_direct.py can set up tables in memory)."""
    server = EmbeddedServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def moto_endpoint(moto_server: EmbeddedServer) -> str:
    return moto_server.endpoint_url


def make_settings(endpoint: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "backend": "aws",
        "endpoint_url": endpoint,
        "table_prefix": f"t{uuid.uuid4().hex[:10]}-",
        "topic_name": f"t{uuid.uuid4().hex[:10]}",
        "storage_secret": TEST_SECRET,
        "ticket_secret": TEST_SECRET + "-ticket",
        "api_secret": TEST_SECRET + "-api",
        "bcrypt_rounds": 4,
        # The tests written before the single-seat rule pick seats freely to test other things; the rule's
        # own tests (tests/test_seat_rules.py, tests/e2e/test_holds_e2e.py) turn it on, as the product has it.
        "single_seat_rule": False,
        "upi_collect_seconds": 0.2,  # the demo UPI app answers quickly in tests
    }
    return Settings(**(values | overrides))  # type: ignore[arg-type]


@pytest.fixture
def settings(moto_endpoint: str) -> Settings:
    return make_settings(moto_endpoint)


@pytest.fixture(scope="session")
def direct(moto_server: EmbeddedServer, moto_endpoint: str) -> DirectProvisioner:
    """Makes a test's tables, topic and bucket in moto's memory: what ``provision()`` makes, without ~70
    requests a test (tests/moto_direct.py; tests/test_moto_direct.py checks they are the same)."""
    return DirectProvisioner(moto_server, connect(make_settings(moto_endpoint)))


@pytest.fixture
def aws(settings: Settings, direct: DirectProvisioner) -> Aws:
    aws = connect(settings)
    direct.provision(aws)
    return aws


@pytest.fixture
def clock() -> FakeClock:
    # Mid-morning in India, so the day's demo shows are still ahead.
    return FakeClock(datetime.now(UTC).replace(hour=3, minute=0, second=0, microsecond=0))


@pytest.fixture
def services(settings: Settings, aws: Aws, clock: FakeClock) -> Services:
    return build_services(settings, aws, clock)


def fake_clock(services: Services) -> FakeClock:
    """The test services' clock, typed as what it is (``Services.clock`` is any ``Clock``), to move time."""
    assert isinstance(services.clock, FakeClock)
    return services.clock


def demo_gateway(services: Services) -> DemoGateway:
    """The test services' payment gateway, typed as the in-process one the tests inspect."""
    assert isinstance(services.payments, DemoGateway)
    return services.payments


# The demo catalog's tables. Seeding them item by item is the slowest part of a test's setup (~0.5 s), so
# each worker seeds them once per clock and every test gets its own full copy of that seed, restored from a
# DynamoDB backup (moto copies the items in memory): tests stay isolated, catalog-changing ones included.
CATALOG_TABLES: tuple[Table, ...] = (MOVIES, THEATERS, SHOWTIMES)
OTHER_TABLES: tuple[Table, ...] = tuple(table for table in ALL_TABLES if table not in CATALOG_TABLES)


@pytest.fixture(scope="session")
def catalog_backups() -> dict[datetime, dict[str, str]]:
    """This worker's demo-catalog backups: backup ARN per catalog table, per 15-minute slot of the clock."""
    return {}


def load_demo_catalog(aws: Aws, now: datetime, backups: dict[datetime, dict[str, str]],
                      direct: DirectProvisioner) -> None:
    """Give ``aws``'s prefix the demo catalog exactly as ``DemoCatalog(aws, FakeClock(now)).load(days=3)``
    writes it, replacing its (empty) catalog tables. The demo shows depend only on each theater's local
    date; every time zone's offset is a multiple of 15 minutes, so one seed serves a whole 15-minute slot."""
    slot = now.replace(minute=now.minute - now.minute % 15, second=0, microsecond=0)
    if slot not in backups:
        template = connect(make_settings(aws.settings.endpoint_url or ""))
        direct.provision(template, CATALOG_TABLES)
        DemoCatalog(template, FakeClock(now), CATALOG_DIR).load(days=3)
        backups[slot] = {
            table.logical_name: template.ddb.create_backup(
                TableName=template.table_name(table), BackupName=f"demo-{table.logical_name}"
            )["BackupDetails"]["BackupArn"]
            for table in CATALOG_TABLES
        }
    for table in CATALOG_TABLES:  # moto's RestoreTableFromBackup (catalog tables have no TTL to set again)
        direct.restore(aws, table, backups[slot][table.logical_name])


@pytest.fixture
def seeded(services: Services, catalog_backups: dict[datetime, dict[str, str]],
           direct: DirectProvisioner) -> Services:
    load_demo_catalog(services.aws, services.clock.now(), catalog_backups, direct)
    return services


@pytest.fixture
def app_env(monkeypatch: pytest.MonkeyPatch, moto_endpoint: str, tmp_path: Path,
            catalog_backups: dict[datetime, dict[str, str]], direct: DirectProvisioner) -> Settings:
    """Settings for main.py under NiceGUI's `user` fixture: fresh, seeded tables on the test server."""
    settings = make_settings(moto_endpoint, data_dir=tmp_path)
    for name, value in settings.model_dump(exclude_none=True).items():
        monkeypatch.setenv(f"MOVIEMAGIC_{name.upper()}", str(value))
    aws = connect(settings)
    direct.provision(aws, OTHER_TABLES)
    load_demo_catalog(aws, FakeClock().now(), catalog_backups, direct)
    return settings


def tomorrow_show(screen: str = "audi-3", start: str = "1800") -> str:
    """A show tomorrow evening at Lumière Bandra (audi-3: the 84-seat lounge; prime ₹450, recliner ₹900)."""
    day = (datetime.now(ZoneInfo("Asia/Kolkata")) + timedelta(days=1)).strftime("%Y%m%d")
    return f"lumiere-bandra-mumbai.{screen}.{day}.{start}"


@pytest.fixture
def show() -> str:
    """The show most tests book: read from the clock when the test runs, not when the module is imported."""
    return tomorrow_show()


# Booking engine: a tiny catalog (one theater, one 24-seat screen) so tests need not load the demo.
SMALL_LAYOUT = {
    "layout_id": "tiny-24",
    "name": "Tiny",
    "categories": [{"code": "classic", "name": "Classic"}, {"code": "prime", "name": "Prime"}],
    "rows": [
        {"label": "A", "category": "classic", "seats": "ssssxsss"},  # A5 is blocked
        {"label": "B", "category": "classic", "seats": "ssss_ssss"},
        {"aisle": True},
        {"label": "C", "category": "prime", "seats": "wcssssss"},
    ],
}
SMALL_PRICES = {"classic": 20000, "prime": 35000}


def add_small_showtime(services: Services, showtime_id: str, starts_in: timedelta) -> str:
    """One more showtime of the tiny screen, starting ``starts_in`` from the services' clock."""
    starts_at = services.clock.now() + starts_in
    services.aws.table(SHOWTIMES).put_item(
        Item={
            "showtime_id": showtime_id,
            "movie_id": "tiny-movie",
            "theater_id": "tiny-theater",
            "screen_id": "tiny-1",
            "city": "Testville",
            "timezone": "Asia/Kolkata",
            "starts_at": iso(starts_at),
            "ends_at": iso(starts_at + timedelta(hours=2)),
            "language": "English",
            "format": "2D",
            "prices": SMALL_PRICES,
        }
    )
    return showtime_id


@pytest.fixture
def small(services: Services) -> Services:
    """Services with a tiny catalog: showtime ``tiny-show`` starts in 2 days, ``tiny-soon`` in 5 minutes."""
    services.aws.table(MOVIES).put_item(
        Item={
            "movie_id": "tiny-movie",
            "title": "The Tiny Picture",
            "genres": ["Drama"],
            "languages": ["English"],
            "certificate": "U",
            "runtime_min": 100,
            "rating": Decimal("7.5"),
            "release_date": "2020-01-01",
            "catalog": "movie",
        }
    )
    services.aws.table(THEATERS).put_item(
        Item={
            "theater_id": "tiny-theater",
            "name": "Tiny Cinema",
            "city": "Testville",
            "address": "1 Test Road",
            "timezone": "Asia/Kolkata",
            "catalog": "theater",
            "city_name": "Testville#Tiny Cinema",
            "screens": [
                {
                    "screen_id": "tiny-1",
                    "name": "Screen 1",
                    "format": "2D",
                    "prices": SMALL_PRICES,
                    "layout": SMALL_LAYOUT,
                }
            ],
        }
    )
    add_small_showtime(services, "tiny-show", timedelta(days=2))
    add_small_showtime(services, "tiny-soon", timedelta(minutes=5))
    return services


@pytest.fixture
def mailbox_env(app_env: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The app as on the embedded backend: with the Mailbox."""
    monkeypatch.setenv("MOVIEMAGIC_MAILBOX", "true")
    return app_env.model_copy(update={"mailbox": True})


@pytest.fixture
def app_services(mailbox_env: Settings) -> Services:
    """The same tables the app under test uses, for arranging accounts and bookings."""
    return build_services(mailbox_env, connect(mailbox_env))


@pytest.fixture
async def create_user(user: SimulatedUser) -> AsyncIterator[Callable[[], SimulatedUser]]:
    """More simulated browsers on the app that ``user`` started (NiceGUI's fixture of this name, overridden).
    NiceGUI's own enters the app's lifespan a second time: the app's startup handlers run again and start
    main.py's timers a second time on the same coroutine objects, which then fail with "cannot reuse already
    awaited coroutine" (an ERROR log, so a failed test whenever it lands in the test's call phase). These
    users share the one running app instead; ``ui.navigate`` belongs to the newest one, as with NiceGUI's."""
    clients: list[httpx.AsyncClient] = []

    def new_user() -> SimulatedUser:
        client = httpx.AsyncClient(transport=httpx.ASGITransport(core.app), base_url="http://test")
        clients.append(client)
        return SimulatedUser(client)

    yield new_user
    for client in clients:
        await client.aclose()


# Test modules that take longest (app processes, crash rounds, property runs, stack deploys): scheduled first
# among the non-browser tests, so no worker starts one of them while the other has nothing left to do.
SLOW_FIRST = ("test_durability.py", "test_properties.py", "test_embedded.py", "test_deploy.py",
              "test_hold_caps.py", "test_concurrency.py", "test_lean_install.py", "test_health.py",
              "test_api_fuzz.py", "test_staff_reports.py", "test_staff_pages.py", "test_kiosk_pages.py")


def is_browser_test(nodeid: str) -> bool:
    return nodeid.startswith("tests/e2e/")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests first, then the slow modules, then the rest (each module's tests stay together).
    Sync Playwright runs an event loop in this thread while it is open, which the async (NiceGUI `user`)
    tests must not run beside; tests/e2e/conftest.py closes it (package scope) before they start."""
    def rank(item: pytest.Item) -> int:
        if is_browser_test(item.nodeid):
            return 0
        return 1 if item.path.name in SLOW_FIRST else 2

    items.sort(key=rank)  # stable: the order within each rank is the collection order


# The browser tests split in two halves of about equal time (~3.5 min each on 2 cores); a new module joins the
# first half until it is listed here.
SECOND_BROWSER_HALF = ("test_edges_e2e.py", "test_two_instances.py", "test_kiosk_e2e.py", "test_languages_e2e.py",
                       "test_seatmap_live.py", "test_checkin_camera_e2e.py", "test_poster_durability.py")


class BrowserGroupScheduling(LoadScopeScheduling):
    """pytest-xdist's load scheduling, except that the browser tests are two units of work (halves), each
    run by one worker one test after another, from the start (the largest units go first), while the other
    workers take the rest test by test. A half keeps one worker's apps and Chromium starting once; with more
    than two at once on a 2-core machine the browser tests would race their own timeouts. (xdist's own
    ``xdist_group`` mark does nothing under pytest 9.2: it renames ``item._nodeid``, which pytest no longer
    reads.)"""

    def _split_scope(self, nodeid: str) -> str:
        if not is_browser_test(nodeid):
            return nodeid
        module = nodeid.split("::", maxsplit=1)[0].rsplit("/", maxsplit=1)[-1]
        return "browser-2" if module in SECOND_BROWSER_HALF else "browser-1"


def pytest_xdist_make_scheduler(config: pytest.Config, log: Producer) -> Scheduling | None:
    """``-n N --dist loadgroup`` (test.sh) schedules with ``BrowserGroupScheduling``."""
    if config.getvalue("dist") == "loadgroup":
        return BrowserGroupScheduling(config, log)
    return None


@contextlib.contextmanager
def api_client(services: Services, **options: Any) -> Iterator[TestClient]:
    """The JSON API (``api/v1``) over ``services`` under FastAPI's TestClient, mounted at its real prefix;
    ``options`` go to the TestClient (e.g. ``raise_server_exceptions=False`` to see a 5xx as a client would)."""
    parent = FastAPI()
    parent.mount(PREFIX, create_app(services))
    with TestClient(parent, base_url="http://testserver" + PREFIX, **options) as client:
        yield client


def store_account(aws: Aws, user: User) -> User:
    """Test data: ``user`` as a row of the Users table (no password), so checks that read the account
    afresh (the staff console's access check) find it, role and theaters included."""
    aws.table(USERS).put_item(Item={
        "email": user.email, "user_id": user.user_id, "name": user.name, "role": user.role,
        "created_at": user.created_at or "2026-01-01T00:00:00+00:00", "theaters": list(user.theaters)})
    return user
