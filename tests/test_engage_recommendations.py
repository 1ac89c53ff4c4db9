"""Recommendations (issue 15), over moto with the demo catalog: "Popular in <city> this week" from the
sales aggregate (cancellations subtract), "Because you watched …" from co-occurrence updated on sale,
already-seen movies left out, and popularity for a new customer."""

from __future__ import annotations

from datetime import timedelta

from services.accounts.users import User
from services.booking.models import Booking
from services.booking.payments import APPROVE_CARD, CardPayment
from services.container import Services
from services.engage.recommendations import Taste
from tests.conftest import fake_clock
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
    # The two movies others booked with ``first`` are among the first three (genres, languages and this week's
    # sales add to co-bookings: here a best-selling film of ``first``'s genre may come between them).
    assert {liked, other} <= set(ranked[:3]) and first not in ranked
    assert seeded.engage.recommendations.seen(newcomer.user_id) == [first]
    # A new customer gets popularity: the most tickets first.
    fresh = seeded.engage.recommendations.for_city(customer(seeded, "fay").user_id, CITY)
    assert fresh.because is None and fresh.popular[0].movie.movie_id == unrelated


def rate(services: Services, user: User, movie_id: str, stars: int) -> None:
    """Book the movie, let its show end, and rate it (the attendance rule holds)."""
    booking = book_movie(services, user, movie_id)
    fake_clock(services).set(booking.starts_at + timedelta(hours=4))
    services.engage.reviews.write(user, movie_id, stars, "")


def test_ratings_boost_what_is_liked_and_leave_out_what_is_like_a_low_rating(seeded: Services) -> None:
    listings = {listing.movie.movie_id: listing.movie for listing in seeded.catalog.now_showing(CITY)}
    liked = next(m for m in listings.values() if "Action" in m.genres)
    disliked = next(m for m in listings.values() if not set(m.genres) & set(liked.genres))
    ann = customer(seeded, "ann")
    rate(seeded, ann, liked.movie_id, 5)
    rate(seeded, ann, disliked.movie_id, 1)
    taste = seeded.engage.recommendations.taste(ann.user_id)
    assert taste.ratings == {liked.movie_id: 5, disliked.movie_id: 1} and sum(taste.languages.values()) == 2
    recs = seeded.engage.recommendations.for_city(ann.user_id, CITY)
    assert recs.because == liked.title  # the newest movie they did not rate low
    ranked = [listing.movie for listing in recs.for_you]
    assert ranked and set(ranked[0].genres) & set(liked.genres)
    for movie in ranked:  # like the low-rated one only if also like the loved one
        assert not set(movie.genres) & set(disliked.genres) or set(movie.genres) & set(liked.genres), movie.title
    assert liked.movie_id not in {m.movie_id for m in ranked} and disliked.movie_id not in {m.movie_id for m in ranked}


def test_the_languages_a_customer_books_in_count(seeded: Services) -> None:
    movies = seeded.catalog.movies([m.movie_id for m in seeded.catalog.all_movies()])
    recommender = seeded.engage.recommendations
    seen = "vajra"  # Action, Drama
    # Among the other action films, the Tamil speaker gets the ones showing in Tamil first, the English one last.
    action = [m for m in movies.values() if "Action" in m.genres and m.movie_id != seen]
    tamil = recommender.rank_for_taste(Taste([seen], languages={"Tamil": 3}), action, {})
    english = recommender.rank_for_taste(Taste([seen], languages={"English": 3}), action, {})
    assert "Tamil" in movies[tamil[0]].languages and "Tamil" not in movies[tamil[-1]].languages
    assert "English" in movies[english[0]].languages and tamil != english
    # What a booking records: the show's language.
    bob = customer(seeded, "bob")
    booking = book_movie(seeded, bob, seen)
    language = seeded.catalog.showtime(booking.showtime_id).language
    assert recommender.taste(bob.user_id).languages == {language: 1}
