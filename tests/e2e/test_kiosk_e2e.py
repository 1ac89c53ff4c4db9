"""The lobby kiosk in real headless Chromium with touch, portrait 1080x1920 and landscape 1920x1080:
an admin pairs a kiosk from Staff › Kiosks; a full purchase; an idle reset mid-checkout; a kiosk and a
web customer racing for the same seats; an unpaired browser refused; standing tickets at a venue; screenshots of
every kiosk screen (under test-artifacts/kiosk/)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, FloatRect, Locator, Page, ViewportSize, expect

from tests.e2e.conftest import RunningApp
from tests.e2e.test_seatmap_live import register, seat

PIN = "2468"
THEATER = "lumiere-bandra-mumbai"
PORTRAIT: ViewportSize = {"width": 1080, "height": 1920}
LANDSCAPE: ViewportSize = {"width": 1920, "height": 1080}
IDLE, WARNING = 4, 6  # seconds: this app's kiosks give up quickly, so a test can watch a reset


@pytest.fixture(scope="module")
def kiosk_app(app_factory: Callable[..., RunningApp]) -> RunningApp:
    return app_factory(KIOSK_PIN=PIN)


@pytest.fixture(scope="module")
def impatient_app(app_factory: Callable[..., RunningApp]) -> RunningApp:
    """Kiosks that give up after a few seconds, so a test can watch an idle reset."""
    return app_factory(KIOSK_PIN=PIN, KIOSK_IDLE_SECONDS=str(IDLE), KIOSK_WARNING_SECONDS=str(WARNING))


@pytest.fixture
def contexts(browser: Browser) -> Iterator[Callable[..., BrowserContext]]:
    made: list[BrowserContext] = []

    def new_context(viewport: ViewportSize | None = None, touch: bool = True) -> BrowserContext:
        context = browser.new_context(viewport=viewport or PORTRAIT, has_touch=touch)
        made.append(context)
        return context

    yield new_context
    for context in made:
        context.close()


@pytest.fixture
def shots(artifacts: Path) -> Path:
    folder = artifacts / "kiosk"
    folder.mkdir(exist_ok=True)
    return folder


def log_in_admin(app: RunningApp, admin: Page) -> None:
    admin.goto(f"{app.url}/login")
    admin.get_by_label("Email").fill("admin@moviemagic.local")
    admin.get_by_label("Password", exact=True).fill(app.admin_password())
    admin.get_by_role("button", name="Log in").last.click()
    expect(admin.get_by_role("button", name="Account menu")).to_be_visible()


def pairing_link(app: RunningApp, admin: Page, name: str, theater: str = THEATER) -> str:
    """An admin (logged in) creates a kiosk at Staff › Kiosks and reads its pairing link."""
    admin.goto(f"{app.url}/staff/kiosks?theater={theater}")
    admin.get_by_label("New kiosk name").fill(name)
    admin.get_by_role("button", name="Create kiosk").click()
    link = admin.get_by_text(re.compile(r"/kiosk/pair/[A-Z0-9]{4}-[A-Z0-9]{4}$"))
    expect(link).to_be_visible()
    return link.inner_text().strip()


def pair(page: Page, link: str) -> None:
    page.goto(link)
    page.get_by_role("button", name="Pair this screen").tap()
    expect(page.get_by_text(re.compile("^Paired: "))).to_be_visible()
    page.get_by_role("button", name="Start the kiosk").tap()
    expect(page.get_by_role("button", name="Touch to buy tickets")).to_be_visible(timeout=15_000)


def a_paired_kiosk(app: RunningApp, contexts: Callable[..., BrowserContext], viewport: ViewportSize,
                   name: str, theater: str = THEATER) -> Page:
    admin = contexts(LANDSCAPE, touch=False).new_page()
    log_in_admin(app, admin)
    link = pairing_link(app, admin, name, theater)
    admin.close()
    kiosk = contexts(viewport).new_page()
    pair(kiosk, link)
    return kiosk


def to_seats(kiosk: Page, tickets: int = 2, film: int = 0) -> list[str]:
    """Touch to start -> a film -> its first time -> N tickets; returns the seats the kiosk holds."""
    kiosk.get_by_role("button", name="Touch to buy tickets").tap()
    expect(kiosk.get_by_text("Pick a movie")).to_be_visible()
    kiosk.locator(".k-tile").nth(film).tap()
    expect(kiosk.get_by_text("Pick a time")).to_be_visible()
    kiosk.locator(".k-time").first.tap()
    expect(kiosk.get_by_text("How many tickets?")).to_be_visible()
    kiosk.get_by_role("button", name=f"{tickets} ticket" + ("s" if tickets != 1 else "")).tap()
    expect(kiosk.locator(".sg[data-ready]")).to_have_count(1, timeout=15_000)
    picked = kiosk.locator(".k-side .text-accent").first
    expect(picked).to_have_text(re.compile(r"^[A-Z]+\d+(, [A-Z]+\d+)*$"), timeout=10_000)
    return picked.inner_text().split(", ")


def showtime_of(kiosk: Page) -> str:
    return str(kiosk.evaluate("() => document.querySelector('.sg')?.__vueParentComponent?.props?.layout?.id || ''"))


def held_block_is_finger_sized_and_in_view(kiosk: Page, seats: list[str]) -> None:
    """Each held seat is at least 48 px both ways on screen and lies wholly inside the map's viewport."""
    held = kiosk.locator(".sg-seat.st-m")
    expect(held).to_have_count(len(seats))
    view = kiosk.locator(".sg-vp").bounding_box()
    assert view is not None

    def inside(box: FloatRect | None) -> bool:
        return (box is not None and box["width"] >= 48 and box["height"] >= 48
                and box["x"] >= view["x"] and box["x"] + box["width"] <= view["x"] + view["width"]
                and box["y"] >= view["y"] and box["y"] + box["height"] <= view["y"] + view["height"])

    # The zoom settles in a frame or two (and again after a resize): poll what the user would see.
    for i in range(len(seats)):
        expect(held.nth(i)).to_be_in_viewport()
    kiosk.wait_for_function("""() => {
        const vp = document.querySelector('.sg-vp').getBoundingClientRect();
        return [...document.querySelectorAll('.sg-seat.st-m')].every((el) => {
            const b = el.getBoundingClientRect();
            return b.width >= 48 && b.height >= 48 && b.left >= vp.left && b.right <= vp.right
                && b.top >= vp.top && b.bottom <= vp.bottom;
        });
    }""", timeout=10_000)
    assert all(inside(held.nth(i).bounding_box()) for i in range(len(seats)))


