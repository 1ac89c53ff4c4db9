"""Theaters and screens (over moto): admins add and edit them, validated (IANA timezones through zoneinfo)
and audited in the theater's scope; managers see only their theaters; a new theater is usable end to end:
a hall painted in the layout editor, a show scheduled on it, a customer buys a ticket."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.v1 import PREFIX, create_app
from services.accounts.users import User
from services.booking.models import SeatState
from services.booking.payments import APPROVE_CARD, CardPayment
from services.container import Services
from services.errors import Forbidden, InvalidRequest, NotFound
from services.platform.schema import THEATERS
from services.staff.schedule import ShowRequest
from services.staff.theaters import ScreenDraft, TheaterDraft
from tests.staff_helpers import admin, customer, staff

DRAFT = TheaterDraft(name=" Harbour Lights ", city="Kochi", address="2 Marine Drive", timezone="Asia/Kolkata")
HALL = ScreenDraft(name="Hall 1", format="2D", rows=6, seats_per_row=10, prices={"classic": 18000, "prime": 26000})


def test_an_admin_adds_a_theater_and_a_screen(small: Services) -> None:
    boss = admin(small)
    assert small.staff.theaters.create(boss, "harbour-lights", DRAFT) == "harbour-lights"
    theater = small.catalog.theater("harbour-lights")
    assert (theater.name, theater.city, theater.timezone, theater.screens) == (
        "Harbour Lights", "Kochi", "Asia/Kolkata", ())
    assert "Kochi" in small.catalog.cities()  # the cache was invalidated: customers see the new city

    key = small.staff.theaters.add_screen(boss, "harbour-lights", "hall-1", HALL)
    assert key == "harbour-lights.hall-1"
    screen = small.catalog.theater("harbour-lights").screen("hall-1")
    assert (screen.name, screen.layout.capacity, screen.layout_version, screen.prices) == (
        "Hall 1", 60, 1, {"classic": 18000, "prime": 26000})
    assert {seat.category for seat in screen.layout.seats if seat.row in ("E", "F")} == {"prime"}
    assert {seat.category for seat in screen.layout.seats if seat.row == "A"} == {"classic"}

    small.staff.theaters.rename_screen(boss, "harbour-lights", "hall-1", "Grand Hall", "IMAX")
    assert small.catalog.theater("harbour-lights").screen("hall-1").format == "IMAX"

    entries = small.staff.audit.recent(["harbour-lights"])
    assert [e.action for e in entries] == ["screen.updated", "screen.created", "theater.created"]
    assert entries[1].after["seats"] == 60 and entries[0].before == {"name": "Hall 1", "format": "2D"}  # type: ignore[index]


def test_an_admin_edits_a_theater_but_not_its_city_once_it_has_screens(small: Services) -> None:
    boss = admin(small)
    small.staff.theaters.create(boss, "harbour-lights", DRAFT)
    small.staff.theaters.update(boss, "harbour-lights", replace(DRAFT, city="Kozhikode", timezone="Asia/Calcutta"))
    assert small.catalog.theater("harbour-lights").city == "Kozhikode"
    small.staff.theaters.add_screen(boss, "harbour-lights", "hall-1", HALL)
    with pytest.raises(InvalidRequest, match="fixed once"):
        small.staff.theaters.update(boss, "harbour-lights", replace(DRAFT, timezone="Asia/Dubai"))
    small.staff.theaters.update(boss, "harbour-lights", replace(DRAFT, city="Kozhikode", timezone="Asia/Calcutta",
                                                                name="Harbour Lights IMAX", address="3 Beach Rd"))
    theater = small.catalog.theater("harbour-lights")
    assert (theater.name, theater.address, theater.timezone) == ("Harbour Lights IMAX", "3 Beach Rd", "Asia/Calcutta")
    updated = small.staff.audit.recent(["harbour-lights"])[0]
    assert updated.action == "theater.updated" and updated.before["name"] == "Harbour Lights"  # type: ignore[index]


def test_a_demo_theater_without_a_version_is_edited_once_at_a_time(small: Services) -> None:
    boss = admin(small)
    small.staff.theaters.update(boss, "tiny-theater", TheaterDraft("Tiny Cinema 2", "Testville", "1 Test Road",
                                                                   "Asia/Kolkata"))
    assert small.catalog.theater("tiny-theater").name == "Tiny Cinema 2"
    item = small.aws.table(THEATERS).get_item(Key={"theater_id": "tiny-theater"})["Item"]
    assert item["catalog_version"] == 1 and item["city_name"] == "Testville#Tiny Cinema 2"


@pytest.mark.parametrize(("change", "problem"), [
    ({"name": "  "}, "name"),
    ({"city": ""}, "city"),
    ({"city": "A#B"}, "city"),
    ({"address": "x" * 201}, "address"),
    ({"timezone": "Mars/Olympus"}, "timezone"),
    ({"timezone": "../../etc/passwd"}, "timezone"),
    ({"timezone": ""}, "timezone"),
])
def test_bad_theaters_are_refused_and_change_nothing(small: Services, change: dict[str, str], problem: str) -> None:
    with pytest.raises(InvalidRequest, match=f"(?i){problem}"):
        small.staff.theaters.create(admin(small), "bad-theater", replace(DRAFT, **change))
    with pytest.raises(NotFound):
        small.catalog.theater("bad-theater")
    assert small.staff.audit.recent(["bad-theater"]) == []


@pytest.mark.parametrize(("screen_id", "change", "problem"), [
    ("Hall 1", {}, "screen id"),
    ("hall-2", {"name": ""}, "name"),
    ("hall-2", {"format": "8K"}, "format"),
    ("hall-2", {"rows": 0}, "rows"),
    ("hall-2", {"seats_per_row": 41}, "seats a row"),
    ("hall-2", {"prices": {"classic": 0, "prime": 100}}, "Prices"),
    ("hall-2", {"prices": {"classic": 100}}, "Prices"),
    ("hall-1", {}, "already"),
])
def test_bad_screens_are_refused_and_change_nothing(small: Services, screen_id: str, change: dict[str, object],
                                                    problem: str) -> None:
    boss = admin(small)
    small.staff.theaters.create(boss, "harbour-lights", DRAFT)
    small.staff.theaters.add_screen(boss, "harbour-lights", "hall-1", HALL)
    with pytest.raises(InvalidRequest, match=f"(?i){problem}"):
        small.staff.theaters.add_screen(boss, "harbour-lights", screen_id, replace(HALL, **change))  # type: ignore[arg-type]
    assert [s.screen_id for s in small.catalog.theater("harbour-lights").screens] == ["hall-1"]


def test_only_admins_change_theaters_and_managers_see_their_own(small: Services) -> None:
    boss = admin(small)
    manager = staff(small, "maya", "manager", ["tiny-theater"]).user
    usher = staff(small, "ulla", "usher", ["tiny-theater"]).user
    shopper = customer(small, "carl")
    for someone in (manager, usher, shopper):
        with pytest.raises(Forbidden):
            small.staff.theaters.create(someone, "harbour-lights", DRAFT)
        with pytest.raises(Forbidden):
            small.staff.theaters.add_screen(someone, "tiny-theater", "hall-9", HALL)
        with pytest.raises(Forbidden):
            small.staff.theaters.update(someone, "tiny-theater", DRAFT)
    for someone in (usher, shopper):
        with pytest.raises(Forbidden):
            small.staff.theaters.visible(someone)
    small.staff.theaters.create(boss, "harbour-lights", DRAFT)
    assert [t.theater_id for t in small.staff.theaters.visible(manager)] == ["tiny-theater"]
    assert {t.theater_id for t in small.staff.theaters.visible(boss)} >= {"tiny-theater", "harbour-lights"}


def test_a_new_theater_sells_a_ticket_end_to_end(small: Services) -> None:
    """Theater -> screen -> the hall repainted (a wheelchair space and its companion) -> a manager of the new
    theater schedules a show -> a customer finds it in the new city, holds two seats and pays."""
    boss = admin(small)
    small.staff.theaters.create(boss, "harbour-lights", DRAFT)
    small.staff.theaters.add_screen(boss, "harbour-lights", "hall-1", replace(HALL, rows=3, seats_per_row=6))
    hall = {"layout_id": "hall-1", "name": "Hall 1",
            "categories": [{"code": "classic", "name": "Classic"}, {"code": "prime", "name": "Prime"}],
            "rows": [{"label": "A", "category": "classic", "seats": "wcssss"}, {"aisle": True},
                     {"label": "B", "category": "classic", "seats": "ssssss"},
                     {"label": "C", "category": "prime", "seats": "ss__ss"}]}
    assert small.staff.layouts.save(boss, "harbour-lights", "hall-1", hall) == 2

    known = [theater.theater_id for theater in small.catalog.theaters()]  # as the team page offers them
    manager = small.staff.team.create(boss, "Nina", "nina@example.com", "manager", ["harbour-lights"], known).user
    zone = ZoneInfo("Asia/Kolkata")
    starts = datetime.combine(small.clock.now().astimezone(zone).date() + timedelta(days=2), time(18, 30),
                              tzinfo=zone)
    show = small.staff.schedule.schedule(manager, ShowRequest("tiny-movie", "harbour-lights.hall-1", starts,
                                                              {"prime": 30000}))
    assert show.layout_version == 2 and show.prices == {"classic": 18000, "prime": 30000}
    assert show.showtime_id in {s.showtime_id for s in small.catalog.upcoming_in_city("Kochi")}

    buyer = customer(small, "carl")
    seat_map = small.inventory.seat_map(show.showtime_id, buyer.user_id)
    assert {seat.seat_id for seat in seat_map.seats} >= {"A1", "A2", "C4"} and len(seat_map.seats) == 16
    hold = small.inventory.hold(show.showtime_id, ["C3", "C4"], buyer.user_id)
    booking = small.bookings.checkout(hold.hold_id, buyer, CardPayment(APPROVE_CARD))
    assert (booking.status, booking.theater_name, booking.screen_name, booking.price.subtotal) == (
        "confirmed", "Harbour Lights", "Hall 1", 60000)
    assert {s.seat_id: s.status for s in small.inventory.seat_map(show.showtime_id, None).seats
            if s.seat_id in ("C3", "C4")} == {"C3": SeatState.SOLD, "C4": SeatState.SOLD}


def test_the_api_sets_up_a_theater_that_sells_through_the_api(small: Services) -> None:
    """Admins only change theaters; managers list only theirs; a theater made over the API takes a show
    scheduled by its manager and a customer's booking, all over the API."""
    boss = admin(small)
    other_manager = staff(small, "maya", "manager", ["tiny-theater"]).user
    usher = staff(small, "ulla", "usher", ["tiny-theater"]).user
    shopper = customer(small, "carl")
    parent = FastAPI()
    parent.mount(PREFIX, create_app(small))

    def auth(user: User) -> dict[str, str]:
        return {"Authorization": f"Bearer {small.tokens.issue(user).access_token}"}

    theater = {"theater_id": "harbour-lights", "name": "Harbour Lights", "city": "Kochi", "address": "2 Marine Dr",
               "timezone": "Asia/Kolkata"}
    screen = {"screen_id": "hall-1", "name": "Hall 1", "format": "2D", "rows": 4, "seats_per_row": 8,
              "prices": {"classic": 18000, "prime": 26000}}
    with TestClient(parent, base_url="http://testserver" + PREFIX) as client:
        assert client.post("/staff/theaters", json=theater).status_code == 401
        for someone in (other_manager, usher, shopper):
            refused = client.post("/staff/theaters", json=theater, headers=auth(someone))
            assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
        for someone in (usher, shopper):
            assert client.get("/staff/theaters", headers=auth(someone)).status_code == 403
        bad = client.post("/staff/theaters", json={**theater, "timezone": "Kochi/Time"}, headers=auth(boss))
        assert bad.status_code == 422 and "timezone" in bad.json()["error"]["message"]
        made = client.post("/staff/theaters", json=theater, headers=auth(boss))
        assert made.status_code == 201 and made.json() == {"theater_id": "harbour-lights"}
        assert client.post("/staff/theaters", json=theater, headers=auth(boss)).status_code == 422  # taken
        added = client.post("/staff/theaters/harbour-lights/screens", json=screen, headers=auth(boss))
        assert added.status_code == 201 and added.json() == {"screen_id": "harbour-lights.hall-1"}
        assert client.post("/staff/theaters/nowhere/screens", json=screen, headers=auth(boss)).status_code == 404
        assert client.put("/staff/theaters/harbour-lights/screens/hall-1", json={"name": "Big Hall", "format": "3D"},
                          headers=auth(boss)).status_code == 204
        assert client.put("/staff/theaters/harbour-lights", json={**theater, "address": "4 Marine Dr"},
                          headers=auth(boss)).status_code == 204
        assert client.put("/staff/theaters/harbour-lights", json={**theater, "timezone": "Asia/Dubai"},
                          headers=auth(boss)).status_code == 422

        assert [t["theater_id"] for t in client.get("/staff/theaters", headers=auth(other_manager)).json()] == [
            "tiny-theater"]
        listed = {t["theater_id"]: t for t in client.get("/staff/theaters", headers=auth(boss)).json()}
        assert listed["harbour-lights"]["address"] == "4 Marine Dr"
        assert listed["harbour-lights"]["screens"] == [{"screen_id": "harbour-lights.hall-1", "name": "Big Hall",
                                                        "format": "3D", "seats": 32, "layout_version": 1,
                                                        "prices": {"classic": 18000, "prime": 26000}}]

        known = [theater.theater_id for theater in small.catalog.theaters()]
        nina = small.staff.team.create(boss, "Nina", "nina@example.com", "manager", ["harbour-lights"], known).user
        starts = datetime.combine(small.clock.now().astimezone(ZoneInfo("Asia/Kolkata")).date() + timedelta(days=3),
                                  time(20, 0), tzinfo=ZoneInfo("Asia/Kolkata"))
        show = {"movie_id": "tiny-movie", "screen_id": "harbour-lights.hall-1", "starts_at": starts.isoformat()}
        assert client.post("/staff/showtimes", json=show, headers=auth(other_manager)).status_code == 403
        scheduled = client.post("/staff/showtimes", json=show, headers=auth(nina))
        assert scheduled.status_code == 201, scheduled.text
        showtime_id = scheduled.json()["showtime_id"]
        hold = client.post(f"/showtimes/{showtime_id}/holds", json={"seat_ids": ["D1", "D2"]}, headers=auth(shopper))
        assert hold.status_code == 201, hold.text
        booked = client.post("/bookings", json={"hold_id": hold.json()["hold_id"],
                                                "payment": {"method": "card", "card_number": "4242 4242 4242 4242"}},
                             headers=auth(shopper))
        assert booked.status_code == 201, booked.text
        assert booked.json()["status"] == "confirmed"
