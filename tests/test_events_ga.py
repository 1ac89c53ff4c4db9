"""General admission (events, issue 17) over moto: holds and sales take from a counter with a conditional write,
never oversold even by 50 racing buyers; expiry, release and cancellation give tickets back; a mixed order is
atomic; an event's ticket checks in once."""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from services.booking.models import Guest
from services.booking.payments import APPROVE_CARD, CardPayment
from services.booking.tickets import InvalidTicket
from services.container import Services
from services.errors import (
    DomainError,
    HoldExpired,
    InvalidRequest,
    OverLimit,
    SeatUnavailable,
    ShowClosed,
    SoldOut,
)
from services.events.models import Availability, TicketType
from services.platform.schema import REPORTS
from services.staff.checkins import AlreadyAdmitted, ScanEachTicket
from tests.conftest import fake_clock
from tests.events_helpers import add_event, add_ga_show, counters
from tests.staff_helpers import customer, staff

CARD = CardPayment(APPROVE_CARD)


@pytest.fixture
def gig(small: Services) -> Services:
    add_event(small)
    add_ga_show(small, "gig-ga", capacity=30, limit=4)
    return small


def test_fifty_racing_buyers_never_oversell_and_every_sale_has_a_booking(gig: Services) -> None:
    rng = random.Random(17)
    wants = [rng.randint(1, 3) for _ in range(50)]

    def buy(index: int) -> str:
        buyer = Guest(f"buyer-{index}", f"buyer{index}@example.com")
        try:
            hold = gig.events.quotas.hold("gig-ga", {"standing": wants[index]}, buyer.user_id)
            gig.bookings.checkout(hold.hold_id, buyer, CARD)
            return "bought"
        except SoldOut:
            return "sold_out"

    with ThreadPoolExecutor(max_workers=16) as pool:
        outcomes = list(pool.map(buy, range(50)))
    capacity, free, held, sold = counters(gig, "gig-ga")
    bookings = [b for b in gig.bookings.for_showtime("gig-ga") if b.status == "confirmed"]
    assert sold <= capacity == 30
    assert free + held + sold == capacity and held == 0
    assert sold == sum(len(b.seats) for b in bookings)  # every sold ticket is in exactly one booking
    assert outcomes.count("bought") == len(bookings)
    assert sum(wants) > capacity and free < min(wants[i] for i, o in enumerate(outcomes) if o == "sold_out")
    numbers = [seat.seat_id for b in bookings for seat in b.seats]
    assert len(numbers) == len(set(numbers))  # ticket numbers are unique
    assert all(not seat.is_seat and seat.category_name == "Standing" for b in bookings for seat in b.seats)


def test_sold_out_over_limit_and_unknown_types_are_refused_and_change_nothing(gig: Services) -> None:
    quotas = gig.events.quotas
    quotas.hold("gig-ga", {"standing": 4}, "a")
    with pytest.raises(OverLimit) as over:
        quotas.hold("gig-ga", {"standing": 5}, "b")
    assert over.value.message == "You can buy at most 4 Standing tickets in one order."
    with pytest.raises(InvalidRequest):
        quotas.hold("gig-ga", {"balcony": 1}, "b")
    with pytest.raises(InvalidRequest):
        quotas.hold("gig-ga", {}, "b")
    for index in range(6):
        quotas.hold("gig-ga", {"standing": 4}, f"c{index}")
    assert counters(gig, "gig-ga") == (30, 2, 28, 0)
    with pytest.raises(SoldOut) as short:
        quotas.hold("gig-ga", {"standing": 3}, "d")
    assert short.value.message == "Only 2 Standing tickets are left."
    quotas.hold("gig-ga", {"standing": 2}, "d")
    with pytest.raises(SoldOut) as gone:
        quotas.hold("gig-ga", {"standing": 1}, "e")
    assert gone.value.message == "Standing is sold out."
    assert counters(gig, "gig-ga") == (30, 0, 30, 0)
    assert quotas.ticket_types("gig-ga")[0].availability(gig.clock.now()) == Availability.SOLD_OUT


def test_expired_holds_give_their_tickets_back_and_cannot_be_paid(gig: Services) -> None:
    quotas = gig.events.quotas
    late = Guest("late", "late@example.com")
    first = quotas.hold("gig-ga", {"standing": 4}, late.user_id)
    for index in range(6):
        quotas.hold("gig-ga", {"standing": 4}, f"x{index}")
    assert counters(gig, "gig-ga")[1] == 2
    fake_clock(gig).advance(minutes=gig.settings.hold_minutes + 1)
    with pytest.raises(HoldExpired):
        gig.bookings.checkout(first.hold_id, late, CARD)
    # A hold that finds too few sweeps the expired ones first: the 28 held tickets are free again.
    quotas.hold("gig-ga", {"standing": 4}, "fresh")
    assert counters(gig, "gig-ga") == (30, 26, 4, 0)
    assert quotas.expire_due(["gig-ga"]) == 0  # nothing expired is left


