"""Recommendations (issue 15), over moto with the demo catalog: "Popular in <city> this week" from the
sales aggregate (cancellations subtract), "Because you watched …" from co-occurrence updated on sale,
already-seen movies left out, and popularity for a new customer."""

from __future__ import annotations

from datetime import timedelta

from services.accounts.users import User
from services.booking.models import Booking
from services.booking.payments import APPROVE_CARD, CardPayment
from services.container import Services
from tests.staff_helpers import customer

CITY = "Mumbai"


def book_movie(services: Services, user: User, movie_id: str, seats: int = 1) -> Booking:
    soon = services.clock.now() + timedelta(hours=3)
    show = next(s for s in services.catalog.upcoming_for_movie(movie_id, CITY) if s.starts_at > soon)
    free = [s.seat_id for s in services.inventory.seat_map(show.showtime_id).seats
            if s.status == "available" and s.kind == "standard"]  # companion seats go with their wheelchair space
    hold = services.inventory.hold(show.showtime_id, free[:seats], user.user_id)
    return services.bookings.checkout(hold.hold_id, user, CardPayment(APPROVE_CARD))


def test_popular_this_week_counts_tickets_and_cancellations_subtract(seeded: Services) -> None:
    movies = [listing.movie.movie_id for listing in seeded.catalog.now_showing(CITY)][:3]
    ann, bob = customer(seeded, "ann"), customer(seeded, "bob")
    book_movie(seeded, ann, movies[0], seats=1)
    big = book_movie(seeded, bob, movies[1], seats=3)
    book_movie(seeded, bob, movies[2], seats=2)
    recs = seeded.engage.recommendations.for_city(None, CITY)
    assert recs.because is None and recs.for_you == []
    assert [listing.movie.movie_id for listing in recs.popular] == [movies[1], movies[2], movies[0]]
    seeded.bookings.cancel(big.booking_id, bob)
    popular = seeded.engage.recommendations.for_city(None, CITY).popular
    assert [listing.movie.movie_id for listing in popular] == [movies[2], movies[0]]


def test_because_you_watched_follows_what_others_booked_next(seeded: Services) -> None:
    movies = [listing.movie.movie_id for listing in seeded.catalog.now_showing(CITY)][:4]
    first, liked, other, unrelated = movies
    # Two people who saw ``first`` also booked ``liked``; one booked ``other``; ``unrelated`` sells most.
    for name, then in (("ann", liked), ("bob", liked), ("cat", other)):
        person = customer(seeded, name)
        book_movie(seeded, person, first)
        book_movie(seeded, person, then)
    book_movie(seeded, customer(seeded, "dan"), unrelated, seats=8)
    newcomer = customer(seeded, "eve")
    book_movie(seeded, newcomer, first)
    recs = seeded.engage.recommendations.for_city(newcomer.user_id, CITY)
    assert recs.because == seeded.catalog.movie(first).title
    ranked = [listing.movie.movie_id for listing in recs.for_you]
    assert ranked[:2] == [liked, other] and first not in ranked and unrelated not in ranked
    assert seeded.engage.recommendations.seen(newcomer.user_id) == [first]
    # A new customer gets popularity: the most tickets first.
    fresh = seeded.engage.recommendations.for_city(customer(seeded, "fay").user_id, CITY)
    assert fresh.because is None and fresh.popular[0].movie.movie_id == unrelated
