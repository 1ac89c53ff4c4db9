"""Fair seat rules (services/booking/seat_rules.py) through the inventory every channel holds with: no single
empty seat left on its own, companion seats only with their wheelchair space, best seats and the kiosk's
moves never proposing a block the rule refuses. The properties check with their own reading of a row
pattern (a seat is lonely when neither neighbour in its row is a free ordinary seat), not the rule's code."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from main import build_services
from services.booking.best_seats import best_block
from services.booking.seat_rules import lone_seats_left
from services.catalog.layouts import Layout, parse_layout
from services.container import Services
from services.errors import LimitReached, SeatRuleBroken, SeatUnavailable
from services.kiosk.seat_moves import block_around
from services.settings import Settings
from tests.conftest import add_small_showtime

_ids = itertools.count()


def one_row(pattern: str) -> Layout:
    return parse_layout({"layout_id": "p", "name": "P", "categories": [{"code": "a", "name": "A"}],
                         "rows": [{"label": "A", "category": "a", "seats": pattern}]})


def lonely_seats(pattern: str, taken: set[str]) -> set[str]:
    """Independent reading: the pattern's places left to right (``_`` a gap), numbered as the layout does;
    a free ordinary seat is lonely when neither neighbouring place is a free ordinary seat."""
    places: list[str | None] = []  # seat id of a free ordinary seat, else None
    number = 0
    for char in pattern:
        if char == "_":
            places.append(None)
            continue
        number += 1
        seat_id = f"A{number}"
        places.append(seat_id if char == "s" and seat_id not in taken else None)
    padded = [None, *places, None]
    return {seat for i, seat in enumerate(padded) if seat and not padded[i - 1] and not padded[i + 1]}


patterns = st.text(alphabet="sssssss_xwc", min_size=3, max_size=14)


@settings(max_examples=300, deadline=None)
@given(pattern=patterns, holds=st.lists(st.lists(st.integers(1, 14), min_size=1, max_size=4), max_size=8))
def test_no_accepted_hold_ever_leaves_a_single_gap(pattern: str, holds: list[list[int]]) -> None:
    """Customers hold random seats one after another; whatever the rule accepts, the row never gains a
    lonely seat: the only lonely seats are the ones the hall was built with."""
    layout = one_row(pattern)
    bookable = {seat.seat_id for seat in layout.seats if not seat.blocked}
    built_lonely = lonely_seats(pattern, set())
    taken: set[str] = set()
    for numbers in holds:
        wanted = {f"A{n}" for n in numbers} & bookable - taken
        if not wanted:
            continue
        if lone_seats_left(layout, taken, taken | wanted, wanted):
            continue  # refused: nothing changes
        taken |= wanted
        assert lonely_seats(pattern, taken) <= built_lonely, (pattern, sorted(taken))


@settings(max_examples=300, deadline=None)
@given(pattern=patterns, taken_numbers=st.sets(st.integers(1, 14), max_size=8), count=st.integers(1, 4),
       tap=st.integers(1, 14))
def test_best_seats_and_kiosk_moves_never_propose_a_block_the_rule_refuses(
        pattern: str, taken_numbers: set[int], count: int, tap: int) -> None:
    layout = one_row(pattern)
    taken = {f"A{n}" for n in taken_numbers}
    codes = {seat_id: "s" for seat_id in taken}
    for block in (best_block(layout, codes, count), block_around(layout, codes, f"A{tap}", count)):
        if block is None:
            continue
        assert not set(block) & taken
        assert lone_seats_left(layout, taken, taken | set(block), block) == []
        assert lonely_seats(pattern, taken | set(block)) <= lonely_seats(pattern, taken)


# Through the inventory (moto), on the tiny hall: row A "ssssxsss" (A5 blocked), B "ssss_ssss",
# C "wcssssss" (C1 wheelchair space, C2 its companion seat).
def test_a_hold_that_strands_a_seat_is_refused_naming_it_and_changes_nothing(fair: Services) -> None:
    with pytest.raises(SeatRuleBroken) as refused:
        fair.inventory.hold("tiny-show", ["B2"], "ann")  # B1 against the wall
    assert refused.value.seats == ["B1"] and "B1" in refused.value.message and refused.value.code == "seat_rule"
    with pytest.raises(SeatRuleBroken) as between:
        fair.inventory.hold("tiny-show", ["A1", "A3"], "ann")  # A2 between the two (and A4 by the blocked A5)
    assert between.value.seats == ["A2", "A4"]
    assert {seat.status for seat in fair.inventory.seat_map("tiny-show").seats} == {"available", "blocked"}
    assert fair.inventory.hold("tiny-show", ["B1", "B2"], "ann").seat_ids == ("B1", "B2")
    with pytest.raises(SeatRuleBroken):  # un-picking B1 would leave it alone beside B2
        fair.inventory.hold("tiny-show", ["B2"], "ann")
    with pytest.raises(SeatRuleBroken) as by_the_gap:
        fair.inventory.hold("tiny-show", ["B3"], "ben")
    assert by_the_gap.value.seats == ["B4"]
    assert fair.inventory.hold("tiny-show", ["B3", "B4"], "ben").seat_ids == ("B3", "B4")


def with_rule(services: Services, on: bool) -> Services:
    """The same tables and clock, with the single-seat rule's setting on or off."""
    return build_services(services.settings.model_copy(update={"single_seat_rule": on}), services.aws,
                          services.clock)


