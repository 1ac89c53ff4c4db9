"""The sales and cancellation cut-offs at their exact edges (the one place pages, API and services ask)."""

from __future__ import annotations

from datetime import timedelta

from services.booking import rules
from services.container import Services
from tests.test_faults import ANN, GOOD


def test_sales_close_exactly_at_the_cutoff(small: Services) -> None:
    show = small.catalog.showtime("tiny-show")
    closes = show.starts_at - timedelta(minutes=small.settings.sales_cutoff_minutes)
    assert rules.sales_close_at(show, small.settings) == closes
    assert rules.on_sale(show, closes - timedelta(seconds=1), small.settings)
    assert not rules.on_sale(show, closes, small.settings)


def test_cancellable_up_to_and_including_the_cutoff(small: Services) -> None:
    hold = small.inventory.hold("tiny-show", ["A1"], "ann")
    booking = small.bookings.checkout(hold.hold_id, ANN, GOOD)
    until = booking.starts_at - timedelta(minutes=small.settings.cancel_cutoff_minutes)
    assert rules.cancellable_until(booking, small.settings) == until
    assert rules.can_cancel(booking, until, small.settings)
    assert not rules.can_cancel(booking, until + timedelta(seconds=1), small.settings)
    cancelled = small.bookings.cancel(booking.booking_id, ANN)
    assert not rules.can_cancel(cancelled, small.clock.now(), small.settings)
