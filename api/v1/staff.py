"""The staff console's API: check-in at the door, scheduling and cancelling shows, reports, seat layouts.

Every route asks ``services.staff.access`` (the same check the pages use): 401 without a token,
403 for customers and for staff of another theater.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from datetime import time as dt_time
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field, StrictStr

from api.v1.deps import ServicesDep, UserDep
from api.v1.errors import LoggedRoute
from api.v1.schemas import ErrorResponse, ShowtimeOut
from services.accounts.users import User
from services.catalog.catalog import Showtime
from services.container import Services
from services.staff.reports import TheaterReport, to_csv
from services.staff.schedule import RepeatRule, ShowRequest

router = APIRouter(prefix="/staff", tags=["staff"], route_class=LoggedRoute)
_AUTH: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorResponse, "description": "missing, invalid or expired token"},
    403: {"model": ErrorResponse, "description": "not staff of this theater"},
}


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
    ticket: int | None = Field(default=None, description="the general-admission ticket admitted (its number); "
                                                         "absent: the booking's numbered seats")


@router.post("/checkins", response_model=CheckinOut,
             responses={**_AUTH,
                        409: {"model": ErrorResponse, "description": "already_admitted (with admitted_at), "
                                                                     "booking_cancelled, wrong_theater, not_today, "
                                                                     "scan_each_ticket (a GA booking's own code)"},
                        422: {"model": ErrorResponse, "description": "invalid_ticket: tampered, unsigned, garbage"}})
def checkin(body: CheckinRequest, services: ServicesDep, user: UserDep) -> CheckinOut:
    """Admit a ticket at the door, once: a second scan answers 409 already_admitted with when and by whom.
    A general-admission ticket's own code admits that one ticket (``seat_ids``: its ticket number)."""
    admission = services.staff.checkins.admit(user, body.ticket_token, body.theater_id)
    booking = admission.booking
    admitted = booking.numbered_seat_ids if admission.ticket is None else [
        seat.seat_id for seat in booking.seats if not seat.is_seat and seat.number == admission.ticket]
    return CheckinOut(booking_id=booking.booking_id, seat_ids=admitted, ticket=admission.ticket,
                      movie_title=booking.movie_title,
                      theater_name=booking.theater_name, screen=booking.screen_name,
                      starts_at=booking.local_start().isoformat(),
                      admitted_at=admission.admitted_at.astimezone(booking.local_start().tzinfo).isoformat(),
                      admitted_by=admission.admitted_by)


# Scheduling ------------------------------------------------------------------------------------------
class ShowtimeRequest(BaseModel):
    movie_id: StrictStr
    screen_id: StrictStr = Field(description="as in GET /showtimes: <theater_id>.<screen>")
    starts_at: datetime = Field(description="ISO 8601 local time with its offset, e.g. 2026-12-01T18:30:00+05:30")
    prices: dict[str, int] = Field(default_factory=dict,
                                   description="seat category -> minor units; missing ones take the screen's price")
    language: StrictStr | None = None

    def show(self) -> ShowRequest:
        return ShowRequest(self.movie_id, self.screen_id, self.starts_at, self.prices, self.language)


class RepeatIn(BaseModel):
    first_day: date
    last_day: date
    times: list[dt_time] = Field(min_length=1, examples=[["10:00", "13:30", "18:00"]])
    weekdays: list[int] = Field(default=[0, 1, 2, 3, 4, 5, 6], description="0 = Monday")


class RepeatRequest(ShowtimeRequest):
    starts_at: datetime | None = None  # type: ignore[assignment]  # the rule gives the times
    repeat: RepeatIn

    def rule(self) -> RepeatRule:
        return RepeatRule(self.repeat.first_day, self.repeat.last_day, tuple(self.repeat.times),
                          frozenset(day for day in self.repeat.weekdays if 0 <= day <= 6))


class PlannedOut(BaseModel):
    starts_at: str
    ends_at: str = Field(description="when the screen is free again (runtime + cleaning buffer)")
    conflicts: list[str]


