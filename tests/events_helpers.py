"""Arranging the events tests: an event listing and general-admission / mixed performances in the tiny catalog
(tests/conftest.py's ``small``: the tiny theater's 24-seat hall doubles as a mixed venue's seated zone)."""

from __future__ import annotations

from datetime import timedelta

from services.clock import iso
from services.container import Services
from services.events.models import TicketType
from services.platform import dynamo
from services.platform.schema import MOVIES, SHOWTIMES
from tests.conftest import SMALL_PRICES


def add_event(services: Services, event_id: str = "tiny-gig", title: str = "Tiny Gig", kind: str = "concert",
              performers: tuple[str, ...] = ("The Tiny Band",)) -> str:
    services.aws.table(MOVIES).put_item(Item={
        "movie_id": event_id, "catalog": "event", "kind": kind, "title": title, "genres": ["Musical"],
        "languages": ["English"], "certificate": "U", "runtime_min": 90, "cast": list(performers),
        "synopsis": "A small loud night.", "poster": "", "rating": 0, "release_date": ""})
    return event_id


def add_ga_show(services: Services, showtime_id: str, *, capacity: int = 30, limit: int = 4,
                admission: str = "general", starts_in: timedelta = timedelta(days=2), event_id: str = "tiny-gig",
                types: tuple[TicketType, ...] | None = None) -> str:
    """A performance of ``event_id`` at the tiny theater: general admission ("Standing"), or mixed with its hall."""
    starts_at = services.clock.now().replace(microsecond=0) + starts_in
    services.aws.table(SHOWTIMES).put_item(Item={
        "showtime_id": showtime_id, "movie_id": event_id, "listing": "event", "admission": admission,
        "theater_id": "tiny-theater", "screen_id": "tiny-1" if admission != "general" else "", "city": "Testville",
        "timezone": "Asia/Kolkata", "starts_at": iso(starts_at), "ends_at": iso(starts_at + timedelta(hours=2)),
        "language": "English", "format": "Live", "prices": SMALL_PRICES if admission != "general" else {}})
    tickets = types or (TicketType("standing", "Standing", capacity, 50000, limit, position=1),)
    quotas = services.events.quotas
    dynamo.transact_write(services.aws, [quotas.add_ticket_type_action(showtime_id, ticket) for ticket in tickets])
    services.catalog.invalidate()
    return showtime_id


def counters(services: Services, showtime_id: str, type_id: str = "standing") -> tuple[int, int, int, int]:
    """(capacity, free, held, sold) of a ticket type, as stored."""
    ticket = next(t for t in services.events.quotas.ticket_types(showtime_id) if t.type_id == type_id)
    return ticket.capacity, ticket.free, ticket.held, ticket.sold