def test_the_periodic_sweep_frees_expired_holds(gig: Services) -> None:
    gig.events.quotas.hold("gig-ga", {"standing": 3}, "someone")
    fake_clock(gig).advance(minutes=gig.settings.hold_minutes + 1)
    assert gig.events.quotas.expire_upcoming() == 3
    assert counters(gig, "gig-ga") == (30, 30, 0, 0)


def test_release_and_cancellation_give_tickets_back(gig: Services) -> None:
    quotas = gig.events.quotas
    buyer = customer(gig, "gina")
    hold = quotas.hold("gig-ga", {"standing": 2}, buyer.user_id)
    assert quotas.release(hold.hold_id, buyer.user_id) == 2
    assert quotas.release(hold.hold_id, buyer.user_id) == 0  # idempotent
    assert counters(gig, "gig-ga") == (30, 30, 0, 0)
    hold = quotas.hold("gig-ga", {"standing": 3}, buyer.user_id)
    booking = gig.bookings.checkout(hold.hold_id, buyer, CARD)
    assert counters(gig, "gig-ga") == (30, 27, 0, 3)
    assert booking.screen_name == "General admission" and booking.movie_title == "Tiny Gig"
    assert [seat.seat_id for seat in booking.seats] == [f"{booking.reference}-{n}" for n in (1, 2, 3)]
    assert booking.price.subtotal == 3 * 50000
    again = gig.bookings.checkout(hold.hold_id, buyer, CARD)  # a double submit finds the same booking
    assert again.booking_id == booking.booking_id and counters(gig, "gig-ga")[3] == 3
    email = gig.messages.compose("booking_confirmed", booking.to_item()).body
    assert "Venue" in email and "Entry" in email and f"{booking.reference}-3 (Standing)" in email
    cancelled = gig.bookings.cancel(booking.booking_id, buyer)
    assert cancelled.status == "cancelled" and counters(gig, "gig-ga") == (30, 30, 0, 0)


def test_holding_again_replaces_the_holders_hold_and_keeps_its_countdown(gig: Services) -> None:
    quotas = gig.events.quotas
    first = quotas.hold("gig-ga", {"standing": 4}, "rita")
    fake_clock(gig).advance(minutes=2)
    second = quotas.hold("gig-ga", {"standing": 1}, "rita")
    assert second.hold_id == first.hold_id and second.expires_at == first.expires_at
    assert counters(gig, "gig-ga") == (30, 29, 1, 0)  # the 3 tickets dropped went back
    rita = Guest("rita", "rita@example.com")
    booking = gig.bookings.checkout(second.hold_id, rita, CARD)
    assert len(booking.seats) == 1 and counters(gig, "gig-ga") == (30, 29, 0, 1)
    third = quotas.hold("gig-ga", {"standing": 2}, "rita")  # after a sale: a new hold
    assert third.hold_id != first.hold_id and counters(gig, "gig-ga") == (30, 27, 2, 1)


def test_sales_windows_and_early_bird_prices(small: Services) -> None:
    add_event(small)
    now = small.clock.now()
    add_ga_show(small, "gig-windows", types=(
        TicketType("early", "Early bird", 10, 80000, 4, early_price=60000, early_until=now + timedelta(days=1)),
        TicketType("later", "Late release", 10, 90000, 4, on_sale_at=now + timedelta(hours=5)),
    ))
    quotas = small.events.quotas
    hold = quotas.hold("gig-windows", {"early": 2}, "early-buyer")
    assert [(line.type_id, line.price) for line in hold.tickets] == [("early", 60000)]
    with pytest.raises(ShowClosed):
        quotas.hold("gig-windows", {"later": 1}, "eager")
    assert counters(small, "gig-windows", "later") == (10, 10, 0, 0)
    fake_clock(small).advance(days=1, minutes=1)
    hold = quotas.hold("gig-windows", {"early": 1, "later": 1}, "second")
    assert [(line.type_id, line.price) for line in hold.tickets] == [("early", 80000), ("later", 90000)]


def test_a_mixed_order_is_atomic(small: Services) -> None:
    add_event(small)
    add_ga_show(small, "gig-mixed", admission="mixed", capacity=5, limit=5)
    quotas = small.events.quotas
    small.inventory.hold("gig-mixed", ["C4"], "someone-else")
    # A taken seat: no standing ticket is taken either.
    with pytest.raises(SeatUnavailable):
        quotas.hold("gig-mixed", {"standing": 2}, "mia", seat_ids=["B1", "C4"])
    assert counters(small, "gig-mixed") == (5, 5, 0, 0)
    assert small.inventory.seat_map("gig-mixed").counts().get("held") == 1  # only someone else's C4
    # Too few standing tickets: no seat is taken either.
    quotas.hold("gig-mixed", {"standing": 4}, "crowd")
    with pytest.raises(SoldOut):
        quotas.hold("gig-mixed", {"standing": 2}, "mia", seat_ids=["B1", "B2"])
    states = {seat.seat_id: seat.status for seat in small.inventory.seat_map("gig-mixed").seats}
    assert states["B1"] == "available" and states["B2"] == "available"
    # Both at once: one booking with seats and standing tickets, sold together.
    mia = customer(small, "mia")
    hold = quotas.hold("gig-mixed", {"standing": 1}, mia.user_id, seat_ids=["B1", "B2"])
    booking = small.bookings.checkout(hold.hold_id, mia, CARD)
    assert booking.numbered_seat_ids == ["B1", "B2"] and len(booking.seats) == 3
    states = {seat.seat_id: seat.status for seat in small.inventory.seat_map("gig-mixed").seats}
    assert states["B1"] == "sold" and states["B2"] == "sold"
    assert counters(small, "gig-mixed")[3] == 1
    small.bookings.cancel(booking.booking_id, mia)
    states = {seat.seat_id: seat.status for seat in small.inventory.seat_map("gig-mixed").seats}
    assert states["B1"] == "available" and counters(small, "gig-mixed")[3] == 0


