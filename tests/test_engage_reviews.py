"""Reviews and ratings (issue 15), over moto: who may rate, one review per movie, edits and deletes,
helpful votes, staff hiding (audited), the text rules, and the summary always equal to a recount."""

from __future__ import annotations

import contextlib
from concurrent.futures import ThreadPoolExecutor

import pytest
from boto3.dynamodb.conditions import Key
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.accounts.users import User
from services.container import Services
from services.engage.errors import AlreadyExists, NotAttended
from services.errors import Forbidden, InvalidRequest, NotFound
from services.platform.schema import REVIEWS
from tests.engage_helpers import MOVIE, after_the_show, book_soon
from tests.staff_helpers import book_today, customer, staff


def attendee(services: Services, name: str, seat: str) -> User:
    user = customer(services, name)
    book_soon(services, user, [seat])
    return user


def recount(services: Services, movie_id: str) -> tuple[int, int]:
    """Count the visible reviews the slow way (a test may; the app never does)."""
    items = services.aws.table(REVIEWS).query(
        KeyConditionExpression=Key("movie_id").eq(movie_id) & Key("review_key").begins_with("review#"),
        ConsistentRead=True)["Items"]
    visible = [item for item in items if not item.get("hidden_reason")]
    return len(visible), sum(int(item["rating"]) for item in visible)


def test_only_a_customer_who_attended_may_rate(small: Services) -> None:
    reviews = small.engage.reviews
    stranger = customer(small, "stan")
    with pytest.raises(NotAttended):
        reviews.write(stranger, MOVIE, 5, "Never saw it")
    early = attendee(small, "eve", "A1")  # booked, but the show has not happened yet
    with pytest.raises(NotAttended):
        reviews.write(early, MOVIE, 4, "Can't wait")
    cancelled = customer(small, "cody")
    booking = book_soon(small, cancelled, ["A2"])
    small.bookings.cancel(booking.booking_id, cancelled)
    # Admitted at the door: counts at once, before the show ends.
    door = customer(small, "dora")
    usher = staff(small, "ursula", "usher", ["tiny-theater"]).user
    small.staff.checkins.admit(usher, small.tickets.token_for(book_today(small, door, ["C3"])))
    assert reviews.write(door, MOVIE, 5, "Loved it").rating == 5
    after_the_show(small)
    assert reviews.may_review(early, MOVIE) and not reviews.may_review(cancelled, MOVIE)
    assert reviews.write(early, MOVIE, 3, "Fine").rating == 3
    with pytest.raises(NotAttended):
        reviews.write(cancelled, MOVIE, 1, "Cancelled, still angry")
    with pytest.raises(NotFound):
        reviews.write(early, "no-such-movie", 3, "")
    summary = reviews.summary(MOVIE)
    assert (summary.count, summary.total, summary.average) == (2, 8, 4.0)


def test_one_review_per_customer_editable_and_deletable(small: Services) -> None:
    reviews = small.engage.reviews
    ann = attendee(small, "ann", "A1")
    after_the_show(small)
    first = reviews.write(ann, MOVIE, 2, "Slow start")
    edited = reviews.write(ann, MOVIE, 4, "It grew on me")  # the same review, edited
    assert (edited.review_id, edited.rating, edited.text) == (first.review_id, 4, "It grew on me") and edited.edited_at
    assert [r.text for r in reviews.reviews(MOVIE)] == ["It grew on me"]
    assert (reviews.summary(MOVIE).count, reviews.summary(MOVIE).total) == (1, 4)
    reviews.delete(ann, MOVIE)
    assert reviews.reviews(MOVIE) == [] and reviews.mine(ann, MOVIE) is None
    assert (reviews.summary(MOVIE).count, reviews.summary(MOVIE).total) == (0, 0)
    reviews.delete(ann, MOVIE)  # nothing left to delete: no error, nothing changed
    assert reviews.summary(MOVIE).count == 0


def test_text_rules_html_stays_text_limits_and_word_lists(small: Services) -> None:
    reviews = small.engage.reviews
    ann = attendee(small, "ann", "A1")
    after_the_show(small)
    for bad_rating in (0, 6, True):
        with pytest.raises(InvalidRequest):
            reviews.write(ann, MOVIE, bad_rating, "x")
    with pytest.raises(InvalidRequest):
        reviews.write(ann, MOVIE, 3, "a" * 2001)
    for abusive in ("What a fucking mess", "बिल्कुल चूतिया फिल्म", "total bakwas, chutiya story"):
        with pytest.raises(InvalidRequest, match="abusive"):
            reviews.write(ann, MOVIE, 1, abusive)
    assert reviews.mine(ann, MOVIE) is None  # refused input changed nothing
    html = '<script>alert("x")</script> <b>bold</b>'
    assert reviews.write(ann, MOVIE, 3, html + "\x00").text == html  # kept as text; control characters dropped
    assert reviews.write(ann, MOVIE, 3, "Scunthorpe class act, bass-heavy score").rating == 3  # whole words only