def in_reach(control: Locator, viewport: ViewportSize) -> None:
    """Wheelchair mode: the control lies wholly on screen, in its lower half."""
    expect(control).to_be_visible()
    box = control.bounding_box()
    assert box is not None, "the control is not on the page"
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], box
    assert box["y"] >= viewport["height"] / 2 and box["y"] + box["height"] <= viewport["height"], box
    assert box["height"] >= 48 and box["width"] >= 48, box


@pytest.mark.parametrize("viewport", [PORTRAIT, LANDSCAPE], ids=["portrait", "landscape"])
def test_a_full_purchase_at_the_kiosk(kiosk_app: RunningApp, contexts: Callable[..., BrowserContext],
                                      viewport: ViewportSize, shots: Path) -> None:
    tag = "portrait" if viewport is PORTRAIT else "landscape"
    kiosk = a_paired_kiosk(kiosk_app, contexts, viewport, f"Lobby {tag}")
    kiosk.screenshot(path=str(shots / f"01-attract-{tag}.png"))
    seats = to_seats(kiosk, 2)
    assert len(seats) == 2
    held_block_is_finger_sized_and_in_view(kiosk, seats)
    kiosk.screenshot(path=str(shots / f"05-seats-{tag}.png"))
    # High contrast and larger text for this customer: black ground, type a fifth larger, the held seats and
    # "Continue to pay" still whole and in reach.
    size = "() => parseFloat(getComputedStyle(document.querySelector('.mm-kiosk')).fontSize)"
    plain = kiosk.evaluate(size)
    kiosk.get_by_role("button", name="High contrast").tap()
    kiosk.get_by_role("button", name="Larger text").tap()
    expect(kiosk.get_by_role("button", name="Larger text")).to_have_attribute("aria-pressed", "true")
    expect(kiosk.locator(".mm-kiosk")).to_have_css("background-color", "rgb(0, 0, 0)")
    assert kiosk.evaluate(size) >= 1.15 * plain
    held_block_is_finger_sized_and_in_view(kiosk, seats)
    in_reach(kiosk.get_by_role("button", name="Continue to pay"), viewport)
    kiosk.screenshot(path=str(shots / f"05c-seats-high-contrast-larger-{tag}.png"))
    kiosk.get_by_role("button", name="High contrast").tap()
    kiosk.get_by_role("button", name="Larger text").tap()
    expect(kiosk.get_by_role("button", name="Larger text")).to_have_attribute("aria-pressed", "false")
    kiosk.get_by_role("button", name="Wheelchair mode: controls lower on the screen").tap()
    expect(kiosk.locator(".mm-kiosk.k-low")).to_have_count(1)
    held_block_is_finger_sized_and_in_view(kiosk, seats)
    kiosk.screenshot(path=str(shots / f"05b-seats-wheelchair-{tag}.png"))
    # From a wheelchair: the map keeps a real height, and "Continue to pay" is whole, low and takes the tap.
    view = kiosk.locator(".sg-vp").bounding_box()
    assert view is not None and view["height"] >= 0.3 * min(viewport["width"], viewport["height"])
    in_reach(kiosk.get_by_role("button", name="Continue to pay"), viewport)
    kiosk.get_by_role("button", name="Continue to pay").tap()
    expect(kiosk.get_by_text("Tap, insert or swipe your card")).to_be_visible()
    in_reach(kiosk.get_by_role("button", name="Tap card", exact=True), viewport)
    kiosk.screenshot(path=str(shots / f"06b-pay-wheelchair-{tag}.png"))
    kiosk.get_by_role("button", name="Wheelchair mode: controls lower on the screen").tap()
    expect(kiosk.locator(".mm-kiosk.k-low")).to_have_count(0)
    kiosk.screenshot(path=str(shots / f"06-pay-{tag}.png"))
    kiosk.get_by_role("button", name="Tap declined card").tap()
    expect(kiosk.get_by_text("Payment not approved")).to_be_visible(timeout=10_000)
    kiosk.screenshot(path=str(shots / f"07-declined-{tag}.png"))
    kiosk.get_by_role("button", name="Try again").tap()
    kiosk.get_by_role("button", name="Tap card", exact=True).tap()
    expect(kiosk.get_by_text("Enjoy the show!", exact=True)).to_be_visible(timeout=15_000)
    expect(kiosk.get_by_text(f"Seats {', '.join(seats)}").first).to_be_visible()
    kiosk.screenshot(path=str(shots / f"08-ticket-{tag}.png"))
    kiosk.emulate_media(media="print")
    kiosk.screenshot(path=str(shots / f"09-receipt-print-{tag}.png"))
    receipt = kiosk.locator(".k-receipt")
    expect(receipt).to_be_visible()
    box = receipt.bounding_box()
    assert box is not None and box["width"] < 320  # 74 mm of roll paper, not the screen
    kiosk.emulate_media(media="screen")
    kiosk.get_by_role("button", name="Done").tap()
    expect(kiosk.get_by_role("button", name="Touch to buy tickets")).to_be_visible()
    expect(kiosk.get_by_text("Enjoy the show!", exact=True)).to_have_count(0)


