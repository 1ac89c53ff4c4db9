"""Request and response models of the events API (issue 17): event listings, performances, ticket types."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from services.catalog.models import Movie, Showtime, Theater
from services.events.catalog import EventListing
from services.events.models import Availability, TicketType


class PerformanceOut(BaseModel):
    showtime_id: str
    starts_at: str = Field(description="ISO 8601 in the venue's time zone, with its UTC offset")
    venue_id: str
    venue_name: str
    city: str
    admission: str = Field(description="seated (numbered seats), general (ticket types) or mixed (both)")
    language: str

    @classmethod
    def of(cls, showtime: Showtime, venue: Theater) -> PerformanceOut:
        return cls(showtime_id=showtime.showtime_id, starts_at=showtime.local_start().isoformat(),
                   venue_id=venue.theater_id, venue_name=venue.name, city=showtime.city,
                   admission=showtime.admission, language=showtime.language)


class EventOut(BaseModel):
    event_id: str
    kind: str = Field(examples=["concert"])
    title: str
    performers: list[str]
    description: str
    genres: list[str]
    languages: list[str]
    age_rating: str
    duration_min: int
    poster: str
    performances: list[PerformanceOut]

    @classmethod
    def of(cls, event: Movie, performances: list[PerformanceOut]) -> EventOut:
        return cls(event_id=event.movie_id, kind=event.kind, title=event.title, performers=list(event.cast),
                   description=event.synopsis, genres=list(event.genres), languages=list(event.languages),
                   age_rating=event.certificate, duration_min=event.runtime_min, poster=event.poster,
                   performances=performances)


class TicketTypeOut(BaseModel):
    ticket_type: str
    name: str
    price: int = Field(description="the price now (an early-bird price while it lasts), minor units")
    regular_price: int
    early_bird: bool
    per_order_limit: int
    available: int = Field(description="tickets left")
    availability: Availability
    currency: str

    @classmethod
    def of(cls, ticket: TicketType, now: datetime, currency: str) -> TicketTypeOut:
        return cls(ticket_type=ticket.type_id, name=ticket.name, price=ticket.price_at(now),
                   regular_price=ticket.price, early_bird=ticket.is_early(now),
                   per_order_limit=ticket.per_order_limit, available=max(0, ticket.free),
                   availability=ticket.availability(now), currency=currency)


def listing_out(listing: EventListing, venues: dict[str, Theater]) -> EventOut:
    return EventOut.of(listing.event, [PerformanceOut.of(show, venues[show.theater_id])
                                       for show in listing.performances])
