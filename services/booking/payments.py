"""Payments behind a small interface, with a demo gateway that never talks to a bank.

Checkout authorizes (idempotency key = hold id), confirms the seats, then captures; if confirming
fails it voids. A cancellation refunds. Card numbers stay here: callers see only the last four digits.

Demo cards: ``4242 4242 4242 4242`` approves, ``4000 0000 0000 0002`` declines; any other well-formed
number is declined too (this is a demo), and a malformed one is refused as invalid.

UPI (a VPA such as ``name@bank``): the gateway sends a collect request that the customer approves in their
UPI app; authorizing waits for that answer. Demo VPAs: ``success@upi`` approves, ``failure@upi`` is
declined in the app, ``timeout@upi`` is never answered (the request expires); any other valid VPA is
declined (this is a demo), a malformed one is refused as invalid. The demo waits ``collect_seconds`` first,
as a person would take to open the app.
"""

from __future__ import annotations

import re
import threading
import time
import uuid
from dataclasses import dataclass, replace
from typing import Literal, Protocol

from services.errors import InvalidRequest, NotFound, PaymentDeclined, PaymentTimedOut
from services.i18n import t

AuthorizationStatus = Literal["authorized", "captured", "voided", "refunded"]
APPROVE_CARD = "4242424242424242"
DECLINE_CARD = "4000000000000002"
UPI_APPROVE, UPI_DECLINE, UPI_TIMEOUT = "success@upi", "failure@upi", "timeout@upi"
# name@handle: the name as the UPI apps allow it, the handle (the payment provider) letters and digits.
_VPA = re.compile(r"[a-z0-9][a-z0-9._-]{1,255}@[a-z][a-z0-9]{1,63}")


@dataclass(frozen=True)
class CardPayment:
    card_number: str
    method: Literal["card"] = "card"

    def __repr__(self) -> str:  # never let a full card number reach a log or a traceback
        return f"CardPayment(method={self.method!r}, last4={self.card_number[-4:]!r})"


@dataclass(frozen=True)
class UpiPayment:
    vpa: str  # the customer's UPI ID (virtual payment address), e.g. name@bank
    method: Literal["upi"] = "upi"


Payment = CardPayment | UpiPayment


def upi_vpa(text: str) -> str:
    """A UPI ID as typed, tidied (spaces, case); InvalidRequest when it is not one."""
    vpa = (text or "").strip().lower()
    if not _VPA.fullmatch(vpa):
        raise InvalidRequest(t("That UPI ID is not valid. It looks like name@bank, e.g. asha@okhdfc."))
    return vpa


@dataclass(frozen=True)
class Authorization:
    authorization_id: str
    idempotency_key: str
    amount: int
    currency: str
    card_last4: str
    status: AuthorizationStatus
    refunded: int = 0
    upi_vpa: str = ""  # paid by UPI: the payer's UPI ID (card_last4 is then empty)


class PaymentGateway(Protocol):
    def authorize(self, idempotency_key: str, amount: int, currency: str, payment: Payment) -> Authorization:
        """Reserve ``amount``; the same key returns the same live authorization. Raises PaymentDeclined
        (PaymentTimedOut when a UPI collect request was not approved in time)."""
        ...

    def capture(self, authorization_id: str) -> Authorization: ...

    def void(self, authorization_id: str) -> Authorization: ...

    def refund(self, authorization_id: str, amount: int) -> Authorization: ...


def card_digits(card_number: str) -> str:
    """The digits of a card number typed with spaces or dashes; InvalidRequest when it is not one."""
    digits = re.sub(r"[\s-]", "", card_number or "")
    if not digits.isdigit() or not 12 <= len(digits) <= 19 or not _luhn_ok(digits):
        raise InvalidRequest(t("That card number is not valid. Please check it and try again."))
    return digits


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


