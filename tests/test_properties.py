"""Property-based: random sequences of hold / release / checkout / cancel / sweep / clock moves by
several users, checked step by step against a small model of the seat lifecycle, and against the
seat/booking/payment invariants and the price arithmetic after every step."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from main import build_services
from services.booking.models import Booking, Guest
from services.booking.payments import CardPayment
from services.clock import FakeClock
from services.container import Services
from services.errors import HoldExpired, NotFound, PaymentDeclined, SeatUnavailable, ShowClosed, TooLateToCancel
from tests.conftest import add_small_showtime
from tests.test_concurrency import check_invariants

USERS = ("ann", "ben")
POOL = ("A1", "A2", "A3", "A5", "B1", "B2", "C3")  # A5 is blocked
CARDS = {"good": CardPayment("4242 4242 4242 4242"), "declined": CardPayment("4000 0000 0000 0002")}
_counter = itertools.count()

hold_step = st.tuples(st.just("hold"), st.sampled_from(USERS), st.lists(st.sampled_from(POOL), min_size=1, max_size=3))
checkout_step = st.tuples(st.just("checkout"), st.sampled_from(USERS), st.sampled_from(["good", "good", "declined"]))
steps = st.lists(st.one_of(
    hold_step, hold_step, checkout_step, checkout_step,
    st.tuples(st.just("release"), st.sampled_from(USERS)),
    st.tuples(st.just("cancel"), st.sampled_from([True, True, False]), st.integers(0, 3)),
    st.tuples(st.just("advance"), st.sampled_from([1, 4, 9, 30, 55])),
    st.tuples(st.just("sweep"),),
), min_size=8, max_size=20)


@dataclass
class Model:
    """What should be true: seat -> ("held", user, hold_id, expires) | ("sold", booking_id)."""

    starts_at: datetime
    seats: dict[str, tuple] = field(default_factory=dict)
    last_hold: dict[str, str] = field(default_factory=dict)  # user -> their latest hold id
    hold_expires: dict[str, datetime] = field(default_factory=dict)  # hold id -> expiry
    hold_state: dict[str, str] = field(default_factory=dict)  # hold id -> active / released / confirmed
    bookings: dict[str, list[Booking]] = field(default_factory=dict)

    def live_hold_of(self, user: str, now: datetime) -> str | None:
        for state in self.seats.values():
            if state[0] == "held" and state[1] == user and state[3] >= now:
                return state[2]
        return None

    def taken_for(self, user: str, seats: list[str], now: datetime) -> list[str]:
        return [s for s in seats if s in self.seats and (self.seats[s][0] == "sold" or (
            self.seats[s][1] != user and self.seats[s][3] >= now))]


class Run:
    def __init__(self, services: Services, clock: FakeClock, showtime_id: str) -> None:
        self.services, self.clock, self.showtime_id = services, clock, showtime_id
        self.model = Model(services.catalog.showtime(showtime_id).starts_at)

    @property
    def now(self) -> datetime:
        return self.clock.now().replace(microsecond=0)

    def hold(self, user: str, seats: list[str]) -> None:
        wanted = list(dict.fromkeys(seats))
        model, now = self.model, self.now
        closed = now >= model.starts_at - timedelta(minutes=10)
        blocked = [s for s in wanted if s == "A5"]
        taken = model.taken_for(user, wanted, now)
        try:
            hold = self.services.inventory.hold(self.showtime_id, seats, user)
        except ShowClosed:
            assert closed
            event("hold: show closed")
            return
        except SeatUnavailable as exc:
            assert not closed and exc.seats == (blocked or taken)
            event("hold: seats unavailable")
            return
        assert not closed and not blocked and not taken
        previous = model.live_hold_of(user, now)
        assert hold.hold_id == previous if previous else hold.hold_id not in model.hold_state
        assert hold.expires_at == (model.hold_expires[previous] if previous else now + timedelta(minutes=8))
        for seat, state in list(model.seats.items()):
            if state[0] == "held" and state[2] == hold.hold_id:
                del model.seats[seat]
        for seat in wanted:
            model.seats[seat] = ("held", user, hold.hold_id, hold.expires_at)
        model.last_hold[user] = hold.hold_id
        model.hold_expires[hold.hold_id] = hold.expires_at
        model.hold_state[hold.hold_id] = "active"
        seat_map = {s.seat_id: s.status for s in self.services.inventory.seat_map(self.showtime_id, user).seats}
        assert all(seat_map[s] == "held_by_you" for s in wanted)

    def release(self, user: str) -> None:
        hold_id = self.model.last_hold.get(user)
        if hold_id is None or self.model.hold_state[hold_id] != "active":
            return
        self.services.inventory.release(hold_id, user)
        self.model.hold_state[hold_id] = "released"
        for seat, state in list(self.model.seats.items()):
            if state[0] == "held" and state[2] == hold_id:
                del self.model.seats[seat]

    def checkout(self, user: str, card: str) -> None:
        model, now = self.model, self.now
        hold_id = model.last_hold.get(user)
        if hold_id is None:
            return
        state = model.hold_state[hold_id]
        try:
            booking = self.services.bookings.checkout(hold_id, Guest(user, f"{user}@example.com"), CARDS[card])
        except HoldExpired:
            assert state == "released" or (state == "active" and model.hold_expires[hold_id] < now)
            event("checkout: hold expired or released")
            return
        except ShowClosed:
            assert state == "active" and now >= model.starts_at - timedelta(minutes=10)
            return
        except PaymentDeclined:
            assert state == "active" and card == "declined"
            return
        if state == "confirmed":
            assert booking in [b for b in model.bookings[user] if b.hold_id == hold_id] or booking.status == "cancelled"
            return
        assert state == "active" and model.hold_expires[hold_id] >= now and card == "good"
        held = sorted(s for s, st_ in model.seats.items() if st_[0] == "held" and st_[2] == hold_id)
        assert sorted(booking.seat_ids) == held
        for seat in held:
            model.seats[seat] = ("sold", booking.booking_id)
        model.hold_state[hold_id] = "confirmed"
        model.bookings.setdefault(user, []).append(booking)
        event("checkout: booked")

    def cancel(self, as_owner: bool, index: int) -> None:
        everyone = [booking for bookings in self.model.bookings.values() for booking in bookings]
        if not everyone:
            return
        booking = everyone[index % len(everyone)]
        user = booking.user_id
        if not as_owner:
            stranger = next(u for u in USERS if u != user)
            with pytest.raises(NotFound):
                self.services.bookings.cancel(booking.booking_id, Guest(stranger))
            return
        late = self.now > booking.starts_at - timedelta(minutes=120)
        current = self.services.bookings.get(booking.booking_id, Guest(user))
        try:
            cancelled = self.services.bookings.cancel(booking.booking_id, Guest(user))
        except TooLateToCancel:
            assert late and current.status == "confirmed"
            event("cancel: too late")
            return
        assert cancelled.status == "cancelled" and (current.status == "cancelled" or not late)
        event("cancel: cancelled")
        if current.status == "confirmed":  # cancelling again changes nothing (the seats may be held anew)
            for seat in booking.seat_ids:
                self.model.seats.pop(seat, None)

    def advance(self, minutes: int) -> None:
        self.clock.advance(minutes=minutes)

    def sweep(self) -> None:
        self.services.inventory.expire_due([self.showtime_id])
        now = self.now
        for seat, state in list(self.model.seats.items()):
            if state[0] == "held" and state[3] < now:
                del self.model.seats[seat]

    def check(self) -> None:
        check_invariants(self.services, [self.showtime_id])
        seat_map = {s.seat_id: s.status for s in self.services.inventory.seat_map(self.showtime_id).seats}
        now = self.now
        for seat in POOL:
            state = self.model.seats.get(seat)
            expected = ("blocked" if seat == "A5" else "available" if state is None
                        else "sold" if state[0] == "sold" else "held" if state[3] >= now else "available")
            assert seat_map[seat] == expected, (seat, seat_map[seat], state)


@settings(max_examples=35, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@example(script=[("hold", "ann", ["A1", "A2"]), ("hold", "ben", ["A2"]), ("checkout", "ann", "good"),
                 ("cancel", False, 0), ("cancel", True, 0), ("hold", "ben", ["A2"]), ("checkout", "ben", "declined"),
                 ("checkout", "ben", "good"), ("checkout", "ben", "good"), ("advance", 55), ("advance", 55),
                 ("cancel", True, 1)], starts_in=180)
@example(script=[("hold", "ann", ["B1"]), ("hold", "ann", ["B2", "B1"]), ("advance", 9), ("hold", "ben", ["B1"]),
                 ("checkout", "ann", "good"), ("sweep",), ("hold", "ann", ["C3"]), ("release", "ann"),
                 ("checkout", "ann", "good"), ("advance", 9), ("hold", "ann", ["B2"])], starts_in=15)
@given(script=steps, starts_in=st.sampled_from([15, 180, 600]))
def test_random_sequences_keep_the_invariants(small: Services, script: list[tuple], starts_in: int) -> None:
    clock = FakeClock(small.clock.now())
    services = build_services(small.settings, small.aws, clock)  # fresh gateway and caches per example
    showtime_id = add_small_showtime(services, f"prop-{next(_counter)}", timedelta(minutes=starts_in))
    run = Run(services, clock, showtime_id)
    for action, *args in script:
        getattr(run, action)(*args)
        run.check()
