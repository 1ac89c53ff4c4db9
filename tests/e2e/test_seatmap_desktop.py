"""The seat map's layout in real Chromium: at 1440 px the legend is above the map, the booking summary stays
in view while the page scrolls, and zoomed in, the row letters never sit on a seat (a letter over a seat's
number made "W 21" read "W1"); at 360 px nothing is wider than the screen. Also: the page runs on the
precompiled Tailwind CSS, without NiceGUI's in-browser Tailwind."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.conftest import RunningApp
from tests.e2e.test_seatmap_live import expect_state, open_map, register, seat, showtime_id

__all__ = ["showtime_id"]  # the grand hall's show tomorrow (a fixture of the live seat-map tests)

# For each row letter the zoomed map shows in its column: the seats it overlaps (their visible part: the
# plane is clipped at the column's edge) and every visible seat whose centre is not the seat itself on top
# (something covers it). Boxes are in CSS px.
OVERLAPS = """() => {
  const vp = document.querySelector('.sg-vp').getBoundingClientRect();
  const clip = document.querySelector('.sg-clip');
  const inset = parseFloat((getComputedStyle(clip).clipPath.match(/inset\\(0px 0px 0px ([\\d.]+)px\\)/) || [0, 0])[1]);
  const left = vp.left + inset;
  // What the window shows of the map: below the fixed header, above the window's bottom edge (on a phone,
  // above the summary's bar fixed at the bottom).
  const top = Math.max(vp.top, document.querySelector('.q-header').getBoundingClientRect().bottom);
  const bar = document.querySelector('.mm-summary');
  const barTop = bar && getComputedStyle(bar).position === 'fixed' ? bar.getBoundingClientRect().top : Infinity;
  const bottom = Math.min(vp.bottom, window.innerHeight, barTop);
  const seen = [];
  for (const el of document.querySelectorAll('.sg-seat')) {
    const r = el.getBoundingClientRect();
    const box = {l: Math.max(r.left, left), r: Math.min(r.right, vp.right), t: Math.max(r.top, top),
                 b: Math.min(r.bottom, bottom), label: el.getAttribute('aria-label'), el};
    if (box.r - box.l > 1 && box.b - box.t > 1) seen.push(box);
  }
  const labels = [...document.querySelectorAll('.sg-rail.show .sg-rail-l span')].map((el) => {
    const r = el.getBoundingClientRect();
    return {l: r.left, r: r.right, t: r.top, b: r.bottom, text: el.textContent};
  }).filter((b) => b.b > top && b.t < bottom);
  const overlaps = [];
  for (const label of labels)
    for (const s of seen)
      if (label.l < s.r && s.l < label.r && label.t < s.b && s.t < label.b)
        overlaps.push(label.text + ' over ' + s.label);
  const covered = seen.filter((s) => {
    const hit = document.elementFromPoint((s.l + s.r) / 2, (s.t + s.b) / 2);
    return !(hit && hit.closest('.sg-seat') === s.el);
  }).map((s) => s.label);
  return {labels: labels.length, seats: seen.length, overlaps, covered,
          seatLeft: Math.min(...seen.map((s) => s.l)), labelRight: Math.max(...labels.map((b) => b.r))};
}"""


@pytest.fixture(scope="module")
def layout_app(app_factory: Callable[..., RunningApp]) -> RunningApp:
    """An app of its own: this module holds seats in the grand hall."""
    return app_factory()


def zoom_in(page: Page, times: int) -> None:
    for _ in range(times):
        page.get_by_role("button", name="Zoom in").click()
    expect(page.locator(".sg.sg-zoomed")).to_have_count(1)


def test_desktop_legend_above_sticky_summary_and_readable_row_letters(
    layout_app: RunningApp, showtime_id: str, contexts: Callable[..., BrowserContext], artifacts: Path
) -> None:
    page = contexts().new_page()
    register(page, layout_app, "Wide")
    open_map(page, layout_app, showtime_id)
    # Tailwind comes compiled: no in-browser script, and its utilities apply (the summary is 20rem wide).
    assert page.locator("script[src*='tailwindcss']").count() == 0
    assert page.locator("link[href^='/assets/css/tailwind.css']").count() == 1
    summary = page.locator(".mm-summary")
    assert summary.evaluate("e => getComputedStyle(e).width") == "320px"

    legend = page.locator(".sg-legend").bounding_box()
    viewport = page.locator(".sg-vp").bounding_box()
    assert legend and viewport and legend["y"] + legend["height"] <= viewport["y"], (legend, viewport)

    seat(page, "K12").click()
    expect_state(page, "K12", "m")
    pay = page.get_by_role("button", name=re.compile(r"^Proceed to pay ₹"))
    expect(pay).to_be_in_viewport()
    # Down to the back rows: the summary with its total and button stays on screen beside the map.
    page.mouse.move(720, 20)  # over the header: the wheel scrolls the page, not the map
    page.mouse.wheel(0, 1400)
    page.wait_for_function("window.scrollY > 300")
    expect(seat(page, "AM10")).to_be_in_viewport()
    box = summary.bounding_box()
    assert box and box["y"] >= 0 and box["y"] + box["height"] <= 900, box
    expect(pay).to_be_in_viewport(ratio=1)
    page.screenshot(path=str(artifacts / "seatmap-1440-scrolled.png"))

    page.evaluate("window.scrollTo(0, 0)")
    zoom_in(page, 3)  # 2.2x around the centre: the left seats and their row letters are out of view
    expect(page.locator(".sg-rail.show")).to_have_count(1)
    page.wait_for_timeout(300)  # the rail's fade-in
    found = page.evaluate(OVERLAPS)
    assert found["labels"] >= 5 and found["seats"] >= 50, found
    assert found["overlaps"] == [], found["overlaps"][:5]
    assert found["covered"] == [], found["covered"][:5]
    assert found["seatLeft"] >= found["labelRight"], found
    page.screenshot(path=str(artifacts / "seatmap-1440-zoomed.png"))
    # Keyboard focus moves to a seat beside the column: it is scrolled clear of the letters.
    seat(page, "K12").focus()
    page.keyboard.press("Home")
    found = page.evaluate(OVERLAPS)
    assert found["overlaps"] == [] and found["covered"] == [], found
    focused = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert focused.startswith("Row K, seat 1,"), focused


def test_phone_map_fits_the_screen(
    layout_app: RunningApp, showtime_id: str, contexts: Callable[..., BrowserContext], artifacts: Path
) -> None:
    phone = contexts(viewport={"width": 360, "height": 780}, is_mobile=True, has_touch=True,
                     device_scale_factor=2).new_page()
    register(phone, layout_app, "Narrow")
    open_map(phone, layout_app, showtime_id)
    wide = "document.documentElement.scrollWidth - window.innerWidth"
    assert phone.evaluate(wide) <= 0
    target = seat(phone, "AA20")
    target.tap()  # zooms in around it
    expect(phone.locator(".sg.sg-zoomed")).to_have_count(1)
    target.tap()
    expect_state(phone, "AA20", "m")
    found = phone.evaluate(OVERLAPS)
    assert found["overlaps"] == [] and found["covered"] == [], found
    # The summary is the bar at the bottom of the screen, as before.
    box = phone.locator(".mm-summary").bounding_box()
    assert box and abs(box["y"] + box["height"] - 780) <= 1, box
    assert phone.evaluate(wide) <= 0
    phone.screenshot(path=str(artifacts / "seatmap-360-zoomed-rail.png"))
