"""A new theater, end to end in real Chromium: an admin adds it and its screen on Staff › Theaters and
replaces a movie's poster (a 3 MB upload, over the pages' 1 MB body limit) on Staff › Catalog; a
show is scheduled there through the staff API; a customer picks seats on the web and pays."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import requests
from PIL import Image
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.conftest import RunningApp
from tests.e2e.test_seatmap_live import expect_state, open_map, pay, register, seat

THEATER, SCREEN = "harbour-lights-kochi", "hall-1"


@pytest.fixture(scope="module")
def catalog_app(app_factory: Callable[..., RunningApp]) -> RunningApp:
    """An app of its own: this module adds a theater and a poster, which other tests should not see."""
    return app_factory()


def log_in_admin(page: Page, app: RunningApp) -> None:
    page.goto(f"{app.url}/login")
    page.get_by_label("Email").fill("admin@moviemagic.local")
    page.get_by_label("Password", exact=True).fill(app.admin_password())
    page.get_by_role("button", name="Log in").last.click()
    expect(page.get_by_role("button", name="Account menu")).to_be_visible()


def api_token(app: RunningApp, email: str, password: str) -> dict[str, str]:
    answer = requests.post(f"{app.url}/api/v1/auth/login", json={"email": email, "password": password}, timeout=30)
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def test_a_new_theater_sells_a_ticket_on_the_web(catalog_app: RunningApp, contexts: Callable[..., BrowserContext],
                                                  tmp_path: Path, artifacts: Path) -> None:
    app = catalog_app
    admin = contexts().new_page()
    log_in_admin(admin, app)

    # The theater and its screen, as an admin adds them.
    admin.goto(f"{app.url}/staff/theaters")
    create = admin.locator(".mm-surface").filter(has_text="New theater")
    create.get_by_label("Id (e.g. harbour-lights-kochi)").fill(THEATER)
    create.get_by_label("Name").fill("Harbour Lights")
    create.get_by_label("City").fill("Kochi")
    create.get_by_label("Address").fill("2 Marine Drive, Ernakulam")
    create.get_by_label("Timezone (IANA, e.g. Asia/Kolkata)").fill("Asia/Kolkata")
    create.get_by_role("button", name="Add theater").click()
    card = admin.locator(".mm-surface").filter(has=admin.get_by_text("Harbour Lights", exact=True))
    expect(card.get_by_text("No screens yet.")).to_be_visible(timeout=15_000)
    card.get_by_role("button", name="Add screen").click()
    dialog = admin.locator(".q-dialog")
    dialog.get_by_label("Id (e.g. hall-1)").fill(SCREEN)
    dialog.get_by_label("Name").fill("Hall 1")
    dialog.get_by_label("Rows", exact=True).fill("4")
    dialog.get_by_label("Seats a row").fill("8")
    dialog.get_by_role("button", name="Add screen").click()
    expect(card.get_by_text(re.compile(r"^32 seats · layout v1"))).to_be_visible(timeout=15_000)

    # A poster of a photo's size (3 MB: over the pages' 1 MB body limit, under the poster's 5 MB).
    poster = tmp_path / "poster.png"
    Image.effect_noise((900, 1350), 60).convert("RGB").save(poster)
    assert 1024 * 1024 < poster.stat().st_size < 5 * 1024 * 1024
    movie_id = requests.get(f"{app.url}/api/v1/movies", timeout=30).json()[0]["movie_id"]
    admin.goto(f"{app.url}/staff/movies")
    admin.locator(".mm-surface").filter(has_text=movie_id).get_by_role("button", name="Edit").click()
    admin.locator(".q-dialog input[type=file]").set_input_files(str(poster))
    expect(admin.get_by_text("Poster saved.")).to_be_visible(timeout=30_000)
    shown = admin.locator(".q-dialog img").first
    expect(shown).to_have_attribute("src", re.compile(r"^/posters/.+-card\.webp$"))
    source = shown.get_attribute("src") or ""
    served = requests.get(app.url + source, timeout=30)
    assert served.status_code == 200 and "immutable" in served.headers["cache-control"]
    assert Image.open(io.BytesIO(served.content)).format == "WEBP"
    admin.close()

    # A show there, scheduled with the existing scheduling (through the staff API; admins manage every theater).
    boss = api_token(app, "admin@moviemagic.local", app.admin_password())
    zone = ZoneInfo("Asia/Kolkata")
    starts = datetime.combine(datetime.now(zone).date() + timedelta(days=2), time(19, 0), tzinfo=zone)
    scheduled = requests.post(f"{app.url}/api/v1/staff/showtimes", headers=boss, timeout=30, json={
        "movie_id": movie_id, "screen_id": f"{THEATER}.{SCREEN}", "starts_at": starts.isoformat()})
    assert scheduled.status_code == 201, scheduled.text
    showtime_id = scheduled.json()["showtime_id"]

    # A customer picks two seats in the new hall and pays.
    customer = contexts().new_page()
    register(customer, app, "Kavya")
    open_map(customer, app, showtime_id)
    for seat_id in ("D4", "D5"):
        seat(customer, seat_id).click()
        expect_state(customer, seat_id, "m")
    customer.get_by_role("button", name=re.compile("Proceed to pay")).click()
    pay(customer)
    expect(customer.get_by_text("You're all set!")).to_be_visible(timeout=15_000)
    expect(customer.get_by_text("Harbour Lights").first).to_be_visible()
    customer.screenshot(path=str(artifacts / "new-theater-confirmation-1440.png"), full_page=True)
