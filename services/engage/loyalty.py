"""Loyalty points: earned on paid bookings, spent at checkout as a discount the server computes, given back
and taken back on cancellation. Changes ride in the booking's own sale or cancellation transaction
(``on_sale`` / ``on_cancel``, called by services/booking/bookings.py), so points never move without the
booking that moves them, and a payment that fails (no transaction) leaves the balance as it was.

Items (Loyalty table, partition = customer):
- ``balance``: ``points``. A redemption subtracts under the condition ``points >= :spent``, so racing
  redemptions can never take the balance below zero: the loser's whole checkout is refused.
- ``tx#<time>#<booking_id>#<kind>``: the history (earned, redeemed, returned, reversed), one entry per move.

A booking records what it moved (``points_earned``, ``points_redeemed`` in the booking item), so a
cancellation reverses exactly that: the redeemed points come back, the earned ones go; if some earned
points were spent meanwhile, only what is left is taken (the balance never goes negative).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from boto3.dynamodb.conditions import Key

from services.booking.models import Booking, Customer, Guest
from services.booking.pricing import Price
from services.clock import Clock, iso
from services.engage.errors import NotEnoughPoints
from services.errors import InvalidRequest
from services.i18n import t
from services.platform import dynamo
from services.platform.aws import Aws
from services.platform.schema import LOYALTY
from services.settings import Settings

BALANCE = "balance"
MINOR_PER_100 = 100 * 100  # "per ₹100": the setting counts whole hundreds of the currency's major unit
LEAST_CHARGE = 100  # a redemption leaves at least this much (minor units) to pay by card


@dataclass(frozen=True)
class LoyaltyEntry:
    at: str
    kind: str  # earned | redeemed | returned | reversed
    points: int  # signed: what it did to the balance
    booking_id: str
    movie_title: str


@dataclass(frozen=True)
class Redemption:
    points: int
    discount: int  # minor units
    price: Price  # the price after the discount


class LoyaltyService:
    def __init__(self, aws: Aws, clock: Clock, settings: Settings) -> None:
        self._clock = clock
        self._settings = settings
        self._table = aws.table(LOYALTY)
        self._table_name = aws.table_name(LOYALTY)

    # Reading --------------------------------------------------------------------------------------
    def balance(self, user_id: str) -> int:
        item = dynamo.get_item(self._table, {"user_id": user_id, "entry": BALANCE}, consistent=True,
                               message=_unavailable())
        return int(item.get("points", 0)) if item else 0

    def history(self, user_id: str, limit: int = 50) -> list[LoyaltyEntry]:
        """The newest moves first: one page of the customer's own partition."""
        mine = Key("user_id").eq(user_id) & Key("entry").begins_with("tx#")
        page = next(dynamo.query_pages(self._table, message=_unavailable(), KeyConditionExpression=mine,
                                       ScanIndexForward=False, Limit=max(1, min(limit, 100))))
        return [LoyaltyEntry(item["at"], item["kind"], int(item["points"]), item["booking_id"],
                             item.get("movie_title", "")) for item in page["Items"]]

    def points_for(self, amount: int) -> int:
        """Points a paid amount (minor units) earns: the setting per whole ₹100."""
        return amount // MINOR_PER_100 * self._settings.loyalty_points_per_100

    def value_of(self, points: int) -> int:
        return points * self._settings.loyalty_point_value_minor

    def most_redeemable(self, user_id: str, price: Price) -> int:
        """How many points this customer can spend on ``price`` (their balance, up to the tickets' price)."""
        return min(self.balance(user_id), self._cap(price))

    def _cap(self, price: Price) -> int:
        limit = min(price.subtotal, price.total - LEAST_CHARGE)
        return max(0, limit // self._settings.loyalty_point_value_minor)

    # At checkout ----------------------------------------------------------------------------------
    def redemption(self, customer: Customer, price: Price, points: int) -> Redemption:
        """The discounted price for spending ``points`` (checked against the balance now; the sale's
        transaction checks it again, atomically)."""
        if isinstance(points, bool) or not isinstance(points, int) or points < 0:
            raise InvalidRequest(t("Points to redeem must be a whole number, zero or more."))
        if points == 0:
            return Redemption(0, 0, price)
        if isinstance(customer, Guest):
            raise InvalidRequest(t("Log in to use loyalty points."))
        if points > self._cap(price):
            raise InvalidRequest(t("You can use at most {n} points on this booking.", n=self._cap(price)))
        if points > self.balance(customer.user_id):
            raise NotEnoughPoints(t("You do not have that many points."))
        discount = self.value_of(points)
        return Redemption(points, discount, replace(price, discount=discount, total=price.total - discount))

    def booking_fields(self, customer: Customer, redemption: Redemption) -> dict[str, Any]:
        """What the booking item records about points (kiosk guests collect none)."""
        if isinstance(customer, Guest):
            return {}
        return {"points_redeemed": redemption.points, "points_earned": self.points_for(redemption.price.total)}

    def on_sale(self, booking: Booking) -> list[dict[str, Any]]:
        """Transaction actions: the balance change FIRST (the caller reads its cancellation reason), then history."""
        redeemed, earned = _points(booking, "points_redeemed"), _points(booking, "points_earned")
        if not redeemed and not earned:
            return []
        actions = [self._balance_update(booking.user_id, earned - redeemed, at_least=redeemed)]
        if redeemed:
            actions.append(self._entry(booking, "redeemed", -redeemed, booking.created_at))
        if earned:
            actions.append(self._entry(booking, "earned", earned, booking.created_at))
        return actions

    def on_cancel(self, booking: Booking) -> list[dict[str, Any]]:
        """Give back what the booking spent, take back what it earned (as much as is left)."""
        redeemed, earned = _points(booking, "points_redeemed"), _points(booking, "points_earned")
        if not redeemed and not earned:
            return []
        at = booking.cancelled_at or iso(self._clock.now())
        balance = self.balance(booking.user_id)
        taken = min(earned, balance + redeemed)  # never more than there will be
        delta = redeemed - taken
        # A redemption elsewhere may spend them meanwhile: then the condition fails and the cancellation retries.
        actions = [self._balance_update(booking.user_id, delta, at_least=max(0, -delta))]
        if redeemed:
            actions.append(self._entry(booking, "returned", redeemed, at))
        if taken:
            actions.append(self._entry(booking, "reversed", -taken, at))
        return actions

    def _balance_update(self, user_id: str, delta: int, *, at_least: int) -> dict[str, Any]:
        """Add ``delta``; with ``at_least`` > 0 only while the balance holds that much (never below zero)."""
        key = {"user_id": user_id, "entry": BALANCE}
        action: dict[str, Any] = {"Update": {"TableName": self._table_name, "Key": key,
                                             "UpdateExpression": "ADD points :delta",
                                             "ExpressionAttributeValues": {":delta": delta}}}
        if at_least > 0:
            action["Update"]["ConditionExpression"] = "points >= :at_least"
            action["Update"]["ExpressionAttributeValues"][":at_least"] = at_least
        return action

    def _entry(self, booking: Booking, kind: str, points: int, at: str) -> dict[str, Any]:
        item = {"user_id": booking.user_id, "entry": f"tx#{at}#{booking.booking_id}#{kind}", "at": at, "kind": kind,
                "points": points, "booking_id": booking.booking_id, "movie_title": booking.movie_title}
        # Keyed by booking and kind: a retried sale or cancellation cannot write its history twice.
        return {"Put": {"TableName": self._table_name, "Item": item,
                        "ConditionExpression": "attribute_not_exists(entry)"}}


def _points(booking: Booking, name: str) -> int:
    return int(booking.extra.get(name, 0) or 0)


def _unavailable() -> str:
    return t("Your points cannot be loaded just now. Please try again.")
