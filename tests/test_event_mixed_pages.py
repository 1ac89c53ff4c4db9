"""One mixed order on the pages (issue 17), through NiceGUI's simulated user: at a mixed performance the customer
chooses standing tickets on the event page, picks seats on the map, and checks out ONCE; the one booking holds
both, and its ticket (one code for the seats, one per standing ticket) and confirmation email show both."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from nicegui.testing import User

from services.container import Services
from services.notify.messages import MessageComposer
from tests.test_event_pages import backstage  # noqa: F401  (the fixture: demo events on the app's tables)
from tests.test_flow_booking import grid_of, log_in, pick, until

pytestmark = pytest.mark.usefixtures("app_env", "backstage")
CONCERT = "raag-electric-live"  # mixed: the arena's balcony seats and a standing floor


def tomorrows_concert(backstage: Services) -> str:  # noqa: F811
    tomorrow = (backstage.clock.now().astimezone(ZoneInfo("Asia/Kolkata")) + timedelta(days=1)).date()
    return next(show.showtime_id for show in backstage.events.catalog.performances(CONCERT)
                if show.local_date() == tomorrow)


async def test_seats_and_standing_tickets_in_one_order(user: User, backstage: Services) -> None:  # noqa: F811
    show = tomorrows_concert(backstage)
    account = await log_in(user, backstage)
    await user.open(f"/event/{CONCERT}?city=Delhi&show={show}")
    await user.should_see(marker="ticket-types", retries=50)
    user.find(marker="plus-standing").click()
    user.find(marker="plus-standing").click()
    await user.should_see("2 tickets ·", retries=20)
    user.find(marker="ga-continue").click()  # "Continue to seats": the quantities go along to the map
    await user.should_see(marker="seat-grid", retries=100)
    await user.should_see(marker="standing-tickets")
    await user.should_see("2 standing tickets ·", retries=20)
    grid = grid_of(user)
    free = [seat.seat_id for seat in backstage.inventory.seat_map(show).seats if seat.status == "available"][:2]
    for seat_id in free:
        pick(user, seat_id)
        await until(lambda: seat_id in grid.mine)  # noqa: B023  # awaited before the loop moves on
    user.find(marker="standing-continue").click()
    await user.should_see(marker="pay", retries=100)
    await user.should_see("Standing × 2")
    user.find(marker="card-number").type("4242 4242 4242 4242")
    user.find(marker="card-expiry").type("12/39")
    user.find(marker="card-cvc").type("123")
    user.find(marker="pay").click()
    await user.should_see("You're all set!", retries=100)
    bookings = backstage.bookings.my_bookings(account.user_id)
    assert len(bookings) == 1  # one order, one payment
    booking = bookings[0]
    assert booking.numbered_seat_ids == free
    assert [seat.seat_id for seat in booking.seats if not seat.is_seat] == [
        f"{booking.reference}-1", f"{booking.reference}-2"]
    states = {seat.seat_id: seat.status for seat in backstage.inventory.seat_map(show).seats}
    assert all(states[seat_id] == "sold" for seat_id in free)
    standing = next(t for t in backstage.events.quotas.ticket_types(show) if t.type_id == "standing")
    assert (standing.sold, standing.held) == (2, 0)
    # The confirmation email lists the seats and the standing tickets.
    email = MessageComposer("http://test", 60).compose("booking_confirmed", booking.to_item())
    for number in [*free, f"{booking.reference}-1", f"{booking.reference}-2"]:
        assert number in email.body
    # The ticket: one code for the seats, one for each standing ticket.
    await user.open(f"/ticket/{booking.booking_id}")
    await user.should_see(marker="ticket-code", retries=50)
    await user.should_see(marker="ticket-code-1")
    await user.should_see(marker="ticket-code-2")
    await user.should_see(", ".join(free))
    await user.should_see("Ticket 2 of 2 · Standing")


async def test_back_from_checkout_the_seat_map_shows_the_whole_order(user: User,
                                                                    backstage: Services) -> None:  # noqa: F811
    show = tomorrows_concert(backstage)
    account = await log_in(user, backstage)
    free = [seat.seat_id for seat in backstage.inventory.seat_map(show).seats if seat.status == "available"][5:7]
    backstage.events.quotas.hold(show, {"standing": 3}, account.user_id, seat_ids=free)
    await user.open(f"/showtime/{show}")
    await user.should_see(marker="standing-tickets", retries=100)
    await user.should_see("3 standing tickets ·", retries=20)
    await user.should_see("+ 3 standing tickets ·")  # beside the seats in the summary
    assert grid_of(user).mine == free
    # Changing the seats of a mixed order on the map alone is refused with the way out.
    other = next(seat.seat_id for seat in backstage.inventory.seat_map(show).seats if seat.status == "available")
    pick(user, other)
    await user.should_see("Your order for this show also has standing tickets. Clear it to choose other seats.",
                          retries=50)
