"""The bookings desk (services, over moto): find by reference, email or show within the manager's
theaters; cancel with refund, past the cut-off only with a written reason (audited); resend the email."""

from __future__ import annotations

import pytest

from services.booking.payments import APPROVE_CARD, CardPayment
from services.container import Services
from services.errors import Forbidden, TooLateToCancel
from services.platform.schema import OUTBOX
from tests.staff_helpers import book_today, customer, staff


def test_find_by_reference_email_or_show_within_the_theaters(small: Services) -> None:
    carl = customer(small, "carl")
    booking = book_today(small, carl, ["B1", "B2"])
    manager = staff(small, "maya", "manager", ["tiny-theater"]).user
    desk = small.staff.desk
    assert [b.booking_id for b in desk.find(manager, booking.booking_id.upper())] == [booking.booking_id]
    assert [b.booking_id for b in desk.find(manager, " Carl@Example.com ")] == [booking.booking_id]
    assert [b.booking_id for b in desk.find(manager, "tiny-today")] == [booking.booking_id]
    # The reference the customer reads out (pages, emails, PDF), in either case.
    assert len(booking.reference) == 8 and booking.reference in booking.booking_id.upper()
    for typed in (booking.reference, booking.reference.lower()):
        assert [b.booking_id for b in desk.find(manager, typed)] == [booking.booking_id]
    assert desk.find(manager, "nobody@example.com") == [] and desk.find(manager, "no-such-show") == []
    elsewhere = staff(small, "otto", "manager", ["other-theater"]).user
    assert desk.find(elsewhere, booking.booking_id) == [] and desk.find(elsewhere, "carl@example.com") == []
    assert desk.find(elsewhere, booking.reference) == []
    with pytest.raises(Forbidden):
        desk.view(elsewhere, booking.booking_id)
    with pytest.raises(Forbidden):
        desk.find(staff(small, "ursula", "usher", ["tiny-theater"]).user, booking.booking_id)
    with pytest.raises(Forbidden):
        desk.find(carl, booking.booking_id)


def test_the_view_shows_payment_emails_and_check_in(small: Services) -> None:
    booking = book_today(small, customer(small, "carl"), ["C3"])
    manager = staff(small, "maya", "manager", ["tiny-theater"]).user
    view = small.staff.desk.view(manager, booking.booking_id)
    assert view.booking.card_last4 == "4242" and view.admitted_at is None
    assert [(e.kind, e.sent) for e in view.emails] == [("booking_confirmed", False)]
    small.notifications.run_once()
    small.staff.checkins.admit(manager, small.tickets.token_for(booking))
    view = small.staff.desk.view(manager, booking.booking_id)
    assert [(e.kind, e.sent) for e in view.emails] == [("booking_confirmed", True)]
    assert view.admitted_at and view.admitted_by == "Maya"


def test_cancel_at_the_desk_and_override_the_cut_off_with_a_reason(small: Services) -> None:
    carl = customer(small, "carl")
    manager = staff(small, "maya", "manager", ["tiny-theater"]).user
    early = small.bookings.checkout(small.inventory.hold("tiny-show", ["A1"], carl.user_id).hold_id, carl,
                                    CardPayment(APPROVE_CARD))
    cancelled = small.staff.desk.cancel(manager, early.booking_id)
    assert cancelled.status == "cancelled" and cancelled.refund == small.pricing.refund(early.price)
    late = book_today(small, carl, ["A2"])  # starts in 3 h; move past the 2 h cut-off
    small.clock.advance(hours=1, minutes=30)  # type: ignore[attr-defined]
    with pytest.raises(TooLateToCancel):
        small.bookings.cancel(late.booking_id, carl)
    with pytest.raises(TooLateToCancel):
        small.staff.desk.cancel(manager, late.booking_id, "ok")
    assert small.bookings.get(late.booking_id, carl).status == "confirmed"
    overridden = small.staff.desk.cancel(manager, late.booking_id, "Projector failed before the show")
    assert overridden.status == "cancelled" and overridden.refund == small.pricing.refund(late.price)
    entry = small.staff.audit.recent(["tiny-theater"])[0]
    assert (entry.action, entry.target, entry.reason) == ("booking.override_refund", late.booking_id,
                                                          "Projector failed before the show")


def test_resend_the_confirmation_through_the_outbox(small: Services) -> None:
    booking = book_today(small, customer(small, "carl"), ["C4"])
    manager = staff(small, "maya", "manager", ["tiny-theater"]).user
    resend_id = small.staff.desk.resend(manager, booking.booking_id)
    record = small.aws.table(OUTBOX).get_item(Key={"notification_id": resend_id})["Item"]
    assert record["kind"] == "booking_confirmed" and record["pending"] and record["email"] == "carl@example.com"
    view = small.staff.desk.view(manager, booking.booking_id)
    assert [e.notification_id for e in view.emails][-1] == resend_id and len(view.emails) == 2
    assert small.notifications.run_once().published >= 2
