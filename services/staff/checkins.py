"""Check-in at the door: a ticket's signed token admits its booking once.

Admission is one transaction: a conditional update of the booking (still confirmed, not yet admitted),
its audit entry and the sales counters' admissions. Two doors scanning the same ticket at once both
reach the condition; one wins, the other is told who admitted it and when. A cancelled, tampered,
other-theater or other-day ticket is refused with the reason, and nothing is written.

A general-admission ticket (events) admits one person: its own token names its ticket number, and its
admission is the same transaction on that ticket's own attributes (``ticket_<n>_admitted_at``/``_by``,
conditional on their absence) plus ``tickets_admitted`` (how many so far). The booking's token admits its
numbered seats only; a booking of GA tickets alone has no such token to scan (``ScanEachTicket``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from services.accounts.users import User
from services.booking.bookings import Booking
from services.booking.counters import SalesCounters
from services.booking.tickets import InvalidTicket, TicketService
from services.clock import Clock, iso, parse_iso
from services.errors import DomainError, NotFound, ServiceUnavailable
from services.i18n import t
from services.platform import dynamo
from services.platform.aws import Aws
from services.platform.logs import log_event
from services.platform.schema import BOOKINGS
from services.staff.access import AccessService, StaffMember
from services.staff.audit import AuditLog


class CheckinRefused(DomainError):
    """The ticket is genuine but does not admit here and now; ``details`` go into the API's error body."""

    def __init__(self, message: str, booking: Booking | None = None, **details: Any) -> None:
        super().__init__(message)
        self.booking = booking
        self.details = details


class AlreadyAdmitted(CheckinRefused):
    code = "already_admitted"


class BookingCancelled(CheckinRefused):
    code = "booking_cancelled"


class WrongTheater(CheckinRefused):
    code = "wrong_theater"


class NotToday(CheckinRefused):
    code = "not_today"


class ScanEachTicket(CheckinRefused):
    code = "scan_each_ticket"


@dataclass(frozen=True)
class Admission:
    booking: Booking
    admitted_at: datetime  # UTC
    admitted_by: str  # the usher's name
    ticket: int | None = None  # the GA ticket admitted (its number), or None: the booking's seats
    tickets: int = 0  # how many GA tickets the booking has

    @property
    def people(self) -> int:
        """How many people this scan lets in."""
        return 1 if self.ticket is not None else len(self.booking.numbered_seat_ids)