class DemoGateway:
    """An in-process gateway for the demo and the tests; thread-safe and idempotent per key."""

    def __init__(self, collect_seconds: float = 0.0) -> None:
        self._collect_seconds = collect_seconds
        self._by_id: dict[str, Authorization] = {}
        self._by_key: dict[str, str] = {}
        self._lock = threading.Lock()

    def authorize(self, idempotency_key: str, amount: int, currency: str, payment: Payment) -> Authorization:
        if isinstance(payment, UpiPayment):
            vpa, last4 = self._collect(upi_vpa(payment.vpa), amount), ""
        elif payment.method == "card":
            digits = card_digits(payment.card_number)
            if amount <= 0:
                raise InvalidRequest(t("There is nothing to pay."))
            if digits != APPROVE_CARD:
                message = (t("Your card was declined. Please use another card.") if digits == DECLINE_CARD
                           else t("This demo accepts only the test card 4242 4242 4242 4242."))
                raise PaymentDeclined(message)
            vpa, last4 = "", digits[-4:]
        else:
            raise InvalidRequest(t("Please pay by card or UPI."))
        with self._lock:
            existing = self._by_id.get(self._by_key.get(idempotency_key, ""))
            if existing and existing.status in ("authorized", "captured") and existing.amount == amount:
                return existing
            if existing and existing.status == "authorized":  # the amount changed: replace it
                self._by_id[existing.authorization_id] = replace(existing, status="voided")
            authorization = Authorization(f"auth-{uuid.uuid4().hex[:16]}", idempotency_key, amount, currency,
                                          last4, "authorized", upi_vpa=vpa)
            self._by_id[authorization.authorization_id] = authorization
            self._by_key[idempotency_key] = authorization.authorization_id
            return authorization

    def _collect(self, vpa: str, amount: int) -> str:
        """The demo's collect request: wait as the customer would, then the demo VPA decides."""
        if amount <= 0:
            raise InvalidRequest(t("There is nothing to pay."))
        time.sleep(self._collect_seconds)
        if vpa == UPI_DECLINE:
            raise PaymentDeclined(t("The payment was declined in your UPI app. Nothing was charged."))
        if vpa == UPI_TIMEOUT:
            raise PaymentTimedOut(t("The payment request to {vpa} expired before it was approved. Nothing was "
                                    "charged; please try again.", vpa=vpa))
        if vpa != UPI_APPROVE:
            raise PaymentDeclined(t("This demo approves only the UPI ID success@upi."))
        return vpa

    def capture(self, authorization_id: str) -> Authorization:
        return self._move(authorization_id, {"authorized": "captured", "captured": "captured"})

    def void(self, authorization_id: str) -> Authorization:
        return self._move(authorization_id, {"authorized": "voided", "voided": "voided"})

    def refund(self, authorization_id: str, amount: int) -> Authorization:
        with self._lock:
            authorization = self._get(authorization_id)
            if authorization.status == "refunded":
                return authorization
            if authorization.status != "captured" or not 0 <= amount <= authorization.amount:
                raise InvalidRequest(t("This payment cannot be refunded."))
            refunded = replace(authorization, status="refunded", refunded=amount)
            self._by_id[authorization_id] = refunded
            return refunded

    def get(self, authorization_id: str) -> Authorization:
        with self._lock:
            return self._get(authorization_id)

    def authorizations(self) -> list[Authorization]:
        with self._lock:
            return list(self._by_id.values())

    def _move(self, authorization_id: str, moves: dict[str, AuthorizationStatus]) -> Authorization:
        with self._lock:
            authorization = self._get(authorization_id)
            if authorization.status not in moves:
                raise InvalidRequest(t("This payment is already {status}.", status=authorization.status))
            moved = replace(authorization, status=moves[authorization.status])
            self._by_id[authorization_id] = moved
            return moved

    def _get(self, authorization_id: str) -> Authorization:
        authorization = self._by_id.get(authorization_id)
        if authorization is None:
            raise NotFound(t("No such payment."))
        return authorization
