"""Accounts on DynamoDB (moto over HTTP): registration, duplicate emails under concurrency, login, lockout."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from services.clock import FakeClock
from services.container import Services
from services.errors import AccountLocked, EmailTaken, InvalidCredentials, InvalidRequest
from services.platform.schema import USERS


def test_register_normalises_email_and_hashes_the_password(services: Services) -> None:
    user = services.users.register("Asha Rao", "  Asha@Example.COM ", "correct horse", "correct horse")
    assert user.email == "asha@example.com"
    stored = services.aws.table(USERS).get_item(Key={"email": "asha@example.com"})["Item"]
    assert stored["password_hash"].startswith("$2b$")
    assert "correct horse" not in str(stored)
    assert services.users.authenticate("ASHA@example.com", "correct horse").user_id == user.user_id


@pytest.mark.parametrize(
    ("name", "email", "password", "confirm", "message"),
    [
        ("", "a@example.com", "long enough", "long enough", "name"),
        ("Asha", "not-an-email", "long enough", "long enough", "valid email"),
        ("Asha", "a@example.com", "short", "short", "at least 8"),
        ("Asha", "a@example.com", "long enough", "different!", "do not match"),
        ("Asha", "a@example.com", "x" * 73, "x" * 73, "at most 72"),
    ],
)
def test_bad_registrations_are_refused_and_change_nothing(
    services: Services, name: str, email: str, password: str, confirm: str, message: str
) -> None:
    with pytest.raises(InvalidRequest, match=message):
        services.users.register(name, email, password, confirm)
    assert "Item" not in services.aws.table(USERS).get_item(Key={"email": "a@example.com"})


def test_concurrent_registrations_of_one_email_make_one_account(services: Services) -> None:
    def attempt(index: int) -> str:
        try:
            return services.users.register(f"Racer {index}", "race@example.com", f"password-{index}").user_id
        except EmailTaken:
            return "taken"

    with ThreadPoolExecutor(max_workers=12) as pool:
        results = list(pool.map(attempt, range(12)))
    winners = [result for result in results if result != "taken"]
    assert len(winners) == 1
    stored = services.aws.table(USERS).get_item(Key={"email": "race@example.com"})["Item"]
    assert stored["user_id"] == winners[0]


def test_login_errors_are_generic(services: Services) -> None:
    services.users.register("Asha", "asha@example.com", "correct horse")
    with pytest.raises(InvalidCredentials) as wrong_password:
        services.users.authenticate("asha@example.com", "wrong horse")
    with pytest.raises(InvalidCredentials) as unknown_email:
        services.users.authenticate("nobody@example.com", "wrong horse")
    assert wrong_password.value.message == unknown_email.value.message == "Email or password is incorrect."


def test_five_failures_lock_the_account_for_fifteen_minutes(services: Services, clock: FakeClock) -> None:
    services.users.register("Asha", "asha@example.com", "correct horse")
    for _ in range(4):
        with pytest.raises(InvalidCredentials):
            services.users.authenticate("asha@example.com", "wrong")
    with pytest.raises(AccountLocked, match="locked for 15 more minutes"):
        services.users.authenticate("asha@example.com", "wrong")
    # Even the right password is refused while locked.
    with pytest.raises(AccountLocked):
        services.users.authenticate("asha@example.com", "correct horse")
    clock.advance(minutes=15, seconds=1)
    assert services.users.authenticate("asha@example.com", "correct horse").email == "asha@example.com"
    # A success resets the count: four more failures do not lock again.
    for _ in range(4):
        with pytest.raises(InvalidCredentials):
            services.users.authenticate("asha@example.com", "wrong")


def test_admin_account_is_created_once(services: Services) -> None:
    password = services.users.ensure_admin("admin@moviemagic.local")
    assert password and len(password) >= 12
    assert services.users.ensure_admin("admin@moviemagic.local") is None
    assert services.users.authenticate("admin@moviemagic.local", password).is_admin
