"""Each general-admission ticket admits once (issue 17), through NiceGUI's simulated user: the ticket page shows one
QR code per ticket (and the PDF one page more per further ticket); the door admits "ticket 2 of 3" once and says
when it was admitted on a second scan."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from nicegui.testing import User

from services.booking.models import Booking
from services.booking.payments import APPROVE_CARD, CardPayment
from services.clock import iso
from services.container import Services
from services.events.models import TicketType
from services.platform import dynamo
from services.platform.schema import SHOWTIMES
from tests.staff_helpers import PASSWORD, admin, customer
from tests.test_event_pages import backstage  # noqa: F401  (the fixture: demo events on the app's tables)
from tests.test_staff_pages import log_in

VENUE = "habitat-khar-mumbai"
SHOW = "laugh-riot-tonight-test"
pytestmark = pytest.mark.usefixtures("app_env", "backstage", "tonight")


@pytest.fixture
def tonight(backstage: Services) -> str:  # noqa: F811
    """A standing-only performance at the demo venue in 40 minutes (today at the door, still on sale)."""
    starts_at = backstage.clock.now().replace(microsecond=0) + timedelta(minutes=40)
    backstage.aws.table(SHOWTIMES).put_item(Item={
        "showtime_id": SHOW, "movie_id": "laugh-riot-late-night", "listing": "event", "admission": "general",
        "theater_id": VENUE, "screen_id": "", "city": "Mumbai", "timezone": "Asia/Kolkata",
        "starts_at": iso(starts_at), "ends_at": iso(starts_at + timedelta(hours=2)), "language": "Hindi",
        "format": "Live", "prices": {}})
    dynamo.transact_write(backstage.aws, [backstage.events.quotas.add_ticket_type_action(
        SHOW, TicketType("standing", "Standing", 50, 60000, 6, position=1))])
    backstage.catalog.invalidate()
    return SHOW


def three_tickets(backstage: Services, name: str) -> Booking:  # noqa: F811
    buyer = customer(backstage, name)
    hold = backstage.events.quotas.hold(SHOW, {"standing": 3}, buyer.user_id)
    return backstage.bookings.checkout(hold.hold_id, buyer, CardPayment(APPROVE_CARD))


async def test_the_ticket_shows_one_code_per_standing_ticket(user: User, backstage: Services) -> None:  # noqa: F811
    booking = three_tickets(backstage, "gita")
    await log_in(user, "gita@example.com", PASSWORD)
    await user.open(f"/ticket/{booking.booking_id}")
    for number in (1, 2, 3):
        await user.should_see(marker=f"ticket-code-{number}", retries=50)
        await user.should_see(f"Ticket {number} of 3 · Standing")
    await user.should_see("Each code admits one entry: show them all at the entrance")
    assert len(user.find(marker="ticket-qr").elements) == 3
    response = await user.http_client.get(f"/ticket/{booking.booking_id}/pdf")
    assert response.status_code == 200
    pages = re.findall(rb"/Type\s*/Page\b", response.content)
    assert len(pages) == 3  # the ticket (its stub: ticket 1), then a page each for tickets 2 and 3


async def test_the_door_admits_each_standing_ticket_once(user: User, backstage: Services) -> None:  # noqa: F811
    booking = three_tickets(backstage, "hari")
    codes = backstage.tickets.codes(booking)
    usher = backstage.staff.team.create(admin(backstage), "Ulrike", "ulrike@example.com", "usher", [VENUE], [VENUE])
    await log_in(user, usher.user.email, usher.password)
    await user.open("/staff/checkin")
    await user.should_see(marker="checkin-code", retries=50)
    user.find(marker="checkin-code").type(codes[1].token).trigger("keydown.enter")
    await user.should_see("Ticket 2 of 3 admitted", retries=50)
    await user.should_see(f"{booking.reference}-2")
    user.find(marker="checkin-code").type(codes[1].token).trigger("keydown.enter")
    await user.should_see("DO NOT ADMIT", retries=50)
    await user.should_see("Ticket 2 was already admitted at", retries=50)
    user.find(marker="checkin-code").type(codes[2].token).trigger("keydown.enter")
    await user.should_see("Ticket 3 of 3 admitted", retries=50)
    user.find(marker="checkin-code").type(backstage.tickets.token_for(booking)).trigger("keydown.enter")
    await user.should_see("Each ticket of this booking has its own code: scan the ticket's code.", retries=50)


async def test_the_staff_dashboard_lists_todays_performances(user: User, backstage: Services) -> None:  # noqa: F811
    manager = backstage.staff.team.create(admin(backstage), "Mani", "mani@example.com", "manager", [VENUE], [VENUE])
    await log_in(user, manager.user.email, manager.password)
    await user.open("/staff")
    await user.should_see(marker="staff-event-show", retries=50)
    await user.should_see("Laugh Riot Late Night · General admission")
    await user.should_see("The Habitat, Khar")
