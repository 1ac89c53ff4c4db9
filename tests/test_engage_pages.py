"""Reviews, audience ratings and loyalty points on the pages (issue 15), through NiceGUI's simulated user:
rating a movie you saw (markup stays text), voting, the audience rating on the home page's cards, points
on the profile and spending them at checkout."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from nicegui.elements.mixins.value_element import ValueElement
from nicegui.testing import User as SimulatedUser

from services.accounts.users import User
from services.booking.models import Booking
from services.booking.payments import APPROVE_CARD, CardPayment
from services.container import Services
from services.formatting import format_money, show_time
from services.platform.schema import BOOKINGS, LOYALTY, MOVIES, THEATERS
from tests.conftest import SMALL_LAYOUT, SMALL_PRICES, add_small_showtime
from tests.test_engage_waitlist import sell_out
from tests.test_ticket_pages import login, register

pytestmark = pytest.mark.usefixtures("mailbox_env")


def book(services: Services, user: User, seats: int = 1, points: int = 0) -> Booking:
    soon = services.clock.now() + timedelta(hours=3)
    showtime = next(s for s in services.catalog.upcoming_in_city("Mumbai") if s.starts_at > soon)
    free = [seat.seat_id for seat in services.inventory.seat_map(showtime.showtime_id).seats
            if seat.status == "available" and seat.kind == "standard"]  # not a companion seat alone
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
    free = [s.seat_id for s in app_services.inventory.seat_map(showtime.showtime_id).seats
            if s.status == "available" and s.kind == "standard"]  # companion seats go with their wheelchair space
    hold = app_services.inventory.hold(showtime.showtime_id, free[:1], alice.user_id)
    await user.open(f"/checkout/{hold.hold_id}")
    await user.should_see(marker="use-points", retries=100)
    quote = app_services.bookings.quote(hold)
    value = earned * app_services.settings.loyalty_point_value_minor
    money = quote.price.currency
    await user.should_see(f"Use {earned} points (−{format_money(value, money)})")
    await user.should_see(marker="order-total", content=format_money(quote.price.total, money))
    set_value(user, "use-points", True)
    # Before paying, the summary has the points line and the new total, and the button says it.
    await user.should_see(marker="order-total", content=format_money(quote.price.total - value, money), retries=50)
    await user.should_see("Loyalty points")
    await user.should_see(f"Pay {format_money(quote.price.total - value, money)}")
    user.find(marker="card-number").type("4242 4242 4242 4242")
    user.find(marker="card-expiry").type("12/39")
    user.find(marker="card-cvc").type("123")
    user.find(marker="pay").click()
    await user.should_see("You're all set!", retries=100)
    await user.should_see("Loyalty points")  # the discount line of the order
    # The new booking (both may carry the same second, so not by position in the list).
    booking = next(b for b in app_services.bookings.my_bookings(alice.user_id) if b.booking_id != first.booking_id)
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


def tiny_catalog(services: Services) -> None:
    """The tests' tiny theater (24 seats) beside the demo catalog, so a show sells out in a few bookings."""
    services.aws.table(MOVIES).put_item(Item={
        "movie_id": "tiny-movie", "title": "The Tiny Picture", "genres": ["Drama"], "languages": ["English"],
        "certificate": "U", "runtime_min": 100, "rating": Decimal("7.5"), "release_date": "2020-01-01",
        "catalog": "movie"})
    services.aws.table(THEATERS).put_item(Item={
        "theater_id": "tiny-theater", "name": "Tiny Cinema", "city": "Testville", "address": "1 Test Road",
        "timezone": "Asia/Kolkata", "catalog": "theater", "city_name": "Testville#Tiny Cinema",
        "screens": [{"screen_id": "tiny-1", "name": "Screen 1", "format": "2D", "prices": SMALL_PRICES,
                     "layout": SMALL_LAYOUT}]})
    add_small_showtime(services, "tiny-show", timedelta(days=2))


async def test_joining_the_waiting_list_of_a_sold_out_show(user: SimulatedUser, app_services: Services) -> None:
    tiny_catalog(app_services)
    sell_out(app_services)
    register(app_services, "alice")
    await login(user, "alice")
    await user.open("/showtime/tiny-show")
    await user.should_see(marker="waitlist", retries=100)
    await user.should_see("Sold out")
    user.find(marker="waitlist-join").click()
    await user.should_see(marker="waitlist-place", retries=100)
    await user.should_see("You are number 1 on the waiting list (1 seat). We email you when seats free up.")
    crowd = app_services.users.get("crowd@example.com")
    app_services.bookings.cancel(app_services.bookings.my_bookings(crowd.user_id)[0].booking_id, crowd)
    assert app_services.engage.waitlist.sweep() == 0  # the cancellation itself offered the seat
    await user.open("/showtime/tiny-show")
    await user.should_see(marker="waitlist-claim", retries=100)
    user.find(marker="waitlist-claim").click()
    await user.should_see(marker="pay", retries=100)


async def test_the_home_page_recommends(user: SimulatedUser, app_services: Services) -> None:
    ann, bob = register(app_services, "ann"), register(app_services, "bob")
    first = book(app_services, ann)
    movies = [listing.movie for listing in app_services.catalog.now_showing("Mumbai")]
    other = next(movie for movie in movies if movie.movie_id != first.movie_id)
    soon = app_services.clock.now() + timedelta(hours=3)
    show = next(s for s in app_services.catalog.upcoming_for_movie(other.movie_id, "Mumbai") if s.starts_at > soon)
    free = [s.seat_id for s in app_services.inventory.seat_map(show.showtime_id).seats
            if s.status == "available" and s.kind == "standard"]  # companion seats go with their wheelchair space
    app_services.bookings.checkout(app_services.inventory.hold(show.showtime_id, free[:1], ann.user_id).hold_id, ann,
                                   CardPayment(APPROVE_CARD))
    same_free = [s.seat_id for s in app_services.inventory.seat_map(first.showtime_id).seats
                 if s.status == "available" and s.kind == "standard"]
    book_same = app_services.inventory.hold(first.showtime_id, same_free[:1], bob.user_id)
    app_services.bookings.checkout(book_same.hold_id, bob, CardPayment(APPROVE_CARD))
    await login(user, "bob")
    await user.open("/?city=Mumbai")
    await user.should_see(marker="recs-popular", retries=100)
    await user.should_see("Popular in Mumbai this week")
    await user.should_see(marker="recs-for-you")
    await user.should_see(f"Because you watched {first.movie_title}")
    await user.should_see(other.title)
