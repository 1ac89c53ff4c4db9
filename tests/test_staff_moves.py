"""Moving a show (services/staff/moves.py) over moto: the same no-overlap check as scheduling, a new screen
only if it seats what is sold, one "your show moved" email per booking even across a crash, reminders that
follow the new time, free cancellation with a full refund, the audit entry, and the API route."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any, NamedTuple

import pytest
from fastapi.testclient import TestClient

from services.accounts.users import User
from services.booking.models import Booking
from services.catalog.models import Showtime
from services.clock import iso
from services.container import Services
from services.errors import Forbidden, InvalidRequest
from services.events.editor import PerformanceDraft
from services.notify.notifications import LEASE
from services.notify.outbox import notification_id
from services.platform.schema import OUTBOX, THEATERS
from services.staff.moves import JOB_LEASE, LayoutDoesNotFit
from services.staff.schedule import ScheduleConflict
from tests.conftest import SMALL_LAYOUT, SMALL_PRICES, api_client, fake_clock
from tests.events_helpers import add_event
from tests.faults import Faults, unreachable
from tests.staff_helpers import customer, staff
from tests.test_notifications import book, drain, inbox, worker
from tests.test_staff_schedule import IST, SCREEN, at, bearer, show

SMALLER = {**SMALL_LAYOUT, "layout_id": "tinier", "rows": [{"label": "A", "category": "classic", "seats": "ssss"}]}


def add_screens(services: Services) -> None:
    """Two more screens in the tiny theater: ``tiny-2`` has the same seats, ``tiny-3`` only row A1-A4."""
    table = services.aws.table(THEATERS)
    theater = table.get_item(Key={"theater_id": "tiny-theater"})["Item"]
    theater["screens"] += [
        {"screen_id": "tiny-2", "name": "Screen 2", "format": "IMAX", "prices": SMALL_PRICES, "layout": SMALL_LAYOUT},
        {"screen_id": "tiny-3", "name": "Screen 3", "format": "2D", "prices": SMALL_PRICES, "layout": SMALLER},
    ]
    table.put_item(Item=theater)
    services.catalog.invalidate()


def moved_mails(services: Services, booking: Booking) -> list[dict[str, Any]]:
    table = services.aws.table(OUTBOX)
    found = []
    for version in (1, 2, 3):
        item = table.get_item(Key={"notification_id": f"{booking.booking_id}#show_moved#{version}"},
                              ConsistentRead=True).get("Item")
        if item:
            found.append(item)
    return found


class Scheduled(NamedTuple):
    manager: User
    showtime: Showtime
    bookings: list[Booking]
    password: str  # the manager's


@pytest.fixture
def scheduled(small: Services) -> Scheduled:
    """A show in three days at 15:00 with three customers' bookings (B1; B2, B3; C4)."""
    account = staff(small, "maya", "manager", ["tiny-theater"])
    showtime = small.staff.schedule.schedule(account.user, show(small, at(small, 3, 15)))
    bookings = [book(small, customer(small, name), seats, showtime.showtime_id)
                for name, seats in (("carl", ["B1"]), ("dana", ["B2", "B3"]), ("erin", ["C4"]))]
    return Scheduled(account.user, showtime, bookings, account.password)


