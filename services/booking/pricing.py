"""Prices, computed on the server from a showtime's category prices. The client never sends an amount.

Money is integer minor units (paise, cents). Rounding happens once, on the tax: ``tax_percent`` of
(subtotal + fee), rounded half-up to a whole minor unit (12.5 paise -> 13 paise). Refunds round the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from services.catalog.layouts import Layout
from services.catalog.models import Showtime
from services.errors import InvalidRequest
from services.i18n import t
from services.settings import Settings


@dataclass(frozen=True)
class PricedSeat:
    seat_id: str
    row: str
    number: int
    category: str
    category_name: str
    price: int
    # "seat": a numbered seat of the hall; "ga": a general-admission ticket (events), whose seat_id is its
    # ticket number and whose category is its ticket type, so tickets, emails and reports list it unchanged.
    admission: str = "seat"

    @property
    def is_seat(self) -> bool:
        return self.admission == "seat"

    def to_item(self) -> dict[str, Any]:
        item = dict(self.__dict__)
        if self.is_seat:  # stored bookings of seats stay as they were
            del item["admission"]
        return item

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> PricedSeat:
        return cls(str(item["seat_id"]), str(item["row"]), int(item["number"]), str(item["category"]),
                   str(item["category_name"]), int(item["price"]), str(item.get("admission", "seat")))


@dataclass(frozen=True)
class Price:
    subtotal: int
    fee: int
    tax: int
    total: int
    currency: str
    discount: int = 0  # loyalty points spent (services/engage/loyalty.py), already taken off ``total``

    def to_item(self) -> dict[str, Any]:
        item = dict(self.__dict__)
        if not self.discount:  # items (and API bodies) of bookings without points stay as they were
            del item["discount"]
        return item

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> Price:
        return cls(int(item["subtotal"]), int(item["fee"]), int(item["tax"]), int(item["total"]), str(item["currency"]),
                   int(item.get("discount", 0)))


@dataclass(frozen=True)
class Quote:
    seats: tuple[PricedSeat, ...]
    price: Price


def percent_of(amount: int, percent: float) -> int:
    """``percent`` % of ``amount`` minor units, rounded half-up to a whole minor unit."""
    exact = Decimal(amount) * Decimal(str(percent)) / Decimal(100)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


class PricingService:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    def quote(self, showtime: Showtime, layout: Layout, seat_ids: Iterable[str]) -> Quote:
        seats = tuple(self._priced_seat(showtime, layout, seat_id) for seat_id in seat_ids)
        return Quote(seats, self.price([seat.price for seat in seats]))

    def price(self, seat_prices: list[int]) -> Price:
        subtotal = sum(seat_prices)
        fee = self._settings.convenience_fee_minor * len(seat_prices)
        tax = percent_of(subtotal + fee, self._settings.tax_percent)
        return Price(subtotal, fee, tax, subtotal + fee + tax, self._settings.currency)

    def refund(self, price: Price) -> int:
        """What a cancellation gives back: everything but the fee (and the tax charged on it), or a percentage."""
        if self._settings.refund_policy == "percent":
            return percent_of(price.total, self._settings.refund_percent)
        kept = price.fee + percent_of(price.fee, self._settings.tax_percent)
        return max(0, price.total - kept)

    def _priced_seat(self, showtime: Showtime, layout: Layout, seat_id: str) -> PricedSeat:
        spec = layout.seat(seat_id)
        if spec is None:
            raise InvalidRequest(t("Seat {seat} does not exist in this hall.", seat=seat_id))
        if spec.category not in showtime.prices:
            raise InvalidRequest(t("Seat {seat} is not on sale for this show.", seat=seat_id))
        return PricedSeat(spec.seat_id, spec.row, spec.number, spec.category, layout.category_name(spec.category),
                          showtime.prices[spec.category])
