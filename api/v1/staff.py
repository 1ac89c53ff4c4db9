"""The staff console's API: check-in at the door (more routes join as the console grows).

Every route asks ``services.staff.access`` (the same check the pages use): 401 without a token,
403 for customers and for staff of another theater.
"""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field, StrictStr

from api.v1.deps import ServicesDep, UserDep
from api.v1.errors import LoggedRoute
from api.v1.schemas import ErrorResponse

router = APIRouter(prefix="/staff", tags=["staff"], route_class=LoggedRoute)
_AUTH = {401: {"model": ErrorResponse, "description": "missing, invalid or expired token"},
         403: {"model": ErrorResponse, "description": "not staff of this theater"}}


class CheckinRequest(BaseModel):
    ticket_token: StrictStr = Field(max_length=200, examples=["MM1.BK-H-....T4L2QX.ABCDEFGHIJKLMNOPQRSTUVWX"])
    theater_id: StrictStr | None = Field(default=None, description="the door's theater; default: any of yours")


class CheckinOut(BaseModel):
    booking_id: str
    status: str = "admitted"
    seat_ids: list[str]
    movie_title: str
    theater_name: str
    screen: str
    starts_at: str = Field(description="ISO 8601 in the theater's time zone")
    admitted_at: str = Field(description="ISO 8601 in the theater's time zone")
    admitted_by: str


@router.post("/checkins", response_model=CheckinOut,
             responses={**_AUTH,
                        409: {"model": ErrorResponse, "description": "already_admitted (with admitted_at), "
                                                                     "booking_cancelled, wrong_theater, not_today"},
                        422: {"model": ErrorResponse, "description": "invalid_ticket: tampered, unsigned, garbage"}})
def checkin(body: CheckinRequest, services: ServicesDep, user: UserDep) -> CheckinOut:
    """Admit a ticket at the door, once: a second scan answers 409 already_admitted with when and by whom."""
    admission = services.staff.checkins.admit(user, body.ticket_token, body.theater_id)
    booking = admission.booking
    return CheckinOut(booking_id=booking.booking_id, seat_ids=booking.seat_ids, movie_title=booking.movie_title,
                      theater_name=booking.theater_name, screen=booking.screen_name,
                      starts_at=booking.local_start().isoformat(),
                      admitted_at=admission.admitted_at.astimezone(booking.local_start().tzinfo).isoformat(),
                      admitted_by=admission.admitted_by)
