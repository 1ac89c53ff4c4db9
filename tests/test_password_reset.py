"""Forgot password and tokens bound to the account (findings 2 and 8), on the moto server.

A reset link is signed, expires, works once, travels by email through the outbox (the worker publishes
it; the embedded Mailbox receives it), and ends every session and API token of the account; so does a
password change. A token for an account that no longer exists is refused.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient

from services.clock import FakeClock
from services.container import Services
from services.errors import InvalidCredentials, InvalidRequest, TooManyAttempts, Unauthorized
from services.platform.schema import OUTBOX, USERS
from tests.conftest import api_client

LINK = re.compile(r"http\S+/reset-password\?token=(\S+)")


def reset_link(services: Services, email: str) -> str | None:
    """The token of the newest reset email the outbox holds for ``email`` (None when there is none)."""
    items = services.aws.table(OUTBOX).query(
        IndexName="pending", KeyConditionExpression="pending = :p", ExpressionAttributeValues={":p": "1"},
    )["Items"]
    mails = sorted((item for item in items if item["kind"] == "password_reset" and item["email"] == email),
                   key=lambda item: item["created_at"])
    if not mails:
        return None
    match = LINK.search(mails[-1]["message"]["body"])
    assert match, mails[-1]["message"]["body"]
    return unquote(match.group(1))


def test_a_reset_link_works_once_and_ends_old_tokens(services: Services) -> None:
    user = services.users.register("Asha", "asha@example.com", "correct horse")
    old_token = services.tokens.issue(user).access_token
    services.password_reset.request("Asha@Example.com")
    token = reset_link(services, "asha@example.com")
    assert token is not None
    assert services.password_reset.email_of(token) == "asha@example.com"
    updated = services.password_reset.reset(token, "new horse battery", "new horse battery")
    assert updated.credentials_version == user.credentials_version + 1
    assert services.users.authenticate("asha@example.com", "new horse battery").user_id == user.user_id
    with pytest.raises(InvalidCredentials):
        services.users.authenticate("asha@example.com", "correct horse")
    with pytest.raises(Unauthorized, match="no longer valid"):
        services.tokens.verify(old_token)
    with pytest.raises(InvalidRequest, match="already used"):
        services.password_reset.reset(token, "third horse battery", "third horse battery")
    with pytest.raises(InvalidRequest, match="already used"):  # the page says so before the form
        services.password_reset.email_of(token)


def test_unknown_emails_get_no_mail_and_the_same_silence(services: Services) -> None:
    services.password_reset.request("nobody@example.com")  # no error, no answer: the same as for an account
    assert reset_link(services, "nobody@example.com") is None
    with pytest.raises(InvalidRequest):
        services.password_reset.request("not an email")


def test_links_expire_and_forged_or_superseded_links_are_refused(services: Services, clock: FakeClock) -> None:
    services.users.register("Asha", "asha@example.com", "correct horse")
    services.password_reset.request("asha@example.com")
    first = reset_link(services, "asha@example.com")
    assert first is not None
    services.password_reset.request("asha@example.com")  # within a minute: no second email
    assert reset_link(services, "asha@example.com") == first
    clock.advance(minutes=2)
    services.password_reset.request("asha@example.com")
    second = reset_link(services, "asha@example.com")
    assert second is not None and second != first
    with pytest.raises(InvalidRequest):  # the newer link replaced it
        services.password_reset.reset(first, "new horse battery", "new horse battery")
    email, expires, nonce, signature = second.split(".")
    forged = ".".join([email, str(int(expires) + 3600), nonce, signature])
    with pytest.raises(InvalidRequest):
        services.password_reset.email_of(forged)
    clock.advance(minutes=services.settings.reset_link_minutes + 1)
    with pytest.raises(InvalidRequest, match="expired"):
        services.password_reset.reset(second, "new horse battery", "new horse battery")


def test_a_reset_ends_the_login_delay(services: Services) -> None:
    services.users.register("Asha", "asha@example.com", "correct horse")
    for _ in range(services.settings.max_failed_logins + 1):
        with contextlib.suppress(InvalidCredentials, TooManyAttempts):  # the failures and the delay set up
            services.users.authenticate("asha@example.com", "wrong")
    services.password_reset.request("asha@example.com")
    token = reset_link(services, "asha@example.com")
    assert token is not None
    services.password_reset.reset(token, "new horse battery", "new horse battery")
    assert services.users.authenticate("asha@example.com", "new horse battery").name == "Asha"


def test_the_reset_email_is_published_to_its_owner_only(services: Services) -> None:
    services.users.register("Asha", "asha@example.com", "correct horse")
    services.subscriptions.prepare()
    services.password_reset.request("asha@example.com")
    report = services.notifications.run_once()
    assert report.published == 1 and report.recipients == ["asha@example.com"]
    assert reset_link(services, "asha@example.com") is None  # sent: no longer pending


# Tokens bound to the account (finding 8) ------------------------------------------------------------
@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    with api_client(services) as test_client:
        yield test_client


def test_a_token_for_a_deleted_account_is_401(client: TestClient, services: Services) -> None:
    services.users.register("Asha", "asha@example.com", "correct horse")
    token = client.post("/auth/login", json={"email": "asha@example.com", "password": "correct horse"}).json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    assert client.get("/bookings", headers=headers).status_code == 200
    services.aws.table(USERS).delete_item(Key={"email": "asha@example.com"})
    gone = client.get("/bookings", headers=headers)
    assert gone.status_code == 401 and gone.json()["error"]["code"] == "unauthorized"
    # Re-registering the same email is a new account: the old token still does not speak for it.
    services.users.register("Asha", "asha@example.com", "correct horse")
    assert client.get("/bookings", headers=headers).status_code == 401


def test_a_password_change_ends_older_tokens(client: TestClient, services: Services) -> None:
    services.users.register("Asha", "asha@example.com", "correct horse")
    body = {"email": "asha@example.com", "password": "correct horse"}
    old = {"Authorization": f"Bearer {client.post('/auth/login', json=body).json()['access_token']}"}
    services.users.change_password("asha@example.com", "correct horse", "new horse battery", "new horse battery")
    assert client.get("/bookings", headers=old).status_code == 401
    body["password"] = "new horse battery"
    new = {"Authorization": f"Bearer {client.post('/auth/login', json=body).json()['access_token']}"}
    assert client.get("/bookings", headers=new).status_code == 200


def test_change_password_needs_the_current_one(services: Services) -> None:
    services.users.register("Asha", "asha@example.com", "correct horse")
    with pytest.raises(InvalidCredentials):
        services.users.change_password("asha@example.com", "wrong horse", "new horse battery", "new horse battery")
    with pytest.raises(InvalidRequest, match="do not match"):
        services.users.change_password("asha@example.com", "correct horse", "new horse battery", "other")
    assert services.users.authenticate("asha@example.com", "correct horse").name == "Asha"
