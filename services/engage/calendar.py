""""Add to calendar": an iCalendar (RFC 5545) file for a booking, in the theater's own time zone.

The event's start and end carry ``TZID=<IANA zone>`` and the file holds a matching ``VTIMEZONE`` with the
zone's offset on the show's date, so a calendar shows the show at the time printed on the ticket
wherever the phone happens to be. Written by hand (a dozen lines of text): no library on the server.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from services.booking.bookings import BookingService
from services.booking.models import Booking, Customer
from services.catalog.catalog import CatalogService
from services.clock import Clock
from services.errors import NotFound
from services.i18n import t

FALLBACK_LENGTH = timedelta(hours=3)  # a show no longer in the catalog: a generous evening


@dataclass(frozen=True)
class CalendarFile:
    filename: str
    text: str


class CalendarService:
    def __init__(self, clock: Clock, catalog: CatalogService, bookings: BookingService, base_url: str) -> None:
        self._clock = clock
        self._catalog = catalog
        self._bookings = bookings
        self._base_url = base_url

    def booking_ics(self, booking_id: str, customer: Customer) -> CalendarFile:
        """The calendar file of a booking its owner (or an admin) holds a ticket for (the ticket rule)."""
        booking = self._bookings.ticket(booking_id, customer)
        try:
            ends_at = self._catalog.showtime(booking.showtime_id).ends_at
        except NotFound:
            ends_at = booking.starts_at + FALLBACK_LENGTH
        return CalendarFile(f"movie-magic-{booking.reference}.ics",
                            render_ics(booking, ends_at, self._clock.now(), self._base_url))


def render_ics(booking: Booking, ends_at: datetime, now: datetime, base_url: str) -> str:
    zone = ZoneInfo(booking.timezone)
    start, end = booking.starts_at.astimezone(zone), ends_at.astimezone(zone)
    seats = ", ".join(booking.seat_ids)
    description = "\n".join([
        t("Booking {reference}", reference=booking.reference),
        f"{booking.screen_name} · {t('Seats')}: {seats}",
        t("Ticket: {url}", url=f"{base_url}/ticket/{booking.booking_id}"),
    ])
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Movie Magic//Tickets//EN", "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        *_vtimezone(booking.timezone, start),
        "BEGIN:VEVENT",
        f"UID:{booking.booking_id}@moviemagic",
        f"DTSTAMP:{now.astimezone(ZoneInfo('UTC')):%Y%m%dT%H%M%SZ}",
        f"DTSTART;TZID={booking.timezone}:{start:%Y%m%dT%H%M%S}",
        f"DTEND;TZID={booking.timezone}:{end:%Y%m%dT%H%M%S}",
        f"SUMMARY:{_text(f'{booking.movie_title} · {booking.theater_name}')}",
        f"LOCATION:{_text(f'{booking.theater_name}, {booking.theater_address}'.rstrip(', '))}",
        f"DESCRIPTION:{_text(description)}",
        f"URL:{base_url}/ticket/{booking.booking_id}",
        "BEGIN:VALARM", "ACTION:DISPLAY", "TRIGGER:-PT1H", f"DESCRIPTION:{_text(booking.movie_title)}", "END:VALARM",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(_fold(line) + "\r\n" for line in lines)


def _vtimezone(zone_name: str, local_start: datetime) -> list[str]:
    """The zone as it is on the show's date: one STANDARD rule with that day's offset and abbreviation
    (enough for a single event; calendars that know the IANA name use their own rules anyway)."""
    offset = _offset(local_start.utcoffset() or timedelta(0))
    return ["BEGIN:VTIMEZONE", f"TZID:{zone_name}", "BEGIN:STANDARD", "DTSTART:19700101T000000",
            f"TZOFFSETFROM:{offset}", f"TZOFFSETTO:{offset}", f"TZNAME:{_text(local_start.tzname() or zone_name)}",
            "END:STANDARD", "END:VTIMEZONE"]


def _offset(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def _text(value: str) -> str:
    """RFC 5545 TEXT escaping: backslash, semicolon, comma and line breaks."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after CRLF + space (never inside a character)."""
    out: list[str] = []
    current = b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode())
            current = b""
        current += encoded
    out.append(current.decode())
    return "\r\n ".join(out)