def test_each_general_admission_ticket_checks_in_once(small: Services) -> None:
    add_event(small)
    add_ga_show(small, "gig-tonight", starts_in=timedelta(hours=3))
    buyer = customer(small, "tess")
    hold = small.events.quotas.hold("gig-tonight", {"standing": 3}, buyer.user_id)
    booking = small.bookings.checkout(hold.hold_id, buyer, CARD)
    usher = staff(small, "ursula", "usher", ["tiny-theater"]).user
    codes = small.tickets.codes(booking)
    assert [code.ticket for code in codes] == [1, 2, 3] and len({code.token for code in codes}) == 3
    assert codes[1].label == "Ticket 2 of 3 · Standing"
    # The booking's own code admits nobody: each ticket is scanned on its own.
    with pytest.raises(ScanEachTicket):
        small.staff.checkins.admit(usher, small.tickets.token_for(booking))
    second = small.staff.checkins.admit(usher, codes[1].token)
    assert (second.ticket, second.tickets, second.people) == (2, 3, 1)
    with pytest.raises(AlreadyAdmitted) as again:
        small.staff.checkins.admit(usher, codes[1].token)
    assert again.value.message.startswith("Ticket 2 was already admitted at ") and "Ursula" in again.value.message
    small.staff.checkins.admit(usher, codes[0].token)  # another ticket of the same booking still admits
    # A forged ticket number is not a ticket.
    with pytest.raises(InvalidTicket):
        small.tickets.verify_ticket(codes[0].token.replace(":1.", ":9.", 1))
    # Reports count people admitted: one per ticket scanned.
    day = booking.local_start().date().isoformat()
    show = small.aws.table(REPORTS).get_item(Key={"scope": "show#tiny-theater", "key": f"{day}#gig-tonight"})["Item"]
    assert show["cat_standing"] == 3 and show["admitted"] == 2 and show["movie_title"] == "Tiny Gig"
    stored = small.bookings.ticket(booking.booking_id, buyer)
    assert stored.extra["tickets_admitted"] == 2


def test_two_doors_scanning_one_ticket_admit_it_once(small: Services) -> None:
    add_event(small)
    add_ga_show(small, "gig-doors", starts_in=timedelta(hours=3))
    buyer = customer(small, "dora")
    hold = small.events.quotas.hold("gig-doors", {"standing": 2}, buyer.user_id)
    booking = small.bookings.checkout(hold.hold_id, buyer, CARD)
    usher = staff(small, "uma", "usher", ["tiny-theater"]).user
    token = small.tickets.codes(booking)[0].token

    def scan(_: int) -> str:
        try:
            small.staff.checkins.admit(usher, token)
            return "admitted"
        except AlreadyAdmitted:
            return "already"

    with ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = list(pool.map(scan, range(6)))
    assert outcomes.count("admitted") == 1 and outcomes.count("already") == 5


def test_a_mixed_booking_admits_its_seats_by_one_code_and_each_standing_ticket_by_its_own(small: Services) -> None:
    add_event(small)
    add_ga_show(small, "gig-mixed-tonight", admission="mixed", starts_in=timedelta(hours=3))
    mia = customer(small, "mira")
    hold = small.events.quotas.hold("gig-mixed-tonight", {"standing": 2}, mia.user_id, seat_ids=["C1", "C2"])
    booking = small.bookings.checkout(hold.hold_id, mia, CARD)
    usher = staff(small, "ulla", "usher", ["tiny-theater"]).user
    codes = small.tickets.codes(booking)
    assert [code.ticket for code in codes] == [None, 1, 2] and codes[0].label == "C1, C2"
    seats = small.staff.checkins.admit(usher, codes[0].token)
    assert seats.people == 2 and seats.ticket is None
    with pytest.raises(AlreadyAdmitted):
        small.staff.checkins.admit(usher, codes[0].token)
    assert small.staff.checkins.admit(usher, codes[2].token).ticket == 2


def test_a_seated_only_show_refuses_ticket_types(small: Services) -> None:
    with pytest.raises(DomainError):
        small.events.quotas.hold("tiny-show", {"standing": 1}, "someone")
