"""The demo payment gateway: test cards, validation, idempotent authorization, state moves."""

from __future__ import annotations

import pytest

from services.booking.payments import CardPayment, DemoGateway, card_digits
from services.errors import InvalidRequest, PaymentDeclined

GOOD = CardPayment("4242 4242 4242 4242")


def test_good_card_authorizes_captures_and_refunds() -> None:
    gateway = DemoGateway()
    auth = gateway.authorize("h1#1", 5000, "INR", GOOD)
    assert (auth.status, auth.amount, auth.card_last4) == ("authorized", 5000, "4242")
    assert gateway.capture(auth.authorization_id).status == "captured"
    assert gateway.capture(auth.authorization_id).status == "captured"  # idempotent
    refunded = gateway.refund(auth.authorization_id, 4000)
    assert (refunded.status, refunded.refunded) == ("refunded", 4000)


def test_same_key_same_authorization_until_voided_or_amount_changes() -> None:
    gateway = DemoGateway()
    first = gateway.authorize("k", 5000, "INR", GOOD)
    assert gateway.authorize("k", 5000, "INR", CardPayment("4242-4242-4242-4242")) == first
    changed = gateway.authorize("k", 7000, "INR", GOOD)
    assert changed.authorization_id != first.authorization_id
    assert gateway.get(first.authorization_id).status == "voided"
    gateway.void(changed.authorization_id)
    assert gateway.authorize("k", 7000, "INR", GOOD).authorization_id != changed.authorization_id


def test_decline_card() -> None:
    with pytest.raises(PaymentDeclined, match="declined"):
        DemoGateway().authorize("k", 5000, "INR", CardPayment("4000 0000 0000 0002"))


def test_other_valid_card_is_refused_by_the_demo() -> None:
    with pytest.raises(PaymentDeclined, match="4242"):
        DemoGateway().authorize("k", 5000, "INR", CardPayment("5555 5555 5555 4444"))


@pytest.mark.parametrize("number", ["", "abcd", "4242 4242 4242 4241", "4242", "4242424242424242424242"])
def test_invalid_numbers_are_refused_clearly(number: str) -> None:
    with pytest.raises(InvalidRequest, match="not valid"):
        card_digits(number)


def test_captured_cannot_be_voided_and_card_number_not_in_repr() -> None:
    gateway = DemoGateway()
    auth = gateway.authorize("k", 100, "INR", GOOD)
    gateway.capture(auth.authorization_id)
    with pytest.raises(InvalidRequest):
        gateway.void(auth.authorization_id)
    assert "4242 4242 4242 4242" not in repr(GOOD) and "4242" in repr(GOOD)
