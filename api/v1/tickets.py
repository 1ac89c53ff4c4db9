"""The bearer's PDF ticket: the same document the ticket page offers, for apps and kiosks."""

from __future__ import annotations

from fastapi import APIRouter, Response

from api.v1.deps import ServicesDep, UserDep
from api.v1.errors import LoggedRoute
from api.v1.schemas import ErrorResponse
from services.booking.ticket_pdf import pdf_filename, render_ticket

router = APIRouter(tags=["tickets"], route_class=LoggedRoute)


@router.get("/bookings/{booking_id}/ticket.pdf", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}, "description": "the PDF ticket"},
                       401: {"model": ErrorResponse, "description": "missing, invalid or expired token"},
                       404: {"model": ErrorResponse, "description": "not yours (unless admin), or cancelled"}})
def ticket_pdf(booking_id: str, services: ServicesDep, user: UserDep) -> Response:
    """Your booking's ticket as a PDF: movie, theater, local time, seats, amounts and the signed QR code.
    An admin may fetch any booking's (the same rule as the ticket page)."""
    booking = services.bookings.ticket(booking_id, user)
    codes = services.tickets.codes(booking)  # the seats' code and/or one per general-admission ticket
    pdf = render_ticket(booking, codes[0].token, services.settings.base_url, codes[1:])
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{pdf_filename(booking)}"',
        "Cache-Control": "private, no-store",
    })


@router.get("/bookings/{booking_id}/calendar.ics", response_class=Response,
            responses={200: {"content": {"text/calendar": {}}, "description": "the show as an iCalendar event"},
                       401: {"model": ErrorResponse, "description": "missing, invalid or expired token"},
                       404: {"model": ErrorResponse, "description": "not yours (unless admin), or cancelled"}})
def calendar_file(booking_id: str, services: ServicesDep, user: UserDep) -> Response:
    """Your booking as an iCalendar (.ics) event in the theater's time zone (TZID + VTIMEZONE), with a reminder
    an hour before. The same rule as the ticket: the owner or an admin, while the booking stands."""
    file = services.engage.calendar.booking_ics(booking_id, user)
    return Response(file.text, media_type="text/calendar; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{file.filename}"', "Cache-Control": "private, no-store",
    })
