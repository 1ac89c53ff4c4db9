"""The coming-back routes of the JSON API (issue 15): ratings, reviews, votes, hiding, loyalty and
spending points at checkout, with the API's error shape; all in the OpenAPI document."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
from fastapi.testclient import TestClient

from services.container import Services
from tests.conftest import add_small_showtime, api_client
from tests.engage_helpers import MOVIE, after_the_show
from tests.staff_helpers import staff
from tests.test_api import GOOD_CARD, error, login
from tests.test_engage_waitlist import sell_out


@pytest.fixture
def client(small: Services) -> Iterator[TestClient]:
    with api_client(small) as test_client:
        yield test_client


def relogin(client: TestClient, email: str) -> dict[str, str]:
    token = client.post("/auth/login", json={"email": email, "password": "long enough"}).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


def pay(client: TestClient, headers: dict[str, str], seat: str, showtime: str, points: int = 0) -> httpx.Response:
    hold = client.post(f"/showtimes/{showtime}/holds", json={"seat_ids": [seat]}, headers=headers)
    assert hold.status_code == 201, hold.text
    return client.post("/bookings", json={"hold_id": hold.json()["hold_id"], "payment": GOOD_CARD,
                                          "redeem_points": points}, headers=headers)


def test_reviews_over_the_api(client: TestClient, small: Services) -> None:
    alice, bob = login(client, "alice@example.com", "Alice"), login(client, "bob@example.com", "Bob")
    show = add_small_showtime(small, "tiny-api-show", timedelta(hours=3))
    assert pay(client, alice, "A1", show).status_code == 201
    assert pay(client, bob, "A2", show).status_code == 201
    early = client.put(f"/movies/{MOVIE}/reviews/mine", json={"rating": 5, "text": "soon"}, headers=alice)
    assert early.status_code == 403 and error(early)["code"] == "not_attended"
    after_the_show(small)
    alice, bob = relogin(client, "alice@example.com"), relogin(client, "bob@example.com")  # tokens lapsed meanwhile
    assert client.put(f"/movies/{MOVIE}/reviews/mine", json={"rating": 5}).status_code == 401
    written = client.put(f"/movies/{MOVIE}/reviews/mine", json={"rating": 4, "text": "<i>Good</i>"}, headers=alice)
    assert written.status_code == 200 and written.json()["text"] == "<i>Good</i>"
    client.put(f"/movies/{MOVIE}/reviews/mine", json={"rating": 2, "text": "Meh"}, headers=bob)
    assert client.get(f"/movies/{MOVIE}/rating").json() == {"movie_id": MOVIE, "count": 2, "average": 3.0}
    alice_id = written.json()["author_id"]
    assert client.post(f"/movies/{MOVIE}/reviews/{alice_id}/helpful", headers=bob).json()["helpful"] == 1
    again = client.post(f"/movies/{MOVIE}/reviews/{alice_id}/helpful", headers=bob)
    assert again.status_code == 409 and error(again)["code"] == "already_exists"
    assert [r["text"] for r in client.get(f"/movies/{MOVIE}/reviews").json()] == ["<i>Good</i>", "Meh"]
    for bad in ({"rating": 0}, {"rating": "5"}, {"rating": 3, "text": "x" * 2500}, {"rating": 3, "text": "shit film"}):
        response = client.put(f"/movies/{MOVIE}/reviews/mine", json=bad, headers=bob)
        assert response.status_code == 422, (bad, response.text)
        error(response)
    assert client.get(f"/movies/{MOVIE}/reviews/mine", headers=bob).json()["text"] == "Meh"  # nothing changed
    refused = client.post(f"/staff/movies/{MOVIE}/reviews/{alice_id}/hide", json={"reason": "x"}, headers=bob)
    assert refused.status_code == 403
    manager = staff(small, "max", "manager", ["tiny-theater"])
    token = client.post("/auth/login", json={"email": "max@example.com", "password": manager.password}).json()
    hidden = client.post(f"/staff/movies/{MOVIE}/reviews/{alice_id}/hide", json={"reason": "Spoilers"},
                         headers={"Authorization": f"Bearer {token['access_token']}"})
    assert hidden.status_code == 200 and hidden.json()["hidden_reason"] == "Spoilers"
    assert client.get(f"/movies/{MOVIE}/rating").json()["count"] == 1
    assert client.get(f"/movies/{MOVIE}/reviews/mine", headers=alice).json()["hidden_reason"] == "Spoilers"
    assert client.delete(f"/movies/{MOVIE}/reviews/mine", headers=bob).status_code == 204
    gone = client.get(f"/movies/{MOVIE}/reviews/mine", headers=bob)
    assert gone.status_code == 404 and error(gone)["code"] == "not_found"


def test_points_over_the_api(client: TestClient, small: Services) -> None:
    alice = login(client, "alice@example.com", "Alice")
    assert client.get("/loyalty").status_code == 401
    show = add_small_showtime(small, "tiny-api-points", timedelta(hours=3))
    first = pay(client, alice, "A1", show).json()
    assert first["price"]["discount"] == 0
    assert client.get("/loyalty", headers=alice).json()["balance"] == 10
    too_many = pay(client, alice, "A2", show, points=11)
    assert too_many.status_code == 409 and error(too_many)["code"] == "not_enough_points"
    negative = pay(client, alice, "A2", show, points=-5)
    assert negative.status_code == 422
    spent = pay(client, alice, "A2", show, points=10)
    assert spent.status_code == 201, spent.text
    price = spent.json()["price"]
    assert price["discount"] == 1000 and price["total"] == first["price"]["total"] - 1000
    points = client.get("/loyalty", headers=alice).json()
    assert points["balance"] == 10 and points["point_value"] == 100
    assert [entry["kind"] for entry in points["history"]].count("redeemed") == 1


def test_the_calendar_file_over_the_api(client: TestClient, small: Services) -> None:
    alice, bob = login(client, "alice@example.com", "Alice"), login(client, "bob@example.com", "Bob")
    booking = pay(client, alice, "A1", add_small_showtime(small, "tiny-api-ics", timedelta(hours=3))).json()
    response = client.get(f"/bookings/{booking['booking_id']}/calendar.ics", headers=alice)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in response.text and "DTSTART;TZID=Asia/Kolkata:" in response.text
    other = client.get(f"/bookings/{booking['booking_id']}/calendar.ics", headers=bob)
    assert other.status_code == 404 and error(other)["code"] == "not_found"


def test_the_routes_are_in_the_openapi_document(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/movies/{movie_id}/rating", "/movies/{movie_id}/reviews", "/movies/{movie_id}/reviews/mine",
                 "/movies/{movie_id}/reviews/{author_id}/helpful", "/staff/movies/{movie_id}/reviews/{author_id}/hide",
                 "/loyalty", "/bookings/{booking_id}/calendar.ics", "/showtimes/{showtime_id}/waitlist",
                 "/showtimes/{showtime_id}/waitlist/mine"):
        assert path in paths, path
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    assert "redeem_points" in schemas["BookingRequest"]["properties"]


def test_the_waiting_list_over_the_api(client: TestClient, small: Services) -> None:
    alice = login(client, "alice@example.com", "Alice")
    early = client.post("/showtimes/tiny-show/waitlist", json={"seats": 2}, headers=alice)
    assert early.status_code == 422 and "free seats" in error(early)["message"]
    sell_out(small)
    assert client.post("/showtimes/tiny-show/waitlist", json={"seats": 2}).status_code == 401
    joined = client.post("/showtimes/tiny-show/waitlist", json={"seats": 2}, headers=alice)
    assert joined.status_code == 201 and joined.json()["position"] == 1 and joined.json()["status"] == "waiting"
    twice = client.post("/showtimes/tiny-show/waitlist", json={"seats": 1}, headers=alice)
    assert twice.status_code == 409 and error(twice)["code"] == "already_exists"
    crowd = small.users.get("crowd@example.com")
    small.bookings.cancel(small.bookings.my_bookings(crowd.user_id)[0].booking_id, crowd)
    assert small.engage.waitlist.sweep() == 0  # the cancellation itself offered the seats
    offer = client.get("/showtimes/tiny-show/waitlist/mine", headers=alice).json()
    assert offer["status"] == "offered" and offer["hold_id"] and offer["offer_expires_at"]
    claimed = client.post("/bookings", json={"hold_id": offer["hold_id"], "payment": GOOD_CARD}, headers=alice)
    assert claimed.status_code == 201 and len(claimed.json()["seat_ids"]) == 2
    small.engage.waitlist.sweep()
    gone = client.get("/showtimes/tiny-show/waitlist/mine", headers=alice)
    assert gone.status_code == 404
    assert client.delete("/showtimes/tiny-show/waitlist/mine", headers=alice).status_code == 404
