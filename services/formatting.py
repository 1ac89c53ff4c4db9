"""How money, dates and show times read for people: one place, so pages, emails, the PDF and messages agree.

Money is integer minor units (paise, cents) everywhere; this only formats it. Moments are shown in the
theater's own time zone (a show's ``timezone``, an IANA name), never the server's: the functions take the
zone (or the show, which carries it) and convert. Names of days and months, the clock, digit grouping and
time-zone names come from Babel's CLDR data for the language, never the process locale. Every function takes
an optional ``language`` (default: the current one, ``services.i18n.language()``); rupees always use Indian
grouping (lakhs, crores), whatever the language.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Protocol
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_time, get_timezone_name
from babel.numbers import format_currency, get_currency_symbol

from services.i18n import SHIPPED
from services.i18n import language as current

_SYMBOLS = {"NPR": "रू"}  # where CLDR has only the code and customers read a sign
_NARROW_SPACE = "\u202f"  # CLDR puts it before AM/PM; the PDF fonts lack it and a plain space reads the same


class Scheduled(Protocol):
    """Anything that starts at a moment in a theater: a showtime, a booking."""

    @property
    def starts_at(self) -> datetime: ...  # aware (UTC)
    @property
    def timezone(self) -> str: ...  # the theater's IANA zone


# Money --------------------------------------------------------------------------------------------
def format_money(minor: int, currency: str = "INR", *, language: str | None = None) -> str:
    """``₹1,23,456.50`` (Indian grouping for rupees in every language), ``$1,234``: cents only when there are
    some; the sign's place and spacing as the language writes it."""
    locale = _locale(language)
    pattern = locale.currency_formats["standard"].pattern.split(";")[0]
    if currency == "INR" and "#,##,##0" not in pattern:
        pattern = pattern.replace("#,##0", "#,##,##0")
    if minor % 100 == 0:
        pattern = pattern.replace(".00", "")
    symbol = _SYMBOLS.get(currency) or get_currency_symbol(currency, locale=locale)
    if symbol == currency:  # no sign for it: the code, then a space
        pattern = pattern.replace("¤", "¤ ").replace("¤ \u00a0", "¤ ")
    text = format_currency(Decimal(minor) / 100, currency, format=pattern, locale=locale, currency_digits=False)
    return text.replace(get_currency_symbol(currency, locale=locale), symbol) if currency in _SYMBOLS else text


# Moments in a theater's zone ----------------------------------------------------------------------
def in_zone(moment: datetime, zone: str) -> datetime:
    """The same moment on the theater's clock (``zone`` is its IANA name)."""
    return moment.astimezone(ZoneInfo(zone))


def clock_time(moment: datetime, zone: str, *, language: str | None = None) -> str:
    """``7:30 PM`` on the theater's clock (``7:30 pm`` in Hindi)."""
    code = _language(language)
    local = in_zone(moment, zone).replace(tzinfo=None)
    text = format_time(local, "h:mm a" if code == "en" else "short", locale=_locale(code))
    return text.replace(_NARROW_SPACE, " ")


def zone_abbreviation(moment: datetime, zone: str) -> str:
    """``IST``: the theater's zone as a clock there shows it at that moment (summer time included)."""
    return in_zone(moment, zone).tzname() or zone


def zone_name(moment: datetime, zone: str, *, language: str | None = None) -> str:
    """``India Standard Time`` (``भारतीय मानक समय``): the theater's zone as people call it, not its IANA id."""
    return get_timezone_name(in_zone(moment, zone), width="long", locale=_locale(language))


def day_name(day: date, *, language: str | None = None) -> str:
    """``Sat``."""
    return format_date(day, "EEE", locale=_locale(language))


def month_name(day: date, *, language: str | None = None) -> str:
    """``Jun``."""
    return format_date(day, "MMM", locale=_locale(language))


def day_month(day: date, *, language: str | None = None) -> str:
    """``14 Jun`` (a date chip)."""
    return format_date(day, "d MMM", locale=_locale(language))


def long_date(day: date, *, year: bool = False, language: str | None = None) -> str:
    """``Sat 14 Jun`` or, with the year, ``Sat 14 Jun 2025``."""
    return format_date(day, "EEE d MMM y" if year else "EEE d MMM", locale=_locale(language))


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
def zone_label(zone: str, moment: datetime, *, language: str | None = None) -> str:
    """``India Standard Time (IST)``: the zone as people call it (Babel, in the language) and its abbreviation,
    never the IANA id."""
    abbreviation = zone_abbreviation(moment, zone)
    name = zone_name(moment, zone, language=language)
    return name if name == abbreviation else f"{name} ({abbreviation})"


def show_zone(show: Scheduled) -> str:
    """``IST``."""
    return zone_abbreviation(show.starts_at, show.timezone)


# Helpers ------------------------------------------------------------------------------------------
def _language(language: str | None) -> str:
    """The language to format in; one Babel has no data for (the pseudo-locale) formats as English."""
    wanted = language or current()
    return wanted if wanted in SHIPPED else "en"


@cache
def _locale_of(code: str) -> Locale:
    return Locale.parse(code)


def _locale(language: str | None) -> Locale:
    return _locale_of(_language(language))
