""""Add to calendar" (issue 15): the .ics file read back with an independent parser (icalendar) shows the
show at the theater's local time, in its zone, for the owner only; "Book again" offers the next shows."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from services.container import Services
from services.engage.calendar import render_ics
from services.errors import NotFound
from tests.conftest import add_small_showtime
from tests.engage_helpers import book_soon
from tests.staff_helpers import customer


def parse_event(text: str) -> icalendar.cal.Component:
    calendar = icalendar.Calendar.from_ical(text)
    [event] = calendar.walk("VEVENT")
    return event


def test_the_ics_opens_at_the_shows_local_time_in_the_theaters_zone(small: Services) -> None:
    ann = customer(small, "ann")
    booking = book_soon(small, ann, ["A1", "A2"])
    file = small.engage.calendar.booking_ics(booking.booking_id, ann)
    assert file.filename == f"movie-magic-{booking.reference}.ics"
    assert "\r\n" in file.text and all(len(line.encode()) <= 75 for line in file.text.split("\r\n"))
    calendar = icalendar.Calendar.from_ical(file.text)
    [zone] = calendar.walk("VTIMEZONE")
    assert zone["TZID"] == "Asia/Kolkata"
    event = parse_event(file.text)
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    local = booking.local_start()
    assert (start.hour, start.minute, start.date()) == (local.hour, local.minute, local.date())
    assert start.utcoffset() == timedelta(hours=5, minutes=30) and start == booking.starts_at
    assert end == small.catalog.showtime(booking.showtime_id).ends_at
    assert str(event["SUMMARY"]) == "The Tiny Picture · Tiny Cinema"
    assert "A1, A2" in str(event["DESCRIPTION"]) and booking.reference in str(event["DESCRIPTION"])
    assert str(event["UID"]) == f"{booking.booking_id}@moviemagic"


def test_a_zone_with_summer_time_and_text_that_needs_escaping(small: Services) -> None:
    ann = customer(small, "ann")
    booking = book_soon(small, ann, ["A1"])
    # The same booking as if the theater were in New York in July (daylight time) with a title full of commas.
    july = booking.starts_at.replace(month=7, day=15)
    elsewhere = replace(booking, timezone="America/New_York", starts_at=july,
                        movie_title="Love, Death; and \\ Robots\nPart 2")
    event = parse_event(render_ics(elsewhere, july + timedelta(hours=2), small.clock.now(), "http://x"))
    start = event.decoded("DTSTART")
    assert start == july and start.utcoffset() == timedelta(hours=-4)
    assert start.hour == july.astimezone(ZoneInfo("America/New_York")).hour
    assert str(event["SUMMARY"]).startswith("Love, Death; and \\ Robots\nPart 2")


def test_only_the_owner_gets_the_file_of_a_standing_booking(small: Services) -> None:
    ann, bob = customer(small, "ann"), customer(small, "bob")
    booking = book_soon(small, ann, ["A1"])
    with pytest.raises(NotFound):
        small.engage.calendar.booking_ics(booking.booking_id, bob)
    small.bookings.cancel(booking.booking_id, ann)
    with pytest.raises(NotFound):
        small.engage.calendar.booking_ics(booking.booking_id, ann)


def test_book_again_offers_the_next_shows_of_that_movie_at_that_theater(small: Services) -> None:
    ann = customer(small, "ann")
    booking = book_soon(small, ann, ["A1"])
    later = [add_small_showtime(small, f"tiny-again-{hours}", timedelta(hours=hours)) for hours in (30, 8, 50, 70)]
    shows = small.engage.rebooking.next_shows(booking)
    assert len(shows) == 3 and [s.starts_at for s in shows] == sorted(s.starts_at for s in shows)
    assert later[1] in [s.showtime_id for s in shows]  # the soonest new one
    assert all(s.theater_id == booking.theater_id and s.movie_id == booking.movie_id for s in shows)
    assert "tiny-soon" not in [s.showtime_id for s in shows]  # starts in 5 minutes: sales closed
