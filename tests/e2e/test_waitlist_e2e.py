"""The waiting list with the kiosk and the web selling the same seats (issue 15), in real headless Chromium:
a paired kiosk (touch) sells two seats of a small show and the rest go through the API, so the show is sold
out; a web customer joins its waiting list for two seats; the staff desk cancels the kiosk sale; the freed
seats go to the web customer as an offer (their Mailbox has the email with the claim link) while the kiosk
shows them taken and refuses them; the customer follows the link, pays and sees those seats confirmed."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import requests
from playwright.sync_api import BrowserContext, Page, ViewportSize, expect

from tests.e2e.conftest import RunningApp
from tests.e2e.test_kiosk_e2e import LANDSCAPE, PIN, PORTRAIT, a_paired_kiosk, contexts, log_in_admin, to_seats
from tests.e2e.test_new_theater_e2e import api_token
from tests.e2e.test_seatmap_live import pay, register, seat

__all__ = ["contexts"]  # the kiosk module's fixture: contexts(viewport, touch=...)

THEATER, SCREEN = "waitlist-corner-pune", "nook"
ROWS, SEATS_A_ROW = 2, 4  # eight seats: quick to sell out
DESKTOP = ViewportSize(width=1440, height=900)


@pytest.fixture(scope="module")
def waitlist_app(app_factory: Callable[..., RunningApp]) -> RunningApp:
    """An app of its own: this module adds a theater and sells out its only show."""
    return app_factory(KIOSK_PIN=PIN)


@pytest.fixture
def shots(artifacts: Path) -> Path:
    folder = artifacts / "waitlist"
    folder.mkdir(exist_ok=True)
    return folder


def midday_zone() -> str:
    """A fixed-offset zone where it is late morning now, so a show three hours on is still today (the kiosk
    sells today's shows) whenever the test runs. Etc/GMT-N is N hours AHEAD of UTC (POSIX signs)."""
    ahead = (11 - datetime.now(UTC).hour + 12) % 24 - 12  # -12..11 hours
    return "Etc/GMT" + (f"-{ahead}" if ahead > 0 else f"+{-ahead}" if ahead < 0 else "")


def a_small_show(app: RunningApp) -> str:
    """A theater with one eight-seat screen and a show there later today (theater time), by the staff API."""
    boss = api_token(app, "admin@moviemagic.local", app.admin_password())
    zone = midday_zone()
    made = requests.post(f"{app.url}/api/v1/staff/theaters", headers=boss, timeout=30, json={
        "theater_id": THEATER, "name": "Waitlist Corner", "city": "Pune", "address": "1 FC Road", "timezone": zone})
    assert made.status_code == 201, made.text
    made = requests.post(f"{app.url}/api/v1/staff/theaters/{THEATER}/screens", headers=boss, timeout=30, json={
        "screen_id": SCREEN, "name": "The Nook", "format": "2D", "rows": ROWS, "seats_per_row": SEATS_A_ROW,
        "prices": {"classic": 20000, "prime": 30000}})
    assert made.status_code == 201, made.text
    movie_id = requests.get(f"{app.url}/api/v1/movies", timeout=30).json()[0]["movie_id"]
    local_now = datetime.now(ZoneInfo(zone))
    starts = local_now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=3)
    made = requests.post(f"{app.url}/api/v1/staff/showtimes", headers=boss, timeout=30, json={
        "movie_id": movie_id, "screen_id": f"{THEATER}.{SCREEN}", "starts_at": starts.isoformat()})
    assert made.status_code == 201, made.text
    return str(made.json()["showtime_id"])


def buy_the_rest(app: RunningApp, showtime_id: str) -> None:
    """Another customer buys every seat still free, through the public API."""
    account = {"name": "Crowd", "email": "crowd@example.com", "password": "correct horse"}
    assert requests.post(f"{app.url}/api/v1/auth/register", json=account, timeout=30).status_code == 201
    crowd = api_token(app, account["email"], account["password"])
    seats = requests.get(f"{app.url}/api/v1/showtimes/{showtime_id}/seats", timeout=30).json()["seats"]
    free = [s["seat_id"] for s in seats if s["status"] == "available"]
    held = requests.post(f"{app.url}/api/v1/showtimes/{showtime_id}/holds", headers=crowd, timeout=30,
                         json={"seat_ids": free})
    assert held.status_code == 201, held.text
    paid = requests.post(f"{app.url}/api/v1/bookings", headers=crowd, timeout=30, json={
        "hold_id": held.json()["hold_id"], "payment": {"method": "card", "card_number": "4242424242424242"}})
    assert paid.status_code == 201, paid.text


def sell_at_the_kiosk(kiosk: Page, tickets: int) -> tuple[list[str], str]:
    """A walk-up customer buys ``tickets`` seats at the kiosk; returns the seats and the booking reference."""
    seats = to_seats(kiosk, tickets)
    kiosk.get_by_role("button", name="Continue to pay").tap()
    kiosk.get_by_role("button", name="Tap card", exact=True).tap()
    expect(kiosk.get_by_text("Enjoy the show!", exact=True)).to_be_visible(timeout=15_000)
    reference = kiosk.get_by_text(re.compile(r"^Booking [0-9A-F]{8}$")).first
    expect(reference).to_be_visible()
    return seats, reference.inner_text().removeprefix("Booking ")


