"""The kiosk through NiceGUI's simulated user on the real services (moto) with a fake clock: pairing, a
walk-up purchase, idle reset, decline and cancel, reload, staff corner, revocation, out of order."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest
from botocore.exceptions import EndpointConnectionError
from nicegui import app
from nicegui.testing import User

from components.seat_grid import SeatGrid
from pages.kiosk.controller import CREDENTIAL_KEY, VISIT_KEY
from services.clock import FakeClock
from services.container import Services
from services.formatting import date_time
from services.kiosk.kiosks import NewKiosk
from services.platform.schema import USERS
from services.settings import Settings
from tests.kiosk_harness import ADMIN, app_with, kiosk_clock, kiosk_services, until

THEATER = "lumiere-bandra-mumbai"


@pytest.fixture
def kclock() -> FakeClock:
    return kiosk_clock()


@pytest.fixture
def ksvc(app_env: Settings, kclock: FakeClock) -> Services:
    services = kiosk_services(app_env, kclock)
    return services


@pytest.fixture
async def browsers(ksvc: Services) -> AsyncIterator[Callable[[], User]]:
    async with app_with(ksvc) as new_user:
        yield new_user


async def paired(user: User, ksvc: Services, pin: bool = False) -> NewKiosk:
    created = ksvc.kiosks.create(ADMIN, THEATER, "Lobby left")
    await user.open(f"/kiosk/pair/{created.pairing_code}")
    user.find(marker="pair").click()
    await user.should_see(marker="paired", retries=50)
    return created


def grid_of(user: User) -> SeatGrid:
    return next(iter(user.find(marker="seat-grid").elements))  # type: ignore[return-value]


def specific(user: User, generic: str) -> str:
    """The own marker of one element marked ``generic`` (e.g. one film among the movie tiles)."""
    element = next(iter(user.find(marker=generic).elements))
    return next(m for m in element._markers if m != generic)


async def to_seats(user: User, count: int = 2) -> SeatGrid:
    await user.open("/kiosk")
    await user.should_see(marker="touch-to-start", retries=50)
    user.find(marker="touch-to-start").click()
    await user.should_see(marker="page-title", retries=50)
    user.find(marker=specific(user, "movie-tile")).trigger("click")
    await user.should_see("Pick a time", retries=50)
    user.find(marker=specific(user, "time-slot")).click()
    await user.should_see("How many tickets?", retries=50)
    user.find(marker=f"count-{count}").click()
    await user.should_see(marker="seat-grid", retries=50)
    grid = grid_of(user)
    await until(lambda: len(grid.mine) == count)
    return grid


async def test_a_walk_up_purchase_from_attract_to_ticket(browsers: Callable[[], User], ksvc: Services) -> None:
    user = browsers()
    created = await paired(user, ksvc)
    grid = await to_seats(user)
    seats = list(grid.mine)
    showtime_id = grid.showtime_id
    user.find(marker="to-pay").click()
    await user.should_see(marker="terminal", retries=50)
    await user.should_see("Tap, insert or swipe your card")
    user.find(marker="demo-approve").click()
    await user.should_see(marker="ticket-done", retries=80)
    sold = {s.seat_id for s in ksvc.inventory.seat_map(showtime_id).seats if s.status == "sold"}
    assert set(seats) <= sold
    kiosk = ksvc.kiosks.get(created.kiosk.kiosk_id)
    assert kiosk.last_sale_booking_id
    user.find(marker="ticket-finish").click()
    await user.should_see(marker="touch-to-start", retries=50)
    await user.should_not_see(marker="ticket-done")
    assert stored(user) == {CREDENTIAL_KEY}


def statuses(ksvc: Services, showtime_id: str, seats: list[str]) -> set[str]:
    return {s.status for s in ksvc.inventory.seat_map(showtime_id).seats if s.seat_id in seats}


def stored(user: User) -> set[str]:
    """The keys this browser keeps server-side (app.storage.user)."""
    with user:
        return set(app.storage.user.keys())


async def test_idle_customer_gets_still_there_then_everything_is_cleared(
        browsers: Callable[[], User], ksvc: Services, kclock: FakeClock) -> None:
    user = browsers()
    await paired(user, ksvc)
    grid = await to_seats(user, 3)
    seats, showtime_id = list(grid.mine), grid.showtime_id
    assert statuses(ksvc, showtime_id, seats) == {"held"}
    kclock.advance(seconds=ksvc.settings.kiosk_idle_seconds + 1)
    await user.should_see(marker="still-there", retries=30)
    await user.should_see("For your privacy we will start over in 14 seconds.", retries=30)
    user.find(marker="still-here").click()  # a touch: the warning goes, the seats stay
    await until(lambda: not _has(user, "still-there"))
    assert statuses(ksvc, showtime_id, seats) == {"held"}
    kclock.advance(seconds=ksvc.settings.kiosk_idle_seconds + ksvc.settings.kiosk_warning_seconds + 1)
    await user.should_see(marker="touch-to-start", retries=50)
    await until(lambda: statuses(ksvc, showtime_id, seats) == {"available"})
    await user.should_not_see(marker="seat-grid")
    await user.should_not_see(marker="picked-seats")
    assert stored(user) == {CREDENTIAL_KEY}


def _has(user: User, marker: str) -> bool:
    try:
        return bool(user.find(marker=marker).elements)
    except AssertionError:
        return False


async def test_a_declined_card_can_retry_and_cancel_releases_the_seats(
        browsers: Callable[[], User], ksvc: Services) -> None:
    user = browsers()
    await paired(user, ksvc)
    grid = await to_seats(user)
    seats, showtime_id = list(grid.mine), grid.showtime_id
    user.find(marker="to-pay").click()
    await user.should_see(marker="demo-decline", retries=50)
    user.find(marker="demo-decline").click()
    await user.should_see("Payment not approved", retries=50)
    assert statuses(ksvc, showtime_id, seats) == {"held"}  # a decline keeps the seats for a retry
    user.find(marker="pay-retry").click()
    await user.should_see(marker="demo-approve", retries=50)
    user.find(marker="kiosk-start-over").click()  # "Cancel": the customer gives up
    await user.should_see(marker="touch-to-start", retries=50)
    await until(lambda: statuses(ksvc, showtime_id, seats) == {"available"})
    assert stored(user) == {CREDENTIAL_KEY}


async def test_no_card_times_out_with_a_way_to_retry(
        browsers: Callable[[], User], ksvc: Services, kclock: FakeClock) -> None:
    user = browsers()
    await paired(user, ksvc)
    await to_seats(user, 1)
    user.find(marker="to-pay").click()
    await user.should_see(marker="demo-approve", retries=50)
    kclock.advance(seconds=ksvc.settings.kiosk_terminal_seconds + 1)
    await user.should_see("No card was presented.", retries=50)
    await user.should_see(marker="pay-retry")
    await user.should_see(marker="pay-cancel")


async def test_a_reload_mid_visit_shows_attract_and_releases_the_seats(
        browsers: Callable[[], User], ksvc: Services) -> None:
    user = browsers()
    await paired(user, ksvc)
    grid = await to_seats(user, 2)
    seats, showtime_id = list(grid.mine), grid.showtime_id
    assert VISIT_KEY in stored(user)
    await user.open("/kiosk")  # the browser reloads (or restarts after a crash)
    await user.should_see(marker="touch-to-start", retries=50)
    await user.should_not_see(marker="seat-grid")
    await until(lambda: statuses(ksvc, showtime_id, seats) == {"available"})
    assert stored(user) == {CREDENTIAL_KEY}


async def test_the_email_keyboard_validates_and_the_e_ticket_address_is_used(
        browsers: Callable[[], User], ksvc: Services) -> None:
    user = browsers()
    await paired(user, ksvc)
    await to_seats(user, 1)
    user.find(marker="to-pay").click()
    await user.should_see(marker="ask-email", retries=50)
    user.find(marker="ask-email").click()
    await user.should_see(marker="email-keyboard", retries=20)
    for key in "ab":
        user.find(marker=f"key-{key}").click()
    user.find(marker="key-done").click()
    await user.should_see("That email address does not look right. Please check it.", retries=20)
    for key in "@x.in":
        user.find(marker=f"key-{key}").click()
    user.find(marker="key-done").click()
    await user.should_see("E-ticket to ab@x.in", retries=20)
    user.find(marker="demo-approve").click()
    await user.should_see(marker="ticket-emailed", retries=80)
    await user.should_see("Your e-ticket is on its way to ab@x.in.")


async def test_an_unpaired_browser_never_sees_a_kiosk_screen(browsers: Callable[[], User], ksvc: Services) -> None:
    user = browsers()
    await user.open("/kiosk")
    await user.should_see(marker="kiosk-refused", retries=30)
    await user.should_see("This screen is not a Movie Magic kiosk.")
    await user.should_not_see(marker="touch-to-start")
    await user.open("/kiosk/pair/ZZZZ-ZZZZ")
    user.find(marker="pair").click()
    await user.should_see("This pairing link is not valid or has expired. Ask for a new one.", retries=30)


async def test_revoking_a_kiosk_stops_its_screen(browsers: Callable[[], User], ksvc: Services) -> None:
    user = browsers()
    created = await paired(user, ksvc)
    await to_seats(user, 2)
    ksvc.kiosks.revoke(ADMIN, created.kiosk.kiosk_id)
    await user.should_see("This kiosk was unpaired by staff.", retries=100)  # the next heartbeat
    await user.should_not_see(marker="seat-grid")
    assert stored(user) == set()
    await user.open("/kiosk")
    await user.should_see(marker="kiosk-refused", retries=30)


async def test_the_staff_corner_needs_the_pin_and_shows_status_and_pause(
        browsers: Callable[[], User], ksvc: Services) -> None:
    user = browsers()
    created = await paired(user, ksvc)
    await user.open("/kiosk")
    await user.should_see(marker="touch-to-start", retries=50)
    for _ in range(3):
        user.find(marker="staff-corner").click()
    await user.should_see(marker="pin-pad", retries=20)
    wrong = "1" * 6 if created.pin != "1" * 6 else "2" * 6
    for digit in wrong:
        user.find(marker=f"pin-{digit}").click()
    user.find(marker="pin-ok").click()
    await user.should_see("That PIN is not right.", retries=20)
    for digit in created.pin or "":
        user.find(marker=f"pin-{digit}").click()
    user.find(marker="pin-ok").click()
    await user.should_see(marker="staff-panel", retries=30)
    await user.should_see("Lumière Bandra, Mumbai")
    await user.should_see("ready (demo terminal)")
    await user.should_see("No sale yet")
    await user.should_see("Browser print dialog · no receipt printed since this screen started")
    user.find(marker="staff-pause").click()
    await user.should_see(marker="paused", retries=30)
    await user.should_not_see(marker="touch-to-start")


async def open_staff_panel(user: User, pin: str) -> None:
    for _ in range(3):
        user.find(marker="staff-corner").click()
    await user.should_see(marker="pin-pad", retries=20)
    for digit in pin:
        user.find(marker=f"pin-{digit}").click()
    user.find(marker="pin-ok").click()
    await user.should_see(marker="staff-panel", retries=30)


async def test_the_staff_panel_shows_when_a_receipt_was_last_sent_to_print(
        browsers: Callable[[], User], ksvc: Services, kclock: FakeClock) -> None:
    user = browsers()
    created = await paired(user, ksvc)
    await to_seats(user)
    user.find(marker="to-pay").click()
    await user.should_see(marker="terminal", retries=50)
    user.find(marker="demo-approve").click()
    await user.should_see(marker="ticket-done", retries=80)
    user.find(marker="print-ticket").click()
    when = date_time(kclock.now(), ksvc.catalog.theater(THEATER).timezone)
    await open_staff_panel(user, created.pin or "")
    await user.should_see(f"Browser print dialog · last receipt sent {when}")
    await user.should_not_see("no receipt printed")


async def test_out_of_order_while_the_backend_is_down_and_back_by_itself(
        browsers: Callable[[], User], ksvc: Services) -> None:
    user = browsers()
    await paired(user, ksvc)
    await user.open("/kiosk")
    await user.should_see(marker="touch-to-start", retries=50)
    events = ksvc.aws.ddb.meta.events

    def down(**_kwargs: object) -> None:
        raise EndpointConnectionError(endpoint_url="http://unreachable")

    events.register("before-call.dynamodb.GetItem", down)
    try:
        await user.should_see(marker="out-of-order", retries=100)
        await user.should_see(marker="out-of-order-code")
        await user.should_not_see(marker="touch-to-start")
    finally:
        events.unregister("before-call.dynamodb.GetItem", down)
    await user.should_see(marker="touch-to-start", retries=100)


async def test_staff_create_a_kiosk_and_customers_cannot(browsers: Callable[[], User], ksvc: Services) -> None:
    password = "correct horse"
    ksvc.users.register("Kay Admin", "kay@example.com", password, password)
    ksvc.aws.table(USERS).update_item(Key={"email": "kay@example.com"}, UpdateExpression="SET #r = :a",
                                      ExpressionAttributeNames={"#r": "role"},
                                      ExpressionAttributeValues={":a": "admin"})
    ksvc.users.register("Cee Customer", "cee@example.com", password, password)
    # One simulated browser for both people: NiceGUI's simulated users share the global ui.navigate, so a
    # second browser alive during a login can receive its redirect.
    browser = browsers()

    async def log_in(email: str) -> None:
        await browser.open("/login")
        browser.find(marker="login-email").type(email)
        browser.find(marker="login-password").type(password)
        browser.find(marker="login-submit").click()
        await browser.should_see(marker="account-menu", retries=200)

    await log_in("cee@example.com")
    await browser.open("/staff/kiosks")
    await browser.should_see(marker="staff-only", retries=30)
    await browser.open("/logout")
    await log_in("kay@example.com")
    admin = browser
    await admin.open(f"/staff/kiosks?theater={THEATER}")
    await admin.should_see(marker="no-kiosks", retries=30)
    admin.find(marker="kiosk-name").type("Lobby right")
    admin.find(marker="create-kiosk").click()
    await admin.should_see(marker="pairing-dialog", retries=30)
    link = next(iter(admin.find(marker="pairing-link").elements)).text  # type: ignore[attr-defined]
    assert "/kiosk/pair/" in link
    await admin.should_see("Lobby right")
    await admin.should_see("Waiting for pairing")
    device = browsers()
    await device.open(link[link.index("/kiosk/pair/"):])
    device.find(marker="pair").click()
    await device.should_see(marker="paired", retries=50)
    kiosk = ksvc.kiosks.for_theater(ADMIN, THEATER)[0]
    assert kiosk.paired and kiosk.name == "Lobby right"


async def test_the_first_screen_offers_the_known_languages_and_a_reset_returns_to_english(
        browsers: Callable[[], User], ksvc: Services) -> None:
    user = browsers()
    await paired(user, ksvc)
    await user.open("/kiosk")
    await user.should_see(marker="language-en", retries=50)
    user.find(marker="language-hi").click()
    await user.should_see("टिकट खरीदने के लिए छुएँ", retries=30)
    user.find(marker="touch-to-start").click()
    await user.should_see("फ़िल्म चुनें", retries=30)
    user.find(marker="kiosk-start-over").click()
    await user.should_see("Touch to buy tickets", retries=30)


async def test_high_contrast_and_larger_text_last_one_visit(browsers: Callable[[], User], ksvc: Services) -> None:
    """The bar's two display switches (beside wheelchair mode) say when they are on, and the next customer
    starts plain: a reset turns them off."""
    user = browsers()
    await paired(user, ksvc)
    await user.open("/kiosk")
    await user.should_see(marker="kiosk-contrast", retries=50)

    def pressed(marker: str) -> str:
        return str(next(iter(user.find(marker=marker).elements)).props.get("aria-pressed"))

    assert (pressed("kiosk-contrast"), pressed("kiosk-large-text")) == ("false", "false")
    user.find(marker="kiosk-contrast").click()
    user.find(marker="kiosk-large-text").click()
    await until(lambda: (pressed("kiosk-contrast"), pressed("kiosk-large-text")) == ("true", "true"))
    await user.should_see(marker="touch-to-start", retries=50)
    user.find(marker="touch-to-start").click()
    await user.should_see(marker="kiosk-start-over", retries=30)
    assert (pressed("kiosk-contrast"), pressed("kiosk-large-text")) == ("true", "true")  # kept through the visit
    user.find(marker="kiosk-start-over").click()
    await user.should_see("Touch to buy tickets", retries=30)
    await until(lambda: (pressed("kiosk-contrast"), pressed("kiosk-large-text")) == ("false", "false"))