def test_helpful_votes_once_per_customer_and_the_two_orders(small: Services) -> None:
    reviews = small.engage.reviews
    ann, ben, cat = (attendee(small, name, seat) for name, seat in (("ann", "A1"), ("ben", "A2"), ("cat", "A3")))
    after_the_show(small)
    reviews.write(ann, MOVIE, 5, "first")
    small.clock.advance(minutes=1)  # type: ignore[attr-defined]
    reviews.write(ben, MOVIE, 3, "second")
    small.clock.advance(minutes=1)  # type: ignore[attr-defined]
    reviews.write(cat, MOVIE, 4, "third")
    assert [r.text for r in reviews.reviews(MOVIE, "newest")] == ["third", "second", "first"]
    assert reviews.vote_helpful(ann, MOVIE, ben.user_id).helpful == 1
    assert reviews.vote_helpful(cat, MOVIE, ben.user_id).helpful == 2
    assert reviews.vote_helpful(ben, MOVIE, ann.user_id).helpful == 1
    with pytest.raises(AlreadyExists):
        reviews.vote_helpful(ann, MOVIE, ben.user_id)
    with pytest.raises(InvalidRequest):
        reviews.vote_helpful(ann, MOVIE, ann.user_id)
    assert [(r.text, r.helpful) for r in reviews.reviews(MOVIE, "helpful")] == [
        ("second", 2), ("first", 1), ("third", 0)]


def test_racing_votes_are_all_counted_once(small: Services) -> None:
    reviews = small.engage.reviews
    author = attendee(small, "ann", "A1")
    voters = [customer(small, f"voter{i}") for i in range(6)]
    after_the_show(small)
    reviews.write(author, MOVIE, 4, "good")

    def vote(voter: User) -> str:
        try:
            reviews.vote_helpful(voter, MOVIE, author.user_id)
            return "counted"
        except AlreadyExists:
            return "again"

    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(vote, voters + voters[:2]))
    assert answers.count("counted") == 6
    mine = reviews.mine(author, MOVIE)
    assert mine is not None and mine.helpful == 6


def test_staff_hide_a_review_with_a_reason_and_it_is_audited(small: Services) -> None:
    reviews = small.engage.reviews
    ann, ben = attendee(small, "ann", "A1"), attendee(small, "ben", "A2")
    after_the_show(small)
    reviews.write(ann, MOVIE, 1, "Spoiler: the butler did it")
    reviews.write(ben, MOVIE, 5, "Great")
    usher = staff(small, "ursula", "usher", ["tiny-theater"]).user
    with pytest.raises(Forbidden):
        reviews.hide(usher, MOVIE, ann.user_id, "spoiler")
    manager = staff(small, "max", "manager", ["tiny-theater"]).user
    with pytest.raises(InvalidRequest):
        reviews.hide(manager, MOVIE, ann.user_id, "   ")
    hidden = reviews.hide(manager, MOVIE, ann.user_id, "Spoilers the whole plot")
    assert hidden.hidden and [r.text for r in reviews.reviews(MOVIE)] == ["Great"]
    assert (reviews.summary(MOVIE).count, reviews.summary(MOVIE).total) == (1, 5)
    entry = small.staff.audit.recent(["global"])[0]
    assert (entry.action, entry.target, entry.reason, entry.actor_name) == (
        "review.hidden", f"{MOVIE}/{ann.user_id}", "Spoilers the whole plot", "Max")
    with pytest.raises(Forbidden):
        reviews.write(ann, MOVIE, 2, "edited after hiding")
    mine = reviews.mine(ann, MOVIE)
    assert mine is not None and mine.hidden_reason == "Spoilers the whole plot"
    reviews.delete(ann, MOVIE)  # the author may still delete it; the summary does not move twice
    assert (reviews.summary(MOVIE).count, reviews.summary(MOVIE).total) == (1, 5) == recount(small, MOVIE)


OPS = st.lists(st.tuples(st.sampled_from(["write", "write", "delete", "hide", "vote"]), st.integers(0, 3),
                         st.integers(1, 5), st.integers(0, 3)), min_size=1, max_size=12)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS)
def test_the_summary_always_equals_a_recount(small: Services, ops: list[tuple[str, int, int, int]]) -> None:
    """Random writes, edits, deletes, hides and votes by four customers: after every step the summary is
    what counting the visible reviews gives (examples share the tables: the invariant holds throughout)."""
    reviews = small.engage.reviews
    users = _property_users(small)
    manager = staff(small, "max", "manager", ["tiny-theater"]).user if small.users.find("max@example.com") is None \
        else small.users.get("max@example.com")
    for op, who, rating, other in ops:
        user = users[who]
        if op == "write":
            with contextlib.suppress(Forbidden):  # a hidden review cannot be edited
                reviews.write(user, MOVIE, rating, f"{user.name} says {rating}")
        elif op == "delete":
            reviews.delete(user, MOVIE)
        elif op == "hide":
            with contextlib.suppress(NotFound):
                reviews.hide(manager, MOVIE, user.user_id, "test")
        else:
            with contextlib.suppress(NotFound, AlreadyExists, InvalidRequest):
                reviews.vote_helpful(users[other], MOVIE, user.user_id)
        summary = reviews.summary(MOVIE)
        assert (summary.count, summary.total) == recount(small, MOVIE)
        assert len(reviews.reviews(MOVIE)) == summary.count == len(reviews.reviews(MOVIE, "newest"))


def _property_users(services: Services) -> list[User]:
    found = services.users.find("p0@example.com")
    if found is not None:
        return [services.users.get(f"p{i}@example.com") for i in range(4)]
    users = [customer(services, f"p{i}") for i in range(4)]
    for user, seat in zip(users, ("A1", "A2", "A3", "A4"), strict=True):
        book_soon(services, user, [seat])
    after_the_show(services)
    return users
