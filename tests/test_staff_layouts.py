"""The seat-layout editor's service (over moto): validated, versioned, audited; a layout edit leaves
shows already on sale exactly as they were, and shows scheduled afterwards get the new hall."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.booking.payments import APPROVE_CARD, CardPayment
from services.container import Services
from services.errors import Forbidden, InvalidRequest
from services.staff.schedule import ShowRequest
from tests.conftest import SMALL_LAYOUT
from tests.staff_helpers import customer, staff

NEW_HALL = {
    "layout_id": "tiny-2", "name": "Tiny, refitted",
    "categories": [{"code": "classic", "name": "Classic"}, {"code": "vip", "name": "VIP"}],
    "rows": [{"label": "A", "category": "classic", "seats": "wcsss_sssss"}, {"aisle": True},
             {"label": "B", "category": "vip", "seats": "ssxss"}],
}


def test_a_layout_edit_leaves_sold_shows_unchanged(small: Services) -> None:
    carl = customer(small, "carl")
    hold = small.inventory.hold("tiny-show", ["C3", "C4"], carl.user_id)
    sold = small.bookings.checkout(hold.hold_id, carl, CardPayment(APPROVE_CARD))
    before = small.inventory.seat_map("tiny-show")
    manager = staff(small, "maya", "manager", ["tiny-theater"]).user
    assert small.staff.layouts.save(manager, "tiny-theater", "tiny-1", NEW_HALL, {"vip": 50000}) == 2

    after = small.inventory.seat_map("tiny-show")  # the show on sale keeps its hall and its sold seats
    assert [(s.seat_id, s.category, s.status) for s in after.seats] == [
        (s.seat_id, s.category, s.status) for s in before.seats]
    assert {s.seat_id for s in after.seats if s.status == "sold"} == set(sold.seat_ids)
    more = small.inventory.hold("tiny-show", ["C5"], carl.user_id)  # and keeps selling on that hall
    assert small.bookings.checkout(more.hold_id, carl, CardPayment(APPROVE_CARD)).seats[0].category == "prime"

    start = small.catalog.showtime("tiny-show").starts_at + timedelta(hours=6)
    new = small.staff.schedule.schedule(manager, ShowRequest("tiny-movie", "tiny-theater.tiny-1", start, {}))
    hall = small.inventory.seat_map(new.showtime_id)
    assert new.layout_version == 2 and {s.category for s in hall.seats} == {"classic", "vip"}
    assert len(hall.seats) == 15 and new.prices["vip"] == 50000
    entry = small.staff.audit.recent(["tiny-theater"])[-1]
    assert entry.action == "layout.saved" and entry.after["version"] == 2  # type: ignore[index]

    assert small.staff.layouts.save(manager, "tiny-theater", "tiny-1", SMALL_LAYOUT) == 3
    assert [s.seat_id for s in small.inventory.seat_map(new.showtime_id).seats] == [s.seat_id for s in hall.seats]


@pytest.mark.parametrize(("rows", "problem"), [
    ([{"label": "A", "category": "classic", "seats": "wsss"}], "companion"),
    ([{"label": "A", "category": "classic", "seats": "ss?s"}], "use s, w, c, x"),
    ([{"label": "A", "category": "gold", "seats": "ssss"}], "unknown category"),
    ([{"label": "A", "category": "classic", "seats": "ss"}, {"label": "A", "category": "classic", "seats": "ss"}],
     "own label"),
    ([{"label": "A", "category": "classic", "seats": "xxxx"}], "at least one seat"),
])
def test_bad_layouts_are_refused_and_change_nothing(small: Services, rows: list[dict[str, str]],
                                                    problem: str) -> None:
    manager = staff(small, "maya", "manager", ["tiny-theater"]).user
    data = {"layout_id": "bad", "name": "Bad", "categories": [{"code": "classic", "name": "Classic"}], "rows": rows}
    with pytest.raises(InvalidRequest) as refused:
        small.staff.layouts.save(manager, "tiny-theater", "tiny-1", data)
    assert problem in refused.value.message
    assert small.catalog.theater("tiny-theater").screens[0].layout_version == 1


def test_an_unpriced_category_and_other_roles_are_refused(small: Services) -> None:
    manager = staff(small, "maya", "manager", ["tiny-theater"]).user
    with pytest.raises(InvalidRequest, match="price for vip"):
        small.staff.layouts.save(manager, "tiny-theater", "tiny-1", NEW_HALL)
    for who in (staff(small, "ursula", "usher", ["tiny-theater"]).user,
                staff(small, "otto", "manager", ["other-theater"]).user, customer(small, "carl")):
        with pytest.raises(Forbidden):
            small.staff.layouts.save(who, "tiny-theater", "tiny-1", NEW_HALL, {"vip": 50000})


def test_layout_api(small: Services) -> None:
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from api.v1 import PREFIX, create_app

    parent = FastAPI()
    parent.mount(PREFIX, create_app(small))
    manager = staff(small, "maya", "manager", ["tiny-theater"])
    customer(small, "carl")
    with TestClient(parent, base_url="http://testserver" + PREFIX) as client:
        def auth(email: str, password: str) -> dict[str, str]:
            token = client.post("/auth/login", json={"email": email, "password": password}).json()["access_token"]
            return {"Authorization": f"Bearer {token}"}

        body = {"layout": NEW_HALL, "prices": {"vip": 50000}}
        path = "/staff/screens/tiny-theater.tiny-1/layout"
        assert client.put(path, json=body).status_code == 401
        assert client.put(path, json=body, headers=auth("carl@example.com", "password123")).status_code == 403
        saved = client.put(path, json=body, headers=auth(manager.user.email, manager.password))
        assert saved.status_code == 200 and saved.json()["layout_version"] == 2
        bad = client.put(path, json={"layout": {"rows": []}}, headers=auth(manager.user.email, manager.password))
        assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_request"
