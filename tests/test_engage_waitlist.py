"""Waiting lists for sold-out shows (issue 15), over moto: who may join, offers in join order to the first
whose count fits, one offer (and one email) each even with cancellations and several sweepers racing,
unclaimed offers passing on, a claimed offer ending in a booking."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from boto3.dynamodb.conditions import Attr

from services.accounts.users import User
from services.booking.models import Booking, SeatState
from services.booking.payments import APPROVE_CARD, CardPayment
from services.container import Services
from services.engage.errors import AlreadyExists
from services.engage.waitlist import WaitingList
from services.errors import InvalidRequest, NotFound, SeatUnavailable
from services.platform.schema import OUTBOX
from tests.conftest import fake_clock
from tests.faults import Faults
from tests.staff_helpers import customer

SHOW = "tiny-show"


def sell_out(services: Services) -> list[Booking]:
    """Every free seat of the show sold, two per booking (so one cancellation frees two)."""
    crowd = customer(services, "crowd")
    free = [s for s in services.inventory.seat_map(SHOW).seats if s.status == SeatState.AVAILABLE]
    # Two seats a booking, but a companion seat always in the same booking as the wheelchair space beside it.
    groups: list[list[str]] = []
    for seat in free:
        joins = seat.kind == "companion" and groups and groups[-1] and len(groups[-1]) < 3
        if groups and (len(groups[-1]) < 2 or joins):
            groups[-1].append(seat.seat_id)
        else:
            groups.append([seat.seat_id])
    bookings = []
    for group in groups:
        hold = services.inventory.hold(SHOW, group, crowd.user_id)
        bookings.append(services.bookings.checkout(hold.hold_id, crowd, CardPayment(APPROVE_CARD)))
    return bookings


def join_in_order(services: Services, wants: dict[str, int]) -> dict[str, User]:
    users = {}
    for name, seats in wants.items():
        users[name] = customer(services, name)
        services.engage.waitlist.join(users[name], SHOW, seats)
        fake_clock(services).advance(seconds=1)  # join order = time order
    return users


def offer_emails(services: Services) -> list[str]:
    items = services.aws.table(OUTBOX).scan(FilterExpression=Attr("kind").eq("waitlist_offer"))["Items"]
    return sorted(str(item["email"]) for item in items)


def test_joining_only_when_sold_out_once_and_leaving(small: Services) -> None:
    waitlist = small.engage.waitlist
    ann = customer(small, "ann")
    with pytest.raises(InvalidRequest, match="enough free seats"):
        waitlist.join(ann, SHOW, 2)
    sell_out(small)
    for bad in (0, 11, True):
        with pytest.raises(InvalidRequest):
            waitlist.join(ann, SHOW, bad)
    entry = waitlist.join(ann, SHOW, 2)
    assert (entry.status, entry.seats, entry.position) == ("waiting", 2, 1)
    with pytest.raises(AlreadyExists):
        waitlist.join(ann, SHOW, 1)
    assert SHOW in waitlist.open_shows()
    waitlist.leave(ann, SHOW)
    assert waitlist.mine(ann, SHOW) is None
    with pytest.raises(NotFound):
        waitlist.leave(ann, SHOW)
    assert waitlist.join(ann, SHOW, 1).position == 1  # a place again, at the back


def test_racing_cancellations_and_sweepers_offer_in_line_once_each(small: Services) -> None:
    bookings = sell_out(small)
    users = join_in_order(small, {"ann": 2, "bob": 1, "cat": 2})
    crowd = small.users.get("crowd@example.com")
    # Four sweepers (as four app processes would run) and two cancellations, all at once.
    sweepers = [WaitingList(small.aws, small.clock, small.settings, small.catalog, small.inventory) for _ in range(4)]
    start = threading.Barrier(6)

    def cancel(booking: Booking) -> None:
        start.wait()
        small.bookings.cancel(booking.booking_id, crowd)

    def sweep(sweeper: WaitingList) -> None:
        start.wait()
        for _ in range(5):
            sweeper.sweep()

    with ThreadPoolExecutor(max_workers=6) as pool:
        futures = [pool.submit(cancel, b) for b in bookings[:2]] + [pool.submit(sweep, s) for s in sweepers]
        for future in futures:
            future.result()
    small.engage.waitlist.sweep()  # whatever the interleaving, one more round settles it
    ann, bob, cat = (small.engage.waitlist.mine(users[name], SHOW) for name in ("ann", "bob", "cat"))
    assert ann is not None and bob is not None and cat is not None
    # Four seats came free: ann (2) first, then bob (1) fits; cat (2) does not fit the one left.
    assert (ann.status, bob.status, cat.status) == ("offered", "offered", "waiting")
    assert offer_emails(small) == ["ann@example.com", "bob@example.com"]  # one email each, no more
    holds = [small.inventory.get_hold(entry.hold_id, entry.user_id) for entry in (ann, bob)]
    assert [len(hold.seat_ids) for hold in holds] == [2, 1]
    assert not set(holds[0].seat_ids) & set(holds[1].seat_ids)
    assert cat.position == 1


def test_a_round_that_read_the_line_just_before_a_cancellation_keeps_the_seats_it_handed_over(
        small: Services) -> None:
    """The race the test above can hit: a sweeper reads the line (bob waiting), a cancellation then hands bob
    a seat in its transaction, and the sweeper, still seeing bob waiting and one seat free, offers again. It
    must not change bob's hold (it used to move his seats and then release the hold, losing his offer)."""
    bookings = sell_out(small)
    users = join_in_order(small, {"bob": 1})
    crowd = small.users.get("crowd@example.com")
    assert crowd is not None
    faults = Faults(small)
    # The round has read who waits; just before it counts the free seats, the cancellation commits.
    faults.on("Query", lambda: small.bookings.cancel(bookings[0].booking_id, crowd),
              when=lambda params: str(params.get("TableName", "")).endswith("Seats"))
    small.engage.waitlist.offer_round(SHOW)
    faults.clear()
    small.engage.waitlist.sweep()
    bob = small.engage.waitlist.mine(users["bob"], SHOW)
    assert bob is not None and bob.status == "offered"
    hold = small.inventory.get_hold(bob.hold_id, bob.user_id)
    assert hold.is_live(small.clock.now()) and len(hold.seat_ids) == 1
    assert set(hold.seat_ids) <= set(bookings[0].seat_ids)  # the seat the cancellation handed over
    assert offer_emails(small) == ["bob@example.com"]