class RepeatOut(BaseModel):
    created: list[ShowtimeOut]
    refused: list[PlannedOut]


class CancelledOut(BaseModel):
    showtime_id: str
    status: str = "cancelled"
    bookings_refunded: int


def _out(services: Services, showtime: Showtime) -> ShowtimeOut:
    theater = services.catalog.theater(showtime.theater_id)
    return ShowtimeOut.of(showtime, theater, theater.screen(showtime.screen_id), services.settings.currency)


_SCHEDULE: dict[int | str, dict[str, Any]] = {**_AUTH, 404: {"model": ErrorResponse}, 422: {"model": ErrorResponse},
             409: {"model": ErrorResponse, "description": "schedule_conflict, with conflicts: [showtime_id]"}}


@router.post("/showtimes", status_code=201, response_model=ShowtimeOut, responses=_SCHEDULE)
def schedule(body: ShowtimeRequest, services: ServicesDep, user: UserDep) -> ShowtimeOut:
    """Schedule a movie on a screen (managers of its theater). A show never overlaps another on its screen."""
    return _out(services, services.staff.schedule.schedule(user, body.show()))


@router.post("/showtimes/preview", response_model=list[PlannedOut], responses=_SCHEDULE)
def preview(body: RepeatRequest, services: ServicesDep, user: UserDep) -> list[PlannedOut]:
    """What a repeat rule would create, each show with what it would collide with. Nothing is written."""
    request = ShowRequest(body.movie_id, body.screen_id, datetime.now(UTC), body.prices, body.language)
    return [PlannedOut(starts_at=p.starts_at.isoformat(), ends_at=p.ends_at.isoformat(), conflicts=list(p.conflicts))
            for p in services.staff.schedule.preview(user, request, body.rule())]


@router.post("/showtimes/repeat", status_code=201, response_model=RepeatOut, responses=_SCHEDULE)
def repeat(body: RepeatRequest, services: ServicesDep, user: UserDep) -> RepeatOut:
    """Create every show of a repeat rule that fits; the ones that would overlap are returned as refused."""
    request = ShowRequest(body.movie_id, body.screen_id, datetime.now(UTC), body.prices, body.language)
    created, refused = services.staff.schedule.schedule_repeat(user, request, body.rule())
    return RepeatOut(created=[_out(services, showtime) for showtime in created],
                     refused=[PlannedOut(starts_at=p.starts_at.isoformat(), ends_at=p.ends_at.isoformat(),
                                         conflicts=list(p.conflicts)) for p in refused])


@router.delete("/showtimes/{showtime_id}", response_model=CancelledOut,
               responses={**_AUTH, 404: {"model": ErrorResponse}})
def cancel_show(showtime_id: str, services: ServicesDep, user: UserDep) -> CancelledOut:
    """Cancel a show: every booking is refunded in full and its customer emailed. Safe to repeat."""
    cancelled = services.staff.cancellation.cancel(user, showtime_id)
    return CancelledOut(showtime_id=showtime_id, bookings_refunded=cancelled.bookings_refunded)


class MoveRequest(BaseModel):
    starts_at: datetime = Field(description="the new start: ISO 8601 local time with its offset")
    screen_id: StrictStr | None = Field(default=None, description="another screen of the same theater (its id "
                                        "within the theater, e.g. screen-2); default: the same screen")


class MovedOut(BaseModel):
    showtime: ShowtimeOut
    notified: int = Field(description="bookings told now; the rest (if any) shortly, each exactly once")
    notices_pending: bool


@router.post("/showtimes/{showtime_id}/move", response_model=MovedOut,
             responses={**_SCHEDULE, 409: {"model": ErrorResponse, "description": "schedule_conflict (with "
                                           "conflicts: [showtime_id]) or layout_mismatch (a sold seat is missing)"}})