class CheckinService:
    def __init__(self, aws: Aws, clock: Clock, tickets: TicketService, access: AccessService,
                 audit: AuditLog, counters: SalesCounters) -> None:
        self._aws = aws
        self._counters = counters
        self._clock = clock
        self._tickets = tickets
        self._access = access
        self._audit = audit
        self._table_name = aws.table_name(BOOKINGS)
        self._table = aws.table(BOOKINGS)

    def admit(self, user: User | None, token: str, door_theater_id: str | None = None) -> Admission:
        """Admit the ticket's booking (its seats, or the one GA ticket the token names) at ``door_theater_id``
        (default: any theater of the usher)."""
        member = self._access.require(user, "checkin", door_theater_id)
        try:
            booking, ticket = self._tickets.verify_ticket(token)
        except InvalidTicket as exc:
            if exc.reason == "cancelled":
                raise BookingCancelled(t("This booking was cancelled: do not admit.")) from exc
            raise
        self._check_place_and_day(member, booking, door_theater_id)
        general = sum(1 for seat in booking.seats if not seat.is_seat)
        if ticket is None and not booking.numbered_seat_ids:
            raise ScanEachTicket(t("Each ticket of this booking has its own code: scan the ticket's code."),
                                 booking)
        at_name, by_name = _names(ticket)
        if booking.extra.get(at_name):
            raise _already(booking, ticket)
        now = self._clock.now().replace(microsecond=0)
        expression = "SET #at = :now, #by = :name"
        expression += ", admitted_by_id = :uid" if ticket is None else " ADD tickets_admitted :one"
        values: dict[str, Any] = {":now": iso(now), ":name": member.name, ":confirmed": "confirmed"}
        values |= {":uid": member.user_id} if ticket is None else {":one": 1}
        admitted = booking.numbered_seat_ids if ticket is None else [
            seat.seat_id for seat in booking.seats if not seat.is_seat and seat.number == ticket]
        actions = [
            {"Update": {
                "TableName": self._table_name,
                "Key": {"booking_id": booking.booking_id},
                "UpdateExpression": expression,
                "ConditionExpression": "#s = :confirmed AND attribute_not_exists(#at)",
                "ExpressionAttributeNames": {"#s": "status", "#at": at_name, "#by": by_name},
                "ExpressionAttributeValues": values,
            }},
            self._audit.put_action(booking.theater_id, member, "checkin.admitted", booking.booking_id, now,
                                   before=None, after={"seats": admitted, "showtime_id": booking.showtime_id}),
            # The no-show rate's "admitted" (people), in the same transaction.
            *self._counters.on_admit(booking, len(admitted)),
        ]
        try:
            dynamo.transact_write(self._aws, actions)
        except (dynamo.TransactionCancelled, dynamo.TransactionOutcomeUnknown) as exc:
            raise self._lost_race(booking.booking_id, ticket) from exc
        log_event("checkin.admitted", booking_id=booking.booking_id, theater_id=booking.theater_id,
                  usher=member.user_id, ticket=ticket)
        return Admission(booking, now, member.name, ticket, general)

    def _check_place_and_day(self, member: StaffMember, booking: Booking, door: str | None) -> None:
        if (door is not None and booking.theater_id != door) or not member.may("checkin", booking.theater_id):
            raise WrongTheater(t("This ticket is for {theater}, not this theater.", theater=booking.theater_name),
                               booking)
        today = self._clock.now().astimezone(ZoneInfo(booking.timezone)).date()
        if booking.local_start().date() != today:
            raise NotToday(t("This ticket is for {day}, not today.", day=f"{booking.local_start():%a %d %b %H:%M}"),
                           booking)

    def _lost_race(self, booking_id: str, ticket: int | None) -> DomainError:
        """Why the conditional write failed: another door admitted it, or it was cancelled meanwhile."""
        try:
            item = dynamo.get_item(self._table, {"booking_id": booking_id}, consistent=True)
        except ServiceUnavailable:
            return ServiceUnavailable(t("Tickets cannot be checked just now. Please scan again."))
        if item is None:
            return NotFound(t("No booking matches this ticket."))
        booking = Booking.from_item(item)
        if booking.extra.get(_names(ticket)[0]):
            return _already(booking, ticket)
        if booking.status != "confirmed":
            return BookingCancelled(t("This booking was cancelled: do not admit."), booking)
        return ServiceUnavailable(t("Tickets cannot be checked just now. Please scan again."))


def _names(ticket: int | None) -> tuple[str, str]:
    """The booking's attributes that say when and by whom its seats (None) or one GA ticket were admitted."""
    if ticket is None:
        return "admitted_at", "admitted_by"
    return f"ticket_{ticket}_admitted_at", f"ticket_{ticket}_admitted_by"


def _already(booking: Booking, ticket: int | None = None) -> AlreadyAdmitted:
    at_name, by_name = _names(ticket)
    admitted_at = parse_iso(str(booking.extra[at_name]))
    local = admitted_at.astimezone(ZoneInfo(booking.timezone))
    usher = booking.extra.get(by_name, "?")
    if ticket is None:
        message = t("Already admitted at {time} by {usher}.", time=f"{local:%H:%M}", usher=usher)
    else:
        message = t("Ticket {n} was already admitted at {time} by {usher}.", n=ticket, time=f"{local:%H:%M}",
                    usher=usher)
    return AlreadyAdmitted(message, booking, admitted_at=local.isoformat(),
                           **({"ticket": ticket} if ticket is not None else {}))
