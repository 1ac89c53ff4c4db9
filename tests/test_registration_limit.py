"""Registration limits (issue 18): sign-ups per client address and in all, per clock hour, on DynamoDB (moto
over HTTP); the API's 429 and the register page's message; a refused sign-up creates nothing."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from nicegui.testing import User

from main import build_services
from services.clock import FakeClock
from services.container import Services
from services.errors import InvalidRequest, TooManyAttempts
from services.platform.aws import connect
from services.platform.provisioning import provision
from services.platform.schema import USERS
from services.settings import Settings
from tests.conftest import api_client, make_settings

PER_CLIENT, IN_ALL = 3, 5


@pytest.fixture
def limited(moto_endpoint: str, clock: FakeClock) -> Services:
    settings = make_settings(moto_endpoint, registrations_per_client_per_hour=PER_CLIENT,
                             registrations_per_hour=IN_ALL)
    aws = connect(settings)
    provision(aws)
    return build_services(settings, aws, clock)


def sign_up(services: Services, n: int, client: str) -> None:
    services.users.register(f"Guest {n}", f"guest{n}@example.com", "long enough", client=client)


def test_one_address_gets_its_places_then_waits_for_the_next_hour(limited: Services, clock: FakeClock) -> None:
    for n in range(PER_CLIENT):
        sign_up(limited, n, "203.0.113.7")
    with pytest.raises(TooManyAttempts, match="from your network") as refused:
        sign_up(limited, 99, "203.0.113.7")
    assert limited.users.find("guest99@example.com") is None  # refused: nothing created
    assert 1 <= refused.value.retry_after_seconds <= 3600
    sign_up(limited, 10, "198.51.100.4")  # another address is not affected
    clock.advance(seconds=refused.value.retry_after_seconds)
    sign_up(limited, 99, "203.0.113.7")  # a new hour: places again
    assert limited.users.find("guest99@example.com") is not None


def test_everybody_together_is_capped_too(limited: Services) -> None:
    for n in range(IN_ALL):
        sign_up(limited, n, f"198.51.100.{n}")
    with pytest.raises(TooManyAttempts, match="right now"):
        sign_up(limited, 99, "192.0.2.1")
    assert limited.users.find("guest99@example.com") is None


def test_a_refused_or_invalid_sign_up_uses_no_place(limited: Services) -> None:
    for _ in range(PER_CLIENT + 2):
        with pytest.raises(InvalidRequest):
            limited.users.register("Guest", "not-an-email", "long enough", client="203.0.113.7")
    for n in range(PER_CLIENT):
        sign_up(limited, n, "203.0.113.7")
    for _ in range(3):  # refusals count nowhere: the other addresses still share what is left in all
        with pytest.raises(TooManyAttempts):
            sign_up(limited, 50, "203.0.113.7")
    sign_up(limited, 60, "198.51.100.4")
    sign_up(limited, 61, "198.51.100.5")


def test_parallel_sign_ups_never_overshoot(limited: Services) -> None:
    def attempt(n: int) -> bool:
        try:
            sign_up(limited, n, "203.0.113.7")
            return True
        except TooManyAttempts:
            return False

    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(attempt, range(10)))
    assert results.count(True) == PER_CLIENT
    assert sum(limited.users.find(f"guest{n}@example.com") is not None for n in range(10)) == PER_CLIENT


def test_staff_made_accounts_and_the_first_admin_are_not_sign_ups(limited: Services) -> None:
    for n in range(IN_ALL):
        sign_up(limited, n, f"198.51.100.{n}")
    assert limited.users.ensure_admin("boss@example.com") is not None
    limited.users.register("Usher", "usher@example.com", "long enough", role="usher")


# The API ----------------------------------------------------------------------------------------------
@pytest.fixture
def client(limited: Services) -> Iterator[TestClient]:
    with api_client(limited) as test_client:
        yield test_client


def test_the_api_says_429_with_retry_after_and_creates_nothing(client: TestClient, limited: Services) -> None:
    body = {"name": "Guest", "password": "long enough"}
    for n in range(PER_CLIENT):
        assert client.post("/auth/register", json=body | {"email": f"g{n}@example.com"}).status_code == 201
    refused = client.post("/auth/register", json=body | {"email": "late@example.com"})
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "too_many_attempts"
    assert "from your network" in refused.json()["error"]["message"]
    assert 1 <= int(refused.headers["Retry-After"]) <= 3600
    assert client.post("/auth/login", json={"email": "late@example.com", "password": "long enough"}).status_code == 401
    documented = client.get("/openapi.json").json()["paths"]["/auth/register"]["post"]["responses"]
    assert "429" in documented


# The page ---------------------------------------------------------------------------------------------
@pytest.fixture
def one_sign_up_per_hour(app_env: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("MOVIEMAGIC_REGISTRATIONS_PER_CLIENT_PER_HOUR", "1")
    return app_env


async def _fill(user: User, email: str) -> None:
    await user.open("/register")
    user.find(marker="register-name").type("Asha Rao")
    user.find(marker="register-email").type(email)
    user.find(marker="register-password").type("correct horse")
    user.find(marker="register-confirm").type("correct horse")
    user.find(marker="register-submit").click()


async def test_the_register_page_explains_and_creates_nothing(one_sign_up_per_hour: Settings, user: User) -> None:
    await _fill(user, "first@example.com")
    await user.should_see(marker="account-menu", retries=100)
    await user.open("/logout")
    await user.should_not_see(marker="account-menu", retries=50)
    await user.should_see(marker="page-title", retries=100)  # logout's redirect home has landed
    await _fill(user, "second@example.com")
    await user.should_see("Too many new accounts were created from your network. Please try again in", retries=100)
    await user.should_not_see(marker="account-menu")
    users = connect(one_sign_up_per_hour).table(USERS)
    assert "Item" not in users.get_item(Key={"email": "second@example.com"})
    assert "Item" in users.get_item(Key={"email": "first@example.com"})
