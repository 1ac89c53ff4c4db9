"""The accessibility audit (issue 14): axe-core in real Chromium over every page a customer, a member of staff
and a kiosk shows, each at 1440 px and 360 px wide (kiosks: portrait 1080x1920 and landscape 1920x1080):
no violation of impact "serious" or "critical". One app, one browser; each page is loaded once and audited at
both widths (resized in place). The table of violations per page and impact, and every violating node, land in
test-artifacts/a11y-audit.txt; a failure prints the rules and nodes to fix."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import BrowserContext, Page, ViewportSize, expect

from tests.e2e.axe import BLOCKING, Violation, audit, axe_source, describe, report
from tests.e2e.conftest import RunningApp
from tests.e2e.test_kiosk_e2e import PIN, log_in_admin, pair, pairing_link, to_seats
from tests.e2e.test_seatmap_live import pay, register

DESKTOP: ViewportSize = {"width": 1440, "height": 900}
PHONE: ViewportSize = {"width": 360, "height": 780}
PORTRAIT: ViewportSize = {"width": 1080, "height": 1920}
LANDSCAPE: ViewportSize = {"width": 1920, "height": 1080}
# A few seats short of the most one booking may take, so the studio show then offers its waiting list.
MAX_SEATS = 50
BOOKED = 7


@pytest.fixture(scope="module")
def audit_app(app_factory: Callable[..., RunningApp]) -> RunningApp:
    return app_factory(KIOSK_PIN=PIN, MAX_SEATS_PER_BOOKING=str(MAX_SEATS))


@pytest.fixture(scope="module")
def studio_show() -> str:
    """Tomorrow afternoon's show in a 56-seat studio."""
    tomorrow = (datetime.now(ZoneInfo("Asia/Kolkata")) + timedelta(days=1)).strftime("%Y%m%d")
    return f"rangmahal-andheri-mumbai.screen-3.{tomorrow}.1530"


class Auditor:
    """Audits the page as loaded at its context's first size, then at the second, under one name each."""

    def __init__(self, sizes: tuple[ViewportSize, ViewportSize]) -> None:
        self.source = axe_source()
        self.sizes = sizes
        self.results: dict[str, list[Violation]] = {}
        self.headings: dict[str, int] = {}  # <h1> elements per page
        self.titles: dict[str, str] = {}  # <title> per page

    def check(self, page: Page, name: str) -> None:
        # Not "networkidle": a page with a hold or a live map keeps talking. The page, its websocket, then Quasar's
        # fade-ins: colours are audited as they end, not mid-way.
        page.wait_for_load_state("load")
        # Every page has its one <h1>; a staff page builds it over the websocket, after the load event.
        page.locator("h1").first.wait_for(timeout=20_000)
        page.wait_for_timeout(900)
        self.headings[name] = page.locator("h1").count()
        self.titles[name] = page.title()
        for size in self.sizes:
            page.set_viewport_size(size)
            page.wait_for_timeout(250)
            self.results[f"{name} @{size['width']}"] = audit(page, self.source)
        page.set_viewport_size(self.sizes[0])

    def visit(self, page: Page, url: str, name: str) -> None:
        page.goto(url)
        self.check(page, name)


def hold_seats(page: Page, app: RunningApp, show: str, count: int) -> None:
    page.goto(f"{app.url}/showtime/{show}")
    expect(page.locator(".sg[data-ready]")).to_have_count(1, timeout=15_000)
    for picked in range(1, count + 1):
        page.locator(".sg-seat.st-a").first.click()
        expect(page.locator(".sg-seat.st-m")).to_have_count(picked, timeout=15_000)


