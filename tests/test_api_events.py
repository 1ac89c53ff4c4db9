"""The events API (issue 17): listing and finding events, ticket types with availability, and the GA hold
contract of POST /showtimes/{id}/holds (201; 409 sold_out; 422 over_limit), booking and cancelling GA tickets."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from services.booking.models import Guest
from services.booking.payments import APPROVE_CARD, CardPayment
from services.container import Services
from services.events.demo import DemoEvents
from tests.conftest import CATALOG_DIR, api_client
from tests.events_helpers import add_event, add_ga_show
from tests.test_api import GOOD_CARD, error, login


@pytest.fixture
def client(small: Services) -> Iterator[TestClient]:
    add_event(small, performers=("The Tiny Band", "Mira Keys"))
    add_ga_show(small, "gig-ga", capacity=6, limit=4)
    with api_client(small) as test_client:
        yield test_client


def test_ga_holds_contract(client: TestClient) -> None:
    alice = login(client, "alice@example.com", "Alice")
    types = client.get("/showtimes/gig-ga/ticket-types").json()
    assert [(t["ticket_type"], t["available"], t["availability"]) for t in types] == [("standing", 6, "few_left")]
    held = client.post("/showtimes/gig-ga/holds", json={"ticket_type": "standing", "quantity": 4}, headers=alice)
    assert held.status_code == 201, held.text
    body = held.json()
    assert body["seat_ids"] == [] and body["tickets"] == [
        {"ticket_type": "standing", "name": "Standing", "quantity": 4, "price": 50000}]
    assert body["price"]["subtotal"] == 4 * 50000
    over = client.post("/showtimes/gig-ga/holds", json={"ticket_type": "standing", "quantity": 5}, headers=alice)
    assert over.status_code == 422 and error(over)["code"] == "over_limit"
    bob = login(client, "bob@example.com", "Bob")
    short = client.post("/showtimes/gig-ga/holds", json={"ticket_type": "standing", "quantity": 3}, headers=bob)
    assert short.status_code == 409 and error(short)["code"] == "sold_out"
    assert error(short)["message"] == "Only 2 Standing tickets are left."
    unknown = client.post("/showtimes/gig-ga/holds", json={"ticket_type": "vip", "quantity": 1}, headers=bob)
    assert unknown.status_code == 422 and error(unknown)["code"] == "invalid_request"
    negative = client.post("/showtimes/gig-ga/holds", json={"ticket_type": "standing", "quantity": -1}, headers=bob)
    assert negative.status_code == 422
    anonymous = client.post("/showtimes/gig-ga/holds", json={"ticket_type": "standing", "quantity": 1})
    assert anonymous.status_code == 401
    assert client.get("/showtimes/gig-ga/ticket-types").json()[0]["available"] == 2

    booked = client.post("/bookings", json={"hold_id": body["hold_id"], "payment": GOOD_CARD}, headers=alice)
    assert booked.status_code == 201, booked.text
    booking = booked.json()
    assert booking["screen"] == "General admission" and booking["movie_title"] == "Tiny Gig"
    assert [(s["admission"], s["category_name"]) for s in booking["seats"]] == [("ga", "Standing")] * 4
    assert [s["seat_id"] for s in booking["seats"]] == [f"{booking['reference']}-{n}" for n in (1, 2, 3, 4)]
    cancelled = client.post(f"/bookings/{booking['booking_id']}/cancel", headers=alice)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert client.get("/showtimes/gig-ga/ticket-types").json()[0]["available"] == 6


def test_releasing_a_ga_hold_gives_the_tickets_back(client: TestClient) -> None:
    bob, carol = login(client, "bob@example.com", "Bob"), login(client, "carol@example.com", "Carol")
    held = client.post("/showtimes/gig-ga/holds", json={"tickets": [{"ticket_type": "standing", "quantity": 4}]},
                       headers=bob).json()
    client.post("/showtimes/gig-ga/holds", json={"ticket_type": "standing", "quantity": 2}, headers=carol)
    assert client.get("/showtimes/gig-ga/ticket-types").json()[0]["availability"] == "sold_out"
    assert client.delete(f"/holds/{held['hold_id']}", headers=bob).status_code == 204
    assert client.get("/showtimes/gig-ga/ticket-types").json()[0]["available"] == 4


def test_list_find_and_read_events(client: TestClient) -> None:
    listed = client.get("/events", params={"city": "Testville"}).json()
    assert [event["event_id"] for event in listed] == ["tiny-gig"]
    assert listed[0]["performances"][0]["admission"] == "general" and listed[0]["kind"] == "concert"
    assert [e["event_id"] for e in client.get("/events", params={"q": "mira"}).json()] == ["tiny-gig"]  # performer
    assert client.get("/events", params={"kind": "comedy"}).json() == []
    one = client.get("/events/tiny-gig").json()
    assert one["performers"] == ["The Tiny Band", "Mira Keys"] and one["performances"][0]["showtime_id"] == "gig-ga"
    missing = client.get("/events/tiny-movie")  # a movie is not an event
    assert missing.status_code == 404 and error(missing)["code"] == "not_found"
    assert client.get("/showtimes/nope/ticket-types").status_code == 404
    # Events never show up as movies.
    assert "tiny-gig" not in [m["movie_id"] for m in client.get("/movies", params={"city": "Testville"}).json()]


def test_the_openapi_document_describes_events(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    assert {"/events", "/events/{event_id}", "/showtimes/{showtime_id}/ticket-types"} <= set(document["paths"])
    hold = document["paths"]["/showtimes/{showtime_id}/holds"]["post"]
    assert {"409", "422"} <= set(hold["responses"]) and "sold_out" in hold["responses"]["409"]["description"]
    assert "over_limit" in hold["responses"]["422"]["description"]
    assert {"ticket_type", "quantity"} <= set(document["components"]["schemas"]["HoldRequest"]["properties"])


def test_demo_events_are_found_by_city_kind_genre_language_and_performer(small: Services) -> None:
    DemoEvents(small.aws, small.clock, CATALOG_DIR).load()
    found = small.events.catalog
    mumbai = {listing.event.movie_id for listing in found.events_in("Mumbai")}
    assert mumbai == {"laugh-riot-late-night", "the-ninth-monsoon-play"}
    assert [x.event.movie_id for x in found.events_in("Mumbai", kind="comedy")] == ["laugh-riot-late-night"]
    assert [x.event.movie_id for x in found.find_events(query="biswa")] == ["laugh-riot-late-night"]
    assert [x.event.movie_id for x in found.find_events(genre="Jazz")] == ["kathmandu-jazz-evening"]
    assert {x.event.movie_id for x in found.find_events(language="Kannada")} == {"indie-open-mic-bengaluru"}
    delhi = found.events_in("Delhi")[0]
    assert delhi.event.kind == "concert" and delhi.first.admission == "mixed"
    assert "Mumbai" in small.catalog.cities() and small.catalog.venues_in("Mumbai")
    assert all(theater.kind == "cinema" for theater in small.catalog.theaters_in("Mumbai"))
    # Loading again adds nothing and resets no counter.
    assert DemoEvents(small.aws, small.clock, CATALOG_DIR).load().performances == 0


def test_a_seated_play_sells_numbered_seats_through_the_seat_path(small: Services) -> None:
    DemoEvents(small.aws, small.clock, CATALOG_DIR).load()
    play = small.events.catalog.performances("the-ninth-monsoon-play")[-1]
    assert play.admission == "seated" and not small.events.quotas.ticket_types(play.showtime_id)
    hold = small.inventory.hold(play.showtime_id, ["A1", "A2"], "playgoer")
    booking = small.bookings.checkout(hold.hold_id, Guest("playgoer", "p@example.com"), CardPayment(APPROVE_CARD))
    assert (booking.movie_title, booking.screen_name, booking.theater_name) == (
        "The Ninth Monsoon", "Main stage", "Prithvi Stage, Juhu")
    assert booking.numbered_seat_ids == ["A1", "A2"]


def test_showtimes_list_performances_with_their_listing_and_filter_by_it(client: TestClient) -> None:
    everything = client.get("/showtimes", params={"city": "Testville"}).json()
    by_id = {show["showtime_id"]: show for show in everything}
    assert by_id["gig-ga"]["listing"] == "event" and by_id["gig-ga"]["admission"] == "general"
    assert by_id["gig-ga"]["screen"] == "" and by_id["gig-ga"]["movie_id"] == "tiny-gig"
    assert by_id["tiny-show"]["listing"] == "movie" and by_id["tiny-show"]["admission"] == "seated"
    events = client.get("/showtimes", params={"city": "Testville", "listing": "event"}).json()
    assert [show["showtime_id"] for show in events] == ["gig-ga"]
    movies = client.get("/showtimes", params={"city": "Testville", "listing": "movie"}).json()
    assert "gig-ga" not in {show["showtime_id"] for show in movies} and "tiny-show" in {
        show["showtime_id"] for show in movies}
    assert [s["showtime_id"] for s in client.get("/showtimes", params={"movie_id": "tiny-gig"}).json()] == ["gig-ga"]
    assert client.get("/showtimes", params={"city": "Testville", "listing": "concert"}).status_code == 422
    document = client.get("/openapi.json").json()
    parameters = {p["name"] for p in document["paths"]["/showtimes"]["get"]["parameters"]}
    assert "listing" in parameters
    assert {"listing", "admission"} <= set(document["components"]["schemas"]["ShowtimeOut"]["properties"])
    assert "venues" in document["components"]["schemas"]["CityOut"]["properties"]


def test_cities_with_only_venues_are_listed_with_them(small: Services) -> None:
    DemoEvents(small.aws, small.clock, CATALOG_DIR).load()
    small.catalog.invalidate()
    with api_client(small) as client:
        cities = {city["city"]: city for city in client.get("/cities").json()}
    kathmandu = cities["Kathmandu"]  # the demo's jazz club, and no cinema there
    assert kathmandu["theaters"] == [] and [v["theater_id"] for v in kathmandu["venues"]] == [
        "jazz-upstairs-lazimpat-kathmandu"]
    assert cities["Testville"]["venues"] == [] and cities["Testville"]["theaters"]


def test_a_booking_names_one_code_per_standing_ticket(client: TestClient) -> None:
    carl = login(client, "carl@example.com", "Carl")
    held = client.post("/showtimes/gig-ga/holds", json={"ticket_type": "standing", "quantity": 2}, headers=carl)
    booked = client.post("/bookings", headers=carl, json={"hold_id": held.json()["hold_id"], "payment": GOOD_CARD})
    assert booked.status_code == 201, booked.text
    read = client.get(f"/bookings/{booked.json()['booking_id']}", headers=carl).json()
    codes = read["ticket_codes"]
    assert [(code["ticket"], code["label"]) for code in codes] == [
        (1, "Ticket 1 of 2 · Standing"), (2, "Ticket 2 of 2 · Standing")]
    assert len({code["token"] for code in codes}) == 2 and read["ticket_token"] not in {c["token"] for c in codes}
