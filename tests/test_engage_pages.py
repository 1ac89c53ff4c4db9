"""Reviews, audience ratings and loyalty points on the pages (issue 15), through NiceGUI's simulated user:
rating a movie you saw (markup stays text), voting, the audience rating on the home page's cards, points
on the profile and spending them at checkout."""

from __future__ import annotations

from datetime import timedelta

import pytest
from nicegui.elements.mixins.value_element import ValueElement
from nicegui.testing import User as SimulatedUser

from services.accounts.users import User
from services.booking.models import Booking
from services.booking.payments import APPROVE_CARD, CardPayment
from services.container import Services
from services.formatting import show_time
from services.platform.schema import BOOKINGS, LOYALTY
from tests.test_ticket_pages import login, register

pytestmark = pytest.mark.usefixtures("mailbox_env")


def book(services: Services, user: User, seats: int = 1, points: int = 0) -> Booking:
    soon = services.clock.now() + timedelta(hours=3)
    showtime = next(s for s in services.catalog.upcoming_in_city("Mumbai") if s.starts_at > soon)
    free = [seat.seat_id for seat in services.inventory.seat_map(showtime.showtime_id).seats
            if seat.status == "available"]
    hold = services.inventory.hold(showtime.showtime_id, free[:seats], user.user_id)
    return services.bookings.checkout(hold.hold_id, user, CardPayment(APPROVE_CARD), points)


def set_value(user: SimulatedUser, marker: str, value: object) -> None:
    """Set a rating or a switch as a click would (the simulated user types and clicks, it has no 'set')."""
    element = next(iter(user.find(marker=marker).elements))
    assert isinstance(element, ValueElement)
    element.set_value(value)


def admitted(services: Services, booking: Booking) -> None:
    """Test data: the booking as the door leaves it after scanning the ticket (services/staff/checkins.py)."""
    services.aws.table(BOOKINGS).update_item(Key={"booking_id": booking.booking_id},
                                             UpdateExpression="SET admitted_at = :now, admitted_by = :u",
                                             ExpressionAttributeValues={":now": "2026-01-01T00:00:00Z", ":u": "Usher"})


async def test_a_customer_who_saw_the_movie_rates_it_and_markup_stays_text(
        user: SimulatedUser, app_services: Services) -> None:
    alice = register(app_services, "alice")
    booking = book(app_services, alice)
    admitted(app_services, booking)
    await login(user, "alice")
    await user.open(f"/movie/{booking.movie_id}")
    await user.should_see(marker="my-review", retries=100)
    await user.should_see("Not rated by our audience yet.")
    await user.should_see(marker="no-reviews")
    set_value(user, "my-rating", 4)
    user.find(marker="my-review-text").type("<b>Loved</b> the <script>x</script> score")
    user.find(marker="save-review").click()
    await user.should_see("Thanks! Your review is saved.", retries=100)
    # The characters typed, shown as text:
    await user.should_see(marker="review-text", content="<b>Loved</b> the <script>x</script> score")
    await user.open(f"/movie/{booking.movie_id}")
    await user.should_see(marker="audience-rating", retries=100)
    await user.should_see("4.0/5 (1)")
    await user.should_see("Critics")
    assert app_services.engage.reviews.summary(booking.movie_id).count == 1
    user.find(marker="delete-review").click()
    await user.should_see("Your review is deleted.", retries=100)
    await user.should_see(marker="no-reviews", retries=100)
    assert app_services.engage.reviews.summary(booking.movie_id).count == 0