@pytest.fixture
def fair(small: Services) -> Services:
    """The tiny hall's services as the product runs them: the single-seat rule on (its default)."""
    return with_rule(small, True)


def without_rule(services: Services) -> Services:
    return with_rule(services, False)


def test_the_rule_is_on_unless_the_setting_turns_it_off(fair: Services) -> None:
    assert Settings.model_fields["single_seat_rule"].default is True
    with pytest.raises(SeatRuleBroken):
        fair.inventory.hold("tiny-show", ["B2", "B3"], "ann")
    assert without_rule(fair).inventory.hold("tiny-show", ["B2", "B3"], "ann").seat_ids == ("B2", "B3")


def test_a_seat_already_on_its_own_is_not_the_next_holds_fault(fair: Services) -> None:
    without_rule(fair).inventory.hold("tiny-show", ["B1", "B3"], "ann")  # B2 alone (e.g. before the rule)
    assert fair.inventory.hold("tiny-show", ["B1", "B3", "B4"], "ann").seat_ids == ("B1", "B3", "B4")
    with pytest.raises(SeatRuleBroken):  # but a new one is still refused
        fair.inventory.hold("tiny-show", ["B6", "B7"], "ben")


def test_a_companion_seat_goes_with_its_wheelchair_space(fair: Services) -> None:
    with pytest.raises(SeatRuleBroken) as refused:
        fair.inventory.hold("tiny-show", ["C2", "C3"], "ann")
    assert refused.value.seats == ["C2"] and "C1" in refused.value.message
    assert fair.inventory.hold("tiny-show", ["C1", "C2"], "ann").seat_ids == ("C1", "C2")
    assert fair.inventory.hold("tiny-show", ["C1"], "ann").seat_ids == ("C1",)  # a wheelchair space alone: fine


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.sampled_from(["ann", "ben", "cat"]),
                                st.lists(st.sampled_from([f"B{n}" for n in range(1, 9)]), min_size=1, max_size=3)),
                      min_size=1, max_size=6))
def test_random_holds_through_the_inventory_never_strand_a_seat(fair: Services,
                                                                steps: list[tuple[str, list[str]]]) -> None:
    """Random holds and re-holds (replacing a customer's seats) of row B "ssss_ssss" through the inventory:
    after every accepted hold, no seat beside its seats is newly lonely in the map a customer sees."""
    show = add_small_showtime(fair, f"prop-{next(_ids)}", timedelta(days=2))

    def taken_now() -> set[str]:
        return {seat.seat_id for seat in fair.inventory.seat_map(show).seats
                if seat.row == "B" and seat.status != "available"}

    for holder, seats in steps:
        before = taken_now()
        try:
            hold = fair.inventory.hold(show, seats, holder)
        except SeatRuleBroken:
            assert taken_now() == before
            continue
        except (SeatUnavailable, LimitReached):  # a seat of someone else: not this rule's business
            continue
        after = taken_now()
        beside = {f"B{n + d}" for s in hold.seat_ids for n in [int(s[1:])] for d in (-1, 1)}
        assert (lonely_seats("ssss_ssss", after) - lonely_seats("ssss_ssss", before)) & beside == set()
