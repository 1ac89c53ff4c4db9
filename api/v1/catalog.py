"""What plays where and when, and the seats of a show. Reads only; no login needed."""

from __future__ import annotations

from datetime import date
from typing import Literal

from fastapi import APIRouter

from api.v1.deps import OptionalUserDep, ServicesDep
from api.v1.errors import LoggedRoute
from api.v1.schemas import BestSeatsOut, CityOut, ErrorResponse, MovieOut, SeatMapOut, ShowtimeOut, TheaterOut
from services.errors import InvalidRequest
from services.i18n import t

router = APIRouter(tags=["catalog"], route_class=LoggedRoute)


@router.get("/cities", response_model=list[CityOut])
def cities(services: ServicesDep) -> list[CityOut]:
    """Every city with a cinema or an event venue, with its cinemas and its venues."""
    catalog = services.catalog
    return [CityOut(city=city, theaters=[TheaterOut.of(theater) for theater in catalog.theaters_in(city)],
                    venues=[TheaterOut.of(venue) for venue in catalog.venues_in(city)])
            for city in catalog.cities()]


@router.get("/movies", response_model=list[MovieOut])
def movies(services: ServicesDep, city: str | None = None, q: str | None = None, genre: str | None = None,
           language: str | None = None, date: date | None = None) -> list[MovieOut]:
    """Movies; with ``city`` (and optionally a local ``date``) only those playing there, best rated first."""
    chosen = services.catalog.find_movies(city=city, on=date, genre=genre, language=language, query=q)
    return [MovieOut.of(movie) for movie in chosen]


@router.get("/showtimes", response_model=list[ShowtimeOut], responses={422: {"model": ErrorResponse}})
def showtimes(services: ServicesDep, movie_id: str | None = None, city: str | None = None,
              date: date | None = None, listing: Literal["movie", "event"] | None = None) -> list[ShowtimeOut]:
    """Upcoming shows of a movie (or performances of an event: its id as ``movie_id``) and/or in a city, soonest
    first; ``date`` is the theater's local date; ``listing`` keeps only films' shows or events' performances
    (default: both)."""
    catalog = services.catalog
    if movie_id:
        found = catalog.upcoming_for_movie(movie_id, city)
    elif city:
        found = [show for kind in ("movie", "event") for show in catalog.upcoming_in_city(city, listing=kind)]
    else:
        raise InvalidRequest(t("Please give a movie_id or a city."))
    found = [showtime for showtime in found if (date is None or showtime.local_date() == date)
             and (listing is None or showtime.listing == listing)]
    result = []
    for showtime in sorted(found, key=lambda s: (s.starts_at, s.showtime_id)):
        theater = catalog.theater(showtime.theater_id)
        screen = theater.screen(showtime.screen_id) if showtime.has_seats else None
        result.append(ShowtimeOut.of(showtime, theater, screen, services.settings.currency))
    return result


@router.get("/showtimes/{showtime_id}/seats", response_model=SeatMapOut, responses={404: {"model": ErrorResponse}})
def seats(showtime_id: str, services: ServicesDep, user: OptionalUserDep) -> SeatMapOut:
    """Every seat with its category, price and status; with a bearer token your own held seats are marked."""
    seat_map = services.inventory.seat_map(showtime_id, viewer=user.user_id if user else None)
    return SeatMapOut.of(seat_map, services.settings.currency)


@router.get("/showtimes/{showtime_id}/best-seats", response_model=BestSeatsOut,
            responses={404: {"model": ErrorResponse}, 422: {"model": ErrorResponse}})
def best_seats(showtime_id: str, services: ServicesDep, user: OptionalUserDep, count: int = 2) -> BestSeatsOut:
    """The best ``count`` free seats side by side (centred, about two thirds back, no lone seat left);
    ``seat_ids`` is empty when no such block is free. Hold them with POST /showtimes/{id}/holds."""
    seat_ids = services.inventory.best_seats(showtime_id, count, viewer=user.user_id if user else None)
    return BestSeatsOut(showtime_id=showtime_id, count=count, seat_ids=seat_ids)
