"""A newcomer in a real browser: register, log out, log in, and reach a movie's showtimes."""

from __future__ import annotations

import uuid
from pathlib import Path

from playwright.sync_api import Browser, expect

from tests.e2e.conftest import RunningApp


def test_register_login_and_open_a_movie(app_server: RunningApp, browser: Browser, artifacts: Path) -> None:
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    email = f"asha.{uuid.uuid4().hex[:6]}@example.com"

    page.goto(f"{app_server.url}/register")
    page.get_by_label("Full name").fill("Asha Rao")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password (at least 8 characters)").fill("correct horse")
    page.get_by_label("Confirm password").fill("correct horse")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("Now showing in Mumbai")).to_be_visible()
    expect(page.get_by_role("button", name="Account menu")).to_be_visible()

    page.goto(f"{app_server.url}/logout")
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    page.goto(f"{app_server.url}/login")
    page.get_by_label("Email").fill(email.upper())  # emails are not case-sensitive
    page.get_by_label("Password", exact=True).fill("correct horse")
    page.get_by_role("button", name="Log in").last.click()
    expect(page.get_by_role("button", name="Account menu")).to_be_visible()

    page.locator("a[href^='/movie/']").first.click()
    expect(page.get_by_text("Showtimes in Mumbai")).to_be_visible()
    expect(page.locator("a[href^='/showtime/']").first).to_be_visible()
    page.screenshot(path=str(artifacts / "movie-1440.png"))
    page.set_viewport_size({"width": 360, "height": 780})
    page.screenshot(path=str(artifacts / "movie-360.png"), full_page=True)
    page.close()


def test_wrong_password_is_refused_with_a_generic_message(app_server: RunningApp, browser: Browser) -> None:
    page = browser.new_page()
    page.goto(f"{app_server.url}/login")
    page.get_by_label("Email").fill("admin@moviemagic.local")
    page.get_by_label("Password", exact=True).fill("not the password")
    page.get_by_role("button", name="Log in").last.click()
    expect(page.get_by_role("alert")).to_have_text("Email or password is incorrect.")
    page.close()
