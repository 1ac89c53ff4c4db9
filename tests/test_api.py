"""JSON API v1: every route, status code and error shape, over the real services on the moto server.

The API is a FastAPI sub-application; tests mount it at /api/v1 on a bare FastAPI app (no NiceGUI
pages needed) and talk to it with Starlette's TestClient.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from api.v1 import PREFIX
from services.container import Services
from tests.conftest import add_small_showtime, api_client, fake_clock

GOOD_CARD = {"method": "card", "card_number": "4242 4242 4242 4242"}


@pytest.fixture
def client(small: Services) -> Iterator[TestClient]:
    with api_client(small) as test_client:
        yield test_client


def login(client: TestClient, email: str, name: str = "Someone") -> dict[str, str]:
    created = client.post("/auth/register", json={"name": name, "email": email, "password": "long enough"})
    assert created.status_code == 201, created.text
    token = client.post("/auth/login", json={"email": email, "password": "long enough"}).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def alice(client: TestClient) -> dict[str, str]:
    return login(client, "alice@example.com", "Alice")


@pytest.fixture
def bob(client: TestClient) -> dict[str, str]:
    return login(client, "bob@example.com", "Bob")


def error(response) -> dict:
    body = response.json()
    assert set(body) == {"error"} and {"code", "message"} <= set(body["error"]), body
    assert body["error"]["message"]
    return body["error"]


def book(client: TestClient, headers: dict[str, str], seats: list[str], showtime: str = "tiny-show") -> dict:
    hold = client.post(f"/showtimes/{showtime}/holds", json={"seat_ids": seats}, headers=headers)
    assert hold.status_code == 201, hold.text
    response = client.post("/bookings", json={"hold_id": hold.json()["hold_id"], "payment": GOOD_CARD},
                           headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


# Accounts ------------------------------------------------------------------------------------------
def test_register_and_login(client: TestClient) -> None:
    created = client.post("/auth/register", json={"name": "Asha", "email": "Asha@Example.com", "password": "12345678"})
    assert created.status_code == 201
    assert created.json()["email"] == "asha@example.com" and created.json()["name"] == "Asha"
    assert created.json()["user_id"]
    again = client.post("/auth/register", json={"name": "Asha", "email": "asha@example.com", "password": "12345678"})
    assert again.status_code == 409 and error(again)["code"] == "email_taken"
    short = client.post("/auth/register", json={"name": "A", "email": "a@example.com", "password": "short"})
    assert short.status_code == 422 and error(short)["code"] == "invalid_request"
    bad_email = client.post("/auth/register", json={"name": "A", "email": "nope", "password": "12345678"})
    assert bad_email.status_code == 422
    missing = client.post("/auth/register", json={"name": "A"})
    assert missing.status_code == 422 and error(missing)["code"] == "validation_error"
    assert "email" in error(missing)["message"]

    token = client.post("/auth/login", json={"email": "asha@example.com", "password": "12345678"})
    assert token.status_code == 200
    assert token.json()["token_type"] == "bearer" and token.json()["expires_in"] == 3600
    wrong = client.post("/auth/login", json={"email": "asha@example.com", "password": "wrong-one"})
    assert wrong.status_code == 401 and error(wrong)["code"] == "invalid_credentials"


def test_too_many_failed_logins_is_429_with_retry_after(client: TestClient, small: Services) -> None:
    client.post("/auth/register", json={"name": "Lee", "email": "lee@example.com", "password": "12345678"})
    statuses = [client.post("/auth/login", json={"email": "lee@example.com", "password": "guess-" + str(n)})
                .status_code for n in range(small.settings.max_failed_logins)]
    assert statuses == [401] * small.settings.max_failed_logins
    slowed = client.post("/auth/login", json={"email": "lee@example.com", "password": "12345678"})
    assert slowed.status_code == 429 and error(slowed)["code"] == "too_many_attempts"
    assert slowed.headers["Retry-After"] == "1"
    small.clock.advance(seconds=1)  # type: ignore[attr-defined]
    assert client.post("/auth/login", json={"email": "lee@example.com", "password": "12345678"}).status_code == 200


def test_missing_forged_and_expired_tokens_are_401(client: TestClient, alice: dict[str, str], small: Services) -> None:
    for headers in ({}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic abc"},
                    {"Authorization": alice["Authorization"][:-3] + "abc"}):
        response = client.get("/bookings", headers=headers)
        assert response.status_code == 401, headers
        assert error(response)["code"] == "unauthorized"
        assert response.headers["WWW-Authenticate"] == "Bearer"
    assert client.get("/bookings", headers=alice).status_code == 200
    fake_clock(small).advance(minutes=61)
    expired = client.get("/bookings", headers=alice)
    assert expired.status_code == 401 and "expired" in error(expired)["message"]


# Catalog -------------------------------------------------------------------------------------------
def test_cities_movies_showtimes(client: TestClient, small: Services) -> None:
    cities = client.get("/cities").json()
    assert cities == [{"city": "Testville", "theaters": [{"theater_id": "tiny-theater", "name": "Tiny Cinema",
                       "address": "1 Test Road", "timezone": "Asia/Kolkata", "screens": ["Screen 1"]}],
                       "venues": []}]
    movies = client.get("/movies", params={"city": "Testville"}).json()
    assert [m["movie_id"] for m in movies] == ["tiny-movie"]
    assert {"title", "genres", "languages", "rating", "runtime_min", "certificate"} <= set(movies[0])
    assert client.get("/movies", params={"city": "Testville", "genre": "Comedy"}).json() == []
    assert [m["title"] for m in client.get("/movies", params={"q": "tiny"}).json()] == ["The Tiny Picture"]
    shows = client.get("/showtimes", params={"movie_id": "tiny-movie"}).json()
    assert [s["showtime_id"] for s in shows] == ["tiny-soon", "tiny-show"]
    show = shows[1]
    assert show["theater_name"] == "Tiny Cinema" and show["screen"] == "Screen 1" and show["city"] == "Testville"
    assert show["starts_at"].endswith("+05:30") and show["prices"] == {"classic": 20000, "prime": 35000}
    local_date = show["starts_at"][:10]
    assert [s["showtime_id"] for s in client.get("/showtimes", params={"city": "Testville", "date": local_date})
            .json()] == ["tiny-show"]
    assert client.get("/showtimes").status_code == 422
    assert client.get("/showtimes", params={"city": "Testville", "date": "tomorrow"}).status_code == 422


def test_seat_map(client: TestClient, alice: dict[str, str]) -> None:
    seats = client.get("/showtimes/tiny-show/seats")
    assert seats.status_code == 200
    by_id = {seat["seat_id"]: seat for seat in seats.json()["seats"]}
    assert by_id["A5"]["status"] == "blocked" and by_id["C1"]["accessible"] is True
    assert by_id["A1"] == {"seat_id": "A1", "row": "A", "number": 1, "category": "classic", "price": 20000,
                           "accessible": False, "status": "available", "held_by_you": False}
    client.post("/showtimes/tiny-show/holds", json={"seat_ids": ["A1"]}, headers=alice)
    assert {s["seat_id"]: s for s in client.get("/showtimes/tiny-show/seats").json()["seats"]}["A1"]["status"] == "held"
    mine = {s["seat_id"]: s for s in client.get("/showtimes/tiny-show/seats", headers=alice).json()["seats"]}
    assert mine["A1"]["held_by_you"] is True
    missing = client.get("/showtimes/nope/seats")
    assert missing.status_code == 404 and error(missing)["code"] == "not_found"


# Holds ---------------------------------------------------------------------------------------------
def test_hold_release_and_conflicts(client: TestClient, alice: dict[str, str], bob: dict[str, str]) -> None:
    held = client.post("/showtimes/tiny-show/holds", json={"seat_ids": ["B1", "B2"]}, headers=alice)
    assert held.status_code == 201
    body = held.json()
    assert body["showtime_id"] == "tiny-show" and body["seat_ids"] == ["B1", "B2"] and body["expires_at"]
    assert body["price"] == {"subtotal": 40000, "fee": 6000, "tax": 8280, "discount": 0, "total": 54280,
                             "currency": "INR"}
    taken = client.post("/showtimes/tiny-show/holds", json={"seat_ids": ["B2", "B3"]}, headers=bob)
    assert taken.status_code == 409
    assert error(taken)["code"] == "seat_unavailable" and error(taken)["seats"] == ["B2"]
    assert client.delete(f"/holds/{body['hold_id']}", headers=bob).status_code == 404
    released = client.delete(f"/holds/{body['hold_id']}", headers=alice)
    assert released.status_code == 204 and released.content == b""
    assert client.post("/showtimes/tiny-show/holds", json={"seat_ids": ["B2", "B3"]}, headers=bob).status_code == 201
    assert client.delete("/holds/h-unknown", headers=alice).status_code == 404


def test_hold_again_replaces(client: TestClient, alice: dict[str, str]) -> None:
    first = client.post("/showtimes/tiny-show/holds", json={"seat_ids": ["C3"]}, headers=alice).json()
    second = client.post("/showtimes/tiny-show/holds", json={"seat_ids": ["C4", "C5"]}, headers=alice).json()
    assert second["hold_id"] == first["hold_id"] and second["seat_ids"] == ["C4", "C5"]
    seats = {s["seat_id"]: s["status"] for s in client.get("/showtimes/tiny-show/seats").json()["seats"]}
    assert (seats["C3"], seats["C4"]) == ("available", "held")


@pytest.mark.parametrize(("payload", "code"), [
    ({"seat_ids": []}, "validation_error"),
    ({"seat_ids": "A1"}, "validation_error"),
    ({"seat_ids": [1, 2]}, "validation_error"),
    ({}, "validation_error"),
    ({"seat_ids": ["A1", "Z99"]}, "invalid_request"),
    ({"seat_ids": ["B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8", "C3", "C4", "C5"]}, "invalid_request"),
])
def test_bad_hold_requests_are_422(client: TestClient, alice: dict[str, str], payload: dict, code: str) -> None:
    response = client.post("/showtimes/tiny-show/holds", json=payload, headers=alice)
    assert response.status_code == 422 and error(response)["code"] == code


def test_invalid_json_and_missing_auth(client: TestClient, alice: dict[str, str]) -> None:
    broken = client.post("/showtimes/tiny-show/holds", content=b'{"seat_ids": [', headers=alice | {
        "Content-Type": "application/json"})
    assert broken.status_code == 422 and error(broken)["code"] == "invalid_json"
    anonymous = client.post("/showtimes/tiny-show/holds", json={"seat_ids": ["A1"]})
    assert anonymous.status_code == 401 and error(anonymous)["code"] == "unauthorized"


def test_blocked_seat_and_closed_show_are_409(client: TestClient, alice: dict[str, str], small: Services) -> None:
    blocked = client.post("/showtimes/tiny-show/holds", json={"seat_ids": ["A5"]}, headers=alice)
    assert blocked.status_code == 409 and error(blocked)["seats"] == ["A5"]
    closed = client.post("/showtimes/tiny-soon/holds", json={"seat_ids": ["A1"]}, headers=alice)
    assert closed.status_code == 409 and error(closed)["code"] == "show_closed"
    add_small_showtime(small, "tiny-past", timedelta(days=-1))
    past = client.post("/showtimes/tiny-past/holds", json={"seat_ids": ["A1"]}, headers=alice)
    assert past.status_code == 409 and error(past)["code"] == "show_closed"


# Bookings ------------------------------------------------------------------------------------------
def test_booking_double_submit_and_reads(client: TestClient, alice: dict[str, str], bob: dict[str, str]) -> None:
    hold = client.post("/showtimes/tiny-show/holds", json={"seat_ids": ["C6", "A2"]}, headers=alice).json()
    request = {"hold_id": hold["hold_id"], "payment": GOOD_CARD}
    first = client.post("/bookings", json=request, headers=alice)
    assert first.status_code == 201
    booking = first.json()
    assert booking["status"] == "confirmed" and booking["seat_ids"] == ["C6", "A2"]
    assert booking["price"] == hold["price"] and booking["movie_title"] == "The Tiny Picture"
    assert booking["theater_name"] == "Tiny Cinema" and booking["city"] == "Testville"
    assert booking["screen"] == "Screen 1" and booking["starts_at"].endswith("+05:30")
    assert booking["created_at"] and booking["refund"] is None
    second = client.post("/bookings", json=request, headers=alice)
    assert second.status_code in (200, 201) and second.json() == booking
    assert client.get("/bookings", headers=alice).json() == [booking]
    single = client.get(f"/bookings/{booking['booking_id']}", headers=alice).json()
    assert single["ticket_token"].startswith("MM1.") and booking["ticket_token"] is None  # only this read has it
    assert [code["ticket"] for code in single["ticket_codes"]] == [None]  # one code: the seats'
    assert single | {"ticket_token": None, "ticket_codes": []} == booking
    assert client.get("/bookings", headers=bob).json() == []
    others = client.get(f"/bookings/{booking['booking_id']}", headers=bob)
    assert others.status_code == 404 and error(others)["code"] == "not_found"
    assert client.post(f"/bookings/{booking['booking_id']}/cancel", headers=bob).status_code == 404
    assert client.post("/bookings", json=request, headers=bob).status_code == 404
    seats = {s["seat_id"]: s["status"] for s in client.get("/showtimes/tiny-show/seats").json()["seats"]}
    assert seats["C6"] == seats["A2"] == "sold"


def test_expired_hold_is_409(client: TestClient, alice: dict[str, str], small: Services) -> None:
    hold = client.post("/showtimes/tiny-show/holds", json={"seat_ids": ["B8"]}, headers=alice).json()
    fake_clock(small).advance(minutes=9)
    expired = client.post("/bookings", json={"hold_id": hold["hold_id"], "payment": GOOD_CARD}, headers=alice)
    assert expired.status_code == 409 and error(expired)["code"] == "hold_expired"


def test_booking_after_sales_close_is_409(client: TestClient, alice: dict[str, str], small: Services) -> None:
    add_small_showtime(small, "tiny-later", timedelta(minutes=15))
    hold = client.post("/showtimes/tiny-later/holds", json={"seat_ids": ["B7"]}, headers=alice).json()
    fake_clock(small).advance(minutes=6)
    closed = client.post("/bookings", json={"hold_id": hold["hold_id"], "payment": GOOD_CARD}, headers=alice)
    assert closed.status_code == 409 and error(closed)["code"] == "show_closed"


@pytest.mark.parametrize(("payment", "status", "code"), [
    ({"method": "card", "card_number": "4000 0000 0000 0002"}, 402, "payment_declined"),
    ({"method": "card", "card_number": "1234"}, 422, "invalid_request"),
    ({"method": "cash", "card_number": "4242424242424242"}, 422, "validation_error"),
    ({"method": "card", "card_number": 4242424242424242}, 422, "validation_error"),
    ({"method": "card"}, 422, "validation_error"),
])
def test_payment_problems(client: TestClient, alice: dict[str, str], payment: dict, status: int, code: str) -> None:
    hold = client.post("/showtimes/tiny-show/holds", json={"seat_ids": ["C7"]}, headers=alice).json()
    response = client.post("/bookings", json={"hold_id": hold["hold_id"], "payment": payment}, headers=alice)
    assert response.status_code == status and error(response)["code"] == code
    retry = client.post("/bookings", json={"hold_id": hold["hold_id"], "payment": GOOD_CARD}, headers=alice)
    assert retry.status_code == 201  # the hold survived the failed payment


def test_cancel_and_too_late(client: TestClient, alice: dict[str, str], small: Services) -> None:
    booking = book(client, alice, ["A3", "A4"])
    cancelled = client.post(f"/bookings/{booking['booking_id']}/cancel", headers=alice)
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["refund"] == booking["price"]["total"] - 6000 - 1080
    assert cancelled.json()["cancelled_at"]
    seats = {s["seat_id"]: s["status"] for s in client.get("/showtimes/tiny-show/seats").json()["seats"]}
    assert seats["A3"] == "available"
    add_small_showtime(small, "tiny-tonight", timedelta(hours=1))
    soon = book(client, alice, ["A1"], showtime="tiny-tonight")
    late = client.post(f"/bookings/{soon['booking_id']}/cancel", headers=alice)
    assert late.status_code == 409 and error(late)["code"] == "too_late_to_cancel"
    assert client.post("/bookings/bk-nope/cancel", headers=alice).status_code == 404


def test_unknown_route_and_method_are_json(client: TestClient) -> None:
    missing = client.get("/nothing-here")
    assert missing.status_code == 404 and error(missing)["code"] == "not_found"
    wrong = client.put("/cities")
    assert wrong.status_code == 405 and error(wrong)["code"] == "method_not_allowed"


def test_unexpected_failure_is_a_json_500(client: TestClient, small: Services, monkeypatch) -> None:
    def boom() -> list[str]:
        raise RuntimeError("bug")

    monkeypatch.setattr(small.catalog, "cities", boom)
    response = client.get("/cities")
    assert response.status_code == 500 and error(response)["code"] == "internal_error"


def test_openapi_and_docs(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for path, method in [("/auth/register", "post"), ("/auth/login", "post"), ("/cities", "get"),
                         ("/movies", "get"), ("/showtimes", "get"), ("/showtimes/{showtime_id}/seats", "get"),
                         ("/showtimes/{showtime_id}/holds", "post"), ("/holds/{hold_id}", "delete"),
                         ("/bookings", "post"), ("/bookings", "get"), ("/bookings/{booking_id}", "get"),
                         ("/bookings/{booking_id}/cancel", "post")]:
        assert method in paths[path], path
    assert "HoldRequest" in spec["components"]["schemas"] and "BookingOut" in spec["components"]["schemas"]
    assert "HTTPBearer" in spec["components"]["securitySchemes"]
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/api/v1/openapi.json" in docs.text


def test_docs_load_their_assets_from_the_app_not_a_cdn(client: TestClient) -> None:
    """Finding 9: /api/v1/docs was blank offline (Swagger UI came from a CDN)."""
    for page in ("/docs", "/redoc"):
        html = client.get(page).text
        sources = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert sources and all(source.startswith("/api/v1/") for source in sources), (page, sources)
        for source in sources:
            asset = client.get(source.removeprefix("/api/v1"))
            assert asset.status_code == 200 and len(asset.content) > 1000, source


def test_register_mounts_on_nicegui_app(small: Services) -> None:
    from nicegui import app
    from starlette.routing import Mount

    from api.v1 import register

    register(small)
    register(small)  # again (tests re-run main.py): still one mount, and first
    mounts = [route for route in app.router.routes if isinstance(route, Mount) and route.path == PREFIX]
    assert len(mounts) == 1 and app.router.routes[0] is mounts[0]
    app.router.routes.remove(mounts[0])


def test_best_seats_offers_a_free_block_that_can_be_held(client: TestClient, alice: dict[str, str],
                                                         bob: dict[str, str]) -> None:
    best = client.get("/showtimes/tiny-show/best-seats", params={"count": 3})
    assert best.status_code == 200, best.text
    seats = best.json()["seat_ids"]
    assert len(seats) == 3 and len({seat[0] for seat in seats}) == 1  # one row, side by side
    assert client.post("/showtimes/tiny-show/holds", json={"seat_ids": seats}, headers=bob).status_code == 201
    again = client.get("/showtimes/tiny-show/best-seats", params={"count": 3}, headers=alice).json()["seat_ids"]
    assert again and not set(again) & set(seats)  # bob's seats are no longer offered
    assert error(client.get("/showtimes/tiny-show/best-seats", params={"count": 0}))["code"] == "invalid_request"
    assert client.get("/showtimes/nope/best-seats").status_code == 404


def test_a_booking_carries_its_short_reference(client: TestClient, alice: dict[str, str]) -> None:
    booking = book(client, alice, ["C5"])
    reference = booking["reference"]
    assert len(reference) == 8 and reference == reference.upper()
    assert reference.lower() in booking["booking_id"]
    assert client.get(f"/bookings/{booking['booking_id']}", headers=alice).json()["reference"] == reference


# Languages -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("header", "language", "message"), [
    ("hi-IN,hi;q=0.9,en;q=0.8", "hi", "वह शो मौजूद नहीं है।"),
    ("te", "te", "ఆ షో లేదు."),
    ("fr-FR,ta;q=0.5", "ta", "அந்தக் காட்சி இல்லை."),
    ("fr-FR", "en", "That showtime does not exist."),
    (None, "en", "That showtime does not exist.")])
def test_errors_are_in_the_accept_language_language(client: TestClient, header: str | None, language: str,
                                                     message: str) -> None:
    headers = {"Accept-Language": header} if header else {}
    response = client.get("/showtimes/no-such-show/seats", headers=headers)
    assert response.status_code == 404 and error(response) == {"code": "not_found", "message": message}
    assert response.headers["content-language"] == language


def test_a_service_refusal_in_a_worker_thread_speaks_the_language_too(client: TestClient,
                                                                      alice: dict[str, str]) -> None:
    response = client.post("/showtimes/tiny-show/holds", json={"seat_ids": ["A5"]},
                           headers=alice | {"Accept-Language": "hi"})
    assert response.status_code == 409
    assert error(response)["message"] == "ये सीटें बुक नहीं हो सकतीं: A5।"