def test_an_idle_reset_mid_checkout_leaves_nothing(impatient_app: RunningApp,
                                                   contexts: Callable[..., BrowserContext], shots: Path) -> None:
    kiosk = a_paired_kiosk(impatient_app, contexts, PORTRAIT, "Lobby idle")
    seats = to_seats(kiosk, 3)
    kiosk.wait_for_timeout(IDLE * 1000)  # the customer walks away
    expect(kiosk.get_by_text("Still there?")).to_be_visible(timeout=(IDLE + 3) * 1000)
    kiosk.screenshot(path=str(shots / "10-still-there-portrait.png"))
    expect(kiosk.get_by_role("button", name="Touch to buy tickets")).to_be_visible(timeout=(WARNING + 4) * 1000)
    expect(kiosk.get_by_text(", ".join(seats))).to_have_count(0)
    assert kiosk.evaluate("() => localStorage.length") == 0
    kiosk.reload()  # a reload shows the attract screen, never the previous customer
    expect(kiosk.get_by_role("button", name="Touch to buy tickets")).to_be_visible(timeout=15_000)
    expect(kiosk.locator(".sg")).to_have_count(0)


def test_a_kiosk_and_a_web_customer_race_for_the_same_seats(
        kiosk_app: RunningApp, contexts: Callable[..., BrowserContext]) -> None:
    kiosk = a_paired_kiosk(kiosk_app, contexts, LANDSCAPE, "Lobby race")
    seats = to_seats(kiosk, 2, film=1)
    url = kiosk.evaluate("() => location.href")
    assert url.endswith("/kiosk")
    web = contexts(ViewportSize(width=1440, height=900), touch=False).new_page()
    register(web, kiosk_app, "Webb")
    # The same show on the web: find it through the kiosk's own show and the movie page.
    movie_title = kiosk.locator(".k-main .k-title").first.inner_text()
    web.goto(kiosk_app.url)
    web.locator("a[href^='/movie/']", has_text=movie_title).first.click()
    time_text = kiosk.locator(".k-main .k-muted").first.inner_text().split(" · ")[0]
    web.locator("a[href^='/showtime/']", has_text=time_text).first.click()
    expect(web.locator(".sg[data-ready]")).to_have_count(1, timeout=15_000)
    seat(web, seats[0]).click(force=True)  # held by the kiosk: the web customer is told
    expect(web.get_by_text(f"Seat {seats[0]} is being held by someone else")).to_be_visible()
    kiosk.get_by_role("button", name="Continue to pay").tap()
    kiosk.get_by_role("button", name="Tap card", exact=True).tap()
    expect(kiosk.get_by_text("Enjoy the show!", exact=True)).to_be_visible(timeout=15_000)
    expect(seat(web, seats[0])).to_have_class(re.compile(r"\bst-s\b"), timeout=5_000)
    # And the other way round: the web customer holds a seat, the kiosk's tap on it is refused.
    kiosk.get_by_role("button", name="Done").tap()
    free = web.locator(".sg-seat.st-a:not(.acc)").nth(40)
    web_seat = str(free.get_attribute("aria-label")).split(",")[0:2]
    free.click()
    expect(web.locator(".sg-seat.st-m")).to_have_count(1)
    row, number = web_seat[0].removeprefix("Row "), web_seat[1].strip().removeprefix("seat ")
    to_seats(kiosk, 1, film=1)
    # The kiosk opens zoomed on its own pick: like a customer, show the whole hall, then tap the seat
    # (a tap on a seat too small for a finger first zooms in around it).
    kiosk.get_by_role("button", name="Show the whole hall").tap()
    target = seat(kiosk, f"{row}{number}")
    expect(target).to_be_in_viewport()
    box = target.bounding_box()
    if box is not None and box["width"] < 20:
        target.tap(force=True)
        kiosk.wait_for_function("(el) => el.getBoundingClientRect().width >= 20", arg=target.element_handle())
    target.tap(force=True)
    expect(kiosk.get_by_text(f"Seat {row}{number} is being held by someone else")).to_be_visible()


