"""The staff console's theaters and screens: admins add and edit them, managers list theirs.
A thin skin over services.staff.theaters (hall painting and prices: the layout editor's page)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field, StrictInt, StrictStr

from api.v1.deps import ServicesDep, UserDep
from api.v1.errors import LoggedRoute
from api.v1.schemas import ErrorResponse
from services.catalog.models import Theater, screen_key
from services.staff.theaters import ScreenDraft, TheaterDraft

router = APIRouter(prefix="/staff", tags=["staff"], route_class=LoggedRoute)
_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorResponse, "description": "missing, invalid or expired token"},
    403: {"model": ErrorResponse, "description": "not an admin (changes), not a manager or admin (list)"},
    404: {"model": ErrorResponse, "description": "no such theater or screen"},
    422: {"model": ErrorResponse, "description": "invalid input (the message names the field), or edited meanwhile"},
}


class TheaterIn(BaseModel):
    name: StrictStr = Field(max_length=500, examples=["Harbour Lights"])
    city: StrictStr = Field(max_length=500, examples=["Kochi"])
    address: StrictStr = Field(default="", max_length=1000)
    timezone: StrictStr = Field(max_length=100, examples=["Asia/Kolkata"], description="an IANA timezone name")

    def draft(self) -> TheaterDraft:
        return TheaterDraft(self.name, self.city, self.address, self.timezone)


class NewTheaterIn(TheaterIn):
    theater_id: StrictStr = Field(max_length=100, examples=["harbour-lights-kochi"])


class ScreenIn(BaseModel):
    name: StrictStr = Field(max_length=500, examples=["Hall 1"])
    format: StrictStr = Field(max_length=40, examples=["2D"])


class NewScreenIn(ScreenIn):
    screen_id: StrictStr = Field(max_length=100, examples=["hall-1"])
    rows: StrictInt = Field(examples=[10], description="rows of the starting hall (A, B, ...; the back third prime)")
    seats_per_row: StrictInt = Field(examples=[14])
    prices: dict[StrictStr, StrictInt] = Field(examples=[{"classic": 18000, "prime": 26000}],
                                               description="minor units per category (classic, prime)")


class ScreenOut(BaseModel):
    screen_id: str = Field(description="unique across theaters: <theater_id>.<screen_id>")
    name: str
    format: str
    seats: int
    layout_version: int
    prices: dict[str, int]


class TheaterOut(BaseModel):
    theater_id: str
    name: str
    city: str
    address: str
    timezone: str
    screens: list[ScreenOut]


class TheaterIdOut(BaseModel):
    theater_id: str


class ScreenIdOut(BaseModel):
    screen_id: str = Field(description="unique across theaters: <theater_id>.<screen_id>")


def _theater_out(theater: Theater) -> TheaterOut:
    return TheaterOut(
        theater_id=theater.theater_id, name=theater.name, city=theater.city, address=theater.address,
        timezone=theater.timezone,
        screens=[ScreenOut(screen_id=screen_key(theater.theater_id, s.screen_id), name=s.name, format=s.format,
                           seats=s.layout.capacity, layout_version=s.layout_version, prices=s.prices)
                 for s in theater.screens])


@router.get("/theaters", response_model=list[TheaterOut], responses=_RESPONSES)
def list_theaters(services: ServicesDep, user: UserDep) -> list[TheaterOut]:
    """The theaters you manage (all of them, for admins), with their screens."""
    return [_theater_out(theater) for theater in services.staff.theaters.visible(user)]


@router.post("/theaters", status_code=201, response_model=TheaterIdOut, responses=_RESPONSES)
def create_theater(body: NewTheaterIn, services: ServicesDep, user: UserDep) -> TheaterIdOut:
    """Add a theater (admins); then add its screens."""
    return TheaterIdOut(theater_id=services.staff.theaters.create(user, body.theater_id, body.draft()))


@router.put("/theaters/{theater_id}", status_code=204, response_class=Response, responses=_RESPONSES)
def update_theater(theater_id: str, body: TheaterIn, services: ServicesDep, user: UserDep) -> Response:
    """Change a theater's name, address, city and timezone (the last two only while it has no screens; admins)."""
    services.staff.theaters.update(user, theater_id, body.draft())
    return Response(status_code=204)


@router.post("/theaters/{theater_id}/screens", status_code=201, response_model=ScreenIdOut, responses=_RESPONSES)
def add_screen(theater_id: str, body: NewScreenIn, services: ServicesDep, user: UserDep) -> ScreenIdOut:
    """Add a screen with a plain rectangular hall (layout version 1), to repaint in the layout editor (admins)."""
    draft = ScreenDraft(body.name, body.format, body.rows, body.seats_per_row, dict(body.prices))
    return ScreenIdOut(screen_id=services.staff.theaters.add_screen(user, theater_id, body.screen_id, draft))


@router.put("/theaters/{theater_id}/screens/{screen_id}", status_code=204, response_class=Response,
            responses=_RESPONSES)
def update_screen(theater_id: str, screen_id: str, body: ScreenIn, services: ServicesDep, user: UserDep) -> Response:
    """Rename a screen or change its format (admins)."""
    services.staff.theaters.rename_screen(user, theater_id, screen_id, body.name, body.format)
    return Response(status_code=204)
