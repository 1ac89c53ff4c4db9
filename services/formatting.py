"""How money, dates and show times read for people: one place, so pages, emails, the PDF and messages agree.

Money is integer minor units (paise, cents) everywhere; this only formats it. Moments are shown in the
theater's own time zone (a show's ``timezone``, an IANA name), never the server's: the functions take the
zone (or the show, which carries it) and convert. Names of days and months come from this module's own
tables, not the process locale. Every function takes an optional ``language`` (default: the current one,
``services.i18n.current_language``); only English exists today, and the languages issue plugs Babel in here.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from services.i18n import current_language, t

_SYMBOLS = {"INR": "₹", "USD": "$", "EUR": "€", "GBP": "£", "NPR": "रू"}
_DAYS = {"en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}
_MONTHS = {"en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")}


class Scheduled(Protocol):
    """Anything that starts at a moment in a theater: a showtime, a booking."""

    @property
    def starts_at(self) -> datetime: ...  # aware (UTC)
    @property
    def timezone(self) -> str: ...  # the theater's IANA zone


# Money --------------------------------------------------------------------------------------------
def format_money(minor: int, currency: str = "INR", *, language: str | None = None) -> str:
    """``₹1,23,456.50`` (Indian grouping for rupees), ``$1,234``: cents only when there are some."""
    _language(language)
    symbol = _SYMBOLS.get(currency, currency + " ")
    major, cents = divmod(abs(minor), 100)
    sign = "-" if minor < 0 else ""
    grouped = _indian_grouping(major) if currency == "INR" else f"{major:,}"
    return f"{sign}{symbol}{grouped}" + (f".{cents:02d}" if cents else "")


# Moments in a theater's zone ----------------------------------------------------------------------
def in_zone(moment: datetime, zone: str) -> datetime:
    """The same moment on the theater's clock (``zone`` is its IANA name)."""
    return moment.astimezone(ZoneInfo(zone))


def clock_time(moment: datetime, zone: str, *, language: str | None = None) -> str:
    """``7:30 PM`` on the theater's clock."""
    _language(language)
    local = in_zone(moment, zone)
    return f"{local.hour % 12 or 12}:{local.minute:02d} {'PM' if local.hour >= 12 else 'AM'}"


def zone_abbreviation(moment: datetime, zone: str) -> str:
    """``IST``: the theater's zone as a clock there shows it at that moment (summer time included)."""
    return in_zone(moment, zone).tzname() or zone


def day_name(day: date, *, language: str | None = None) -> str:
    """``Sat``."""
    return _DAYS[_language(language)][day.weekday()]


def month_name(day: date, *, language: str | None = None) -> str:
    """``Jun``."""
    return _MONTHS[_language(language)][day.month - 1]


def day_month(day: date, *, language: str | None = None) -> str:
    """``14 Jun`` (a date chip)."""
    return f"{day.day} {month_name(day, language=language)}"


def long_date(day: date, *, year: bool = False, language: str | None = None) -> str:
    """``Sat 14 Jun`` or, with the year, ``Sat 14 Jun 2025``."""
    text = f"{day_name(day, language=language)} {day_month(day, language=language)}"
    return f"{text} {day.year}" if year else text


def date_time(moment: datetime, zone: str, *, year: bool = False, zone_name: bool = False,
              language: str | None = None) -> str:
    """``Sat 14 Jun, 7:30 PM`` on the theater's clock; ``year``/``zone_name`` add ``2025`` / ``IST``."""
    local = in_zone(moment, zone)
    text = f"{long_date(local.date(), year=year, language=language)}, {clock_time(local, zone, language=language)}"
    return f"{text} {zone_abbreviation(moment, zone)}" if zone_name else text


# A show (showtime or booking) ---------------------------------------------------------------------
def show_time(show: Scheduled, *, year: bool = False, zone_name: bool = False, language: str | None = None) -> str:
    """When a show starts, on its theater's clock: ``Sat 14 Jun, 7:30 PM`` (see ``date_time``)."""
    return date_time(show.starts_at, show.timezone, year=year, zone_name=zone_name, language=language)


def show_date(show: Scheduled, *, year: bool = False, language: str | None = None) -> str:
    """``Sat 14 Jun`` (``2025`` with ``year``), the theater's date of the show."""
    return long_date(in_zone(show.starts_at, show.timezone).date(), year=year, language=language)


def show_clock(show: Scheduled, *, language: str | None = None) -> str:
    """``7:30 PM``, the theater's clock at the start of the show."""
    return clock_time(show.starts_at, show.timezone, language=language)


# Human names of the time zones the theaters are in (a customer never reads "Asia/Kolkata").
_ZONE_NAMES = {"Asia/Kolkata": "India Standard Time", "Asia/Calcutta": "India Standard Time",
               "Asia/Kathmandu": "Nepal Time", "Asia/Dhaka": "Bangladesh Time", "Asia/Colombo": "Sri Lanka Time",
               "Asia/Dubai": "Gulf Standard Time", "Asia/Singapore": "Singapore Time", "UTC": "UTC"}


def zone_label(zone: str, moment: datetime | None = None) -> str:
    """``India Standard Time (IST)``: the zone's human name and abbreviation (just the abbreviation when
    the zone has no name here)."""
    abbreviation = zone_abbreviation(moment or datetime.now(ZoneInfo("UTC")), zone)
    name = _ZONE_NAMES.get(zone)
    return f"{t(name)} ({abbreviation})" if name and name != abbreviation else abbreviation


def show_zone(show: Scheduled) -> str:
    """``IST``."""
    return zone_abbreviation(show.starts_at, show.timezone)


# Helpers ------------------------------------------------------------------------------------------
def _language(language: str | None) -> str:
    """The language to format in; one without tables yet falls back to English, as ``t()`` does."""
    wanted = language or current_language.get()
    return wanted if wanted in _DAYS else "en"


def _indian_grouping(number: int) -> str:
    """12,34,567 — lakhs and crores, as Indian customers read prices."""
    text = str(number)
    if len(text) <= 3:
        return text
    head, tail = text[:-3], text[-3:]
    groups: list[str] = []
    while len(head) > 2:
        groups.insert(0, head[-2:])
        head = head[:-2]
    if head:
        groups.insert(0, head)
    return ",".join(groups) + "," + tail
