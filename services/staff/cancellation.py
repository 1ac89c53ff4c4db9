"""Cancelling a show: its screen time is freed, no seat of it can be sold any more (the checkout
transaction checks the show's status), and every booking is cancelled with a full refund and an email
through the outbox, each in its own transaction with its audit entry.

Calling it again is safe and refunds whatever it did not find the first time (the bookings index can
lag a moment behind a checkout that committed just before the show was cancelled)."""

from __future__ import annotations

from dataclasses import dataclass

from services.accounts.users import User
from services.booking.bookings import BookingService
from services.catalog.catalog import CatalogService, Showtime
from services.clock import Clock
from services.platform.logs import log_event
from services.staff.access import AccessService
from services.staff.audit import AuditLog
from services.staff.schedule import ScheduleService


@dataclass(frozen=True)
class CancelledShow:
    showtime: Showtime
    bookings_refunded: int


class ShowCancellation:
    def __init__(self, clock: Clock, catalog: CatalogService, bookings: BookingService, schedule: ScheduleService,
                 access: AccessService, audit: AuditLog) -> None:
        self._clock = clock
        self._catalog = catalog
        self._bookings = bookings
        self._schedule = schedule
        self._access = access
        self._audit = audit

    def cancel(self, user: User | None, showtime_id: str) -> CancelledShow:
        self._catalog.invalidate()  # the status must be current, not a cached "scheduled"
        showtime = self._catalog.showtime(showtime_id)
        member = self._access.require(user, "manage", showtime.theater_id)
        self._schedule.release(member, showtime)
        refunded = 0
        for booking in self._bookings.for_showtime(showtime_id):
            if booking.status != "confirmed":
                continue
            audit = self._audit.put_action(
                showtime.theater_id, member, "booking.refunded", booking.booking_id, self._clock.now(),
                {"status": "confirmed"}, {"status": "cancelled", "refund": booking.price.total},
                reason="show cancelled")
            self._bookings.cancel_by_staff(booking.booking_id, [audit], full_refund=True)
            refunded += 1
        log_event("showtime.cancelled", showtime_id=showtime_id, bookings_refunded=refunded)
        self._catalog.invalidate()
        return CancelledShow(self._catalog.showtime(showtime_id), refunded)
