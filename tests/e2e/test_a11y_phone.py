"""A phone at 360 px in real Chromium (issue 14): every control a finger uses on the main customer pages is at
least 44 x 44 px, and with larger text chosen nothing spills sideways on home, the seat map and checkout.
Also: the seat map's state colours, as the page has them, stand 3:1 against the map in both looks, and the first
Tab offers "Skip to content", which lands in the page past the header.
Screenshots land in test-artifacts/a11y-*.png."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.conftest import RunningApp
from tests.e2e.test_languages_e2e import OVERFLOWING
from tests.e2e.test_seatmap_live import register

PHONE = {"viewport": {"width": 360, "height": 780}, "is_mobile": True, "has_touch": True}
TARGET = 44  # px, WCAG 2.5.5

# Everything a finger can activate, measured where it can be hit: a text field by its whole field (Quasar's
# control), a switch by its row. Not measured: the seats (the map zooms them to finger size on the first tap,
# tests/e2e/test_seatmap_live.py), the skip link (off screen until a keyboard focuses it), what is hidden.
SMALL_TARGETS = """(min) => {
  const found = [];
  const hit = el => el.closest('.q-field') || el.closest('.q-toggle, .q-checkbox, .q-radio') || el;
  const seen = new Set();
  const controls = 'a[href], button, [role=button], [role=tab], [role=switch], [role=checkbox], input, select, '
                 + 'textarea, [tabindex="0"]';
  for (const el of document.querySelectorAll(controls)) {
    if (el.closest('.sg, .mm-skip, [aria-hidden=true], .q-menu') || el.type === 'hidden') continue;
    const target = hit(el);
    if (seen.has(target)) continue;
    seen.add(target);
    const box = target.getBoundingClientRect();
    const style = getComputedStyle(target);
    if (box.width === 0 || box.height === 0 || style.visibility === 'hidden') continue;
    if (box.width < min - 0.5 || box.height < min - 0.5) {
      const name = (target.getAttribute('aria-label') || target.textContent || '').trim().slice(0, 40);
      found.push(`${target.tagName}.${String(target.className).slice(0, 60)} "${name}": `
                 + `${Math.round(box.width)}x${Math.round(box.height)}`);
    }
  }
  return found;
}"""


@pytest.fixture(scope="module")
def phone_app(app_factory: Callable[..., RunningApp]) -> RunningApp:
    return app_factory()


@pytest.fixture(scope="module")
def show() -> str:
    """Tomorrow evening's show in the demo's lounge (84 seats)."""
    tomorrow = (datetime.now(ZoneInfo("Asia/Kolkata")) + timedelta(days=1)).strftime("%Y%m%d")
    return f"lumiere-bandra-mumbai.audi-3.{tomorrow}.1800"


def settle(page: Page) -> None:
    page.wait_for_load_state("load")
    page.wait_for_timeout(700)  # the websocket's first content and Quasar's transitions, for measuring


def small_targets(page: Page, name: str) -> list[str]:
    settle(page)
    return [f"{name}: {problem}" for problem in page.evaluate(SMALL_TARGETS, TARGET)]


def to_checkout(page: Page, app: RunningApp, show: str) -> None:
    page.goto(f"{app.url}/showtime/{show}")
    expect(page.locator(".sg[data-ready]")).to_have_count(1, timeout=15_000)
    page.locator(".sg-seat.st-a").first.tap()  # zooms in
    expect(page.locator(".sg.sg-zoomed")).to_have_count(1)
    page.locator(".sg-seat.st-a").nth(4).tap()
    expect(page.locator(".sg-seat.st-m")).to_have_count(1, timeout=15_000)
    page.get_by_role("button", name="Continue").tap()
    expect(page).to_have_url(re.compile(r"/checkout/"))


def test_touch_targets_on_the_main_customer_pages_are_44_px(
        phone_app: RunningApp, show: str, contexts: Callable[..., BrowserContext], artifacts: Path) -> None:
    page = contexts(**PHONE).new_page()
    problems: list[str] = []
    for path, name in [("/", "home"), ("/login", "login"), ("/register", "register")]:
        page.goto(f"{phone_app.url}{path}")
        problems += small_targets(page, name)
    # Finger-sized, the visitor's header (logo, city, language, log in, sign up) still fits one line.
    header = ".q-header > .q-btn, .q-header > a.mm-tap, .q-header > .q-select"
    rows = page.evaluate("(header) => new Set([...document.querySelectorAll(header)].filter(e => e.offsetWidth)"
                         ".map(e => Math.round(e.getBoundingClientRect().top))).size", header)
    assert rows == 1, "the header's controls wrap onto a second line at 360 px"
    page.goto(f"{phone_app.url}/")
    movie = page.locator("a[href^='/movie/']").first.get_attribute("href")
    page.goto(f"{phone_app.url}{movie}")
    problems += small_targets(page, "movie")
    register(page, phone_app, "Tara")
    page.goto(f"{phone_app.url}/showtime/{show}")
    expect(page.locator(".sg[data-ready]")).to_have_count(1, timeout=15_000)
    problems += small_targets(page, "showtime")
    to_checkout(page, phone_app, show)
    problems += small_targets(page, "checkout")
    page.screenshot(path=str(artifacts / "a11y-checkout-360.png"), full_page=True)
    for path, name in [("/bookings", "my bookings"), ("/profile", "profile")]:
        page.goto(f"{phone_app.url}{path}")
        problems += small_targets(page, name)
    assert problems == [], "controls smaller than 44 x 44 px at 360 px:\n" + "\n".join(problems)


def test_larger_text_fits_a_phone(phone_app: RunningApp, show: str, contexts: Callable[..., BrowserContext],
                                  artifacts: Path) -> None:
    page = contexts(**PHONE).new_page()
    page.goto(f"{phone_app.url}/")
    settle(page)
    normal = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
    page.get_by_role("button", name=re.compile("^Language and display")).tap()  # a phone's header: in this menu
    page.get_by_role("switch", name="Larger text").tap()
    expect(page.locator("body.mm-large")).to_have_count(1)
    page.goto(f"{phone_app.url}/")  # kept by the browser
    expect(page.locator("body.mm-large")).to_have_count(1)
    settle(page)
    assert page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)") >= normal * 1.15
    problems = [f"home: {problem}" for problem in page.evaluate(OVERFLOWING)]
    page.screenshot(path=str(artifacts / "a11y-large-home-360.png"), full_page=True)
    register(page, phone_app, "Ravi")
    page.goto(f"{phone_app.url}/showtime/{show}")
    expect(page.locator(".sg[data-ready]")).to_have_count(1, timeout=15_000)
    settle(page)
    problems += [f"showtime: {problem}" for problem in page.evaluate(OVERFLOWING)]
    to_checkout(page, phone_app, show)
    settle(page)
    problems += [f"checkout: {problem}" for problem in page.evaluate(OVERFLOWING)]
    page.screenshot(path=str(artifacts / "a11y-large-checkout-360.png"), full_page=True)
    assert problems == [], "\n".join(problems)


def luminance(color: str) -> float:
    digits = color.strip().lstrip("#")
    if len(digits) == 3:  # #fff
        digits = "".join(d * 2 for d in digits)
    red, green, blue = (int(digits[i:i + 2], 16) / 255 for i in (0, 2, 4))
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (red, green, blue)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


STATE_COLOURS = """() => { const sg = getComputedStyle(document.querySelector('.sg'));
  return Object.fromEntries(['--sg-sold', '--sg-held-edge', '--sg-blocked', '--sg-mine']
    .map(name => [name, sg.getPropertyValue(name).trim()])); }"""


def test_seat_states_stand_out_from_the_map(phone_app: RunningApp, show: str,
                                            contexts: Callable[..., BrowserContext]) -> None:
    """WCAG 1.4.11: each state's colour at least 3:1 against the map's ground (#0d0c17: the page's dark ground
    under the map's faint glow; pure black in high contrast, where patterns tell the states apart as well)."""
    page = contexts().new_page()
    page.goto(f"{phone_app.url}/showtime/{show}")
    expect(page.locator(".sg[data-ready]")).to_have_count(1, timeout=15_000)
    normal = page.evaluate(STATE_COLOURS)
    page.get_by_role("button", name="Display options").click()
    page.get_by_role("switch", name="High contrast").click()
    expect(page.locator("body.mm-hc")).to_have_count(1)
    high = page.evaluate(STATE_COLOURS)
    assert all(normal.values()) and all(high.values()), (normal, high)
    weak = {f"{name} {colour}": round(contrast(colour, ground), 2)
            for colours, ground in ((normal, "#0d0c17"), (high, "#000000")) for name, colour in colours.items()
            if contrast(colour, ground) < 3}
    assert weak == {}, weak


def test_the_first_tab_offers_skip_to_content_which_lands_in_the_page(
        phone_app: RunningApp, contexts: Callable[..., BrowserContext]) -> None:
    page = contexts().new_page()
    page.goto(f"{phone_app.url}/")
    settle(page)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box is not None and box["y"] >= 0, "the focused skip link is on screen"
    page.keyboard.press("Enter")
    expect(page.locator("#main-content")).to_be_focused()
    page.keyboard.press("Tab")  # the next stop is in the content, past the header
    assert page.evaluate("() => !!document.activeElement.closest('#main-content')")