def test_an_unpaired_browser_is_refused(kiosk_app: RunningApp, contexts: Callable[..., BrowserContext],
                                        shots: Path) -> None:
    for viewport, tag in ((PORTRAIT, "portrait"), (LANDSCAPE, "landscape")):
        page = contexts(viewport).new_page()
        page.goto(f"{kiosk_app.url}/kiosk")
        expect(page.get_by_text("This screen is not a Movie Magic kiosk.")).to_be_visible()
        expect(page.get_by_role("button", name="Touch to buy tickets")).to_have_count(0)
        page.screenshot(path=str(shots / f"00-refused-{tag}.png"))


@pytest.mark.parametrize("viewport", [PORTRAIT, LANDSCAPE], ids=["portrait", "landscape"])
def test_standing_tickets_at_a_venue_kiosk_have_finger_sized_steppers(
        kiosk_app: RunningApp, contexts: Callable[..., BrowserContext], viewport: ViewportSize, shots: Path) -> None:
    tag = "portrait" if viewport is PORTRAIT else "landscape"
    # The demo venue's comedy nights are standing only (general admission), on today and the next days.
    kiosk = a_paired_kiosk(kiosk_app, contexts, viewport, f"Door {tag}", "habitat-khar-mumbai")
    kiosk.get_by_role("button", name="Touch to buy tickets").tap()
    kiosk.locator(".k-tile").first.tap()
    expect(kiosk.get_by_text("Pick a time")).to_be_visible()
    kiosk.locator(".k-time").first.tap()
    expect(kiosk.get_by_text("How many tickets?")).to_be_visible()
    steppers = kiosk.get_by_role("button", name=re.compile("^(More|Fewer): "))
    expect(steppers).to_have_count(4)  # two ticket types, each with - and +, named for a screen reader
    for i in range(4):
        expect(steppers.nth(i)).to_be_in_viewport()
        box = steppers.nth(i).bounding_box()
        assert box is not None and box["width"] >= 64 and box["height"] >= 64, box
    more = kiosk.get_by_role("button", name="More: General", exact=True)
    more.tap()
    more.tap()
    expect(kiosk.get_by_text(re.compile(r"^2 tickets · ₹"))).to_be_visible()
    expect(kiosk.get_by_role("button", name="Continue to pay")).to_be_in_viewport()
    kiosk.screenshot(path=str(shots / f"11-standing-{tag}.png"))
    kiosk.get_by_role("button", name="Continue to pay").tap()
    expect(kiosk.get_by_text("Tap, insert or swipe your card")).to_be_visible()
    kiosk.get_by_role("button", name="Tap card", exact=True).tap()
    expect(kiosk.get_by_text("Enjoy the show!", exact=True)).to_be_visible(timeout=15_000)
    expect(kiosk.locator(".k-code")).to_have_count(2)  # one code per standing ticket
    kiosk.screenshot(path=str(shots / f"12-standing-ticket-{tag}.png"))