def test_an_unclaimed_offer_passes_on_and_a_claimed_one_is_a_booking(small: Services) -> None:
    sell_out(small)
    users = join_in_order(small, {"ann": 2, "bob": 2})
    crowd = small.users.get("crowd@example.com")
    first = small.bookings.my_bookings(crowd.user_id)[-1]
    small.bookings.cancel(first.booking_id, crowd)
    ann = small.engage.waitlist.mine(users["ann"], SHOW)
    assert ann is not None and ann.status == "offered"  # at the moment of the cancellation, not at a sweep
    assert small.engage.waitlist.sweep() == 0
    fake_clock(small).advance(minutes=small.settings.hold_minutes + 1)  # ann never claims
    assert small.engage.waitlist.sweep() == 1
    assert small.engage.waitlist.mine(users["ann"], SHOW) is None  # her turn is over
    bob = small.engage.waitlist.mine(users["bob"], SHOW)
    assert bob is not None and bob.status == "offered"
    booking = small.bookings.checkout(bob.hold_id, users["bob"], CardPayment(APPROVE_CARD))  # the claim link
    assert booking.status == "confirmed" and len(booking.seats) == 2
    small.engage.waitlist.sweep()
    assert small.engage.waitlist.mine(users["bob"], SHOW) is None
    assert SHOW not in small.engage.waitlist.open_shows()  # nobody waits: the list closes
    assert offer_emails(small) == ["ann@example.com", "bob@example.com"]


def test_racing_cancellations_hand_their_seats_to_the_line_in_order_once_each(small: Services) -> None:
    bookings = sell_out(small)
    users = join_in_order(small, {"ann": 2, "bob": 2, "cat": 2})
    crowd = small.users.get("crowd@example.com")
    start = threading.Barrier(2)

    def cancel(booking: Booking) -> None:
        start.wait()
        small.bookings.cancel(booking.booking_id, crowd)

    with ThreadPoolExecutor(max_workers=2) as pool:
        for future in [pool.submit(cancel, b) for b in bookings[:2]]:
            future.result()
    # No sweep ran: the two cancellations themselves offered their seats, to the first two in line.
    ann, bob, cat = (small.engage.waitlist.mine(users[name], SHOW) for name in ("ann", "bob", "cat"))
    assert ann is not None and bob is not None and cat is not None
    assert (ann.status, bob.status, cat.status) == ("offered", "offered", "waiting")
    assert offer_emails(small) == ["ann@example.com", "bob@example.com"]
    held = {entry.user_id: set(small.inventory.get_hold(entry.hold_id, entry.user_id).seat_ids) for entry in (ann, bob)}
    freed = {seat for booking in bookings[:2] for seat in booking.seat_ids}
    assert held[ann.user_id] | held[bob.user_id] == freed and not held[ann.user_id] & held[bob.user_id]
    assert all(b.status == "cancelled" for b in (small.bookings.get(x.booking_id, crowd) for x in bookings[:2]))


