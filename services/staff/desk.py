"""The bookings desk: find a booking by reference, customer email or show (GetItem / index Queries, never
a Scan), see its seats, payment, emails and check-in; cancel with refund (a manager may override the
cancel cut-off with a written reason, audited); resend the confirmation (through the outbox)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from boto3.dynamodb.conditions import Key

from services.accounts.users import User, UserService
from services.booking.bookings import Booking, BookingService
from services.catalog.catalog import CatalogService
from services.clock import Clock, iso
from services.errors import InvalidRequest, NotFound, ServiceUnavailable, TooLateToCancel
from services.i18n import t
from services.notify.outbox import notification_id, outbox_put
from services.platform import dynamo
from services.platform.aws import Aws
from services.platform.schema import BOOKINGS, OUTBOX
from services.settings import Settings
from services.staff.access import AccessService, StaffMember
from services.staff.audit import AuditLog

MIN_REASON = 10  # a written reason, not "ok"
MAX_RESULTS = 200
_REFERENCE = re.compile(r"^[A-Za-z0-9]{8}$")  # as Booking.reference prints it (pages, emails, PDF)


@dataclass(frozen=True)
class EmailRecord:
    notification_id: str
    kind: str
    created_at: str
    sent: bool


@dataclass(frozen=True)
class DeskView:
    booking: Booking
    emails: list[EmailRecord]
    admitted_at: str | None
    admitted_by: str | None
    past_cutoff: bool


class BookingDesk:
    def __init__(self, aws: Aws, clock: Clock, settings: Settings, users: UserService, catalog: CatalogService,
                 bookings: BookingService, access: AccessService, audit: AuditLog) -> None:
        self._aws = aws
        self._clock = clock
        self._settings = settings
        self._users = users
        self._catalog = catalog
        self._bookings = bookings
        self._access = access
        self._audit = audit
        self._bookings_table = aws.table(BOOKINGS)
        self._outbox = aws.table(OUTBOX)

    # Finding ----------------------------------------------------------------------------------------
    def find(self, user: User | None, query: str) -> list[Booking]:
        """Bookings matching a reference, an email or a showtime id, in the member's theaters, newest first."""
        member = self._access.require(user, "manage")
        text = query.strip()
        if not text:
            raise InvalidRequest(t("Type a booking reference, an email or a show."))
        if "@" in text:
            found = self._by_email(text)
        elif text.lower().startswith("bk-"):
            found = [booking for booking in [self._get(text.lower())] if booking is not None]
        else:
            found = (self._by_reference(text.upper()) if _REFERENCE.match(text) else []) or self._by_show(member, text)
        return [booking for booking in found if member.may("manage", booking.theater_id)][:MAX_RESULTS]

    def _by_reference(self, reference: str) -> list[Booking]:
        """Bookings whose reference is this (one index Query; bookings made before the index have none)."""
        items = dynamo.query_all(self._bookings_table, IndexName="by-reference",
                                 KeyConditionExpression=Key("reference").eq(reference),
                                 message=t("Bookings cannot be read just now. Please try again.")).items
        return [Booking.from_item(item) for item in items]

    def _by_email(self, email: str) -> list[Booking]:
        try:
            customer = self._users.get(email)
        except NotFound:
            return []
        return self._bookings.my_bookings(customer.user_id, limit=MAX_RESULTS)

    def _by_show(self, member: StaffMember, showtime_id: str) -> list[Booking]:
        try:
            showtime = self._catalog.showtime(showtime_id)
        except NotFound:
            return []
        if not member.may("manage", showtime.theater_id):
            return []
        return self._bookings.for_showtime(showtime_id, limit=MAX_RESULTS)

    def view(self, user: User | None, booking_id: str) -> DeskView:
        booking = self._get(booking_id)
        if booking is None:
            raise NotFound(t("That booking does not exist."))
        self._access.require(user, "manage", booking.theater_id)
        ids = [notification_id(booking_id, "booking_confirmed"), notification_id(booking_id, "booking_cancelled"),
               *[str(resend) for resend in booking.extra.get("resent_ids", [])]]
        emails = [email for email in (self._email(nid) for nid in ids) if email is not None]
        cutoff = booking.starts_at - timedelta(minutes=self._settings.cancel_cutoff_minutes)
        return DeskView(booking, emails, booking.extra.get("admitted_at"), booking.extra.get("admitted_by"),
                        self._clock.now() > cutoff)

    # Acting -------------------------------------------------------------------------------------------
    def cancel(self, user: User | None, booking_id: str, reason: str = "") -> Booking:
        """Cancel with the usual refund; past the cut-off only with a written reason (audited as an override)."""
        desk = self.view(user, booking_id)
        member = self._access.require(user, "manage", desk.booking.theater_id)
        reason = reason.strip()
        if desk.booking.status == "cancelled":
            return desk.booking
        if desk.past_cutoff and len(reason) < MIN_REASON:
            raise TooLateToCancel(t("This show is past the cancel cut-off: write why you override it "
                                    "(at least {n} characters).", n=MIN_REASON))
        refund = self._bookings.refund_amount(desk.booking)
        audit = self._audit.put_action(
            desk.booking.theater_id, member, "booking.override_refund" if desk.past_cutoff else "booking.refunded",
            booking_id, self._clock.now(), {"status": "confirmed"}, {"status": "cancelled", "refund": refund},
            reason=reason)
        return self._bookings.cancel_by_staff(booking_id, [audit], full_refund=False)

    def resend(self, user: User | None, booking_id: str) -> str:
        """Queue the confirmation email again (a new outbox record); returns its notification id."""
        desk = self.view(user, booking_id)
        member = self._access.require(user, "manage", desk.booking.theater_id)
        if desk.booking.status != "confirmed":
            raise InvalidRequest(t("This booking was cancelled; there is no confirmation to resend."))
        now = self._clock.now()
        put = outbox_put(self._aws, "booking_confirmed", desk.booking.to_item(), iso(now))
        resend_id = f"{notification_id(booking_id, 'booking_confirmed')}#resend-{int(now.timestamp() * 1000)}"
        put["Put"]["Item"]["notification_id"] = resend_id
        actions: list[dict[str, Any]] = [put, {"Update": {
            "TableName": self._aws.table_name(BOOKINGS), "Key": {"booking_id": booking_id},
            "UpdateExpression": "SET resent_ids = list_append(if_not_exists(resent_ids, :none), :one)",
            "ConditionExpression": "attribute_exists(booking_id)",
            "ExpressionAttributeValues": {":none": [], ":one": [resend_id]},
        }}, self._audit.put_action(desk.booking.theater_id, member, "booking.confirmation_resent", booking_id, now,
                                   None, {"notification_id": resend_id})]
        try:
            dynamo.transact_write(self._aws, actions)
        except (dynamo.TransactionCancelled, dynamo.TransactionOutcomeUnknown) as exc:
            raise ServiceUnavailable(t("The email could not be queued just now. Please try again.")) from exc
        return resend_id

    # Reading ------------------------------------------------------------------------------------------
    def _get(self, booking_id: str) -> Booking | None:
        item = dynamo.get_item(self._bookings_table, {"booking_id": booking_id}, consistent=True,
                               message=t("Bookings cannot be read just now. Please try again."))
        return Booking.from_item(item) if item else None

    def _email(self, nid: str) -> EmailRecord | None:
        item = dynamo.get_item(self._outbox, {"notification_id": nid},
                               message=t("Emails cannot be read just now. Please try again."))
        if item is None:
            return None
        return EmailRecord(nid, str(item.get("kind", "")), str(item.get("created_at", "")), "pending" not in item)
