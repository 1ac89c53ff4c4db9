"""Server-side prices: integer minor units, fee per ticket, tax rounded half-up, refunds by policy."""

from __future__ import annotations

import pytest

from services.booking.pricing import Price, PricingService, percent_of
from services.errors import InvalidRequest
from tests.conftest import make_settings


def pricing(**overrides: object) -> PricingService:
    return PricingService(make_settings("http://unused", **overrides))


@pytest.mark.parametrize(("amount", "percent", "expected"), [
    (1000, 18, 180), (25, 50, 13), (15, 10, 2), (14, 10, 1), (0, 18, 0), (99999, 12.5, 12500), (3, 0, 0),
])
def test_percent_rounds_half_up(amount: int, percent: float, expected: int) -> None:
    assert percent_of(amount, percent) == expected


def test_price_breakdown() -> None:
    price = pricing(convenience_fee_minor=3000, tax_percent=18).price([20000, 35000])
    assert price == Price(subtotal=55000, fee=6000, tax=10980, total=71980, currency="INR")


def test_tax_rounding_on_odd_amounts() -> None:
    price = pricing(convenience_fee_minor=1, tax_percent=12.5, currency="USD").price([1001])
    assert (price.subtotal, price.fee, price.tax, price.total, price.currency) == (1001, 1, 125, 1127, "USD")


def test_refund_keeps_fee_and_its_tax() -> None:
    service = pricing(convenience_fee_minor=3000, tax_percent=18, refund_policy="keep_fee")
    price = service.price([20000, 20000])
    assert service.refund(price) == price.total - 6000 - 1080 == 40000 + 7200


def test_refund_percentage() -> None:
    service = pricing(refund_policy="percent", refund_percent=50)
    price = Price(subtotal=1000, fee=0, tax=1, total=1001, currency="INR")
    assert service.refund(price) == 501


def test_quote_uses_showtime_prices(small) -> None:
    showtime = small.catalog.showtime("tiny-show")
    quote = small.pricing.quote(showtime, small.catalog.layout_of(showtime), ["A1", "C3"])
    assert [(seat.seat_id, seat.category_name, seat.price) for seat in quote.seats] == [
        ("A1", "Classic", 20000), ("C3", "Prime", 35000)]
    assert quote.price.total == 55000 + 6000 + 10980
    with pytest.raises(InvalidRequest):
        small.pricing.quote(showtime, small.catalog.layout_of(showtime), ["Q1"])
