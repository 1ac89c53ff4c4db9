"""A hold's one extension (InventoryService.extend, POST /api/v1/holds/{id}/extend): only in its last
minute, once, the seats stay held for the new time (the sweeper leaves them, others cannot take them), and
the seats are still sold at checkout after the original expiry."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from services.booking.models import Guest
from services.booking.payments import CardPayment
from services.container import Services
from services.errors import HoldExpired, InvalidRequest, LimitReached, NotFound, SeatUnavailable
from tests.conftest import api_client, fake_clock


def test_one_extension_in_the_last_minute_keeps_the_seats(small: Services) -> None:
    clock = fake_clock(small)
    hold = small.inventory.hold("tiny-show", ["B1", "B2"], "ann")
    with pytest.raises(InvalidRequest):  # 8 minutes left: too early to ask
        small.inventory.extend(hold.hold_id, "ann")
    clock.advance(minutes=7, seconds=10)
    longer = small.inventory.extend(hold.hold_id, "ann")
    assert longer.extended and longer.expires_at == hold.expires_at + timedelta(minutes=4)
    assert longer.quote is not None and longer.quote.price.total > 0
    clock.advance(minutes=2)  # past the first expiry: still held, the sweeper frees nothing
    assert small.inventory.expire_due(["tiny-show"]) == 0
    with pytest.raises(SeatUnavailable):
        small.inventory.hold("tiny-show", ["B1", "B2"], "ben")
    clock.advance(minutes=1)  # the last minute of the extension: no second one
    with pytest.raises(LimitReached):
        small.inventory.extend(hold.hold_id, "ann")
    booking = small.bookings.checkout(hold.hold_id, Guest("ann", "ann@example.com"),
                                      CardPayment("4242 4242 4242 4242"))
    assert booking.seat_ids == ["B1", "B2"]


def test_an_ended_or_foreign_hold_is_not_extended(small: Services) -> None:
    clock = fake_clock(small)
    hold = small.inventory.hold("tiny-show", ["C3", "C4"], "ann")
    with pytest.raises(NotFound):
        small.inventory.extend(hold.hold_id, "ben")
    clock.advance(minutes=9)
    with pytest.raises(HoldExpired):
        small.inventory.extend(hold.hold_id, "ann")


def test_a_replaced_hold_keeps_its_extended_time(small: Services) -> None:
    clock = fake_clock(small)
    hold = small.inventory.hold("tiny-show", ["B5", "B6"], "ann")
    clock.advance(minutes=7, seconds=30)
    longer = small.inventory.extend(hold.hold_id, "ann")
    again = small.inventory.hold("tiny-show", ["B5", "B6", "B7", "B8"], "ann")
    assert again.hold_id == hold.hold_id and again.expires_at == longer.expires_at


@pytest.fixture
def client(small: Services) -> Iterator[TestClient]:
    with api_client(small) as test_client:
        yield test_client


def test_the_api_extends_once(client: TestClient, small: Services) -> None:
    client.post("/auth/register", json={"name": "Al", "email": "al@example.com", "password": "long enough"})
    token = client.post("/auth/login", json={"email": "al@example.com", "password": "long enough"}).json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    hold = client.post("/showtimes/tiny-show/holds", json={"seat_ids": ["B1"]}, headers=headers).json()
    early = client.post(f"/holds/{hold['hold_id']}/extend", headers=headers)
    assert early.status_code == 422 and early.json()["error"]["code"] == "invalid_request"
    fake_clock(small).advance(minutes=7, seconds=30)
    extended = client.post(f"/holds/{hold['hold_id']}/extend", headers=headers)
    assert extended.status_code == 200, extended.text
    assert extended.json()["expires_at"] > hold["expires_at"] and extended.json()["seat_ids"] == ["B1"]
    again = client.post(f"/holds/{hold['hold_id']}/extend", headers=headers)
    assert again.status_code == 409 and again.json()["error"]["code"] == "limit_reached"
    rule = client.post("/showtimes/tiny-show/holds", json={"seat_ids": ["C2"]}, headers=headers)  # companion
    assert rule.status_code == 409 and rule.json()["error"]["code"] == "seat_rule"
    assert rule.json()["error"]["seats"] == ["C2"]
