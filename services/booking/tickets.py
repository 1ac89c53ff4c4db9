"""Signed ticket tokens: what the QR code on a ticket carries, and how the door checks it.

A token is ``MM1.<BOOKING ID>.<ISSUED>.<SIGNATURE>``: the booking id, when the booking was made (epoch
seconds, base 36) and the first 120 bits of HMAC-SHA256 over both, keyed from ``settings.ticket_secret``,
in base 32. Everything is upper case on purpose: QR codes store the characters 0-9, A-Z and ``.-:``
in "alphanumeric" mode at 5.5 bits each instead of 8, so the 74-character token fits a version-4 code
(33x33 modules, error correction M) where lower case would need version 5: large modules that any phone
camera or door scanner reads at a glance.

The token is derived from the booking, never stored: the same booking always yields the same token.
``verify`` trusts nothing the phone shows: it checks the signature in constant time, then that the
booking exists, was issued at that moment, and is still confirmed, so a cancelled booking's ticket is
rejected at the door. Check-in screens call ``verify`` (they come later).

General-admission tickets (events) admit one person each, so each has its own token: the booking id
followed by ``:<ticket number>`` (``MM1.<BOOKING ID>:<N>.<ISSUED>.<SIGNATURE>``; ``:`` is one of the QR
alphanumeric characters). The booking's own token admits its numbered seats (``codes`` lists what a
ticket shows: the seats' code, then one per GA ticket).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import segno

from services.booking.models import Booking
from services.clock import parse_iso
from services.errors import DomainError
from services.i18n import t
from services.platform import dynamo
from services.platform.aws import Aws
from services.platform.schema import BOOKINGS
from services.settings import Settings

VERSION = "MM1"
_SIGNATURE_BYTES = 15  # 120 bits: exactly 24 base-32 characters, no padding
_BOOKING_ID = re.compile(r"^[a-z0-9-]{1,64}$")
_TICKET_NUMBER = re.compile(r"^[0-9]{1,3}$")
Reason = Literal["malformed", "bad_signature", "unknown_booking", "cancelled"]


@dataclass(frozen=True)
class TicketCode:
    """One code a ticket shows: the booking's numbered seats (``ticket`` None) or one GA ticket (its number)."""

    token: str
    ticket: int | None
    label: str  # what it admits: the seats, or the ticket type and number


class InvalidTicket(DomainError):
    code = "invalid_ticket"

    def __init__(self, message: str, reason: Reason) -> None:
        super().__init__(message)
        self.reason = reason


class TicketService:
    def __init__(self, aws: Aws, settings: Settings) -> None:
        if not settings.ticket_secret:
            raise ValueError("ticket_secret is empty: set MOVIEMAGIC_TICKET_SECRET (embedded mode generates one)")
        # A key of its own, derived from the secret, so the secret is never used for anything else as is.
        self._key = hashlib.sha256(f"moviemagic-ticket:{settings.ticket_secret}".encode()).digest()
        self._bookings = aws.table(BOOKINGS)

    def token_for(self, booking: Booking, ticket: int | None = None) -> str:
        """The booking's token (its numbered seats), or with ``ticket`` that GA ticket's own token."""
        if not _BOOKING_ID.match(booking.booking_id):
            raise ValueError(f"booking id {booking.booking_id!r} cannot be carried in a ticket token")
        subject = booking.booking_id.upper() + (f":{ticket}" if ticket is not None else "")
        body = f"{VERSION}.{subject}.{_base36(_issued(booking))}"
        return f"{body}.{self._sign(body)}"

    def qr(self, booking: Booking, ticket: int | None = None) -> segno.QRCode:
        """The ticket's QR code (error correction M: still reads with a scratched or glossy screen)."""
        return qr_code(self.token_for(booking, ticket))

    def codes(self, booking: Booking) -> list[TicketCode]:
        """What the ticket shows at the door: one code for the numbered seats (if any), one per GA ticket."""
        codes: list[TicketCode] = []
        if booking.numbered_seat_ids:
            codes.append(TicketCode(self.token_for(booking), None, ", ".join(booking.numbered_seat_ids)))
        general = [seat for seat in booking.seats if not seat.is_seat]
        for seat in general:
            codes.append(TicketCode(self.token_for(booking, seat.number), seat.number,
                                    t("Ticket {n} of {total} · {type}", n=seat.number, total=len(general),
                                      type=seat.category_name)))
        return codes

    def verify(self, token: str) -> Booking:
        """The confirmed booking a token admits; InvalidTicket (with a reason) otherwise."""
        return self.verify_ticket(token)[0]

    def verify_ticket(self, token: str) -> tuple[Booking, int | None]:
        """The confirmed booking and, for a GA ticket's token, its ticket number; InvalidTicket otherwise."""
        parts = token.strip().upper().split(".")
        if len(parts) != 4 or parts[0] != VERSION or not parts[1] or not parts[2].isalnum():
            raise InvalidTicket(t("This is not a Movie Magic ticket."), "malformed")
        booking_id, _, number = parts[1].partition(":")
        if not booking_id or (number and not _TICKET_NUMBER.match(number)) or parts[1].endswith(":"):
            raise InvalidTicket(t("This is not a Movie Magic ticket."), "malformed")
        body, signature = ".".join(parts[:3]), parts[3]
        if not hmac.compare_digest(self._sign(body), signature):
            raise InvalidTicket(t("This ticket's signature is not valid."), "bad_signature")
        booking = self._find(booking_id.lower())
        if booking is None or _base36(_issued(booking)) != parts[2]:
            raise InvalidTicket(t("No booking matches this ticket."), "unknown_booking")
        ticket = int(number) if number else None
        if ticket is not None and ticket not in {seat.number for seat in booking.seats if not seat.is_seat}:
            raise InvalidTicket(t("No booking matches this ticket."), "unknown_booking")
        if booking.status != "confirmed":
            raise InvalidTicket(t("This booking was cancelled; its ticket is no longer valid."), "cancelled")
        return booking, ticket

    def _sign(self, body: str) -> str:
        digest = hmac.new(self._key, body.encode(), hashlib.sha256).digest()[:_SIGNATURE_BYTES]
        return base64.b32encode(digest).decode()

    def _find(self, booking_id: str) -> Booking | None:
        item = dynamo.get_item(self._bookings, {"booking_id": booking_id}, consistent=True,
                               message=t("Tickets cannot be checked just now. Please try again."))
        return Booking.from_item(item) if item else None


def qr_code(token: str) -> segno.QRCode:
    return segno.make_qr(token, error="m", boost_error=False)


def _issued(booking: Booking) -> int:
    created: datetime = parse_iso(booking.created_at)
    return int(created.timestamp())


def _base36(number: int) -> str:
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    text = ""
    while True:
        number, remainder = divmod(number, 36)
        text = digits[remainder] + text
        if number == 0:
            return text
