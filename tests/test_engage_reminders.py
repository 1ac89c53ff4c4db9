"""Reminders before the show (issue 15) through the outbox, on the moto server: written with the sale, due
the setting's hours before the show, sent exactly once even when a worker dies holding it and the process
restarts, gone when the booking is cancelled first, and none for a booking made inside the window."""

from __future__ import annotations

from datetime import timedelta

from services.container import Services
from services.notify.notifications import LEASE
from services.notify.outbox import notification_id
from services.platform.schema import OUTBOX
from tests.conftest import add_small_showtime, fake_clock
from tests.staff_helpers import customer
from tests.test_notifications import book, drain, inbox, record, worker


def test_the_reminder_goes_out_once_when_due_even_across_a_crash_and_restart(small: Services) -> None:
    ann = customer(small, "ann")
    ann_inbox = inbox(small, "ann@example.com")
    booking = book(small, ann, ["A1"])  # tiny-show: in two days
    first = worker(small, worker_id="first")
    assert first.run_once().published == 1  # the confirmation; the reminder waits for its time
    reminder = record(small, booking.booking_id, "booking_reminder")
    due = booking.starts_at - timedelta(hours=small.settings.reminder_hours)
    assert reminder["created_at"] == due.strftime("%Y-%m-%dT%H:%M:%SZ") and "pending" in reminder
    fake_clock(small).set(due - timedelta(minutes=1))
    assert first.run_once().published == 0
    fake_clock(small).set(due)
    # The process claims the reminder and dies before publishing (a crash); a restarted process has a new worker.
    assert first._claim(notification_id(booking.booking_id, "booking_reminder")) is not None
    restarted = worker(small, worker_id="restarted")
    assert restarted.run_once().published == 0  # the dead worker's lease still holds
    fake_clock(small).advance(seconds=LEASE.total_seconds() + 1)
    assert restarted.run_once().published == 1
    assert restarted.run_once().published == 0 and worker(small, worker_id="again").run_once().published == 0
    assert "pending" not in record(small, booking.booking_id, "booking_reminder")
    subjects = [envelope["Subject"] for envelope in drain(small, ann_inbox)]
    assert [s for s in subjects if s.startswith("Reminder: The Tiny Picture")] == [subjects[-1]]
    assert len(subjects) == 2  # the confirmation and one reminder


def test_a_cancelled_booking_gets_no_reminder(small: Services) -> None:
    ann = customer(small, "ann")
    booking = book(small, ann, ["A2"])
    small.bookings.cancel(booking.booking_id, ann)
    item = small.aws.table(OUTBOX).get_item(
        Key={"notification_id": notification_id(booking.booking_id, "booking_reminder")}, ConsistentRead=True)
    assert "Item" not in item
    fake_clock(small).set(booking.starts_at - timedelta(hours=1))
    sender = worker(small)
    report = sender.run_once()
    assert report.published == 2  # the confirmation and the cancellation, no reminder
    assert sender.run_once().published == 0


def test_no_reminder_inside_the_window(small: Services) -> None:
    ann = customer(small, "ann")
    showtime = add_small_showtime(small, "tiny-in-window", timedelta(hours=small.settings.reminder_hours - 1))
    booking = book(small, ann, ["A3"], showtime)
    fake_clock(small).set(booking.starts_at)
    assert worker(small).run_once().published == 1  # the confirmation only
