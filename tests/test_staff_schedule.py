"""Scheduling and cancelling shows (services and /api/v1/staff/showtimes), over moto: never two shows on
a screen at once, even when managers schedule at the same moment; cancelling refunds and emails."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from services.booking.payments import APPROVE_CARD, CardPayment
from services.container import Services
from services.errors import Forbidden, InvalidRequest, ShowClosed
from services.platform.schema import OUTBOX
from services.staff.schedule import RepeatRule, ScheduleConflict, ShowRequest
from tests.conftest import api_client
from tests.staff_helpers import PASSWORD, customer, staff

IST = ZoneInfo("Asia/Kolkata")
SCREEN = "tiny-theater.tiny-1"


def at(services: Services, days: int, hour: int, minute: int = 0) -> datetime:
    """A local (IST) time ``days`` after the services' clock's date."""
    return datetime.combine(services.clock.now().astimezone(IST).date() + timedelta(days=days),
                            time(hour, minute), tzinfo=IST)


def show(services: Services, starts_at: datetime, prices: dict[str, int] | None = None) -> ShowRequest:
    return ShowRequest("tiny-movie", SCREEN, starts_at, prices or {})


def test_a_show_is_scheduled_and_an_overlapping_one_refused(small: Services) -> None:
    manager = staff(small, "maya", "manager", ["tiny-theater"]).user
    first = small.staff.schedule.schedule(manager, show(small, at(small, 4, 10), {"prime": 40000}))
    assert first.prices == {"classic": 20000, "prime": 40000} and first.screen_key == SCREEN
    assert first.ends_at - first.starts_at == timedelta(minutes=100 + 20)  # runtime + cleaning buffer
    assert first.showtime_id in {s.showtime_id for s in small.catalog.upcoming_for_movie("tiny-movie")}
    with pytest.raises(ScheduleConflict) as clash:
        small.staff.schedule.schedule(manager, show(small, at(small, 4, 11, 59)))
    assert clash.value.conflicts == [first.showtime_id]
    assert small.staff.schedule.schedule(manager, show(small, at(small, 4, 12)))  # right after the buffer
    entry = small.staff.audit.recent(["tiny-theater"])[-1]
    assert entry.action == "showtime.scheduled" and entry.target == first.showtime_id


def test_shows_that_existed_before_the_schedule_count_too(small: Services) -> None:
    manager = staff(small, "maya", "manager", ["tiny-theater"]).user
    existing = small.catalog.showtime("tiny-show")  # written straight into the table, like the demo's
    with pytest.raises(ScheduleConflict) as clash:
        small.staff.schedule.schedule(manager, show(small, existing.starts_at + timedelta(minutes=30)))
    assert clash.value.conflicts == ["tiny-show"]


def test_two_managers_at_once_one_wins(small: Services) -> None:
    managers = [staff(small, name, "manager", ["tiny-theater"]).user for name in ("maya", "mani", "mona", "milo")]
    starts = [at(small, 5, 18, minute) for minute in (0, 10, 20, 30)]  # all overlap each other

    def attempt(pair: tuple[object, datetime]) -> str:
        try:
            return small.staff.schedule.schedule(pair[0], show(small, pair[1])).showtime_id  # type: ignore[arg-type]
        except ScheduleConflict:
            return "conflict"

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(attempt, zip(managers, starts, strict=True)))
    winners = [result for result in results if result != "conflict"]
    assert len(winners) == 1, results
    day_shows = [s for s in small.catalog.upcoming_for_movie("tiny-movie") if s.local_date() == starts[0].date()]
    assert [s.showtime_id for s in day_shows] == winners


def test_repeat_rule_preview_then_create(small: Services) -> None:
    manager = staff(small, "maya", "manager", ["tiny-theater"]).user
    existing = small.catalog.showtime("tiny-show").local_start()  # day +2
    rule = RepeatRule(existing.date(), existing.date() + timedelta(days=2),
                      (existing.time(), time(9, 0) if existing.hour >= 12 else time(20, 0)))
    planned = small.staff.schedule.preview(manager, show(small, at(small, 1, 0)), rule)
    assert len(planned) == 6
    assert [p.conflicts for p in planned if p.starts_at == existing] == [("tiny-show",)]
    assert sum(1 for p in planned if p.conflicts) == 1
    assert small.catalog.upcoming_for_movie("tiny-movie") == small.catalog.upcoming_for_movie("tiny-movie")
    created, refused = small.staff.schedule.schedule_repeat(manager, show(small, at(small, 1, 0)), rule)
    assert len(created) == 5 and [r.starts_at for r in refused] == [existing]
    with pytest.raises(InvalidRequest):
        small.staff.schedule.preview(manager, show(small, at(small, 1, 0)),
                                     RepeatRule(date(2030, 1, 2), date(2030, 1, 1), (time(10, 0),)))


def test_only_managers_of_the_theater_schedule(small: Services) -> None:
    usher = staff(small, "ursula", "usher", ["tiny-theater"]).user
    elsewhere = staff(small, "otto", "manager", ["other-theater"]).user
    for who in (usher, elsewhere, customer(small, "carl")):
        with pytest.raises(Forbidden):
            small.staff.schedule.schedule(who, show(small, at(small, 6, 10)))
    with pytest.raises(InvalidRequest):  # a time without its offset is ambiguous
        small.staff.schedule.schedule(staff(small, "maya", "manager", ["tiny-theater"]).user,
                                      show(small, at(small, 6, 10).replace(tzinfo=None)))


def test_cancelling_a_show_refunds_and_emails_everyone_and_frees_the_screen(small: Services) -> None:
    manager = staff(small, "maya", "manager", ["tiny-theater"]).user
    showtime = small.staff.schedule.schedule(manager, show(small, at(small, 3, 15)))
    bookings = []
    for name, seats in (("carl", ["B1"]), ("dana", ["B2", "B3"])):
        person = customer(small, name)
        hold = small.inventory.hold(showtime.showtime_id, seats, person.user_id)
        bookings.append(small.bookings.checkout(hold.hold_id, person, CardPayment(APPROVE_CARD)))
    late = customer(small, "eve")
    late_hold = small.inventory.hold(showtime.showtime_id, ["C3"], late.user_id)  # paying while it is cancelled

    result = small.staff.cancellation.cancel(manager, showtime.showtime_id)
    assert result.bookings_refunded == 2 and result.showtime.status == "cancelled"
    for booking in bookings:
        after = small.bookings.get(booking.booking_id, small.users.get(booking.email))
        assert after.status == "cancelled" and after.refund == booking.price.total  # the theater's fault: all back
        mail = small.aws.table(OUTBOX).get_item(Key={"notification_id": f"{booking.booking_id}#booking_cancelled"})
        assert "Item" in mail
    with pytest.raises(Exception) as refused:
        small.bookings.checkout(late_hold.hold_id, late, CardPayment(APPROVE_CARD))
    assert refused.type.__name__ in ("ShowClosed", "HoldExpired")
    with pytest.raises(ShowClosed):
        small.inventory.hold(showtime.showtime_id, ["A1"], late.user_id)
    assert showtime.showtime_id not in {s.showtime_id for s in small.catalog.upcoming_for_movie("tiny-movie")}
    assert small.staff.cancellation.cancel(manager, showtime.showtime_id).bookings_refunded == 0  # safe to repeat
    assert small.staff.schedule.schedule(manager, show(small, at(small, 3, 15)))  # the screen is free again
    actions = [entry.action for entry in small.staff.audit.recent(["tiny-theater"])]
    assert actions.count("booking.refunded") == 2 and "showtime.cancelled" in actions


# The API contract ------------------------------------------------------------------------------------
@pytest.fixture
def client(small: Services) -> Iterator[TestClient]:
    with api_client(small) as test_client:
        yield test_client


def bearer(client: TestClient, email: str, password: str = PASSWORD) -> dict[str, str]:
    response = client.post("/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def test_showtimes_api_contract(client: TestClient, small: Services) -> None:
    manager = staff(small, "maya", "manager", ["tiny-theater"])
    auth = bearer(client, manager.user.email, manager.password)
    customer(small, "carl")
    carl = bearer(client, "carl@example.com")
    starts = at(small, 4, 19, 30).isoformat()
    body = {"movie_id": "tiny-movie", "screen_id": SCREEN, "starts_at": starts, "prices": {"classic": 25000}}
    assert client.post("/staff/showtimes", json=body).status_code == 401
    assert client.post("/staff/showtimes", json=body, headers=carl).status_code == 403
    created = client.post("/staff/showtimes", json=body, headers=auth)
    assert created.status_code == 201, created.text
    out = created.json()
    assert out["screen_id"] == SCREEN and out["starts_at"] == starts and out["prices"]["classic"] == 25000
    listed = client.get("/showtimes", params={"movie_id": "tiny-movie"}).json()
    assert out in listed
    clash = client.post("/staff/showtimes", json=body | {"starts_at": at(small, 4, 20).isoformat()}, headers=auth)
    assert clash.status_code == 409
    assert clash.json()["error"]["code"] == "schedule_conflict"
    assert clash.json()["error"]["conflicts"] == [out["showtime_id"]]
    naive = client.post("/staff/showtimes", json=body | {"starts_at": "2030-01-01T10:00:00"}, headers=auth)
    assert naive.status_code == 422
    bad = client.post("/staff/showtimes", json=body | {"prices": {"gold": 1}}, headers=auth)
    assert bad.status_code == 422

    hold = client.post(f"/showtimes/{out['showtime_id']}/holds", json={"seat_ids": ["A1"]}, headers=carl).json()
    paid = client.post("/bookings", json={"hold_id": hold["hold_id"],
                                          "payment": {"method": "card", "card_number": "4242424242424242"}},
                       headers=carl)
    assert paid.status_code == 201
    assert client.delete(f"/staff/showtimes/{out['showtime_id']}", headers=carl).status_code == 403
    cancelled = client.delete(f"/staff/showtimes/{out['showtime_id']}", headers=auth)
    assert cancelled.status_code == 200
    assert cancelled.json() == {"showtime_id": out["showtime_id"], "status": "cancelled", "bookings_refunded": 1}
    mine = client.get(f"/bookings/{paid.json()['booking_id']}", headers=carl).json()
    assert mine["status"] == "cancelled" and mine["refund"] == mine["price"]["total"]
    assert client.delete("/staff/showtimes/no-such-show", headers=auth).status_code == 404


def test_repeat_preview_api(client: TestClient, small: Services) -> None:
    manager = staff(small, "maya", "manager", ["tiny-theater"])
    auth = bearer(client, manager.user.email, manager.password)
    first = at(small, 8, 0).date()
    body = {"movie_id": "tiny-movie", "screen_id": SCREEN,
            "repeat": {"first_day": first.isoformat(), "last_day": (first + timedelta(days=13)).isoformat(),
                       "times": ["10:00", "13:30", "18:00"]}}
    preview = client.post("/staff/showtimes/preview", json=body, headers=auth)
    assert preview.status_code == 200 and len(preview.json()) == 42
    assert all(not p["conflicts"] for p in preview.json())
    made = client.post("/staff/showtimes/repeat", json=body, headers=auth)
    assert made.status_code == 201 and len(made.json()["created"]) == 42 and made.json()["refused"] == []
    again = client.post("/staff/showtimes/preview", json=body, headers=auth).json()
    assert all(len(p["conflicts"]) == 1 for p in again)


def test_screen_ids_are_unique_across_theaters(client: TestClient, seeded: Services) -> None:
    seen: dict[str, str] = {}
    for city in seeded.catalog.cities():
        for item in client.get("/showtimes", params={"city": city}).json():
            assert seen.setdefault(item["screen_id"], item["theater_id"]) == item["theater_id"]
    assert len(seen) > 12 and all(key.startswith(theater + ".") for key, theater in seen.items())


def test_every_staff_route_refuses_customers_and_other_theaters(client: TestClient, small: Services) -> None:
    """Each route of /api/v1/staff: 401 without a token, 403 for a customer and for another theater's manager."""
    customer(small, "carl")
    other = staff(small, "otto", "manager", ["other-theater"])
    tokens = {"customer": bearer(client, "carl@example.com"), "other": bearer(client, other.user.email, other.password)}
    day = at(small, 4, 10)
    show_body = {"movie_id": "tiny-movie", "screen_id": SCREEN, "starts_at": day.isoformat()}
    repeat_body = {"movie_id": "tiny-movie", "screen_id": SCREEN,
                   "repeat": {"first_day": day.date().isoformat(), "last_day": day.date().isoformat(),
                              "times": ["10:00"]}}
    report = {"theater_id": "tiny-theater", "from": day.date().isoformat(), "to": day.date().isoformat()}
    routes: list[tuple[str, str, dict[str, Any]]] = [
        ("POST", "/staff/showtimes", {"json": show_body}),
        ("POST", "/staff/showtimes/preview", {"json": repeat_body}),
        ("POST", "/staff/showtimes/repeat", {"json": repeat_body}),
        ("DELETE", "/staff/showtimes/tiny-show", {}),
        ("GET", "/staff/reports/daily", {"params": report}),
        ("GET", "/staff/reports/export.csv", {"params": report}),
        ("POST", "/staff/checkins", {"json": {"ticket_token": "MM1.X.Y.Z", "theater_id": "tiny-theater"}}),
    ]
    for method, path, kwargs in routes:
        assert client.request(method, path, **kwargs).status_code == 401, path
        for who, headers in tokens.items():
            response = client.request(method, path, headers=headers, **kwargs)
            assert response.status_code == 403, (path, who, response.text)
            assert response.json()["error"]["code"] == "forbidden"
    assert small.catalog.showtime("tiny-show").status == "scheduled"  # nothing was changed