def cancel_at_the_desk(app: RunningApp, admin: Page, reference: str) -> None:
    log_in_admin(app, admin)
    admin.goto(f"{app.url}/staff/bookings?q={reference}")
    admin.get_by_text(reference, exact=True).first.click()
    admin.get_by_role("button", name="Cancel and refund").click()
    expect(admin.get_by_text(re.compile(r"^Cancelled; .+ refunded\.$"))).to_be_visible(timeout=15_000)


def test_a_kiosk_sale_cancelled_at_the_desk_goes_to_the_web_customer_waiting(
        waitlist_app: RunningApp, contexts: Callable[..., BrowserContext], shots: Path) -> None:
    app = waitlist_app
    showtime_id = a_small_show(app)
    kiosk = a_paired_kiosk(app, contexts, PORTRAIT, "Waitlist lobby", theater=THEATER)

    # 1. The kiosk sells two seats; the API customer buys the other six: sold out.
    kiosk_seats, reference = sell_at_the_kiosk(kiosk, 2)
    kiosk.get_by_role("button", name="Done").tap()
    expect(kiosk.get_by_role("button", name="Touch to buy tickets")).to_be_visible()
    buy_the_rest(app, showtime_id)

    # 2. On the web the show is sold out: the customer joins its waiting list for two seats.
    web = contexts(DESKTOP, touch=False).new_page()
    register(web, app, "Wanda")
    web.goto(f"{app.url}/showtime/{showtime_id}")
    expect(web.locator(".sg[data-ready]")).to_have_count(1, timeout=15_000)
    expect(web.locator(".sg-seat.st-a")).to_have_count(0)
    expect(web.get_by_text("Sold out", exact=True)).to_be_visible()
    web.get_by_label("Seats", exact=True).click()
    web.get_by_role("option", name="2 seats").click()
    web.get_by_role("button", name="Join the waiting list").click()
    expect(web.get_by_text("You are number 1 on the waiting list (2 seats).", exact=False)).to_be_visible()
    web.screenshot(path=str(shots / "01-web-joined-1440.png"), full_page=True)

    # 3. The staff desk cancels the kiosk sale: its seats go to the web customer, with an email.
    cancel_at_the_desk(app, contexts(LANDSCAPE, touch=False).new_page(), reference)
    web.reload()  # the show's page now says so too
    expect(web.get_by_text(re.compile(r"^Seats are waiting for you until \d"))).to_be_visible(timeout=15_000)
    expect(web.get_by_role("button", name="Claim your seats")).to_be_visible()
    web.goto(f"{app.url}/mailbox")
    offer = web.locator("details.mm-mail").filter(has_text="Seats for you:").first
    expect(offer).to_be_visible(timeout=30_000)
    body = offer.locator(".whitespace-pre-wrap")
    expect(body).to_contain_text(f"Seats: {', '.join(kiosk_seats)}.")
    web.screenshot(path=str(shots / "02-mailbox-offer-1440.png"), full_page=True)
    link = re.search(r"https?://\S+(/checkout/\S+)", body.inner_text())
    assert link, body.inner_text()

    # 4. Meanwhile a walk-up customer at the kiosk wants two seats: the freed ones show as taken, and a tap
    #    on one is refused.
    kiosk.get_by_role("button", name="Touch to buy tickets").tap()
    kiosk.locator(".k-tile").first.tap()
    kiosk.locator(".k-time").first.tap()
    kiosk.get_by_role("button", name="2 tickets").tap()
    expect(kiosk.locator(".sg[data-ready]")).to_have_count(1, timeout=15_000)
    for seat_id in kiosk_seats:
        expect(seat(kiosk, seat_id)).to_have_class(re.compile(r"\bst-h\b"))
    expect(kiosk.locator(".sg-seat.st-a")).to_have_count(0)
    expect(kiosk.locator(".sg-seat.st-m")).to_have_count(0)
    expect(kiosk.locator(".k-side .text-accent").first).to_have_text("—")
    seat(kiosk, kiosk_seats[0]).tap(force=True)
    expect(kiosk.get_by_text(f"Seat {kiosk_seats[0]} is being held by someone else")).to_be_visible()
    expect(kiosk.get_by_role("button", name="Continue to pay")).to_be_disabled()
    kiosk.screenshot(path=str(shots / "03-kiosk-taken-portrait.png"))

    # 5. The web customer follows the claim link, pays, and has those very seats.
    web.goto(app.url + link.group(1))
    pay(web)
    expect(web.get_by_text("You're all set!")).to_be_visible(timeout=15_000)
    confirmation = web.get_by_role("main")
    expect(confirmation).to_contain_text("Waitlist Corner · The Nook")
    expect(confirmation).to_contain_text("Classic × 2")
    for seat_id in kiosk_seats:
        expect(confirmation.get_by_text(seat_id, exact=True)).to_be_visible()
    web.screenshot(path=str(shots / "04-web-confirmed-1440.png"), full_page=True)