async def test_someone_who_did_not_see_it_cannot_rate_but_can_vote(user: SimulatedUser, app_services: Services) -> None:
    alice, bob = register(app_services, "alice"), register(app_services, "bob")
    booking = book(app_services, alice)
    admitted(app_services, booking)
    app_services.engage.reviews.write(alice, booking.movie_id, 5, "Best of the year")
    book(app_services, bob)  # booked, the show still ahead
    await login(user, "bob")
    await user.open(f"/movie/{booking.movie_id}")
    await user.should_see(marker="review-not-yet", retries=100)
    await user.should_not_see(marker="my-review")
    await user.should_see("Best of the year")
    await user.should_see("Helpful (0)")
    user.find(marker="helpful").click()
    await user.should_see("Helpful (1)", retries=100)
    assert app_services.engage.reviews.reviews(booking.movie_id)[0].helpful == 1


async def test_the_home_page_cards_show_the_audience_rating(user: SimulatedUser, app_services: Services) -> None:
    alice = register(app_services, "alice")
    booking = book(app_services, alice)
    admitted(app_services, booking)
    app_services.engage.reviews.write(alice, booking.movie_id, 3, "")
    await user.open("/?city=Mumbai")
    await user.should_see(marker="movie-grid", retries=100)
    await user.should_see("Audience 3.0/5 (1)")


async def test_points_on_the_profile_and_spent_at_checkout(user: SimulatedUser, app_services: Services) -> None:
    alice = register(app_services, "alice")
    first = book(app_services, alice, seats=2)
    earned = int(first.extra["points_earned"])
    assert earned > 0
    await login(user, "alice")
    await user.open("/profile")
    await user.should_see(marker="points-balance", retries=100)
    await user.should_see(marker="points-balance", content=str(earned))
    await user.should_see(marker="points-history")
    await user.should_see(first.movie_title)
    # Spend them: a new hold, the checkout page offers the points and the server takes them off.
    soon = app_services.clock.now() + timedelta(hours=3)
    showtime = next(s for s in app_services.catalog.upcoming_in_city("Mumbai") if s.starts_at > soon)
    free = [s.seat_id for s in app_services.inventory.seat_map(showtime.showtime_id).seats if s.status == "available"]
    hold = app_services.inventory.hold(showtime.showtime_id, free[:1], alice.user_id)
    await user.open(f"/checkout/{hold.hold_id}")
    await user.should_see(marker="use-points", retries=100)
    set_value(user, "use-points", True)
    user.find(marker="card-number").type("4242 4242 4242 4242")
    user.find(marker="card-expiry").type("12/39")
    user.find(marker="card-cvc").type("123")
    user.find(marker="pay").click()
    await user.should_see("You're all set!", retries=100)
    await user.should_see("Loyalty points")  # the discount line of the order
    booking = app_services.bookings.my_bookings(alice.user_id)[0]
    assert booking.price.discount == earned * app_services.settings.loyalty_point_value_minor
    item = app_services.aws.table(LOYALTY).get_item(Key={"user_id": alice.user_id, "entry": "balance"})["Item"]
    assert int(item["points"]) == int(booking.extra["points_earned"])  # all spent, then earned anew


async def test_add_to_calendar_and_book_again(user: SimulatedUser, app_services: Services) -> None:
    alice = register(app_services, "alice")
    booking = book(app_services, alice)
    await login(user, "alice")
    await user.open(f"/booking/{booking.booking_id}")
    await user.should_see(marker="add-to-calendar", retries=100)
    response = await user.http_client.get(f"/booking/{booking.booking_id}/calendar.ics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/calendar")
    assert f"UID:{booking.booking_id}@moviemagic" in response.text and "TZID=Asia/Kolkata" in response.text
    await user.open(f"/ticket/{booking.booking_id}")
    await user.should_see(marker="add-to-calendar", retries=100)
    await user.open("/bookings")
    await user.should_see(marker="book-again", retries=100)
    user.find(marker="book-again").click()
    next_show = app_services.engage.rebooking.next_shows(booking)[0]
    assert next_show.theater_id == booking.theater_id and next_show.movie_id == booking.movie_id
    await user.should_see(show_time(next_show), retries=100)
    user.find(marker=f"again-{next_show.showtime_id}").click()
    await user.should_see(marker="seat-grid", retries=100)
