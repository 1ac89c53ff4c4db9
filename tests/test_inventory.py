"""Seat map, holds, release and expiry on the moto server (tiny catalog; a few on the demo catalog)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.booking.models import SeatState
from services.booking.payments import APPROVE_CARD, CardPayment
from services.container import Services
from services.errors import HoldExpired, InvalidRequest, NotFound, SeatUnavailable, ShowClosed
from services.live.hub import SeatChange
from services.platform.schema import SEATS
from tests.conftest import add_small_showtime, fake_clock
from tests.faults import Faults


def statuses(services: Services, showtime_id: str, viewer: str | None = None) -> dict[str, str]:
    return {seat.seat_id: seat.status for seat in services.inventory.seat_map(showtime_id, viewer).seats}


def test_empty_seat_map_shows_layout_prices_and_blocked_seats(small: Services) -> None:
    seat_map = small.inventory.seat_map("tiny-show")
    by_id = {seat.seat_id: seat for seat in seat_map.seats}
    assert len(by_id) == 24
    assert by_id["A5"].status == "blocked"
    assert seat_map.counts() == {"available": 23, "blocked": 1}
    assert by_id["A1"].price == 20000 and by_id["C3"].price == 35000
    assert by_id["C1"].accessible and by_id["C1"].kind == "wheelchair"
    assert by_id["C2"].kind == "companion" and not by_id["C2"].accessible
    assert by_id["C3"].category_name == "Prime"
    assert seat_map.items_read == 0 and seat_map.my_hold_id is None


def test_hold_marks_seats_for_holder_and_others(small: Services) -> None:
    hold = small.inventory.hold("tiny-show", ["a1", "A2"], "alice")
    assert hold.seat_ids == ("A1", "A2")
    assert hold.expires_at == small.clock.now().replace(microsecond=0) + timedelta(minutes=8)
    assert hold.quote is not None and hold.quote.price.subtotal == 40000
    assert statuses(small, "tiny-show", "alice")["A1"] == "held_by_you"
    assert statuses(small, "tiny-show", "bob")["A1"] == "held"
    assert statuses(small, "tiny-show")["A2"] == "held"
    seat_map = small.inventory.seat_map("tiny-show", "alice")
    assert seat_map.my_hold_id == hold.hold_id and seat_map.items_read == 2
    stored = small.inventory.get_hold(hold.hold_id, "alice")
    assert stored.status == "active" and stored.seat_ids == ("A1", "A2") and stored.revision == 1


def test_overlapping_hold_fails_all_or_none_with_seat_list(small: Services) -> None:
    small.inventory.hold("tiny-show", ["A1", "A2"], "alice")
    with pytest.raises(SeatUnavailable) as caught:
        small.inventory.hold("tiny-show", ["A2", "A3", "A1"], "bob")
    assert caught.value.seats == ["A2", "A1"]
    assert "A2" in caught.value.message
    assert statuses(small, "tiny-show")["A3"] == "available"  # nothing of bob's request was held


def test_conflict_found_only_by_the_transaction_is_reported(small: Services) -> None:
    faults = Faults(small)
    # Bob reads an empty hall; alice's hold lands between his read and his write.
    faults.on("TransactWriteItems", lambda: small.inventory.hold("tiny-show", ["B1"], "alice"))
    with pytest.raises(SeatUnavailable) as caught:
        small.inventory.hold("tiny-show", ["B2", "B1"], "bob")
    faults.clear()
    assert caught.value.seats == ["B1"]
    assert statuses(small, "tiny-show", "alice")["B1"] == "held_by_you"
    assert statuses(small, "tiny-show")["B2"] == "available"


def test_second_hold_replaces_seats_and_keeps_expiry(small: Services) -> None:
    first = small.inventory.hold("tiny-show", ["A1", "A2"], "alice")
    fake_clock(small).advance(minutes=3)
    second = small.inventory.hold("tiny-show", ["A2", "A3", "A4"], "alice")
    assert second.hold_id == first.hold_id
    assert second.expires_at == first.expires_at
    seats = statuses(small, "tiny-show", "alice")
    assert seats["A1"] == "available"
    assert [seats[s] for s in ("A2", "A3", "A4")] == ["held_by_you"] * 3
    stored = small.inventory.get_hold(first.hold_id)
    assert stored.seat_ids == ("A2", "A3", "A4") and stored.revision == 2
    # bob may now take the seat alice dropped
    assert small.inventory.hold("tiny-show", ["A1"], "bob").seat_ids == ("A1",)


def test_blocked_unknown_too_many_and_empty(small: Services) -> None:
    with pytest.raises(SeatUnavailable) as caught:
        small.inventory.hold("tiny-show", ["A4", "A5"], "alice")
    assert caught.value.seats == ["A5"]
    with pytest.raises(InvalidRequest, match="Z9"):
        small.inventory.hold("tiny-show", ["A1", "Z9"], "alice")
    with pytest.raises(InvalidRequest, match="at most 10"):
        small.inventory.hold("tiny-show", [f"B{n}" for n in range(1, 9)] + ["C3", "C4", "C5"], "alice")
    with pytest.raises(InvalidRequest):
        small.inventory.hold("tiny-show", [], "alice")
    with pytest.raises(NotFound):
        small.inventory.hold("no-such-show", ["A1"], "alice")
    assert small.inventory.seat_map("tiny-show").items_read == 0


def test_no_hold_after_sales_cutoff_or_start(small: Services) -> None:
    with pytest.raises(ShowClosed, match="closed"):
        small.inventory.hold("tiny-soon", ["A1"], "alice")  # starts in 5 minutes, cut-off is 10
    add_small_showtime(small, "tiny-started", timedelta(minutes=-30))
    with pytest.raises(ShowClosed):
        small.inventory.hold("tiny-started", ["A1"], "alice")
    add_small_showtime(small, "tiny-edge", timedelta(minutes=10, seconds=1))
    assert small.inventory.hold("tiny-edge", ["A1"], "alice").seat_ids == ("A1",)


def test_expired_hold_counts_as_free_and_can_be_taken(small: Services) -> None:
    small.inventory.hold("tiny-show", ["C3", "C4"], "alice")
    fake_clock(small).advance(minutes=8)
    assert statuses(small, "tiny-show")["C3"] == "held"  # expires_at is still now: not yet past
    fake_clock(small).advance(seconds=1)
    assert statuses(small, "tiny-show", "alice")["C3"] == "available"
    taken = small.inventory.hold("tiny-show", ["C4"], "bob")
    assert statuses(small, "tiny-show", "bob")["C4"] == "held_by_you"
    # alice's next hold is a new one: her old one expired
    again = small.inventory.hold("tiny-show", ["C3"], "alice")
    assert again.hold_id != taken.hold_id


def test_release_frees_seats_and_is_idempotent(small: Services) -> None:
    hold = small.inventory.hold("tiny-show", ["B1", "B2"], "alice")
    with pytest.raises(NotFound):
        small.inventory.release(hold.hold_id, "mallory")
    assert small.inventory.release(hold.hold_id, "alice") == ["B1", "B2"]
    assert small.inventory.release(hold.hold_id, "alice") == []
    assert statuses(small, "tiny-show")["B1"] == "available"
    assert small.inventory.get_hold(hold.hold_id).status == "released"


def test_a_hold_released_while_being_changed_is_not_resurrected(small: Services) -> None:
    hold = small.inventory.hold("tiny-show", ["B1", "B2"], "alice")
    faults = Faults(small)
    # Alice's other tab releases the hold between this change's read and its write.
    faults.on("TransactWriteItems", lambda: small.inventory.release(hold.hold_id, "alice"))
    with pytest.raises(HoldExpired):
        small.inventory.hold("tiny-show", ["B1", "B3"], "alice")
    faults.clear()
    assert small.inventory.get_hold(hold.hold_id).status == "released"
    assert [statuses(small, "tiny-show")[s] for s in ("B1", "B2", "B3")] == ["available"] * 3


def test_release_of_expired_hold_leaves_the_new_holder_alone(small: Services) -> None:
    hold = small.inventory.hold("tiny-show", ["B1", "B2"], "alice")
    fake_clock(small).advance(minutes=9)
    small.inventory.hold("tiny-show", ["B2"], "bob")
    assert small.inventory.release(hold.hold_id, "alice") == ["B1"]
    assert statuses(small, "tiny-show", "bob")["B2"] == "held_by_you"


def test_expire_due_deletes_only_expired_holds_and_publishes(small: Services) -> None:
    received: list[tuple[str, list[SeatChange]]] = []
    small.live.subscribe("tiny-show", lambda showtime_id, changes: received.append((showtime_id, changes)))
    small.inventory.hold("tiny-show", ["A1", "A2"], "alice")
    assert received[-1][1] == [SeatChange("A1", SeatState.HELD, received[-1][1][0].hold_id),
                               SeatChange("A2", SeatState.HELD, received[-1][1][1].hold_id)]
    fake_clock(small).advance(minutes=5)
    small.inventory.hold("tiny-show", ["B1"], "bob")
    assert small.inventory.expire_due(["tiny-show"]) == 0
    fake_clock(small).advance(minutes=4)
    assert small.inventory.expire_due(small.live.watched_showtimes()) == 2
    assert received[-1] == ("tiny-show", [SeatChange("A1", SeatState.AVAILABLE), SeatChange("A2", SeatState.AVAILABLE)])
    assert small.inventory.expire_due(["tiny-show"]) == 0
    items = small.aws.table(SEATS).query(KeyConditionExpression="showtime_id = :s",
                                         ExpressionAttributeValues={":s": "tiny-show"})["Items"]
    assert [item["seat_id"] for item in items] == ["B1"]


def test_the_sweeper_reads_only_expired_holds_not_the_sold_seats(small: Services) -> None:
    """It runs every second for every watched show: a sold-out hall must not be read each time."""
    alice = small.users.register("Alice", "alice@example.com", "password123")
    sold = small.inventory.hold("tiny-show", ["A1", "A2", "A3", "A4"], alice.user_id)
    small.bookings.checkout(sold.hold_id, alice, CardPayment(APPROVE_CARD))
    small.inventory.hold("tiny-show", ["B1"], "bob")
    read: list[int] = []
    events = small.aws.dynamodb.meta.client.meta.events

    def record(parsed: dict, **_: object) -> None:
        read.append(int(parsed.get("ScannedCount", 0)))

    events.register("after-call.dynamodb.Query", record)
    try:
        assert small.inventory.expire_due(["tiny-show"]) == 0
        fake_clock(small).advance(minutes=9)
        assert small.inventory.expire_due(["tiny-show"]) == 1
    finally:
        events.unregister("after-call.dynamodb.Query", record)
    assert read == [0, 1], "only the one expired hold was read, never the four sold seats"


def test_active_hold_resumes_after_reconnect(small: Services) -> None:
    assert small.inventory.active_hold("tiny-show", "alice") is None
    hold = small.inventory.hold("tiny-show", ["C5"], "alice")
    resumed = small.inventory.active_hold("tiny-show", "alice")
    assert resumed is not None and resumed.hold_id == hold.hold_id and resumed.seat_ids == ("C5",)


def test_seat_map_reads_only_its_showtime(small: Services) -> None:
    add_small_showtime(small, "tiny-other", timedelta(days=1))
    for holder, seats in (("u1", ["A1", "A2"]), ("u2", ["B1", "B2", "B3"]), ("u3", ["C3"])):
        small.inventory.hold("tiny-other", seats, holder)
    small.inventory.hold("tiny-show", ["A1"], "alice")
    assert small.inventory.seat_map("tiny-show").items_read == 1


def test_demo_catalog_seat_map_and_hold(seeded: Services) -> None:
    showtime = seeded.catalog.upcoming_in_city("Mumbai")[-1]
    seat_map = seeded.inventory.seat_map(showtime.showtime_id)
    layout = seeded.catalog.layout_of(showtime)
    assert len(seat_map.seats) == len(layout.seats)
    free = [seat.seat_id for seat in seat_map.seats if seat.status == "available"][:4]
    hold = seeded.inventory.hold(showtime.showtime_id, free, "alice")
    assert hold.quote is not None
    assert hold.quote.price.subtotal == sum(showtime.prices[seat.category] for seat in hold.quote.seats)
    assert seeded.inventory.seat_map(showtime.showtime_id, "alice").counts()["held_by_you"] == 4
