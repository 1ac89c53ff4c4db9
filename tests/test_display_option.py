"""High contrast and larger text (issue 14): chosen in the header's display menu or on the profile, kept per
browser for a visitor and on the account for a customer (a new browser gets it at login)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from nicegui.testing import User

from main import build_services
from services.container import Services
from services.errors import InvalidRequest
from services.platform.aws import connect
from services.settings import Settings

pytestmark = pytest.mark.usefixtures("app_env")
PASSWORD = "correct horse"


@pytest.fixture
def backstage(app_env: Settings) -> Services:
    return build_services(app_env, connect(app_env))


def switch_value(user: User, marker: str) -> bool:
    (element,) = user.find(marker=marker).elements
    return bool(element.value)  # type: ignore[attr-defined]


async def log_in(user: User, email: str) -> None:
    await user.open("/login")
    user.find(marker="login-email").type(email)
    user.find(marker="login-password").type(PASSWORD)
    user.find(marker="login-submit").click()
    await user.should_see(marker="account-menu", retries=200)


def test_an_account_keeps_its_choice_and_refuses_a_size_it_does_not_know(backstage: Services) -> None:
    backstage.users.register("Meera", "meera@example.com", PASSWORD, PASSWORD)
    fresh = backstage.users.get("meera@example.com")
    assert (fresh.high_contrast, fresh.text_size) == (False, "normal")  # an item written before the option
    backstage.users.set_display("meera@example.com", True, "large")
    with pytest.raises(InvalidRequest):
        backstage.users.set_display("meera@example.com", False, "huge")
    kept = backstage.users.get("meera@example.com")
    assert (kept.high_contrast, kept.text_size) == (True, "large")  # the refused change changed nothing


async def test_a_visitor_s_browser_keeps_the_choice_from_page_to_page(user: User) -> None:
    await user.open("/")
    await user.should_see(marker="display-menu", retries=50)
    user.find(marker="display-menu").click()
    assert not switch_value(user, "display-contrast")
    user.find(marker="display-contrast").click()
    user.find(marker="display-large").click()
    await user.open("/login")
    await user.should_see(marker="display-menu", retries=50)
    user.find(marker="display-menu").click()
    assert switch_value(user, "display-contrast") and switch_value(user, "display-large")


async def test_the_profile_saves_the_choice_on_the_account_and_another_browser_gets_it_at_login(
        user: User, create_user: Callable[[], User], backstage: Services) -> None:
    backstage.users.register("Lakshmi", "lakshmi@example.com", PASSWORD, PASSWORD)
    await log_in(user, "lakshmi@example.com")
    await user.open("/profile")
    await user.should_see(marker="display-options", retries=50)
    user.find(marker="profile-display-contrast").click()
    user.find(marker="profile-display-large").click()
    for _ in range(100):  # the save runs in a worker thread: wait for it, not for a fixed time
        account = backstage.users.get("lakshmi@example.com")
        if (account.high_contrast, account.text_size) == (True, "large"):
            break
        await asyncio.sleep(0.05)
    assert (account.high_contrast, account.text_size) == (True, "large")

    # Another browser: normal for the visitor until the customer logs in, then the account's choice.
    other = create_user()
    await other.open("/")
    await other.should_see(marker="display-menu", retries=50)
    assert not switch_value(other, "display-contrast")
    await log_in(other, "lakshmi@example.com")
    await other.open("/profile")
    await other.should_see(marker="display-options", retries=50)
    assert switch_value(other, "profile-display-contrast") and switch_value(other, "profile-display-large")
