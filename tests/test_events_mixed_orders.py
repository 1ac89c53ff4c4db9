"""A mixed order (issue 17): seats picked on the map and standing tickets become ONE hold, paid once; seats and
standing tickets count together toward the per-account cap of held places across shows, even when one account's
requests race (real threads against the moto server)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from services.booking.payments import APPROVE_CARD, CardPayment
from services.container import Services
from services.errors import DomainError, InvalidRequest, LimitReached
from tests.conftest import add_small_showtime, fake_clock
from tests.events_helpers import add_event, add_ga_show, counters
from tests.staff_helpers import customer

CARD = CardPayment(APPROVE_CARD)


@pytest.fixture
def gig(small: Services) -> Services:
    add_event(small)
    add_ga_show(small, "gig-mixed", admission="mixed", capacity=40, limit=4)
    return small


def test_seats_picked_on_the_map_and_standing_tickets_are_one_order(gig: Services) -> None:
    mia = customer(gig, "mia")
    seats = gig.inventory.hold("gig-mixed", ["A1", "A2"], mia.user_id)  # picked on the map, one click each
    seats = gig.inventory.hold("gig-mixed", ["A1", "A2", "A3"], mia.user_id)
    order = gig.events.quotas.hold("gig-mixed", {"standing": 2}, mia.user_id, seat_ids=["A1", "A2", "A3"])
    assert order.hold_id == seats.hold_id and order.expires_at == seats.expires_at  # the countdown goes on
    assert order.quote is not None and len(order.quote.seats) == 5  # 3 seats + 2 standing, priced together
    states = {seat.seat_id: seat.status for seat in gig.inventory.seat_map("gig-mixed", mia.user_id).seats}
    assert [states[s] for s in ("A1", "A2", "A3")] == ["held_by_you"] * 3
    # Changing the seats of a mixed order goes through the order as a whole; the map alone refuses clearly.
    with pytest.raises(InvalidRequest, match="standing tickets"):
        gig.inventory.hold("gig-mixed", ["A4"], mia.user_id)
    order = gig.events.quotas.hold("gig-mixed", {"standing": 2}, mia.user_id, seat_ids=["A1", "A2"])
    assert order.hold_id == seats.hold_id
    # Nor is it kept longer (its standing tickets expire with it): refused, and the order still sells.
    fake_clock(gig).advance(minutes=gig.settings.hold_minutes - 0.5)
    with pytest.raises(InvalidRequest, match="standing tickets"):
        gig.inventory.extend(order.hold_id, mia.user_id)
    booking = gig.bookings.checkout(order.hold_id, mia, CARD)
    assert booking.numbered_seat_ids == ["A1", "A2"]
    assert [seat.category_name for seat in booking.seats if not seat.is_seat] == ["Standing", "Standing"]
    states = {seat.seat_id: seat.status for seat in gig.inventory.seat_map("gig-mixed").seats}
    assert (states["A1"], states["A2"], states["A3"]) == ("sold", "sold", "available")  # A3 went back
    assert counters(gig, "gig-mixed") == (40, 38, 0, 2)
    assert len(gig.bookings.my_bookings(mia.user_id)) == 1


def test_standing_tickets_count_toward_the_cap_of_held_places(gig: Services) -> None:
    assert gig.settings.max_held_seats == 20
    add_small_showtime(gig, "cap-1", timedelta(days=1))
    add_small_showtime(gig, "cap-2", timedelta(days=1))
    ava = customer(gig, "ava")
    gig.inventory.hold("cap-1", ["A1", "A2", "A3", "A4", "A6", "A7", "A8", "B1", "B2", "B3"], ava.user_id)
    gig.inventory.hold("cap-2", ["A1", "A2", "A3", "A4", "A6", "A7", "A8", "B1"], ava.user_id)
    with pytest.raises(LimitReached, match="at most 20"):
        gig.events.quotas.hold("gig-mixed", {"standing": 3}, ava.user_id)
    assert counters(gig, "gig-mixed")[2] == 0  # nothing held by the refusal
    gig.events.quotas.hold("gig-mixed", {"standing": 2}, ava.user_id)
    with pytest.raises(LimitReached):  # the standing tickets now count against a seat hold elsewhere
        gig.inventory.hold("cap-2", ["A1", "A2", "A3", "A4", "A6", "A7", "A8", "B1", "B2"], ava.user_id)


def test_racing_holds_of_one_account_never_pass_the_cap(small: Services) -> None:
    add_event(small)
    shows = [add_ga_show(small, f"gig-{n}", capacity=40, limit=4) for n in range(6)]
    add_small_showtime(small, "cap-1", timedelta(days=1))
    add_small_showtime(small, "cap-2", timedelta(days=1))
    zed = customer(small, "zed")
    small.inventory.hold("cap-1", ["A1", "A2", "A3", "A4", "A6", "A7", "A8", "B1", "B2", "B3"], zed.user_id)
    small.inventory.hold("cap-2", ["A1", "A2"], zed.user_id)  # 12 of 20 held: room for two orders of 4

    def attempt(showtime_id: str) -> str:
        try:
            small.events.quotas.hold(showtime_id, {"standing": 4}, zed.user_id)
            return "held"
        except DomainError as exc:
            return exc.code

    with ThreadPoolExecutor(max_workers=len(shows)) as pool:
        outcomes = list(pool.map(attempt, shows))
    held = sum(counters(small, show)[2] for show in shows)
    assert held <= 8 and held == 4 * outcomes.count("held"), outcomes
    assert set(outcomes) <= {"held", "limit_reached"}, outcomes  # refusals are 409s, never a 503