def test_no_serious_or_critical_violation_on_any_page(
    audit_app: RunningApp, studio_show: str, contexts: Callable[..., BrowserContext], artifacts: Path
) -> None:
    app, web = audit_app, Auditor((DESKTOP, PHONE))

    # A visitor: the catalog and the account pages.
    visitor = contexts(viewport=DESKTOP).new_page()
    web.visit(visitor, f"{app.url}/", "home")
    movie = visitor.locator("a[href^='/movie/']").first.get_attribute("href")
    event = visitor.locator("a[href^='/event/']").first.get_attribute("href")
    assert movie and event, "the demo's home lists movies and events"
    web.visit(visitor, f"{app.url}/?q=monson", "search results")
    web.visit(visitor, f"{app.url}{movie}", "movie (reviews)")
    web.visit(visitor, f"{app.url}{event}", "event")
    web.visit(visitor, f"{app.url}/showtime/{studio_show}", "showtime seat map")
    web.visit(visitor, f"{app.url}/login", "login")
    web.visit(visitor, f"{app.url}/register", "register")
    web.visit(visitor, f"{app.url}/forgot-password", "forgot password")

    # A customer books, then opens what follows a booking.
    customer = contexts(viewport=DESKTOP).new_page()
    register(customer, app, "Asha")
    hold_seats(customer, app, studio_show, BOOKED)
    customer.get_by_role("button", name=re.compile("^Proceed to pay")).click()
    expect(customer).to_have_url(re.compile(r"/checkout/"))
    web.check(customer, "checkout")
    pay(customer)
    expect(customer.get_by_text("You're all set!")).to_be_visible(timeout=15_000)
    web.check(customer, "confirmation")
    booking = customer.url.rsplit("/", 1)[-1]
    web.visit(customer, f"{app.url}/ticket/{booking}", "ticket")
    web.visit(customer, f"{app.url}/bookings", "my bookings")
    web.visit(customer, f"{app.url}/profile", "profile")
    web.visit(customer, f"{app.url}/mailbox", "mailbox")
    customer.goto(f"{app.url}/showtime/{studio_show}")
    expect(customer.get_by_text(f"Only {56 - BOOKED} seats left")).to_be_visible(timeout=15_000)
    web.check(customer, "showtime with waiting list")

    # Staff: every console page, as the admin sees it.
    admin = contexts(viewport=DESKTOP).new_page()
    log_in_admin(app, admin)
    for path, name in [("/staff", "staff dashboard"), ("/staff/movies", "staff movies"),
                       ("/staff/theaters", "staff theaters"), ("/staff/screens", "staff screens (layout editor)"),
                       ("/staff/schedule", "staff schedule"), ("/staff/events", "staff events"),
                       ("/staff/bookings", "staff bookings desk"), ("/staff/checkin", "staff check-in"),
                       ("/staff/reports", "staff reports"), ("/staff/team", "staff team"),
                       ("/staff/audit", "staff audit"), ("/staff/kiosks", "staff kiosks")]:
        web.visit(admin, f"{app.url}{path}", name)
    link = pairing_link(app, admin, "Audit kiosk")

    # A kiosk: the attract screen and the seats screen, portrait and landscape.
    kiosk_audit = Auditor((PORTRAIT, LANDSCAPE))
    kiosk = contexts(viewport=PORTRAIT, has_touch=True).new_page()
    pair(kiosk, link)
    kiosk_audit.check(kiosk, "kiosk attract")
    to_seats(kiosk, tickets=2)
    kiosk_audit.check(kiosk, "kiosk seats")

    results = web.results | kiosk_audit.results
    headings = web.headings | kiosk_audit.headings
    assert {name: n for name, n in headings.items() if n != 1} == {}, "pages without exactly one <h1>"
    # A distinct <title> per page (the seat map's two visits, with and without the waiting list, share one).
    titles = [title for name, title in web.titles.items() if name != "showtime with waiting list"]
    assert len(set(titles)) == len(titles), web.titles
    assert all(title.endswith("· Movie Magic") for title in titles), web.titles
    print("\n" + report(results, artifacts / "a11y-audit.txt"))
    blocking = {name: [v for v in found if v.impact in BLOCKING] for name, found in results.items()}
    failing = {name: found for name, found in blocking.items() if found}
    assert not failing, "serious or critical axe violations:\n" + "\n".join(
        f"{name}\n{describe(found)}" for name, found in failing.items())
