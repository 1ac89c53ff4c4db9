"""Pages driven through NiceGUI's simulated user: accounts, browsing, and the redirects around them."""

from __future__ import annotations

import asyncio
import re

import pytest
from nicegui import ui
from nicegui.testing import User

from main import build_services
from services.platform.aws import connect
from services.settings import Settings

pytestmark = pytest.mark.usefixtures("app_env")


async def _register(user: User, email: str = "asha@example.com", password: str = "correct horse") -> None:
    await user.open("/register")
    user.find(marker="register-name").type("Asha Rao")
    user.find(marker="register-email").type(email)
    user.find(marker="register-password").type(password)
    user.find(marker="register-confirm").type(password)
    user.find(marker="register-submit").click()
    await user.should_see("Now showing in Mumbai", retries=50)


async def _logout(user: User) -> None:
    await user.open("/logout")
    await user.should_see("Now showing in", retries=50)  # the logout page sends the browser home
    await user.should_not_see(marker="account-menu")


async def test_register_then_log_out_and_back_in(user: User) -> None:
    await _register(user)
    await user.should_see(marker="account-menu")
    await _logout(user)
    await user.open("/login")
    user.find(marker="login-email").type("ASHA@example.com")
    user.find(marker="login-password").type("correct horse")
    user.find(marker="login-submit").click()
    await user.should_see(marker="account-menu", retries=200)


async def test_registering_a_taken_email_explains_and_keeps_you_logged_out(user: User) -> None:
    await _register(user)
    await _logout(user)
    await user.open("/register")
    user.find(marker="register-name").type("Someone Else")
    user.find(marker="register-email").type("asha@example.com")
    user.find(marker="register-password").type("another password")
    user.find(marker="register-confirm").type("another password")
    user.find(marker="register-submit").click()
    await user.should_see("An account with this email already exists. Log in instead.", retries=50)
    await user.should_not_see(marker="account-menu")


async def test_mismatched_passwords_are_refused(user: User) -> None:
    await user.open("/register")
    user.find(marker="register-name").type("Asha")
    user.find(marker="register-email").type("asha@example.com")
    user.find(marker="register-password").type("correct horse")
    user.find(marker="register-confirm").type("correct hose")
    user.find(marker="register-submit").click()
    await user.should_see("The passwords do not match.", retries=50)


async def test_wrong_passwords_slow_down_but_the_owner_gets_in(user: User, app_env: Settings) -> None:
    await _register(user)
    await _logout(user)
    await user.open("/login")
    user.find(marker="login-email").type("asha@example.com")
    password = user.find(marker="login-password")
    password.type("wrong horse")
    for _ in range(app_env.max_failed_logins):
        user.find(marker="login-submit").click()
        await user.should_see("Email or password is incorrect.", retries=50)
    wait = None
    for _ in range(6):  # the free failures are used up: soon an attempt is asked to wait (1 s, 2 s, 4 s ...)
        user.find(marker="login-submit").click()
        await asyncio.sleep(0.3)
        label = next(iter(user.find(marker="form-error").elements))
        assert isinstance(label, ui.label)
        text = label.text
        if match := re.search(r"Too many attempts\. Please wait (\d+) seconds and try again, or reset your password\.",
                              text):
            wait = int(match.group(1))
            break
    assert wait is not None and 1 <= wait <= 8
    await user.should_not_see(marker="account-menu")
    await asyncio.sleep(wait + 0.2)  # the wait the page asked for: then the owner is let in
    password.clear().type("correct horse")
    user.find(marker="login-submit").click()
    await user.should_see(marker="account-menu", retries=200)


async def test_anonymous_profile_visit_goes_to_login_and_back(user: User) -> None:
    await _register(user)
    await _logout(user)
    await user.open("/profile")
    await user.should_see("Welcome back")
    user.find(marker="login-email").type("asha@example.com")
    user.find(marker="login-password").type("correct horse")
    user.find(marker="login-submit").click()
    await user.should_see("Your profile", retries=50)
    await user.should_see("asha@example.com")


async def test_browse_a_city_and_open_a_movie(user: User) -> None:
    await user.open("/?city=Chennai")
    await user.should_see("Now showing in Chennai")
    cards = user.find(marker="movie-card").elements
    assert len(cards) >= 3
    first = next(iter(cards))
    href = first.props["href"]
    assert href.startswith("/movie/") and "city=Chennai" in href
    await user.open(href)
    await user.should_see("Showtimes in Chennai")
    await user.should_see(marker="showtimes")


async def test_search_and_filters_narrow_the_list(user: User) -> None:
    await user.open("/?city=Mumbai&q=monsoon")
    await user.should_see("The Last Monsoon")
    await user.should_not_see("Kaayal")
    await user.open("/?city=Mumbai&q=zzzz-nothing")
    await user.should_see(marker="no-results")


async def test_an_unknown_movie_says_so(user: User) -> None:
    await user.open("/movie/does-not-exist")
    await user.should_see("We could not find that movie.")


async def test_a_password_change_elsewhere_ends_this_session(user: User, app_env: Settings) -> None:
    """Sessions die with a password change: the next page load of this browser is logged out."""
    await _register(user)
    await user.open("/profile")
    await user.should_see("Your profile")
    services = build_services(app_env, connect(app_env))
    services.users.change_password("asha@example.com", "correct horse", "brand new horse", "brand new horse")
    await user.open("/profile")
    await user.should_see("Welcome back", retries=50)  # sent to log in again
    await user.should_not_see(marker="account-menu")


async def test_change_password_on_the_profile_keeps_this_session(user: User) -> None:
    await _register(user)
    await user.open("/profile")
    user.find(marker="current-password").type("correct horse")
    user.find(marker="new-password").type("brand new horse")
    user.find(marker="confirm-password").type("brand new horse")
    user.find(marker="password-save").click()
    await user.should_see("Your password is changed.", retries=50)
    await user.open("/profile")
    await user.should_see("Your profile")
    await user.should_see(marker="account-menu")


async def test_forgot_password_says_the_same_for_any_address(user: User) -> None:
    await _register(user)
    await _logout(user)
    for email in ("asha@example.com", "nobody@example.com"):
        await user.open("/forgot-password")
        user.find(marker="forgot-email").type(email)
        user.find(marker="forgot-submit").click()
        await user.should_see(f"If {email} has an account, a reset link is on its way.", retries=50)