def test_a_seat_map_customer_cannot_take_seats_freed_for_the_line(small: Services) -> None:
    bookings = sell_out(small)
    users = join_in_order(small, {"ann": 2})
    crowd = small.users.get("crowd@example.com")
    eve = customer(small, "eve")  # watching the seat map, ready to click
    small.bookings.cancel(bookings[0].booking_id, crowd)
    freed = list(bookings[0].seat_ids)
    states = {seat.seat_id: seat.status for seat in small.inventory.seat_map(SHOW, eve.user_id).seats}
    assert all(states[seat] == SeatState.HELD for seat in freed)  # never shown free to eve
    with pytest.raises(SeatUnavailable):
        small.inventory.hold(SHOW, freed, eve.user_id)
    ann = small.engage.waitlist.mine(users["ann"], SHOW)
    assert ann is not None and ann.status == "offered"
    assert set(small.inventory.get_hold(ann.hold_id, ann.user_id).seat_ids) == set(freed)
    booking = small.bookings.checkout(ann.hold_id, users["ann"], CardPayment(APPROVE_CARD))  # the claim link
    assert sorted(booking.seat_ids) == sorted(freed)


def test_kiosk_and_web_share_the_line_a_released_kiosk_sale_goes_to_the_web_customer(small: Services) -> None:
    """The kiosk sells the show's last seats; the show is sold out on the web, where ann joins the list; the
    kiosk sale is cancelled at the desk (staff release): ann gets the seats and the email, the kiosk cannot
    sell them meanwhile, and ann's claim link books them."""
    admin = small.users.register("Boss", "boss@example.com", "password123", role="admin")
    kiosk = small.kiosks.create(admin, "tiny-theater", "Lobby").kiosk
    visit = small.kiosk_sales.new_checkout(kiosk)
    kiosk_hold = small.inventory.hold(SHOW, ["B2", "B3"], visit)
    walk_in = small.kiosk_sales.sell(kiosk, kiosk_hold.hold_id, visit, CardPayment(APPROVE_CARD))
    sell_out(small)
    users = join_in_order(small, {"ann": 2})
    small.bookings.cancel_by_staff(walk_in.booking_id, [], full_refund=True)
    ann = small.engage.waitlist.mine(users["ann"], SHOW)
    assert ann is not None and ann.status == "offered"
    assert offer_emails(small) == ["ann@example.com"]
    next_visit = small.kiosk_sales.new_checkout(kiosk)  # the next walk-up customer at the kiosk
    states = {s.seat_id: s.status for s in small.inventory.seat_map(SHOW, next_visit).seats}
    assert states["B2"] == states["B3"] == SeatState.HELD
    with pytest.raises(SeatUnavailable):
        small.inventory.hold(SHOW, ["B2", "B3"], next_visit)
    booking = small.bookings.checkout(ann.hold_id, users["ann"], CardPayment(APPROVE_CARD))
    assert sorted(booking.seat_ids) == ["B2", "B3"] and booking.user_id == users["ann"].user_id


def test_leaving_the_show_page_keeps_an_offer_but_gives_back_other_holds(small: Services) -> None:
    """The show page gives a customer's seats back when they leave it; their waiting-list offer (which the page
    shows as theirs) stays for the claim link, and any other hold still goes back on sale."""
    bookings = sell_out(small)
    users = join_in_order(small, {"ann": 2})
    crowd = small.users.get("crowd@example.com")
    small.bookings.cancel(bookings[0].booking_id, crowd)
    ann = small.engage.waitlist.mine(users["ann"], SHOW)
    assert ann is not None and ann.status == "offered"
    assert small.engage.waitlist.release_on_leave(ann.hold_id, ann.user_id, SHOW) is False
    assert small.inventory.get_hold(ann.hold_id, ann.user_id).is_live(small.clock.now())
    states = {s.seat_id: s.status for s in small.inventory.seat_map(SHOW, ann.user_id).seats}
    assert {states[seat] for seat in bookings[0].seat_ids} == {SeatState.HELD_BY_YOU}
    booking = small.bookings.checkout(ann.hold_id, users["ann"], CardPayment(APPROVE_CARD))  # the claim link
    assert sorted(booking.seat_ids) == sorted(bookings[0].seat_ids)

    small.bookings.cancel(bookings[1].booking_id, crowd)  # nobody waits now: the seats are free
    eve = customer(small, "eve")
    hold = small.inventory.hold(SHOW, list(bookings[1].seat_ids), eve.user_id)
    assert small.engage.waitlist.release_on_leave(hold.hold_id, eve.user_id, SHOW) is True
    states = {s.seat_id: s.status for s in small.inventory.seat_map(SHOW).seats}
    assert {states[seat] for seat in bookings[1].seat_ids} == {SeatState.AVAILABLE}


def test_a_cancelled_show_offers_nothing_to_its_line(small: Services) -> None:
    sell_out(small)
    users = join_in_order(small, {"ann": 2})
    admin = small.users.register("Boss", "boss@example.com", "password123", role="admin")
    assert small.staff.cancellation.cancel(admin, SHOW).bookings_refunded > 0
    ann = small.engage.waitlist.mine(users["ann"], SHOW)
    assert ann is not None and ann.status == "waiting" and offer_emails(small) == []
