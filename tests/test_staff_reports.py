"""Reports: the figures equal a recomputation from the bookings themselves, over random sells, cancels
and admissions (property-based, hypothesis); the API serves them to managers of the theater only."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.booking.bookings import Booking
from services.booking.counters import lead_bucket
from services.booking.payments import APPROVE_CARD, CardPayment
from services.clock import parse_iso
from services.container import Services
from services.errors import DomainError, Forbidden
from tests.conftest import add_small_showtime, api_client
from tests.staff_helpers import customer, staff

SHOWS = ("tiny-today", "tiny-show")  # today (+3 h) and in two days
Step = tuple[str, int, int]
steps = st.lists(st.one_of(
    st.tuples(st.just("sell"), st.integers(0, 1), st.integers(1, 3)),
    st.tuples(st.just("cancel"), st.integers(0, 30), st.just(0)),
    st.tuples(st.just("admit"), st.integers(0, 30), st.just(0)),
), min_size=1, max_size=10)


def _apply(services: Services, step: Step, made: list[Booking], buyer: object, usher: object) -> None:
    kind, index, count = step
    try:
        if kind == "sell":
            showtime_id = SHOWS[index]
            free = [s.seat_id for s in services.inventory.seat_map(showtime_id).seats if s.status == "available"]
            if len(free) >= count:
                hold = services.inventory.hold(showtime_id, free[:count], buyer.user_id)  # type: ignore[attr-defined]
                made.append(services.bookings.checkout(hold.hold_id, buyer, CardPayment(APPROVE_CARD)))  # type: ignore[arg-type]
        elif made and kind == "cancel":
            services.bookings.cancel(made[index % len(made)].booking_id, buyer)  # type: ignore[arg-type]
        elif made and kind == "admit":
            services.staff.checkins.admit(usher, services.tickets.token_for(made[index % len(made)]))  # type: ignore[arg-type]
    except DomainError:
        pass  # refused (already admitted, cancelled, not today...): a refusal must change no figure


def _recompute(services: Services, first: date, last: date) -> dict[date, dict[str, object]]:
    """The same figures, walked from the bookings (what the aggregates must never need)."""
    days: dict[date, dict[str, object]] = {}
    for showtime_id in (*SHOWS, "tiny-soon"):
        for booking in services.bookings.for_showtime(showtime_id):
            day = days.setdefault(booking.local_start().date(), {
                "tickets_sold": 0, "tickets_refunded": 0, "gross": 0, "refunds": 0, "admitted": 0,
                "categories": Counter(), "lead": Counter()})
            tickets = len(booking.seats)
            day["tickets_sold"] += tickets  # type: ignore[operator]
            day["gross"] += booking.price.total  # type: ignore[operator]
            day["categories"].update(seat.category for seat in booking.seats)  # type: ignore[attr-defined]
            day["lead"][lead_bucket(parse_iso(booking.created_at), booking.starts_at)] += tickets  # type: ignore[index]
            if booking.status == "cancelled":
                day["tickets_refunded"] += tickets  # type: ignore[operator]
                day["refunds"] += booking.refund or 0  # type: ignore[operator]
            if booking.extra.get("admitted_at"):
                day["admitted"] += tickets  # type: ignore[operator]
    return {day: figures for day, figures in days.items() if first <= day <= last}


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(script=steps)
def test_report_figures_equal_a_recomputation_from_the_bookings(small: Services, script: list[Step]) -> None:
    # The tiny catalog persists across examples: each example adds to it, and the comparison covers all.
    if not any(s.showtime_id == "tiny-today" for s in small.catalog.upcoming_for_movie("tiny-movie")):
        add_small_showtime(small, "tiny-today", timedelta(hours=3))
        small.catalog.invalidate()
    buyer = small.users.get("carl@example.com") if _exists(small, "carl") else customer(small, "carl")
    manager = small.users.get("maya@example.com") if _exists(small, "maya") else staff(
        small, "maya", "manager", ["tiny-theater"]).user
    made: list[Booking] = []
    for step in script:
        _apply(small, step, made, buyer, manager)
    today = small.clock.now().astimezone(small.catalog.theater("tiny-theater").tz).date()
    first, last = today, today + timedelta(days=3)
    report = small.staff.reports.report(manager, "tiny-theater", first, last)
    expected = _recompute(small, first, last)
    for day in report.days:
        want = expected.get(day.date)
        if want is None:
            assert (day.tickets_sold, day.gross, day.admitted) == (0, 0, 0)
            continue
        got = {"tickets_sold": day.tickets_sold, "tickets_refunded": day.tickets_refunded, "gross": day.gross,
               "refunds": day.refunds, "admitted": day.admitted, "categories": Counter(day.categories),
               "lead": Counter({k: v for k, v in day.lead.items() if v})}
        assert got == want, day.date
    by_show = {show.showtime_id: show for show in report.shows}
    for showtime_id in SHOWS:
        bookings = small.bookings.for_showtime(showtime_id)
        assert by_show[showtime_id].tickets_sold == sum(len(b.seats) for b in bookings)
        assert by_show[showtime_id].net_tickets == sum(len(b.seats) for b in bookings if b.status == "confirmed")
        assert by_show[showtime_id].seats == 23  # the tiny hall's seats minus its blocked one


def _exists(services: Services, name: str) -> bool:
    try:
        services.users.get(f"{name}@example.com")
        return True
    except DomainError:
        return False


def test_report_cost_does_not_grow_with_bookings(small: Services) -> None:
    manager = staff(small, "maya", "manager", ["tiny-theater"]).user
    today = small.clock.now().astimezone(small.catalog.theater("tiny-theater").tz).date()
    before = small.staff.reports.report(manager, "tiny-theater", today, today + timedelta(days=6))
    buyer = customer(small, "carl")
    for _ in range(6):
        free = [s.seat_id for s in small.inventory.seat_map("tiny-show").seats if s.status == "available"]
        hold = small.inventory.hold("tiny-show", free[:3], buyer.user_id)
        small.bookings.checkout(hold.hold_id, buyer, CardPayment(APPROVE_CARD))
    after = small.staff.reports.report(manager, "tiny-theater", today, today + timedelta(days=6))
    assert after.totals()["tickets_sold"] == 18
    assert (after.requests, after.items_read) == (before.requests, before.items_read + 2)  # the two new counters


def test_only_managers_of_the_theater_read_reports(small: Services) -> None:
    today = small.clock.now().date()
    for who in (customer(small, "carl"), staff(small, "ursula", "usher", ["tiny-theater"]).user,
                staff(small, "otto", "manager", ["other-theater"]).user):
        with pytest.raises(Forbidden):
            small.staff.reports.report(who, "tiny-theater", today, today)


# The API contract ------------------------------------------------------------------------------------
@pytest.fixture
def client(small: Services) -> Iterator[TestClient]:
    with api_client(small) as test_client:
        yield test_client


def test_daily_report_api(client: TestClient, small: Services) -> None:
    manager = staff(small, "maya", "manager", ["tiny-theater"])
    other = staff(small, "otto", "manager", ["other-theater"])
    login = {"email": manager.user.email, "password": manager.password}
    auth = {"Authorization": f"Bearer {client.post('/auth/login', json=login).json()['access_token']}"}
    other_login = {"email": other.user.email, "password": other.password}
    other_auth = {"Authorization": f"Bearer {client.post('/auth/login', json=other_login).json()['access_token']}"}
    buyer = customer(small, "carl")
    hold = small.inventory.hold("tiny-show", ["C3", "C4"], buyer.user_id)
    booking = small.bookings.checkout(hold.hold_id, buyer, CardPayment(APPROVE_CARD))
    day = booking.local_start().date()
    params = {"theater_id": "tiny-theater", "from": (day - timedelta(days=1)).isoformat(), "to": day.isoformat()}
    assert client.get("/staff/reports/daily", params=params).status_code == 401
    assert client.get("/staff/reports/daily", params=params, headers=other_auth).status_code == 403
    response = client.get("/staff/reports/daily", params=params, headers=auth)
    assert response.status_code == 200, response.text
    days = response.json()["days"]
    assert [d["date"] for d in days] == [params["from"], params["to"]]
    assert days[1] == {"date": day.isoformat(), "tickets_sold": 2, "tickets_refunded": 0,
                       "gross": booking.price.total, "refunds": 0, "admitted": 0, "shows": 1,
                       "seats_offered": 23, "occupancy": round(2 / 23, 4)}
    bad = client.get("/staff/reports/daily", params=params | {"to": "2000-01-01"}, headers=auth)
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_request"
    csv = client.get("/staff/reports/export.csv", params=params, headers=auth)
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert f"{day.isoformat()},1,2,0,{booking.price.total}," in csv.text and "tiny-show" in csv.text
