"""The one formatting module: money as customers read it, show times on the theater's clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from services.formatting import (
    clock_time,
    date_time,
    day_month,
    day_name,
    format_money,
    long_date,
    show_clock,
    show_date,
    show_time,
    show_zone,
    zone_label,
)
from services.i18n import current_language


@dataclass(frozen=True)
class Show:
    starts_at: datetime
    timezone: str


@pytest.mark.parametrize(("minor", "currency", "text"), [
    (0, "INR", "₹0"),
    (75000, "INR", "₹750"),
    (15120, "INR", "₹151.20"),
    (12345650, "INR", "₹1,23,456.50"),  # lakhs: Indian grouping
    (1234567800, "INR", "₹1,23,45,678"),
    (123456789, "USD", "$1,234,567.89"),
    (-9000, "INR", "-₹90"),
    (500, "XYZ", "XYZ 5"),
])
def test_money_reads_as_customers_read_it(minor: int, currency: str, text: str) -> None:
    assert format_money(minor, currency) == text


def test_a_show_prints_on_its_theaters_clock_not_the_servers() -> None:
    # 14:00 UTC is 7:30 PM in Kolkata and 10 AM (summer time) in New York, the same moment.
    moment = datetime(2025, 6, 14, 14, 0, tzinfo=UTC)
    kolkata, new_york = Show(moment, "Asia/Kolkata"), Show(moment, "America/New_York")
    assert show_time(kolkata) == "Sat 14 Jun, 7:30 PM"
    assert show_time(kolkata, year=True, zone_name=True) == "Sat 14 Jun 2025, 7:30 PM IST"
    assert show_time(new_york, zone_name=True) == "Sat 14 Jun, 10:00 AM EDT"
    assert (show_date(kolkata, year=True), show_clock(kolkata), show_zone(kolkata)) == ("Sat 14 Jun 2025", "7:30 PM",
                                                                                        "IST")


def test_the_theater_date_is_its_own_even_when_utc_is_still_yesterday() -> None:
    late = Show(datetime(2025, 6, 13, 19, 0, tzinfo=UTC), "Asia/Kolkata")  # 00:30 on the 14th in Kolkata
    assert show_date(late) == "Sat 14 Jun" and show_clock(late) == "12:30 AM"


@pytest.mark.parametrize(("hour", "minute", "text"), [(0, 5, "12:05 AM"), (9, 0, "9:00 AM"), (12, 0, "12:00 PM"),
                                                      (23, 59, "11:59 PM")])
def test_clock_times_are_twelve_hour_without_a_leading_zero(hour: int, minute: int, text: str) -> None:
    assert clock_time(datetime(2025, 1, 1, hour, minute, tzinfo=UTC), "UTC") == text


def test_dates_for_chips_and_stamps() -> None:
    day = date(2025, 6, 4)
    assert (day_name(day), day_month(day), long_date(day), long_date(day, year=True)) == (
        "Wed", "4 Jun", "Wed 4 Jun", "Wed 4 Jun 2025")
    assert date_time(datetime(2025, 6, 4, 18, 5, tzinfo=UTC), "UTC", zone_name=True) == "Wed 4 Jun, 6:05 PM UTC"


def test_a_language_without_tables_falls_back_to_english() -> None:
    token = current_language.set("xx")
    try:
        assert day_name(date(2025, 6, 4)) == "Wed"
        assert day_name(date(2025, 6, 4), language="en") == "Wed"
    finally:
        current_language.reset(token)


@pytest.mark.parametrize(("language", "money", "when", "zone"), [
    ("en", "₹1,23,456.50", "Sat 14 Jun 2025, 7:30 PM", "India Standard Time"),
    ("hi", "₹1,23,456.50", "शनि 14 जून 2025, 7:30 pm", "भारतीय मानक समय"),
    ("te", "₹1,23,456.50", "శని 14 జూన్ 2025, 7:30 PM", "భారతదేశ ప్రామాణిక సమయం"),
    ("ta", "₹\u00a01,23,456.50", "சனி 14 ஜூன் 2025, 7:30 PM", "இந்திய நிலையான நேரம்"),
])
def test_each_language_reads_money_dates_and_zones_its_own_way_with_indian_grouping_for_rupees(
        language: str, money: str, when: str, zone: str) -> None:
    kolkata = Show(datetime(2025, 6, 14, 14, 0, tzinfo=UTC), "Asia/Kolkata")
    assert format_money(12345650, "INR", language=language) == money
    assert show_time(kolkata, year=True, language=language) == when
    assert zone_label(kolkata.timezone, kolkata.starts_at, language=language) == f"{zone} (IST)"


def test_the_current_language_is_the_default() -> None:
    token = current_language.set("hi")
    try:
        assert (day_name(date(2025, 6, 4)), format_money(1234500)) == ("बुध", "₹12,345")
    finally:
        current_language.reset(token)
def test_time_zones_read_as_people_name_them() -> None:
    moment = datetime(2025, 6, 13, 13, 0, tzinfo=UTC)
    assert zone_label("Asia/Kolkata", moment) == "India Standard Time (IST)"
    assert zone_label("Asia/Kathmandu", moment) == "Nepal Time (+0545)"
    assert zone_label("America/New_York", moment) == "Eastern Daylight Time (EDT)"  # never the IANA id
