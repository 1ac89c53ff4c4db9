"""What a confirmation or cancellation says: subject and plain-text body, composed from a booking.

SNS email is plain text, so the body is laid out in aligned lines that read well in any mail client.
The helpers (seats, amounts) are shared with the ticket page and the PDF ticket, so every
place shows the same facts the same way. All text goes through ``t()``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from services.booking.models import Booking
from services.booking.pricing import PricedSeat
from services.formatting import format_money, show_time, zone_label
from services.i18n import speaking, t, tn

Kind = Literal["booking_confirmed", "booking_cancelled", "password_reset", "booking_reminder",
               "waitlist_offer"]
MAX_SUBJECT = 99  # SNS: "less than 100 characters", no line breaks


@dataclass(frozen=True)
class Message:
    kind: Kind
    booking_id: str
    recipient: str  # the booking owner's email ("" for a guest without one)
    subject: str
    body: str


def seat_groups(seats: Iterable[PricedSeat]) -> list[tuple[str, list[str], int]]:
    """Seats grouped by category, in booking order: ``[("Prime", ["F7", "F8"], 45000), ...]``."""
    groups: dict[str, tuple[list[str], int]] = {}
    for seat in seats:
        ids, _ = groups.setdefault(seat.category_name, ([], seat.price))
        ids.append(seat.seat_id)
    return [(name, ids, price) for name, (ids, price) in groups.items()]


def seats_text(booking: Booking) -> str:
    """``F7, F8 (Prime) · H12 (Recliner)``."""
    return " · ".join(f"{', '.join(ids)} ({name})" for name, ids, _ in seat_groups(booking.seats))


def amount_rows(booking: Booking) -> list[tuple[str, str]]:
    """Label / amount rows, ending with the total (and the refund once cancelled)."""
    price, currency = booking.price, booking.price.currency
    count = len(booking.seats)
    rows = [
        (t("Tickets ({count})", count=count), format_money(price.subtotal, currency)),
        (t("Convenience fee"), format_money(price.fee, currency)),
        (t("Taxes"), format_money(price.tax, currency)),
        (t("Total paid"), format_money(price.total, currency)),
    ]
    if booking.status == "cancelled" and booking.refund is not None:
        rows.append((t("Refund"), format_money(booking.refund, currency)))
    return rows


def ticket_url(base_url: str, booking_id: str) -> str:
    return f"{base_url.rstrip('/')}/ticket/{booking_id}"


class MessageComposer:
    def __init__(self, base_url: str, cancel_cutoff_minutes: int) -> None:
        self._base_url = base_url.rstrip("/")
        self._cutoff_minutes = cancel_cutoff_minutes

    def compose(self, kind: Kind, booking_item: dict[str, Any]) -> Message:
        """The message for an outbox record's copy of the booking."""
        booking = Booking.from_item(booking_item)
        with speaking(booking.extra.get("language")):  # the language the customer booked in
            if kind == "booking_cancelled":
                return Message(kind, booking.booking_id, booking.email, self._cancelled_subject(booking),
                               self._cancelled_body(booking))
            if kind == "booking_reminder":  # issue 15: written at the sale, due some hours before the show
                return Message(kind, booking.booking_id, booking.email, self._reminder_subject(booking),
                               self._reminder_body(booking))
            return Message(kind, booking.booking_id, booking.email, self._confirmed_subject(booking),
                           self._confirmed_body(booking))

    def stored(self, kind: Kind, record: dict[str, Any]) -> Message:
        """An outbox record's message: composed up front (account emails) or from its booking copy."""
        if "message" in record:
            message = record["message"]
            return Message(kind, "", str(record["email"]), str(message["subject"]), str(message["body"]))
        return self.compose(kind, record["booking"])

    def password_reset(self, email: str, link: str, minutes: int) -> Message:
        body = "\n".join([
            t("Someone (we hope you) asked to reset the password of your Movie Magic account."),
            "",
            t("Choose a new password here (the link works once, for {minutes} minutes):", minutes=minutes),
            link,
            "",
            t("If you did not ask for this, ignore this email: your password stays as it is."),
            "",
            t("Movie Magic"),
        ])
        return Message("password_reset", "", email, t("Reset your Movie Magic password"), body)

    # Confirmation ---------------------------------------------------------------------------------
    def _confirmed_subject(self, booking: Booking) -> str:
        return _subject(t("Booking confirmed: {movie}, {when}", movie="{movie}", when=show_time(booking)),
                        booking.movie_title)

    def _confirmed_body(self, booking: Booking) -> str:
        lines = [
            t("Your booking is confirmed. Enjoy the show!"),
            "",
            t("Your ticket (show the QR code at the entrance):"),
            ticket_url(self._base_url, booking.booking_id),
            "",
            *self._facts(booking),
            "",
            *_table(amount_rows(booking)),
            *([t("Paid by card ending {last4}.", last4=booking.card_last4)] if booking.card_last4 else []),
            *([t("Paid by UPI from {vpa}.", vpa=booking.upi_vpa)] if booking.upi_vpa else []),
            "",
            t("Please arrive 15 minutes early. You can cancel up to {hours} before the show in My bookings:",
              hours=_duration(self._cutoff_minutes)),
            f"{self._base_url}/bookings",
            "",
            t("Movie Magic"),
        ]
        return "\n".join(lines)

    # Reminder -------------------------------------------------------------------------------------
    def _reminder_subject(self, booking: Booking) -> str:
        return _subject(t("Reminder: {movie}, {when}", movie="{movie}", when=show_time(booking)), booking.movie_title)

    def _reminder_body(self, booking: Booking) -> str:
        lines = [
            t("Your show is coming up soon. Please arrive 15 minutes early."),
            "",
            t("Your ticket (show the QR code at the entrance):"),
            ticket_url(self._base_url, booking.booking_id),
            "",
            *self._facts(booking),
            "",
            t("Movie Magic"),
        ]
        return "\n".join(lines)

    # Cancellation ---------------------------------------------------------------------------------
    def _cancelled_subject(self, booking: Booking) -> str:
        refund = format_money(booking.refund or 0, booking.price.currency)
        return _subject(t("Booking cancelled: {movie}, {when}, refund {refund}", movie="{movie}",
                          when=show_time(booking), refund=refund), booking.movie_title)

    def _cancelled_body(self, booking: Booking) -> str:
        refund = format_money(booking.refund or 0, booking.price.currency)
        card = (t(" to your card ending {last4}", last4=booking.card_last4) if booking.card_last4
                else t(" to your UPI ID {vpa}", vpa=booking.upi_vpa) if booking.upi_vpa else "")
        lines = [
            t("Your booking has been cancelled and its seats released."),
            t("We are refunding {refund}{card}; banks usually take 5 to 7 working days.", refund=refund, card=card),
            "",
            *self._facts(booking),
            "",
            *_table(amount_rows(booking)),
            "",
            t("The ticket for this booking is no longer valid. Your bookings:"),
            f"{self._base_url}/bookings",
            "",
            t("Movie Magic"),
        ]
        return "\n".join(lines)

    def _facts(self, booking: Booking) -> list[str]:
        if not booking.numbered_seat_ids:  # general admission (events): venue, entry, ticket numbers
            return _table([
                (t("Reference"), booking.reference),
                (t("Booking"), booking.booking_id),
                (t("Event"), booking.movie_title),
                (t("When"), f"{show_time(booking, year=True, zone_name=True)} ({booking.timezone})"),
                (t("Venue"), booking.theater_name),
                (t("Address"), booking.theater_address or booking.city),
                (t("Entry"), booking.screen_name),
                (t("Tickets"), seats_text(booking)),
            ])
        return _table([
            (t("Reference"), booking.reference),
            (t("Booking"), booking.reference),
            (t("Movie"), booking.movie_title),
            (t("When"), f"{show_time(booking, year=True)} {zone_label(booking.timezone, booking.starts_at)}"),
            (t("Theater"), booking.theater_name),
            (t("Address"), booking.theater_address or booking.city),
            (t("Screen"), booking.screen_name),
            (t("Seats"), seats_text(booking)),
        ])


def _subject(template: str, movie: str) -> str:
    """Fill the movie title into ``template``, shortening the title (never the rest) to fit SNS's limit."""
    room = MAX_SUBJECT - len(template.replace("{movie}", ""))
    title = movie if len(movie) <= room else movie[: max(1, room - 1)].rstrip() + "…"
    return " ".join(template.replace("{movie}", title).split())[:MAX_SUBJECT]


def _table(rows: list[tuple[str, str]]) -> list[str]:
    width = max(len(label) for label, _ in rows) + 2
    return [f"  {label.ljust(width)}{value}" for label, value in rows]


def _duration(minutes: int) -> str:
    if minutes % 60 == 0:
        hours = minutes // 60
        return tn("{n} hour", "{n} hours", hours)
    return tn("{n} minute", "{n} minutes", minutes)
