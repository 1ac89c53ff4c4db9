"""Check-in at the door in a real headless Chromium whose camera is Chromium's fake capture device fed a
video of a real ticket's QR code: the usher's phone shows the green answer, then "already admitted"."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Playwright, expect

from tests.e2e.app_process import CHROMIUM, CHROMIUM_ARGS, RunningApp
from tests.e2e.qr_video import write_qr_video

PATIENCE_MS = 60_000  # a shared 2-core machine: decoding frames can wait behind other tests


def _api(app: RunningApp, method: str, path: str, token: str | None = None, **kwargs: object) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.request(method, f"{app.url}/api/v1{path}", headers=headers, timeout=30, **kwargs)  # type: ignore[arg-type]


def _book_today(app: RunningApp) -> dict[str, str]:
    """Register a customer and book two seats of a show later today (the demo plays until 22:30 local)."""
    email = f"guest.{uuid.uuid4().hex[:6]}@example.com"
    assert _api(app, "POST", "/auth/register", json={"name": "Guest", "email": email,
                                                      "password": "long enough"}).status_code == 201
    token = _api(app, "POST", "/auth/login", json={"email": email, "password": "long enough"}).json()["access_token"]
    shows = _api(app, "GET", "/showtimes", params={"city": "Mumbai"}).json()
    soon = [show for show in shows if datetime.fromisoformat(show["starts_at"]).date()
            == (datetime.now(datetime.fromisoformat(show["starts_at"]).tzinfo)).date()
            and datetime.fromisoformat(show["starts_at"]) > datetime.now(datetime.fromisoformat(
                show["starts_at"]).tzinfo) + timedelta(minutes=15)]
    if not soon:
        pytest.skip("no demo show is left today in Mumbai (after 22:15 local): nothing to admit today")
    show = soon[0]
    seats = [seat["seat_id"] for seat in _api(app, "GET", f"/showtimes/{show['showtime_id']}/seats").json()["seats"]
             if seat["status"] == "available"][:2]
    hold = _api(app, "POST", f"/showtimes/{show['showtime_id']}/holds", token, json={"seat_ids": seats}).json()
    booking = _api(app, "POST", "/bookings", token, json={
        "hold_id": hold["hold_id"], "payment": {"method": "card", "card_number": "4242424242424242"}}).json()
    full = _api(app, "GET", f"/bookings/{booking['booking_id']}", token).json()
    return {"token": full["ticket_token"], "theater_id": show["theater_id"], "seats": " · ".join(full["seat_ids"])}


def _usher_of(app: RunningApp, theater_id: str) -> tuple[str, str]:
    """The demo usher of a theater, from the 0600 file the first start wrote."""
    path = app.data_dir / "staff-accounts.txt"
    assert path.stat().st_mode & 0o777 == 0o600
    for line in path.read_text().splitlines():
        email, password = line.split()
        if email == f"usher.{theater_id}@moviemagic.local":
            return email, password
    raise AssertionError(f"no usher for {theater_id} in {path}")


def test_the_camera_admits_a_ticket_then_says_already_admitted(
        app_factory: Callable[..., RunningApp], playwright_instance: Playwright, tmp_path: Path,
        artifacts: Path) -> None:
    app = app_factory(sales_cutoff_minutes="0")
    ticket = _book_today(app)
    video = write_qr_video(ticket["token"], tmp_path / "ticket.y4m")
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
        *CHROMIUM_ARGS, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-video-capture={video}"])
    try:
        context = browser.new_context(viewport={"width": 390, "height": 844}, permissions=["camera"])
        page = context.new_page()
        email, password = _usher_of(app, ticket["theater_id"])
        page.goto(f"{app.url}/login?next=/staff/checkin")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password", exact=True).fill(password)
        page.get_by_role("button", name="Log in").last.click()
        answer = page.locator(".mm-answer")
        expect(answer).to_have_attribute("data-kind", "admitted", timeout=PATIENCE_MS)
        expect(answer.get_by_text("ADMIT", exact=True)).to_be_visible()
        expect(answer.get_by_text(ticket["seats"])).to_be_visible()
        page.screenshot(path=str(artifacts / "checkin-camera-admitted-390.png"))
        # The fake camera keeps showing the same ticket: after the repeat pause it is scanned again.
        expect(answer).to_have_attribute("data-kind", "already_admitted", timeout=PATIENCE_MS)
        expect(answer.get_by_text("DO NOT ADMIT")).to_be_visible()
        expect(answer.get_by_text("Already admitted at")).to_be_visible()
        page.screenshot(path=str(artifacts / "checkin-camera-already-390.png"))
        context.close()
    finally:
        browser.close()
