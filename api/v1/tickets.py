"""The bearer's PDF ticket: the same document the ticket page offers, for apps and kiosks."""

from __future__ import annotations

from fastapi import APIRouter, Response

from api.v1.deps import ServicesDep, UserDep
from api.v1.errors import LoggedRoute
from api.v1.schemas import ErrorResponse
from services.booking.ticket_pdf import pdf_filename, render_ticket
from services.errors import NotFound
from services.i18n import t

router = APIRouter(tags=["tickets"], route_class=LoggedRoute)


@router.get("/bookings/{booking_id}/ticket.pdf", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}, "description": "the PDF ticket"},
                       401: {"model": ErrorResponse, "description": "missing, invalid or expired token"},
                       404: {"model": ErrorResponse, "description": "not your booking, or cancelled"}})
def ticket_pdf(booking_id: str, services: ServicesDep, user: UserDep) -> Response:
    """Your booking's ticket as a PDF: movie, theater, local time, seats, amounts and the signed QR code."""
    booking = services.bookings.get(booking_id, user)
    if booking.user_id != user.user_id:  # owner only, even for admins: the API hands out no one else's ticket
        raise NotFound(t("That booking does not exist."))
    if booking.status != "confirmed":
        raise NotFound(t("This booking was cancelled; it has no ticket."))
    pdf = render_ticket(booking, services.tickets.token_for(booking), services.settings.base_url)
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{pdf_filename(booking)}"',
        "Cache-Control": "private, no-store",
    })
