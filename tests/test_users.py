"""Accounts on DynamoDB (moto over HTTP): registration, duplicate emails under concurrency, login throttling."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from services.accounts.users import UserService
from services.clock import FakeClock
from services.container import Services
from services.errors import EmailTaken, InvalidCredentials, InvalidRequest, TooManyAttempts
from services.platform.schema import USERS
from tests.conftest import fake_clock


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


def test_failures_slow_the_next_attempt_down_progressively_but_never_lock(services: Services, clock: FakeClock) -> None:
    services.users.register("Asha", "asha@example.com", "correct horse")
    for _ in range(services.settings.max_failed_logins):
        with pytest.raises(InvalidCredentials):
            services.users.authenticate("asha@example.com", "wrong")
    # Now even the right password waits a second (the owner is slowed down, not locked out) ...
    with pytest.raises(TooManyAttempts, match="wait 1 seconds") as first:
        services.users.authenticate("asha@example.com", "correct horse")
    assert first.value.retry_after_seconds == 1
    clock.advance(seconds=1)
    with pytest.raises(InvalidCredentials):
        services.users.authenticate("asha@example.com", "wrong")
    with pytest.raises(TooManyAttempts) as second:  # ... and each further failure doubles the wait
        services.users.authenticate("asha@example.com", "correct horse")
    assert second.value.retry_after_seconds == 2
    clock.advance(seconds=2)
    assert services.users.authenticate("asha@example.com", "correct horse").email == "asha@example.com"
    # A success clears the account's count: the free failures are free again.
    for _ in range(services.settings.max_failed_logins - 1):
        with pytest.raises(InvalidCredentials):
            services.users.authenticate("asha@example.com", "wrong")
    assert services.users.authenticate("asha@example.com", "correct horse").email == "asha@example.com"


def test_the_delay_is_capped(services: Services, clock: FakeClock) -> None:
    cap = services.settings.login_max_delay_seconds
    assert services.users.throttle.delay_seconds(100, 5) == cap
    assert [services.users.throttle.delay_seconds(n, 5) for n in range(1, 9)] == [0, 0, 0, 0, 1, 2, 4, 8]


def test_unknown_and_known_emails_get_the_same_answers(services: Services) -> None:
    services.users.register("Asha", "asha@example.com", "correct horse")

    def answers(email: str) -> list[str]:
        seen = []
        for _ in range(services.settings.max_failed_logins + 2):
            try:
                services.users.authenticate(email, "wrong")
            except (InvalidCredentials, TooManyAttempts) as exc:
                seen.append(f"{type(exc).__name__}: {exc.message}")
        return seen

    assert answers("asha@example.com") == answers("nobody@example.com")


def test_parallel_guesses_get_only_the_free_turns(services: Services) -> None:
    """Finding 1: 40 parallel wrong guesses. Every attempt claims its turn with a conditional write before the
    password is checked, so exactly the free failures are checked and every other guess is refused unchecked
    (before the fix 11-22 guesses were checked in one burst). bcrypt at its production cost keeps the checks
    slow, as they are in production, so the burst overlaps. The right password is then made to wait too.

    All 40 are wrong on purpose: a right one among them, if it won a free turn, would clear the account's
    counter (a success does) while the burst goes on, and the count would depend on the threads' order."""
    users = UserService(services.aws, services.clock, services.settings, bcrypt_rounds=10)
    users.register("Asha", "asha@example.com", "correct horse")
    free = services.settings.max_failed_logins
    guesses = [f"wrong guess {n}" for n in range(40)]

    def attempt(password: str) -> str:
        try:
            users.authenticate("asha@example.com", password)
            return "accepted"
        except InvalidCredentials:
            return "checked"
        except TooManyAttempts:
            return "throttled"

    with ThreadPoolExecutor(max_workers=40) as pool:
        results = list(pool.map(attempt, guesses))
    assert results.count("checked") == free, results
    assert results.count("throttled") == len(guesses) - free
    assert attempt("correct horse") == "throttled"  # the clock has not moved: the delay still runs
    fake_clock(services).advance(seconds=services.settings.login_max_delay_seconds)
    assert attempt("correct horse") == "accepted"


def test_one_client_is_slowed_down_across_accounts(services: Services) -> None:
    """Finding 2: guessing across many accounts from one address is throttled per client address too."""
    free = services.settings.max_failed_logins_per_client
    for n in range(free):
        with pytest.raises(InvalidCredentials):
            services.users.authenticate(f"victim{n}@example.com", "guess", "203.0.113.9")
    with pytest.raises(TooManyAttempts):
        services.users.authenticate("another@example.com", "guess", "203.0.113.9")
    # Someone else, from another address, is not affected.
    services.users.register("Asha", "asha@example.com", "correct horse")
    assert services.users.authenticate("asha@example.com", "correct horse", "198.51.100.7").name == "Asha"


def test_a_lone_surrogate_is_refused_cleanly(services: Services) -> None:
    """Finding 7: a lone surrogate in a name, email or password is a clear refusal, never a 500."""
    with pytest.raises(InvalidRequest):
        services.users.register("Bad \ud800 name", "s@example.com", "long enough")
    with pytest.raises(InvalidRequest):
        services.users.register("Name", "s\udfff@example.com", "long enough")
    with pytest.raises(InvalidRequest):
        services.users.register("Name", "s@example.com", "long \udfff enough")
    with pytest.raises(InvalidCredentials):
        services.users.authenticate("s\ud800@example.com", "long \udfff enough")


def test_admin_account_is_created_once(services: Services) -> None:
    password = services.users.ensure_admin("admin@moviemagic.local")
    assert password and len(password) >= 12
    assert services.users.ensure_admin("admin@moviemagic.local") is None
    assert services.users.authenticate("admin@moviemagic.local", password).is_admin