def move_show(showtime_id: str, body: MoveRequest, services: ServicesDep, user: UserDep) -> MovedOut:
    """Move a show to another time and/or screen (managers of its theater). The same no-overlap check as
    scheduling; every confirmed booking gets a "your show moved" email and may cancel for a full refund."""
    moved = services.staff.moves.move(user, showtime_id, body.starts_at, body.screen_id)
    return MovedOut(showtime=_out(services, moved.showtime), notified=moved.notified,
                    notices_pending=moved.pending)


# Reports ---------------------------------------------------------------------------------------------
class DayOut(BaseModel):
    date: date
    tickets_sold: int
    tickets_refunded: int
    gross: int = Field(description="minor units charged for the day's shows")
    refunds: int = Field(description="minor units refunded")
    admitted: int
    shows: int
    seats_offered: int
    occupancy: float = Field(description="(sold - refunded) / seats offered, 0..1")


class DailyOut(BaseModel):
    theater_id: str
    currency: str
    days: list[DayOut]


FromDate = Annotated[date, Query(alias="from", description="first local show day")]
ToDate = Annotated[date, Query(alias="to", description="last local show day (at most 92 days)")]


def _report(services: Services, user: User, theater_id: str, first: date, last: date) -> TheaterReport:
    return services.staff.reports.report(user, theater_id, first, last)


@router.get("/reports/daily", response_model=DailyOut, responses={**_AUTH, 404: {"model": ErrorResponse},
                                                                  422: {"model": ErrorResponse}})
def daily(services: ServicesDep, user: UserDep, theater_id: str,
          first: FromDate, last: ToDate) -> DailyOut:
    """Per local show day: tickets sold and refunded, gross, refunds, admissions, seats offered, occupancy."""
    report = _report(services, user, theater_id, first, last)
    return DailyOut(theater_id=theater_id, currency=services.settings.currency, days=[DayOut(
        date=day.date, tickets_sold=day.tickets_sold, tickets_refunded=day.tickets_refunded, gross=day.gross,
        refunds=day.refunds, admitted=day.admitted, shows=day.shows, seats_offered=day.seats_offered,
        occupancy=day.occupancy) for day in report.days])


@router.get("/reports/export.csv", response_class=Response,
            responses={**_AUTH, 200: {"content": {"text/csv": {}}, "description": "days, then shows"},
                       404: {"model": ErrorResponse}, 422: {"model": ErrorResponse}})
def export(services: ServicesDep, user: UserDep, theater_id: str,
           first: FromDate, last: ToDate) -> Response:
    """The same figures as CSV, with one row per show after the days."""
    report = _report(services, user, theater_id, first, last)
    return Response(to_csv(report), media_type="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{theater_id}-{first}-{last}.csv"',
        "Cache-Control": "private, no-store"})


# Seat layouts ----------------------------------------------------------------------------------------
class LayoutIn(BaseModel):
    layout: dict[str, Any] = Field(description='{"layout_id", "name", "categories": [{code, name}], "rows": '
                                               '[{label, category, seats: "s w c x _"} | {aisle: true}]}')
    prices: dict[str, int] = Field(default_factory=dict, description="category -> minor units (new categories)")


class LayoutOut(BaseModel):
    screen_id: str
    layout_version: int
    layout: dict[str, Any]


def _split_screen(screen_id: str) -> tuple[str, str]:
    theater_id, _, screen = screen_id.rpartition(".")
    return theater_id, screen


@router.put("/screens/{screen_id}/layout", response_model=LayoutOut,
            responses={**_AUTH, 404: {"model": ErrorResponse}, 409: {"model": ErrorResponse},
                       422: {"model": ErrorResponse}})
def save_layout(screen_id: str, body: LayoutIn, services: ServicesDep, user: UserDep) -> LayoutOut:
    """Save a new version of a screen's seat layout (managers of its theater). Shows already scheduled keep
    the version they were scheduled with; later shows get this one."""
    theater_id, screen = _split_screen(screen_id)
    version = services.staff.layouts.save(user, theater_id, screen, body.layout, body.prices)
    return LayoutOut(screen_id=screen_id, layout_version=version, layout=body.layout)
