"""The customer's path in other languages, in real Chromium at 360 and 1440 px: home, show, checkout, ticket.

The pseudo-locale (``?lang=xx`` with MOVIEMAGIC_PSEUDO_LOCALE: every text ~40% longer and accented) finds
text that does not fit: on a 360 px phone no text container may be wider inside than its box (cut off or
spilling over its neighbours) and the page may not scroll sideways. Hindi and Telugu walk the same path;
screenshots of every step land in test-artifacts/ (lang-<code>-<page>-<width>.png)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from services import i18n
from services.i18n import speaking, t
from tests.e2e.conftest import RunningApp

# Text containers whose content is wider than their box: cut off, or drawn over what is beside them.
# Scrollers by design (overflow auto/scroll: the seat map, the date chips) are not text that is cut.
OVERFLOWING = """() => {
  const found = [];
  for (const el of document.querySelectorAll('body *')) {
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.display === 'inline' || style.visibility === 'hidden') continue;
    if (['auto', 'scroll'].includes(style.overflowX)) continue;
    if (el.closest('.q-menu, .q-tooltip, svg, .sg, .sr-only')) continue;  // .sr-only: for screen readers
    const text = [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent.trim()).join(' ');
    if (!text) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (el.scrollWidth > el.clientWidth + 1) found.push(`${el.tagName}.${el.className}: "${text.slice(0, 60)}"`);
  }
  if (document.documentElement.scrollWidth > window.innerWidth + 1)
    found.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} > ${window.innerWidth}`);
  return found;
}"""


@pytest.fixture(scope="module")
def pseudo_app(app_factory: Callable[..., RunningApp]) -> RunningApp:
    return app_factory(pseudo_locale="true")


@pytest.fixture(scope="module")
def showtime_id() -> str:
    """Tomorrow's late show in the demo's grand hall."""
    tomorrow = (datetime.now(ZoneInfo("Asia/Kolkata")) + timedelta(days=1)).strftime("%Y%m%d")
    return f"lumiere-bandra-mumbai.audi-1.{tomorrow}.1915"


def tr(code: str, text: str) -> str:
    """``text`` as the app shows it in ``code`` (the test process reads the same catalogs)."""
    i18n.enable_pseudo_locale(True)
    try:
        with speaking(code):
            return t(text)
    finally:
        i18n.enable_pseudo_locale(False)


def amount_pattern(code: str, text: str) -> re.Pattern[str]:
    """A button's name with a price in it, e.g. ``{total} का भुगतान करें``."""
    before, _, after = tr(code, text).partition("{total}")
    return re.compile(f"^{re.escape(before)}₹.*{re.escape(after)}$")


def look(page: Page, artifacts: Path, code: str, name: str) -> list[str]:
    """Screenshots at 1440 and 360 px; what overflows at 360."""
    page.set_viewport_size({"width": 1440, "height": 900})
    page.wait_for_timeout(300)  # layout settles after the resize (a screenshot, not a speed check)
    page.screenshot(path=str(artifacts / f"lang-{code}-{name}-1440.png"), full_page=True)
    page.set_viewport_size({"width": 360, "height": 780})
    page.wait_for_timeout(300)
    page.screenshot(path=str(artifacts / f"lang-{code}-{name}-360.png"), full_page=True)
    problems = [f"{name}: {problem}" for problem in page.evaluate(OVERFLOWING)]
    page.set_viewport_size({"width": 1440, "height": 900})
    return problems


def walk(page: Page, app: RunningApp, showtime_id: str, code: str, artifacts: Path) -> list[str]:
    """Home, a show with a seat picked, checkout, pay, the ticket: in ``code``; returns what overflowed."""
    email = f"lang.{uuid.uuid4().hex[:6]}@example.com"
    page.goto(f"{app.url}/register?lang={code}")
    page.get_by_label(tr(code, "Full name")).fill("Lakshmi Narayanan")
    page.get_by_label(tr(code, "Email"), exact=True).fill(email)
    page.get_by_label(tr(code, "Password (at least 8 characters)")).fill("correct horse")
    page.get_by_label(tr(code, "Confirm password")).fill("correct horse")
    page.get_by_role("button", name=tr(code, "Create account")).click()
    expect(page.get_by_role("button", name=tr(code, "Account menu"))).to_be_visible(timeout=15_000)
    expect(page.locator("html")).to_have_attribute("lang", code)
    problems = look(page, artifacts, code, "home")

    page.goto(f"{app.url}/showtime/{showtime_id}")
    expect(page.locator(".sg[data-ready]")).to_have_count(1, timeout=15_000)
    page.locator(".sg-seat.st-a").nth(300).click()
    expect(page.locator(".sg-seat.st-m")).to_have_count(1, timeout=15_000)
    problems += look(page, artifacts, code, "showtime")

    page.get_by_role("button", name=amount_pattern(code, "Proceed to pay {total}")).click()
    expect(page.get_by_label(tr(code, "Card number"))).to_be_visible(timeout=15_000)
    problems += look(page, artifacts, code, "checkout")
    page.get_by_label(tr(code, "Card number")).fill("4242 4242 4242 4242")
    page.get_by_label(tr(code, "Expiry (MM/YY)")).fill("12/30")
    page.get_by_label(tr(code, "CVC")).fill("123")
    page.get_by_role("button", name=amount_pattern(code, "Pay {total}")).click()
    expect(page.get_by_text(tr(code, "You're all set!"))).to_be_visible(timeout=20_000)
    problems += look(page, artifacts, code, "confirmation")

    page.get_by_role("button", name=tr(code, "View ticket")).click()
    expect(page.get_by_text(tr(code, "Show this code at the entrance"))).to_be_visible(timeout=15_000)
    problems += look(page, artifacts, code, "ticket")
    return problems


def test_long_pseudo_text_fits_every_customer_page_on_a_phone(
        pseudo_app: RunningApp, showtime_id: str, contexts: Callable[..., BrowserContext], artifacts: Path) -> None:
    page = contexts().new_page()
    problems = walk(page, pseudo_app, showtime_id, "xx", artifacts)
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("code", ["hi", "te"])
def test_a_hindi_and_a_telugu_customer_book_in_their_language(
        pseudo_app: RunningApp, showtime_id: str, contexts: Callable[..., BrowserContext], artifacts: Path,
        code: str) -> None:
    page = contexts().new_page()
    problems = walk(page, pseudo_app, showtime_id, code, artifacts)
    assert problems == [], "\n".join(problems)
