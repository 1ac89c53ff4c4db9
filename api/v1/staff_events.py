"""The staff console's events API (issue 17): event listings, their posters and venues (admins), performances
with their general-admission ticket types, and a ticket type's price, limit, sales window and quota (the venue's
managers). Every route goes through ``services.events.editor``, which asks the one access check."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field, StrictInt, StrictStr

from api.v1.deps import ServicesDep, UserDep
from api.v1.errors import LoggedRoute
from api.v1.event_schemas import TicketTypeOut
from api.v1.poster_upload import ImageBody, PosterUrls, image_request_body, poster_responses
from api.v1.schemas import ErrorResponse
from services.catalog.models import Movie, Theater
from services.events.editor import PerformanceDraft
from services.events.models import TicketType

router = APIRouter(prefix="/staff", tags=["staff"], route_class=LoggedRoute)
_AUTH: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorResponse, "description": "missing, invalid or expired token"},
    403: {"model": ErrorResponse, "description": "not an admin / not staff of this venue"},
    422: {"model": ErrorResponse},
}


class EventIn(BaseModel):
    event_id: StrictStr = Field(max_length=80, pattern=r"^[a-z0-9][a-z0-9-]*$", examples=["laugh-riot-late-night"])
    kind: StrictStr = Field(max_length=40, examples=["comedy"])
    title: StrictStr = Field(max_length=200)
    tagline: StrictStr = Field(default="", max_length=300)
    performers: list[StrictStr] = Field(default_factory=list, max_length=50)
    description: StrictStr = Field(default="", max_length=5000)
    genres: list[StrictStr] = Field(default_factory=list, max_length=20)
    languages: list[StrictStr] = Field(default_factory=list, max_length=20)
    age_rating: StrictStr = Field(default="", max_length=10)
    duration_min: StrictInt = Field(default=0, ge=0, le=24 * 60)
    poster: StrictStr = Field(default="", max_length=300)
    presented_by: StrictStr = Field(default="", max_length=200)


class VenueIn(BaseModel):
    venue_id: StrictStr = Field(max_length=80, pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: StrictStr = Field(max_length=200)
    city: StrictStr = Field(max_length=100)
    address: StrictStr = Field(default="", max_length=300)
    timezone: StrictStr = Field(max_length=64, examples=["Asia/Kolkata"])
    map_url: StrictStr = Field(default="", max_length=500)


class TicketTypeIn(BaseModel):
    name: StrictStr = Field(max_length=100, examples=["Standing"])
    capacity: StrictInt = Field(ge=0, le=1_000_000)
    price: StrictInt = Field(ge=0, le=100_000_000, description="minor units")
    per_order_limit: StrictInt = Field(ge=1, le=100)
    on_sale_at: datetime | None = None
    off_sale_at: datetime | None = None
    early_price: StrictInt | None = Field(default=None, ge=0, le=100_000_000)
    early_until: datetime | None = None
    position: StrictInt = Field(default=0, ge=0, le=1000)

    def ticket(self, type_id: str) -> TicketType:
        return TicketType(type_id=type_id, name=self.name, capacity=self.capacity, price=self.price,
                          per_order_limit=self.per_order_limit, on_sale_at=self.on_sale_at,
                          off_sale_at=self.off_sale_at, early_price=self.early_price, early_until=self.early_until,
                          position=self.position)


class NewTicketTypeIn(TicketTypeIn):
    ticket_type: StrictStr = Field(max_length=64, pattern=r"^[a-z0-9][a-z0-9-]*$")


class PerformanceIn(BaseModel):
    event_id: StrictStr = Field(max_length=80)
    venue_id: StrictStr = Field(max_length=80)
    starts_at: datetime = Field(description="with its UTC offset")
    admission: StrictStr = Field(examples=["general"], description="seated, general or mixed")
    screen_id: StrictStr = Field(default="", max_length=64, description="the hall (seated, mixed)")
    language: StrictStr = Field(default="", max_length=40)
    prices: dict[StrictStr, StrictInt] = Field(default_factory=dict, description="seat category -> minor units")
    ticket_types: list[NewTicketTypeIn] = Field(default_factory=list, max_length=20)


class SavedOut(BaseModel):
    id: str


@router.post("/events", response_model=SavedOut, responses=_AUTH)
def save_event(body: EventIn, services: ServicesDep, user: UserDep) -> SavedOut:
    """Create or replace an event listing (admins)."""
    event = Movie(movie_id=body.event_id, title=body.title, tagline=body.tagline, genres=tuple(body.genres),
                  languages=tuple(body.languages), certificate=body.age_rating, runtime_min=body.duration_min,
                  rating=0.0, votes=0, release_date="", director=body.presented_by, cast=tuple(body.performers),
                  synopsis=body.description, poster=body.poster, kind=body.kind)
    return SavedOut(id=services.events.editor.save_event(user, event).movie_id)


class EventPosterOut(PosterUrls):
    event_id: str


@router.put("/events/{event_id}/poster", response_model=EventPosterOut, responses=poster_responses("event"),
            openapi_extra=image_request_body())
def upload_event_poster(event_id: str, services: ServicesDep, user: UserDep, data: ImageBody) -> EventPosterOut:
    """Replace an event's poster (admins): the image as the request body, at most 5 MB, as a movie's poster. It
    is resized to the sizes the pages show and served at the returned URLs with long-lived caching."""
    stem = services.events.editor.upload_poster(user, event_id, data)
    return EventPosterOut(event_id=event_id, **PosterUrls.of(stem))


@router.post("/venues", response_model=SavedOut, responses=_AUTH)
def save_venue(body: VenueIn, services: ServicesDep, user: UserDep) -> SavedOut:
    """Create or replace a venue (admins); its halls (seat layouts) are kept."""
    venue = Theater(theater_id=body.venue_id, name=body.name, city=body.city, address=body.address,
                    timezone=body.timezone, screens=(), kind="venue", map_url=body.map_url)
    return SavedOut(id=services.events.editor.save_venue(user, venue).theater_id)


@router.post("/performances", status_code=201, response_model=SavedOut,
             responses={**_AUTH, 404: {"model": ErrorResponse}})
def add_performance(body: PerformanceIn, services: ServicesDep, user: UserDep) -> SavedOut:
    """Add a performance of an event at a venue, with its ticket types (the venue's managers)."""
    draft = PerformanceDraft(event_id=body.event_id, venue_id=body.venue_id, starts_at=body.starts_at,
                             admission=body.admission, screen_id=body.screen_id, language=body.language,
                             prices=dict(body.prices),
                             ticket_types=tuple(line.ticket(line.ticket_type) for line in body.ticket_types))
    return SavedOut(id=services.events.editor.add_performance(user, draft))


@router.put("/showtimes/{showtime_id}/ticket-types/{ticket_type}", response_model=TicketTypeOut,
            responses={**_AUTH, 404: {"model": ErrorResponse}})
def save_ticket_type(showtime_id: str, ticket_type: str, body: TicketTypeIn, services: ServicesDep,
                     user: UserDep) -> TicketTypeOut:
    """Add or change a ticket type: price, limit, sales window, early bird, capacity (never below what is sold
    or held: 422)."""
    saved = services.events.editor.save_ticket_type(user, showtime_id, body.ticket(ticket_type))
    return TicketTypeOut.of(saved, services.clock.now(), services.settings.currency)
