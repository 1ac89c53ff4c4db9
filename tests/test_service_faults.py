"""A throttled DynamoDB read in login, the catalog, bookings and notifications gives the person a clear
"try again" (the API a 503 with the error shape, the page a message), never a 500 or a stack trace.
Faults come from the public seam in tests/faults.py (botocore event hooks on the app's own client)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from nicegui.testing import User as SimulatedUser

from services.container import Services
from services.errors import ServiceUnavailable
from services.platform import backend
from services.platform.aws import Aws
from tests.conftest import api_client
from tests.faults import Faults, throttled
from tests.test_api import error, login
from tests.test_notifications import book, record, worker
from tests.test_ticket_pages import book as book_demo
from tests.test_ticket_pages import login as log_in_page
from tests.test_ticket_pages import register

BUSY = "We could not reach the booking system just now"


@pytest.fixture
def client(small: Services) -> Iterator[TestClient]:
    with api_client(small, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def faults(small: Services) -> Iterator[Faults]:
    injector = Faults(small)
    yield injector
    injector.clear()


def unavailable(response: Any) -> str:
    assert response.status_code == 503, response.text
    body = error(response)
    assert body["code"] == "service_unavailable"
    return str(body["message"])


# Services and API ---------------------------------------------------------------------------------------
def test_throttled_login_is_a_503_and_the_account_is_untouched(small: Services, client: TestClient,
                                                             faults: Faults) -> None:
    login(client, "alice@example.com")
    faults.fail("GetItem", throttled)
    with pytest.raises(ServiceUnavailable):
        small.users.authenticate("alice@example.com", "long enough")
    faults.fail("GetItem", throttled)
    response = client.post("/auth/login", json={"email": "alice@example.com", "password": "long enough"})
    assert BUSY in unavailable(response)
    # Nothing was counted against the account: the right password still works at once.
    assert client.post("/auth/login", json={"email": "alice@example.com", "password": "long enough"}).status_code == 200


def test_throttled_catalog_reads_are_503s(small: Services, client: TestClient, faults: Faults) -> None:
    faults.fail("Query", throttled)
    assert "programme cannot be loaded" in unavailable(client.get("/movies", params={"city": "Testville"}))
    faults.fail("GetItem", throttled)
    assert "programme cannot be loaded" in unavailable(client.get("/showtimes/tiny-show/seats"))
    # The failure was not cached: the next request answers.
    assert [m["movie_id"] for m in client.get("/movies", params={"city": "Testville"}).json()] == ["tiny-movie"]


def test_throttled_bookings_list_is_a_503(small: Services, client: TestClient, faults: Faults) -> None:
    alice = login(client, "alice@example.com")
    faults.fail("Query", throttled, when=lambda params: params.get("IndexName") == "by-user-created")
    assert "bookings cannot be loaded" in unavailable(client.get("/bookings", headers=alice))
    assert client.get("/bookings", headers=alice).json() == []


def test_throttled_notification_round_loses_nothing(small: Services, faults: Faults) -> None:
    alice = small.users.register("Alice", "alice@example.com", "password123")
    booking = book(small, alice, ["A1"])
    sender = worker(small)
    faults.fail("Query", throttled, when=lambda params: params.get("IndexName") == "pending")
    report = sender.run_once()  # logs and ends the round; it never raises into the app's timer
    assert (report.published, report.failed) == (0, 0)
    assert "pending" in record(small, booking.booking_id)
    assert sender.run_once().published == 1
    assert "pending" not in record(small, booking.booking_id)


def test_throttled_subscription_status_reads_unknown(small: Services, faults: Faults) -> None:
    small.users.register("Alice", "alice@example.com", "password123")
    faults.fail("GetItem", throttled)
    assert small.subscriptions.status("alice@example.com") == "unknown"


# Pages --------------------------------------------------------------------------------------------------
@pytest.fixture
def app_aws(monkeypatch: pytest.MonkeyPatch, mailbox_env: Any) -> list[Aws]:
    """The AWS handles the app under test builds at start-up (to hook faults onto its own client)."""
    built: list[Aws] = []
    real_connect = backend.connect

    def connect_and_keep(*args: Any, **kwargs: Any) -> Aws:
        built.append(real_connect(*args, **kwargs))
        return built[-1]

    monkeypatch.setattr(backend, "connect", connect_and_keep)
    return built


async def test_throttled_login_page_says_try_again(app_aws: list[Aws], user: SimulatedUser,
                                                   app_services: Services) -> None:
    register(app_services, "alice")
    faults = Faults(app_aws[-1])
    await user.open("/login")
    faults.fail("GetItem", throttled)
    user.find(marker="login-email").type("alice@example.com")
    user.find(marker="login-password").type("correct horse battery")
    user.find(marker="login-submit").click()
    await user.should_see(BUSY, retries=50)
    await user.should_not_see(marker="account-menu")
    faults.clear()


async def test_throttled_bookings_page_says_try_again(app_aws: list[Aws], user: SimulatedUser,
                                                      app_services: Services) -> None:
    book_demo(app_services, register(app_services, "alice"))
    await log_in_page(user, "alice")
    faults = Faults(app_aws[-1])
    faults.fail("Query", throttled, when=lambda params: params.get("IndexName") == "by-user-created")
    await user.open("/bookings")
    await user.should_see("Your bookings cannot be loaded just now")
    faults.clear()


async def test_a_slow_backend_gives_a_late_page_not_a_server_error(app_aws: list[Aws], user: SimulatedUser,
                                                                   app_services: Services) -> None:
    """NiceGUI answers a page not built within 3 s with its own bare 500 page; this app's pages allow more
    (components/page.py), so a customer whose bookings take 3.5 s to read still gets them."""
    booking = book_demo(app_services, register(app_services, "alice"))
    await log_in_page(user, "alice")
    faults = Faults(app_aws[-1])
    faults.on("Query", lambda: time.sleep(3.5), when=lambda params: params.get("IndexName") == "by-user-created")
    await user.open("/bookings")
    await user.should_see(f"Seats {', '.join(booking.seat_ids)}", retries=50)
    faults.clear()


def test_every_page_registers_through_the_apps_page_decorator() -> None:
    """One way to declare a page (components/page.py): a page declared with NiceGUI's own would get 3 s."""
    root = Path(__file__).resolve().parent.parent
    offenders = [str(path.relative_to(root)) for path in root.glob("pages/**/*.py") if "@ui.page(" in path.read_text()]
    assert offenders == []
