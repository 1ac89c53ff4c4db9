"""Holding seats, paying for them, and the bearer's bookings."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from api.v1.deps import ServicesDep, UserDep
from api.v1.errors import LoggedRoute
from api.v1.schemas import BookingOut, BookingRequest, ErrorResponse, HoldOut, HoldRequest

router = APIRouter(tags=["booking"], route_class=LoggedRoute)
# FastAPI types ``responses`` as dict[int | str, dict[str, Any]]; an inferred dict[int, ...] would not fit.
_AUTH: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorResponse, "description": "missing, invalid or expired token"}
}


@router.post("/showtimes/{showtime_id}/holds", status_code=201, response_model=HoldOut,
             responses={**_AUTH, 404: {"model": ErrorResponse},
                        409: {"model": ErrorResponse,
                              "description": "seat_unavailable (with seats), seat_rule (a single empty seat "
                                             "left on its own, or a companion seat without its wheelchair "
                                             "space; with seats), show_closed, limit_reached, or sold_out "
                                             "(events: too few tickets of a type left)"},
                        422: {"model": ErrorResponse, "description": "over_limit (events: more tickets of a type "
                                                                     "than one order may have) or invalid_request"}})
def hold(showtime_id: str, body: HoldRequest, services: ServicesDep, user: UserDep) -> HoldOut:
    """Hold 1–10 seats, all or none, for a few minutes. Holding again replaces your hold's seats. One live
    hold per show, and at most 20 held seats across shows (409 limit_reached).

    Events: `{"ticket_type": "standing", "quantity": 2}` (or `tickets: [...]`) holds general-admission
    tickets; at a mixed performance `seat_ids` beside them are held in the same all-or-nothing hold."""
    wanted = body.wanted_tickets()
    if wanted:
        return HoldOut.of(services.events.quotas.hold(showtime_id, wanted, user.user_id, body.seat_ids))
    return HoldOut.of(services.inventory.hold(showtime_id, body.seat_ids, user.user_id))


@router.delete("/holds/{hold_id}", status_code=204, response_class=Response,
               responses={**_AUTH, 404: {"model": ErrorResponse}})
def release(hold_id: str, services: ServicesDep, user: UserDep) -> Response:
    """Give back a hold's seats and general-admission tickets."""
    services.events.quotas.release(hold_id, user.user_id)
    return Response(status_code=204)


@router.post("/holds/{hold_id}/extend", response_model=HoldOut,
             responses={**_AUTH, 404: {"model": ErrorResponse},
                        409: {"model": ErrorResponse,
                              "description": "hold_expired (or changed meanwhile), limit_reached (extended before)"},
                        422: {"model": ErrorResponse, "description": "invalid_request: not yet in the hold's last "
                                                                     "minute"}})
def extend(hold_id: str, services: ServicesDep, user: UserDep) -> HoldOut:
    """Keep your held seats a few minutes longer: once per hold, in its last minute (the seat page warns then)."""
    return HoldOut.of(services.inventory.extend(hold_id, user.user_id))


@router.post("/bookings", status_code=201, response_model=BookingOut,
             responses={**_AUTH, 402: {"model": ErrorResponse,
                                       "description": "payment_declined, or payment_timed_out (UPI)"},
                        404: {"model": ErrorResponse},
                        409: {"model": ErrorResponse,
                              "description": "hold_expired, show_closed or not_enough_points"},
                        422: {"model": ErrorResponse}})
def book(body: BookingRequest, services: ServicesDep, user: UserDep) -> BookingOut:
    """Pay for a hold. Sending the same hold again returns the same booking (never a second one)."""
    return BookingOut.of(services.bookings.checkout(body.hold_id, user, body.payment.payment(), body.redeem_points))


@router.get("/bookings", response_model=list[BookingOut], responses=_AUTH)
def my_bookings(services: ServicesDep, user: UserDep) -> list[BookingOut]:
    """Your bookings, newest first."""
    return [BookingOut.of(booking) for booking in services.bookings.my_bookings(user.user_id)]


@router.get("/bookings/{booking_id}", response_model=BookingOut, responses={**_AUTH, 404: {"model": ErrorResponse}})
def booking(booking_id: str, services: ServicesDep, user: UserDep) -> BookingOut:
    """One of your bookings; a confirmed one carries ``ticket_token``, the string its QR code holds."""
    found = services.bookings.get(booking_id, user)
    # The ticket rule (services.bookings.ticket): whoever may read the booking has its ticket while it stands.
    confirmed = found.status == "confirmed"
    return BookingOut.of(found, services.tickets.token_for(found) if confirmed else None,
                         services.tickets.codes(found) if confirmed else None)


@router.post("/bookings/{booking_id}/cancel", response_model=BookingOut,
             responses={**_AUTH, 404: {"model": ErrorResponse},
                        409: {"model": ErrorResponse, "description": "too_late_to_cancel"}})
def cancel(booking_id: str, services: ServicesDep, user: UserDep) -> BookingOut:
    """Cancel up to the cut-off before the show; the refund follows the theater's policy."""
    return BookingOut.of(services.bookings.cancel(booking_id, user))