def test_a_moved_show_tells_each_customer_once_with_both_times(small: Services, scheduled: Scheduled) -> None:
    manager, showtime, bookings, _ = scheduled
    carl_inbox = inbox(small, "carl@example.com")
    moved = small.staff.moves.move(manager, showtime.showtime_id, at(small, 3, 19, 30))
    assert moved.notified == 3 and not moved.pending
    assert moved.showtime.local_start() == at(small, 3, 19, 30) and moved.showtime.showtime_id == showtime.showtime_id
    assert small.staff.moves.pending_jobs() == []
    carl = small.bookings.get(bookings[0].booking_id, small.users.get("carl@example.com"))
    assert carl.starts_at == moved.showtime.starts_at and carl.extra["move_version"] == 1
    # The screen's day now has the show at its new time only: the old slot is free for another show.
    assert small.staff.schedule.schedule(manager, show(small, at(small, 3, 15)))
    with pytest.raises(ScheduleConflict):
        small.staff.schedule.schedule(manager, show(small, at(small, 3, 20)))
    sender = worker(small)
    assert sender.run_once().published == 6  # three confirmations, three notices
    assert sender.run_once().published == 0
    mails = [m for m in drain(small, carl_inbox) if m["Subject"].startswith("Your show has moved")]
    assert len(mails) == 1
    body = mails[0]["Message"]
    assert "3:00 PM" in body and "7:30 PM" in body and "full refund" in body and "B1" in body
    moves = [e for e in small.staff.audit.recent(["tiny-theater"]) if e.action == "showtime.moved"]
    assert [e.target for e in moves] == [showtime.showtime_id]


def test_notices_go_out_exactly_once_across_a_crash(small: Services, scheduled: Scheduled) -> None:
    manager, showtime, bookings, _ = scheduled
    faults = Faults(small)
    # The second booking's transaction never gets an answer: the process "dies" there (the move stands).
    calls = {"n": 0}

    def second_notice(params: Any) -> bool:
        items = params.get("TransactItems", [])
        if not any("show_moved" in str(item.get("Put", {}).get("Item", {}).get("notification_id", {}))
                   for item in items):
            return False
        calls["n"] += 1
        return calls["n"] == 2

    faults.fail("TransactWriteItems", unreachable, when=second_notice)
    moved = small.staff.moves.move(manager, showtime.showtime_id, at(small, 4, 11))
    faults.clear()
    assert moved.pending and moved.notified == 0
    assert small.staff.moves.pending_jobs() == [showtime.showtime_id]
    assert sum(len(moved_mails(small, b)) for b in bookings) == 1  # only the first was told
    # A restarted process: the dead runner's lease still holds, then lapses and the rest are told.
    assert small.staff.moves.resume_pending() == 0
    fake_clock(small).advance(seconds=JOB_LEASE.total_seconds() + 1)
    assert small.staff.moves.resume_pending() == 2
    assert small.staff.moves.resume_pending() == 0 and small.staff.moves.pending_jobs() == []
    assert [len(moved_mails(small, b)) for b in bookings] == [1, 1, 1]
    fake_clock(small).advance(seconds=LEASE.total_seconds())
    sender = worker(small)
    assert sender.run_once().published == 6 and sender.run_once().published == 0


def test_the_reminder_follows_the_new_time(small: Services, scheduled: Scheduled) -> None:
    manager, showtime, bookings, _ = scheduled
    new_start = at(small, 5, 18)
    small.staff.moves.move(manager, showtime.showtime_id, new_start)
    reminder = small.aws.table(OUTBOX).get_item(
        Key={"notification_id": notification_id(bookings[0].booking_id, "booking_reminder")}, ConsistentRead=True)
    due = new_start - timedelta(hours=small.settings.reminder_hours)
    assert reminder["Item"]["created_at"] == iso(due) and "pending" in reminder["Item"]
    assert reminder["Item"]["booking"]["starts_at"] == iso(new_start)


def test_a_moved_booking_cancels_for_a_full_refund_after_the_cut_off(small: Services, scheduled: Scheduled) -> None:
    manager, showtime, bookings, _ = scheduled
    new_start = showtime.starts_at + timedelta(hours=4)
    small.staff.moves.move(manager, showtime.showtime_id, new_start)
    fake_clock(small).set(new_start - timedelta(minutes=10))  # far past the usual cancel cut-off
    dana = small.users.get("dana@example.com")
    cancelled = small.bookings.cancel(bookings[1].booking_id, dana)
    assert cancelled.status == "cancelled" and cancelled.refund == bookings[1].price.total


