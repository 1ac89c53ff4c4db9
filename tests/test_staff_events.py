"""Staff editing of events (issue 17) through the API: admins create venues and events, the venue's managers add
performances with ticket types and change quotas (never below what is sold or held); customers cannot."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from services.container import Services
from tests.conftest import api_client
from tests.staff_helpers import PASSWORD, admin, staff
from tests.test_api import error, login


@pytest.fixture
def client(small: Services) -> Iterator[TestClient]:
    with api_client(small) as test_client:
        yield test_client


def token(client: TestClient, email: str, password: str = PASSWORD) -> dict[str, str]:
    answer = client.post("/auth/login", json={"email": email, "password": password})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def test_staff_create_an_event_venue_performance_and_change_its_quota(client: TestClient, small: Services) -> None:
    boss = token(client, admin(small).email)
    venue = client.post("/staff/venues", json={"venue_id": "tiny-club", "name": "Tiny Club", "city": "Testville",
                                               "address": "2 Test Road", "timezone": "Asia/Kolkata"}, headers=boss)
    assert venue.status_code == 200, venue.text
    event = client.post("/staff/events", json={
        "event_id": "tiny-comedy", "kind": "comedy", "title": "Tiny Comedy Hour", "performers": ["Kiki Laugh"],
        "genres": ["Comedy"], "languages": ["English"], "age_rating": "A", "duration_min": 75}, headers=boss)
    assert event.status_code == 200, event.text
    starts = (small.clock.now() + timedelta(days=2)).replace(microsecond=0).isoformat()
    bad = client.post("/staff/events", json={"event_id": "tiny-movie", "kind": "comedy", "title": "Overwrite"},
                      headers=boss)  # a movie's id: never overwritten by an event
    assert bad.status_code == 422 and error(bad)["message"] == "That id belongs to a movie, not an event."
    manager = small.staff.team.create(admin(small), "Mona", "mona@example.com", "manager", ["tiny-club"],
                                      ["tiny-club", "tiny-theater"])
    mona = token(client, manager.user.email, manager.password)
    performance = client.post("/staff/performances", json={
        "event_id": "tiny-comedy", "venue_id": "tiny-club", "starts_at": starts, "admission": "general",
        "ticket_types": [{"ticket_type": "general", "name": "General", "capacity": 10, "price": 40000,
                          "per_order_limit": 4}]}, headers=mona)
    assert performance.status_code == 201, performance.text
    show = performance.json()["id"]
    # Customers find it and buy.
    carl = login(client, "carl@example.com", "Carl")
    assert [e["event_id"] for e in client.get("/events", params={"city": "Testville"}).json()] == ["tiny-comedy"]
    held = client.post(f"/showtimes/{show}/holds", json={"ticket_type": "general", "quantity": 3}, headers=carl)
    assert held.status_code == 201, held.text
    # The quota never goes below what is held or sold.
    lower = client.put(f"/staff/showtimes/{show}/ticket-types/general",
                       json={"name": "General", "capacity": 2, "price": 40000, "per_order_limit": 4}, headers=mona)
    assert lower.status_code == 422 and "3 tickets already sold or held" in error(lower)["message"]
    raised = client.put(f"/staff/showtimes/{show}/ticket-types/general",
                        json={"name": "General", "capacity": 20, "price": 45000, "per_order_limit": 6}, headers=mona)
    assert raised.status_code == 200, raised.text
    assert (raised.json()["available"], raised.json()["price"], raised.json()["per_order_limit"]) == (17, 45000, 6)
    added = client.put(f"/staff/showtimes/{show}/ticket-types/front",
                       json={"name": "Front row", "capacity": 5, "price": 90000, "per_order_limit": 2}, headers=mona)
    assert added.status_code == 200 and added.json()["available"] == 5
    # Customers may not edit; a manager of another venue may not either.
    assert client.post("/staff/events", json={"event_id": "x", "kind": "comedy", "title": "X"},
                       headers=carl).status_code == 403
    other = staff(small, "otto", "manager", ["tiny-theater"])
    otto = token(client, other.user.email, other.password)
    assert client.put(f"/staff/showtimes/{show}/ticket-types/general", headers=otto, json={
        "name": "General", "capacity": 50, "price": 1, "per_order_limit": 6}).status_code == 403
    assert [entry.action for entry in small.staff.audit.recent(["tiny-club"])][:3] == [
        "ticket_type.saved", "ticket_type.saved", "performance.added"]
