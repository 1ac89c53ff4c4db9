"""Faults injected into DynamoDB calls (a botocore event hook that raises before or after the real call)
and declined payments leave no half state: no sold seat without its booking, no captured payment
without a booking, holds still release, and a retry finishes the job."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from services.booking.bookings import booking_id_for
from services.booking.models import Guest
from services.booking.payments import CardPayment
from services.container import Services
from services.errors import PaymentDeclined, ServiceUnavailable
from services.platform.schema import BOOKINGS, HOLDS, OUTBOX
from tests.conftest import demo_gateway
from tests.faults import Faults, server_error, throttled, timed_out, unreachable
from tests.test_concurrency import check_invariants

ANN = Guest("ann", "ann@example.com")
GOOD = CardPayment("4242 4242 4242 4242")


ERRORS = [server_error, throttled, unreachable, timed_out]
SOME_ERRORS = [server_error, timed_out]  # one answer from DynamoDB, one without an answer


@pytest.fixture
def faults(small: Services) -> Iterator[Faults]:
    injector = Faults(small)
    yield injector
    injector.clear()


def seat_statuses(services: Services) -> dict[str, str]:
    return {s.seat_id: s.status for s in services.inventory.seat_map("tiny-show", ANN.user_id).seats
            if s.status != "available"}


def authorizations(services: Services) -> list[str]:
    return sorted(a.status for a in demo_gateway(services).authorizations())


@pytest.mark.parametrize("make_error", SOME_ERRORS)
def test_hold_fault_holds_nothing(small: Services, faults: Faults, make_error) -> None:
    faults.fail("TransactWriteItems", make_error)
    with pytest.raises(ServiceUnavailable):
        small.inventory.hold("tiny-show", ["A1", "A2"], ANN.user_id)
    assert seat_statuses(small) == {"A5": "blocked"}
    assert small.inventory.hold("tiny-show", ["A1", "A2"], ANN.user_id).seat_ids == ("A1", "A2")


@pytest.mark.parametrize("make_error", ERRORS)
def test_checkout_fault_before_commit_voids_and_hold_still_releases(small: Services, faults: Faults,
                                                                   make_error) -> None:
    hold = small.inventory.hold("tiny-show", ["B1", "B2"], ANN.user_id)
    faults.fail("TransactWriteItems", make_error)
    with pytest.raises(ServiceUnavailable):
        small.bookings.checkout(hold.hold_id, ANN, GOOD)
    assert authorizations(small) == ["voided"]
    assert small.bookings.my_bookings(ANN.user_id) == []
    assert small.aws.table(BOOKINGS).get_item(Key={"booking_id": booking_id_for(hold.hold_id)}).get("Item") is None
    assert small.aws.table(OUTBOX).query(IndexName="pending", KeyConditionExpression="pending = :p",
                                         ExpressionAttributeValues={":p": "1"})["Items"] == []
    assert seat_statuses(small) == {"A5": "blocked", "B1": "held_by_you", "B2": "held_by_you"}
    check_invariants(small, ["tiny-show"])
    assert small.inventory.release(hold.hold_id, ANN.user_id) == ["B1", "B2"]
    assert seat_statuses(small) == {"A5": "blocked"}


def test_checkout_retry_after_fault_books_once(small: Services, faults: Faults) -> None:
    hold = small.inventory.hold("tiny-show", ["B3"], ANN.user_id)
    faults.fail("TransactWriteItems", server_error)
    with pytest.raises(ServiceUnavailable):
        small.bookings.checkout(hold.hold_id, ANN, GOOD)
    booking = small.bookings.checkout(hold.hold_id, ANN, GOOD)
    assert booking.booking_id == booking_id_for(hold.hold_id)
    assert authorizations(small) == ["captured", "voided"]
    check_invariants(small, ["tiny-show"])


@pytest.mark.parametrize("make_error", [unreachable, server_error])
def test_checkout_answer_lost_after_commit_returns_the_booking(small: Services, faults: Faults,
                                                               make_error) -> None:
    hold = small.inventory.hold("tiny-show", ["C3", "C4"], ANN.user_id)
    faults.fail("TransactWriteItems", make_error, after=True)
    booking = small.bookings.checkout(hold.hold_id, ANN, GOOD)
    assert booking.status == "confirmed" and booking.seat_ids == ["C3", "C4"]
    assert authorizations(small) == ["captured"]
    assert small.bookings.checkout(hold.hold_id, ANN, GOOD) == booking
    check_invariants(small, ["tiny-show"])


def test_checkout_fault_while_unreachable_charges_nothing(small: Services, faults: Faults) -> None:
    hold = small.inventory.hold("tiny-show", ["C5"], ANN.user_id)
    # the check whether it committed fails too
    faults.fail("TransactWriteItems", timed_out, then=lambda: faults.fail("GetItem", unreachable))
    with pytest.raises(ServiceUnavailable):
        small.bookings.checkout(hold.hold_id, ANN, GOOD)
    assert authorizations(small) == ["authorized"]  # never captured: it lapses, or the retry uses it
    check_invariants(small, ["tiny-show"])
    faults.clear()
    booking = small.bookings.checkout(hold.hold_id, ANN, GOOD)
    assert authorizations(small) == ["captured"]
    assert demo_gateway(small).get(booking.payment_id).status == "captured"
    check_invariants(small, ["tiny-show"])


def test_declined_payment_changes_nothing(small: Services) -> None:
    hold = small.inventory.hold("tiny-show", ["A6"], ANN.user_id)
    with pytest.raises(PaymentDeclined):
        small.bookings.checkout(hold.hold_id, ANN, CardPayment("4000 0000 0000 0002"))
    assert authorizations(small) == []
    assert seat_statuses(small) == {"A5": "blocked", "A6": "held_by_you"}
    assert small.inventory.get_hold(hold.hold_id).status == "active"
    check_invariants(small, ["tiny-show"])
    small.inventory.release(hold.hold_id, ANN.user_id)
    assert seat_statuses(small) == {"A5": "blocked"}


@pytest.mark.parametrize("make_error", SOME_ERRORS)
def test_cancel_fault_keeps_the_booking_whole(small: Services, faults: Faults, make_error) -> None:
    hold = small.inventory.hold("tiny-show", ["B5", "B6"], ANN.user_id)
    booking = small.bookings.checkout(hold.hold_id, ANN, GOOD)
    faults.fail("TransactWriteItems", make_error)
    with pytest.raises(ServiceUnavailable):
        small.bookings.cancel(booking.booking_id, ANN)
    assert small.bookings.get(booking.booking_id, ANN).status == "confirmed"
    assert seat_statuses(small) == {"A5": "blocked", "B5": "sold", "B6": "sold"}
    assert authorizations(small) == ["captured"]
    check_invariants(small, ["tiny-show"])
    assert small.bookings.cancel(booking.booking_id, ANN).status == "cancelled"
    assert authorizations(small) == ["refunded"]
    check_invariants(small, ["tiny-show"])


def test_cancel_answer_lost_after_commit_still_refunds(small: Services, faults: Faults) -> None:
    hold = small.inventory.hold("tiny-show", ["B7"], ANN.user_id)
    booking = small.bookings.checkout(hold.hold_id, ANN, GOOD)
    faults.fail("TransactWriteItems", timed_out, after=True)
    cancelled = small.bookings.cancel(booking.booking_id, ANN)
    assert cancelled.status == "cancelled"
    assert authorizations(small) == ["refunded"]
    assert seat_statuses(small) == {"A5": "blocked"}
    check_invariants(small, ["tiny-show"])


@pytest.mark.parametrize("make_error", SOME_ERRORS)
def test_release_fault_then_release_works(small: Services, faults: Faults, make_error) -> None:
    hold = small.inventory.hold("tiny-show", ["A7", "A8"], ANN.user_id)
    faults.fail("TransactWriteItems", make_error)
    with pytest.raises(ServiceUnavailable):
        small.inventory.release(hold.hold_id, ANN.user_id)
    assert small.aws.table(HOLDS).get_item(Key={"hold_id": hold.hold_id})["Item"]["status"] == "active"
    assert small.inventory.release(hold.hold_id, ANN.user_id) == ["A7", "A8"]
    assert seat_statuses(small) == {"A5": "blocked"}


@pytest.mark.parametrize("operation", ["Query", "GetItem"])
def test_read_faults_become_service_unavailable(small: Services, faults: Faults, operation: str) -> None:
    hold = small.inventory.hold("tiny-show", ["C6"], ANN.user_id)
    small.inventory.hold("tiny-show", ["C7"], "ben")
    faults.fail(operation, unreachable, times=3)
    with pytest.raises(ServiceUnavailable):
        small.inventory.seat_map("tiny-show") if operation == "Query" else small.inventory.get_hold(hold.hold_id)
    faults.fail("Query", server_error)
    with pytest.raises(ServiceUnavailable):
        small.bookings.my_bookings(ANN.user_id)
