"""Kiosk services on moto: pairing (one-time code, revocable credential), the staff PIN, the demo card
terminal, idle phases, the theater's shows and a walk-up sale through the web's own booking services."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.accounts.users import User
from services.booking.payments import CardPayment
from services.clock import FakeClock
from services.container import Services
from services.errors import Forbidden, PaymentDeclined, Unauthorized
from services.kiosk.idle import IdleWatch
from services.kiosk.terminal import DemoTerminal
from tests.conftest import add_small_showtime, store_account

ADMIN = User("u-admin", "admin@example.com", "Admin", "admin", "")
CUSTOMER = User("u-cust", "c@example.com", "Cust", "customer", "")


@pytest.fixture(autouse=True)
def _admin_account(small: Services) -> None:
    store_account(small.aws, ADMIN)


def test_managers_of_the_theater_manage_its_kiosks_and_no_one_else(small: Services) -> None:
    manager = store_account(small.aws, User("u-man", "m@example.com", "Manny", "manager", "",
                                            theaters=("tiny-theater",)))
    other = store_account(small.aws, User("u-oth", "o@example.com", "Otto", "manager", "",
                                          theaters=("elsewhere",)))
    usher = store_account(small.aws, User("u-ush", "u@example.com", "Usha", "usher", "",
                                          theaters=("tiny-theater",)))
    created = small.kiosks.create(manager, "tiny-theater", "Lobby")
    assert [k.kiosk_id for k in small.kiosks.for_theater(manager, "tiny-theater")] == [created.kiosk.kiosk_id]
    for outsider in (other, usher, CUSTOMER, None):
        with pytest.raises(Forbidden):
            small.kiosks.create(outsider, "tiny-theater", "Lobby 2")
        with pytest.raises(Forbidden):
            small.kiosks.revoke(outsider, created.kiosk.kiosk_id)


def test_a_pairing_code_binds_one_browser_once(small: Services) -> None:
    created = small.kiosks.create(ADMIN, "tiny-theater", "Lobby left")
    assert created.pin and len(created.pin) == 6 and not created.kiosk.paired
    kiosk, credential = small.kiosks.pair(created.pairing_code.lower().replace("-", " "))  # typed loosely
    assert kiosk.paired and small.kiosks.verify(credential).kiosk_id == kiosk.kiosk_id
    with pytest.raises(Unauthorized):
        small.kiosks.pair(created.pairing_code)  # used up


def test_pairing_again_or_revoking_kills_older_credentials(small: Services) -> None:
    created = small.kiosks.create(ADMIN, "tiny-theater", "Lobby")
    _, first = small.kiosks.pair(created.pairing_code)
    _, second = small.kiosks.pair(small.kiosks.new_pairing_code(ADMIN, created.kiosk.kiosk_id))
    with pytest.raises(Unauthorized):
        small.kiosks.verify(first)
    assert small.kiosks.verify(second)
    small.kiosks.revoke(ADMIN, created.kiosk.kiosk_id)
    with pytest.raises(Unauthorized):
        small.kiosks.verify(second)


def test_forged_and_missing_credentials_are_refused(small: Services) -> None:
    created = small.kiosks.create(ADMIN, "tiny-theater", "Lobby")
    _, credential = small.kiosks.pair(created.pairing_code)
    body, _, _sig = credential.rpartition(".")
    for bad in (None, "", "K1.k-x.1.AAAA", body + ".AAAAAAAAAAAAAAAAAAAAAAAAAA", credential.replace(".1.", ".2.")):
        with pytest.raises(Unauthorized):
            small.kiosks.verify(bad)


def test_a_pairing_code_expires(small: Services, clock: FakeClock) -> None:
    created = small.kiosks.create(ADMIN, "tiny-theater", "Lobby")
    clock.advance(minutes=small.settings.kiosk_pairing_minutes + 1)
    with pytest.raises(Unauthorized):
        small.kiosks.pair(created.pairing_code)


def test_only_managers_manage_kiosks(small: Services) -> None:
    with pytest.raises(Forbidden):
        small.kiosks.create(CUSTOMER, "tiny-theater", "Lobby")
    created = small.kiosks.create(ADMIN, "tiny-theater", "Lobby")
    for action in (small.kiosks.revoke, small.kiosks.new_pairing_code, small.kiosks.new_pin):
        with pytest.raises(Forbidden):
            action(CUSTOMER, created.kiosk.kiosk_id)
    with pytest.raises(Forbidden):
        small.kiosks.for_theater(CUSTOMER, "tiny-theater")
    assert [k.name for k in small.kiosks.for_theater(ADMIN, "tiny-theater")] == ["Lobby"]


def test_the_staff_pin_and_its_lock(small: Services) -> None:
    created = small.kiosks.create(ADMIN, "tiny-theater", "Lobby")
    kiosk_id, pin = created.kiosk.kiosk_id, created.pin
    assert pin and small.kiosks.check_pin(kiosk_id, pin)
    wrong = "000000" if pin != "000000" else "111111"
    for _ in range(5):
        assert not small.kiosks.check_pin(kiosk_id, wrong)
    with pytest.raises(Exception, match="Too many wrong PINs"):
        small.kiosks.check_pin(kiosk_id, pin)
    small.clock.advance(minutes=6)  # type: ignore[attr-defined]
    assert small.kiosks.check_pin(kiosk_id, pin)
    new_pin = small.kiosks.new_pin(ADMIN, kiosk_id)
    assert small.kiosks.check_pin(kiosk_id, new_pin) and (new_pin == pin or not small.kiosks.check_pin(kiosk_id, pin))


def test_the_demo_terminal_reads_a_card_once_and_times_out() -> None:
    clock = FakeClock()
    terminal = DemoTerminal(clock, timeout_seconds=30)
    assert terminal.poll("s1").state == "idle"
    assert not terminal.present("s1", "approve")  # nothing asked for
    terminal.request("s1", 50000, "INR")
    assert terminal.poll("s1").state == "waiting" and terminal.status() == "waiting for a card"
    assert terminal.present("s1", "approve")
    reading = terminal.poll("s1")
    assert reading.state == "card" and reading.payment == CardPayment("4242424242424242")
    assert terminal.poll("s1").state == "idle"  # handed over once
    terminal.request("s1", 50000, "INR")
    clock.advance(seconds=31)
    assert terminal.poll("s1").state == "timed_out"
    assert not terminal.present("s1", "approve")  # too late
    terminal.request("s2", 100, "INR")
    terminal.cancel("s2")
    assert not terminal.present("s2", "approve") and terminal.poll("s2").state == "idle"


def test_idle_phases() -> None:
    clock = FakeClock()
    watch = IdleWatch(45, 15, clock.now())
    clock.advance(seconds=44)
    assert watch.phase(clock.now()) == ("active", 0)
    clock.advance(seconds=2)
    assert watch.phase(clock.now()) == ("warning", 14)
    watch.touch(clock.now())
    assert watch.phase(clock.now())[0] == "active"
    clock.advance(seconds=60)
    assert watch.phase(clock.now()) == ("expired", 0)


def test_the_kiosk_lists_its_theaters_shows_still_on_sale(small: Services, clock: FakeClock) -> None:
    add_small_showtime(small, "tiny-later", timedelta(hours=3))
    created = small.kiosks.create(ADMIN, "tiny-theater", "Lobby")
    shows = small.kiosk_sales.shows(created.kiosk)
    # tiny-soon starts within the sales cut-off; tiny-show is in two days.
    assert [(m.movie.title, [s.showtime_id for s in m.shows]) for m in shows] == [("The Tiny Picture", ["tiny-later"])]


def test_tomorrows_shows_appear_in_the_evening(small: Services, clock: FakeClock) -> None:
    clock.advance(hours=10)  # 03:00 UTC -> 13:00 UTC = 18:30 in Kolkata
    small.catalog.invalidate()
    add_small_showtime(small, "tiny-tomorrow", timedelta(hours=20))
    created = small.kiosks.create(ADMIN, "tiny-theater", "Lobby")
    ids = [s.showtime_id for m in small.kiosk_sales.shows(created.kiosk) for s in m.shows]
    assert ids == ["tiny-tomorrow"]


def test_a_walk_up_sale_uses_the_web_services_and_a_decline_keeps_nothing(small: Services) -> None:
    created = small.kiosks.create(ADMIN, "tiny-theater", "Lobby")
    kiosk = created.kiosk
    checkout = small.kiosk_sales.new_checkout(kiosk)
    hold = small.inventory.hold("tiny-show", ["B2", "B3"], checkout)
    with pytest.raises(PaymentDeclined):
        small.kiosk_sales.sell(kiosk, hold.hold_id, checkout, CardPayment("4000000000000002"))
    assert small.inventory.get_hold(hold.hold_id, checkout).status == "active"  # retry possible
    booking = small.kiosk_sales.sell(kiosk, hold.hold_id, checkout, CardPayment("4242424242424242"), "Walk@In.example")
    assert booking.user_id == checkout and booking.email == "walk@in.example" and booking.seat_ids == ["B2", "B3"]
    assert small.kiosks.get(kiosk.kiosk_id).last_sale_booking_id == booking.booking_id
    other = small.kiosk_sales.new_checkout(kiosk)
    assert other != checkout
    second = small.inventory.hold("tiny-show", ["C5"], other)
    small.kiosk_sales.abandon(second.hold_id, other)
    assert all(s.status == "available" for s in small.inventory.seat_map("tiny-show").seats if s.seat_id == "C5")
    small.kiosk_sales.abandon(hold.hold_id, checkout)  # sold: nothing to release, no error


def test_one_tap_moves_the_whole_group_next_to_the_tapped_seat(small: Services) -> None:
    from services.kiosk.seat_moves import block_around

    layout = small.catalog.layout_of(small.catalog.showtime("tiny-show"))
    # Row B is "ssss_ssss": B1-B4, a gap, B5-B8. Taken: B7.
    codes = {"B7": "s"}
    assert block_around(layout, codes, "B2", 3, leave_no_single=False) == ["B1", "B2", "B3"]
    assert block_around(layout, codes, "B4", 3, leave_no_single=False) == ["B2", "B3", "B4"]  # the gap ends it
    # The single-seat rule (on by default): three of B1-B4 always strand one; two move to the wall instead.
    assert block_around(layout, codes, "B2", 3) is None
    assert block_around(layout, codes, "B2", 2) == ["B1", "B2"]
    assert block_around(layout, codes, "B6", 2) == ["B5", "B6"]  # B7 is sold
    assert block_around(layout, codes, "B6", 3) is None
    assert block_around(layout, {"C5": "m", "C6": "m"}, "C4", 3) == ["C3", "C4", "C5"]  # my seats count as free
