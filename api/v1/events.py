"""Live events (issue 17): event listings with their performances, and a performance's ticket types.
Reads only, no login; tickets are held with POST /showtimes/{showtime_id}/holds like seats."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter

from api.v1.deps import ServicesDep
from api.v1.errors import LoggedRoute
from api.v1.event_schemas import EventOut, PerformanceOut, TicketTypeOut, listing_out
from api.v1.schemas import ErrorResponse

router = APIRouter(tags=["events"], route_class=LoggedRoute)


@router.get("/events", response_model=list[EventOut])
def events(services: ServicesDep, city: str | None = None, q: str | None = None, kind: str | None = None,
           genre: str | None = None, language: str | None = None, date: date | None = None) -> list[EventOut]:
    """Events with performances ahead (in ``city``; on a local ``date``), soonest first; ``q`` finds a part of
    the title or of a performer's name."""
    found = services.events.catalog.find_events(city=city, on=date, kind=kind, genre=genre, language=language,
                                                query=q)
    venues = {theater.theater_id: theater for theater in services.catalog.theaters()}
    return [listing_out(listing, venues) for listing in found]


@router.get("/events/{event_id}", response_model=EventOut, responses={404: {"model": ErrorResponse}})
def event(event_id: str, services: ServicesDep, city: str | None = None) -> EventOut:
    """One event with its upcoming performances (in ``city``)."""
    found = services.events.catalog.event(event_id)
    performances = services.events.catalog.performances(event_id, city)
    return EventOut.of(found, [PerformanceOut.of(show, services.events.catalog.venue(show)) for show in performances])


@router.get("/showtimes/{showtime_id}/ticket-types", response_model=list[TicketTypeOut],
            responses={404: {"model": ErrorResponse}})
def ticket_types(showtime_id: str, services: ServicesDep) -> list[TicketTypeOut]:
    """A performance's general-admission ticket types: price now, tickets left, and "few_left" / "sold_out"."""
    services.catalog.showtime(showtime_id)  # 404 for an unknown show
    now = services.clock.now()
    return [TicketTypeOut.of(ticket, now, services.settings.currency)
            for ticket in services.events.quotas.ticket_types(showtime_id)]
