"""The staff console's movie editing (admins): add, change, retire. A thin skin over services.staff.movies."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field, StrictInt, StrictStr

from api.v1.deps import ServicesDep, UserDep
from api.v1.errors import LoggedRoute
from api.v1.poster_upload import ImageBody, PosterUrls, image_request_body, poster_responses
from api.v1.schemas import ErrorResponse
from services.staff.movies import MovieDraft

router = APIRouter(prefix="/staff", tags=["staff"], route_class=LoggedRoute)
_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorResponse, "description": "missing, invalid or expired token"},
    403: {"model": ErrorResponse, "description": "not an admin"},
    404: {"model": ErrorResponse, "description": "no such movie"},
    422: {"model": ErrorResponse, "description": "invalid movie (the message names the field), or edited meanwhile"},
}


class MovieIn(BaseModel):
    title: StrictStr = Field(max_length=500)
    synopsis: StrictStr = Field(default="", max_length=5000)
    genres: list[StrictStr] = Field(max_length=20)
    languages: list[StrictStr] = Field(max_length=20)
    certificate: StrictStr = Field(max_length=10, examples=["UA"])
    runtime_min: StrictInt
    release_date: StrictStr = Field(max_length=20, examples=["2026-12-25"])

    def draft(self) -> MovieDraft:
        return MovieDraft(self.title, self.synopsis, tuple(self.genres), tuple(self.languages), self.certificate,
                          self.runtime_min, self.release_date)


class NewMovieIn(MovieIn):
    movie_id: StrictStr = Field(max_length=100, examples=["the-long-reel"])


class MovieIdOut(BaseModel):
    movie_id: str


@router.post("/movies", status_code=201, response_model=MovieIdOut, responses=_RESPONSES)
def create_movie(body: NewMovieIn, services: ServicesDep, user: UserDep) -> MovieIdOut:
    """Add a movie to the catalogue (admins)."""
    return MovieIdOut(movie_id=services.staff.movies.create(user, body.movie_id, body.draft()))


@router.put("/movies/{movie_id}", status_code=204, response_class=Response, responses=_RESPONSES)
def update_movie(movie_id: str, body: MovieIn, services: ServicesDep, user: UserDep) -> Response:
    """Change a movie's facts (admins)."""
    services.staff.movies.update(user, movie_id, body.draft())
    return Response(status_code=204)


@router.post("/movies/{movie_id}/retire", status_code=204, response_class=Response, responses=_RESPONSES)
def retire_movie(movie_id: str, services: ServicesDep, user: UserDep) -> Response:
    """Take a movie out of the catalogue; shows and bookings keep reading it (admins)."""
    services.staff.movies.retire(user, movie_id)
    return Response(status_code=204)


@router.post("/movies/{movie_id}/unretire", status_code=204, response_class=Response, responses=_RESPONSES)
def unretire_movie(movie_id: str, services: ServicesDep, user: UserDep) -> Response:
    """Bring a retired movie back into the catalogue (admins)."""
    services.staff.movies.unretire(user, movie_id)
    return Response(status_code=204)


class PosterOut(PosterUrls):
    movie_id: str


@router.put("/movies/{movie_id}/poster", response_model=PosterOut, responses=poster_responses("movie"),
            openapi_extra=image_request_body())
def upload_poster(movie_id: str, services: ServicesDep, user: UserDep, data: ImageBody) -> PosterOut:
    """Replace a movie's poster (admins): the image as the request body, at most 5 MB. It is resized to the
    sizes the pages show and served at the returned URLs with long-lived caching."""
    stem = services.staff.movies.upload_poster(user, movie_id, data)
    return PosterOut(movie_id=movie_id, **PosterUrls.of(stem))
