"""Check-in at the door (services and POST /api/v1/staff/checkins), over moto: one admission per ticket,
even from two doors at once; every refusal has its reason and changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from services.booking.payments import APPROVE_CARD, CardPayment
from services.booking.tickets import InvalidTicket
from services.container import Services
from services.staff.checkins import AlreadyAdmitted, BookingCancelled, NotToday, WrongTheater
from tests.conftest import api_client
from tests.staff_helpers import PASSWORD, book_today, customer, staff

CARD = {"method": "card", "card_number": "4242 4242 4242 4242"}


def test_a_ticket_admits_once_and_then_says_when_and_by_whom(small: Services) -> None:
    booking = book_today(small, customer(small, "carl"), ["B1", "B2"])
    usher = staff(small, "ursula", "usher", ["tiny-theater"]).user
    token = small.tickets.token_for(booking)
    admission = small.staff.checkins.admit(usher, token)
    assert admission.booking.seat_ids == ["B1", "B2"] and admission.admitted_by == "Ursula"
    with pytest.raises(AlreadyAdmitted) as again:
        small.staff.checkins.admit(usher, token)
    local = admission.admitted_at.astimezone(booking.local_start().tzinfo)
    assert again.value.message == f"Already admitted at {local:%H:%M} by Ursula."
    assert again.value.details["admitted_at"] == local.isoformat()
    entry = small.staff.audit.recent(["tiny-theater"])[0]
    assert (entry.action, entry.target, entry.actor_name) == ("checkin.admitted", booking.booking_id, "Ursula")


def test_two_doors_scanning_at_once_admit_once(small: Services) -> None:
    booking = book_today(small, customer(small, "carl"), ["B3"])
    doors = [staff(small, name, "usher", ["tiny-theater"]).user for name in ("ursula", "ulrich", "uma", "ugo")]
    token = small.tickets.token_for(booking)

    def scan(usher: object) -> str:
        try:
            small.staff.checkins.admit(usher, token)  # type: ignore[arg-type]
            return "admitted"
        except AlreadyAdmitted:
            return "already"

    with ThreadPoolExecutor(max_workers=len(doors)) as pool:
        answers = list(pool.map(scan, doors))
    assert sorted(answers) == ["admitted", "already", "already", "already"]


def test_refusals_say_why_and_admit_nothing(small: Services) -> None:
    carl = customer(small, "carl")
    usher = staff(small, "ursula", "usher", ["tiny-theater"]).user
    elsewhere = staff(small, "otto", "usher", ["other-theater"]).user
    cancelled = book_today(small, carl, ["B4"])
    small.bookings.cancel(cancelled.booking_id, carl)
    with pytest.raises(BookingCancelled):
        small.staff.checkins.admit(usher, small.tickets.token_for(cancelled))
    hold = small.inventory.hold("tiny-show", ["B5"], carl.user_id)  # in two days

    later = small.bookings.checkout(hold.hold_id, carl, CardPayment(APPROVE_CARD))
    with pytest.raises(NotToday):
        small.staff.checkins.admit(usher, small.tickets.token_for(later))
    today = book_today(small, carl, ["B6"])
    token = small.tickets.token_for(today)
    with pytest.raises(WrongTheater):
        small.staff.checkins.admit(elsewhere, token)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    with pytest.raises(InvalidTicket):
        small.staff.checkins.admit(usher, tampered)
    with pytest.raises(InvalidTicket):
        small.staff.checkins.admit(usher, "hello world")
    assert "admitted_at" not in small.bookings.get(today.booking_id, carl).extra
    assert small.staff.checkins.admit(usher, token).booking.booking_id == today.booking_id


# The API contract ------------------------------------------------------------------------------------
@pytest.fixture
def client(small: Services) -> Iterator[TestClient]:
    with api_client(small) as test_client:
        yield test_client


def bearer(client: TestClient, email: str, password: str = PASSWORD) -> dict[str, str]:
    response = client.post("/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def test_checkin_api_contract(client: TestClient, small: Services) -> None:
    carl = customer(small, "carl")
    booking = book_today(small, carl, ["C3", "C4"])
    carl_auth = bearer(client, "carl@example.com")
    token = client.get(f"/bookings/{booking.booking_id}", headers=carl_auth).json()["ticket_token"]
    assert token == small.tickets.token_for(booking)
    usher = staff(small, "ursula", "usher", ["tiny-theater"])
    other = staff(small, "otto", "usher", ["other-theater"])
    usher_auth = bearer(client, usher.user.email, usher.password)
    other_auth = bearer(client, other.user.email, other.password)

    assert client.post("/staff/checkins", json={"ticket_token": token}).status_code == 401
    refused = client.post("/staff/checkins", json={"ticket_token": token}, headers=carl_auth)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    door = client.post("/staff/checkins", json={"ticket_token": token, "theater_id": "tiny-theater"},
                       headers=other_auth)
    assert door.status_code == 403
    wrong = client.post("/staff/checkins", json={"ticket_token": token}, headers=other_auth)
    assert wrong.status_code == 409 and wrong.json()["error"]["code"] == "wrong_theater"
    garbage = client.post("/staff/checkins", json={"ticket_token": "not a ticket"}, headers=usher_auth)
    assert garbage.status_code == 422 and garbage.json()["error"]["code"] == "invalid_ticket"

    admitted = client.post("/staff/checkins", json={"ticket_token": token}, headers=usher_auth)
    assert admitted.status_code == 200, admitted.text
    body = admitted.json()
    assert body["status"] == "admitted" and body["seat_ids"] == ["C3", "C4"]
    assert body["booking_id"] == booking.booking_id and body["movie_title"] == "The Tiny Picture"
    assert body["starts_at"] == booking.local_start().isoformat() and body["admitted_at"]
    again = client.post("/staff/checkins", json={"ticket_token": token}, headers=usher_auth)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "already_admitted"
    assert again.json()["error"]["admitted_at"] == body["admitted_at"]
    assert "by Ursula" in again.json()["error"]["message"]

    hold = client.post("/showtimes/tiny-show/holds", json={"seat_ids": ["C6"]}, headers=carl_auth).json()
    later = client.post("/bookings", json={"hold_id": hold["hold_id"], "payment": CARD}, headers=carl_auth).json()
    later_token = client.get(f"/bookings/{later['booking_id']}", headers=carl_auth).json()["ticket_token"]
    not_today = client.post("/staff/checkins", json={"ticket_token": later_token}, headers=usher_auth)
    assert not_today.status_code == 409 and not_today.json()["error"]["code"] == "not_today"
    cancelled = client.post(f"/bookings/{later['booking_id']}/cancel", headers=carl_auth)
    assert cancelled.status_code == 200
    refused = client.post("/staff/checkins", json={"ticket_token": later_token}, headers=usher_auth)
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "booking_cancelled"


def test_another_user_s_booking_has_no_ticket_token(client: TestClient, small: Services) -> None:
    booking = book_today(small, customer(small, "carl"), ["C5"])
    small.users.register("Dana", "dana@example.com", PASSWORD)
    response = client.get(f"/bookings/{booking.booking_id}", headers=bearer(client, "dana@example.com"))
    assert response.status_code == 404 and "ticket_token" not in response.text