def test_the_theater_s_figures_follow_a_show_moved_to_another_day(small: Services, scheduled: Scheduled) -> None:
    """The report counts a moved show's sales on its new day (not the day it left), once, and a refund after the
    move lands on the same day; the showtime chip's fullness reads the moved figures."""
    manager, showtime, bookings, _ = scheduled
    old_day = showtime.local_date()
    moved = small.staff.moves.move(manager, showtime.showtime_id, at(small, 4, 18))
    new_day = moved.showtime.local_date()
    assert new_day != old_day and moved.notified == 3

    def figures() -> tuple[dict[object, Any], Any]:
        report = small.staff.reports.report(manager, "tiny-theater", old_day, new_day)
        [row] = [line for line in report.shows if line.showtime_id == showtime.showtime_id]
        return {day.date: day for day in report.days}, row

    days, row = figures()
    gross = sum(booking.price.total for booking in bookings)
    assert (days[old_day].tickets_sold, days[old_day].gross, sum(days[old_day].categories.values())) == (0, 0, 0)
    assert (days[new_day].tickets_sold, days[new_day].gross, sum(days[new_day].categories.values())) == (4, gross, 4)
    assert sum(days[new_day].lead.values()) == 4 and sum(days[old_day].lead.values()) == 0
    assert (row.tickets_sold, row.gross, row.starts_at) == (4, gross, moved.showtime.local_start())
    assert small.availability.for_shows([moved.showtime])[showtime.showtime_id].sold == 4

    # Told again (a crash before the job was finished): the figures do not move twice.
    small.staff.moves.deliver(showtime.showtime_id)
    assert figures()[0][new_day].tickets_sold == 4

    small.bookings.cancel(bookings[1].booking_id, small.users.get("dana@example.com"))
    days, row = figures()
    assert (days[new_day].tickets_refunded, days[old_day].tickets_refunded, row.tickets_refunded) == (2, 0, 2)
    assert small.availability.for_shows([moved.showtime])[showtime.showtime_id].sold == 2

    # Moved again within its new day: still counted once, on that day.
    again = small.staff.moves.move(manager, showtime.showtime_id, at(small, 4, 21))
    days, row = figures()
    assert (days[new_day].tickets_sold, days[old_day].tickets_sold, row.tickets_sold) == (4, 0, 4)
    assert row.starts_at == again.showtime.local_start()


def test_another_screen_only_if_it_seats_what_is_sold(small: Services, scheduled: Scheduled) -> None:
    manager, showtime, bookings, _ = scheduled
    add_screens(small)
    with pytest.raises(LayoutDoesNotFit) as refused:
        small.staff.moves.move(manager, showtime.showtime_id, at(small, 3, 15), "tiny-3")
    assert "B1" in refused.value.message and "C4" in refused.value.message
    assert small.catalog.showtime(showtime.showtime_id).screen_id == "tiny-1"  # nothing changed
    moved = small.staff.moves.move(manager, showtime.showtime_id, at(small, 3, 15), "tiny-2")
    assert moved.showtime.screen_id == "tiny-2" and moved.showtime.format == "IMAX" and moved.notified == 3
    seats = small.inventory.seat_map(showtime.showtime_id).seats
    assert {s.seat_id for s in seats if s.status == "sold"} == {"B1", "B2", "B3", "C4"}
    assert small.bookings.get(bookings[0].booking_id, small.users.get("carl@example.com")).screen_name == "Screen 2"
    # tiny-1 is free at 15:00 again; tiny-2 now is not.
    assert small.staff.schedule.day_plan(manager, SCREEN, at(small, 3, 15).date()) == []


def test_refused_on_overlap_for_other_managers_and_into_the_past(small: Services, scheduled: Scheduled) -> None:
    manager, showtime, _bookings, _ = scheduled
    other = small.staff.schedule.schedule(manager, show(small, at(small, 3, 20)))
    with pytest.raises(ScheduleConflict) as clash:
        small.staff.moves.move(manager, showtime.showtime_id, at(small, 3, 19))
    assert clash.value.conflicts == [other.showtime_id]
    # Moving within its own slot never clashes with itself.
    assert small.staff.moves.move(manager, showtime.showtime_id, at(small, 3, 15, 30)).notified == 3
    with pytest.raises(InvalidRequest):
        small.staff.moves.move(manager, showtime.showtime_id, small.clock.now().astimezone(IST) - timedelta(hours=1))
    with pytest.raises(Forbidden):
        small.staff.moves.move(staff(small, "olga", "manager", ["other-theater"]).user, showtime.showtime_id,
                               at(small, 3, 9))
    with pytest.raises(Forbidden):
        small.staff.moves.move(customer(small, "zed"), showtime.showtime_id, at(small, 3, 9))


# The API ---------------------------------------------------------------------------------------------
@pytest.fixture
def client(small: Services) -> Iterator[TestClient]:
    with api_client(small) as test_client:
        yield test_client


def test_move_api(client: TestClient, small: Services, scheduled: Scheduled) -> None:
    _manager, showtime, _bookings, password = scheduled
    auth = bearer(client, "maya@example.com", password)
    path = f"/staff/showtimes/{showtime.showtime_id}/move"
    body = {"starts_at": at(small, 3, 19).isoformat()}
    assert client.post(path, json=body).status_code == 401
    moved = client.post(path, json=body, headers=auth)
    assert moved.status_code == 200, moved.text
    assert moved.json()["showtime"]["starts_at"] == body["starts_at"] and moved.json()["notified"] == 3
    other = small.staff.schedule.schedule(small.users.get("maya@example.com"), show(small, at(small, 3, 22)))
    clash = client.post(path, json={"starts_at": at(small, 3, 21, 30).isoformat()}, headers=auth)
    assert clash.status_code == 409 and clash.json()["error"]["conflicts"] == [other.showtime_id]
    add_screens(small)
    misfit = client.post(path, json={"starts_at": at(small, 3, 19).isoformat(), "screen_id": "tiny-3"}, headers=auth)
    assert misfit.status_code == 409 and misfit.json()["error"]["code"] == "layout_mismatch"
    naive = client.post(path, json={"starts_at": "2030-01-01T10:00:00"}, headers=auth)
    assert naive.status_code == 422
    assert client.post("/staff/showtimes/nope/move", json=body, headers=auth).status_code == 404
    assert "/staff/showtimes/{showtime_id}/move" in client.get("/openapi.json").json()["paths"]


def test_a_performance_at_a_venue_is_not_moved_past_its_rooms(small: Services) -> None:
    """A venue's performances claim the venue's rooms, not a screen: this move would skip that check, so it is
    refused with what to do instead (and nothing changes)."""
    boss = staff(small, "vera", "admin", []).user
    small.aws.table(THEATERS).put_item(Item={
        "theater_id": "tiny-hall", "name": "Tiny Hall", "city": "Testville", "address": "4 Test Road",
        "timezone": "Asia/Kolkata", "catalog": "theater", "city_name": "Testville#Tiny Hall", "kind": "venue",
        "screens": [{"screen_id": "hall", "name": "Main hall", "format": "Live", "prices": SMALL_PRICES,
                     "layout": SMALL_LAYOUT}]})
    add_event(small)
    small.catalog.invalidate()
    starts = small.clock.now().replace(minute=0, second=0, microsecond=0) + timedelta(days=3)
    performance = small.events.editor.add_performance(boss, PerformanceDraft(
        "tiny-gig", "tiny-hall", starts, "seated", screen_id="hall", prices=SMALL_PRICES))
    with pytest.raises(InvalidRequest) as refused:
        small.staff.moves.move(boss, performance, starts + timedelta(days=1))
    assert "cancel it and schedule it again" in refused.value.message
    small.catalog.invalidate()
    assert small.catalog.showtime(performance).starts_at == starts
