"""Request and response models of the JSON API v1: what /api/v1/openapi.json documents.

Money is integer minor units (paise, cents) with the currency beside it; times are ISO 8601 with an
offset (show times in the theater's own time zone, everything else in UTC).
"""

from __future__ import annotations

from typing import Annotated, Literal, cast

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, model_validator

from services.booking.models import Booking, Hold, SeatMap, SeatState
from services.booking.payments import CardPayment, Payment, UpiPayment
from services.booking.pricing import Price
from services.booking.tickets import TicketCode
from services.catalog.models import Movie, Screen, Showtime, Theater
from services.clock import iso


class ErrorDetail(BaseModel):
    code: str = Field(examples=["seat_unavailable"])
    message: str = Field(examples=["Sorry, these seats were just taken: A1. Please choose others."])
    seats: list[str] | None = Field(default=None, description="the seats that could not be held")


class ErrorResponse(BaseModel):
    error: ErrorDetail


# Accounts ------------------------------------------------------------------------------------------
# Field limits are generous bounds on what a client may send (the services check the exact rules); they
# keep absurd values out before any work is done.
class RegisterRequest(BaseModel):
    name: StrictStr = Field(max_length=200, examples=["Asha Rao"])
    email: StrictStr = Field(max_length=320, examples=["asha@example.com"])
    password: StrictStr = Field(max_length=256, examples=["correct horse battery"],
                                description="at least 8 characters, at most 72 bytes")


class UserOut(BaseModel):
    user_id: str
    name: str
    email: str


class LoginRequest(BaseModel):
    email: StrictStr = Field(max_length=320)
    password: StrictStr = Field(max_length=256)


class TokenOut(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="seconds until the token expires")


# Catalog -------------------------------------------------------------------------------------------
class TheaterOut(BaseModel):
    theater_id: str
    name: str
    address: str
    timezone: str
    screens: list[str]

    @classmethod
    def of(cls, theater: Theater) -> TheaterOut:
        return cls(theater_id=theater.theater_id, name=theater.name, address=theater.address,
                   timezone=theater.timezone, screens=[screen.name for screen in theater.screens])


class CityOut(BaseModel):
    city: str
    theaters: list[TheaterOut] = Field(description="the city's cinemas")
    venues: list[TheaterOut] = Field(default_factory=list, description="the city's event venues (issue 17); a city "
                                                                       "may have venues and no cinema")


class MovieOut(BaseModel):
    movie_id: str
    title: str
    genres: list[str]
    languages: list[str]
    rating: float
    runtime_min: int
    certificate: str
    release_date: str
    poster: str

    @classmethod
    def of(cls, movie: Movie) -> MovieOut:
        return cls(movie_id=movie.movie_id, title=movie.title, genres=list(movie.genres),
                   languages=list(movie.languages), rating=movie.rating, runtime_min=movie.runtime_min,
                   certificate=movie.certificate, release_date=movie.release_date, poster=movie.poster)


class ShowtimeOut(BaseModel):
    showtime_id: str
    movie_id: str
    theater_id: str
    theater_name: str
    city: str
    screen: str
    screen_id: str = Field(description="the screen, unique across all theaters (<theater_id>.<screen>)")
    starts_at: str = Field(description="ISO 8601 in the theater's time zone, with its UTC offset")
    timezone: str
    language: str
    format: str
    prices: dict[str, int] = Field(description="seat category -> price in minor units")
    currency: str
    listing: str = Field(default="movie", description="movie (a film's show) or event (a performance: movie_id is "
                                                      "the event's id, GET /events/{id})")
    admission: str = Field(default="seated", description="seated (the seat map), general (ticket types only: GET "
                                                         "/showtimes/{id}/ticket-types) or mixed (both)")

    @classmethod
    def of(cls, showtime: Showtime, theater: Theater, screen: Screen | None, currency: str) -> ShowtimeOut:
        """``screen`` None: a general-admission performance, which has no hall (screen and screen_id are "")."""
        return cls(showtime_id=showtime.showtime_id, movie_id=showtime.movie_id, theater_id=theater.theater_id,
                   theater_name=theater.name, city=showtime.city, screen=screen.name if screen else "",
                   screen_id=showtime.screen_key if screen else "", starts_at=showtime.local_start().isoformat(),
                   timezone=showtime.timezone, language=showtime.language, format=showtime.format,
                   prices=showtime.prices, currency=currency, listing=showtime.listing,
                   admission=showtime.admission)


# SeatState's values but HELD_BY_YOU: the API says "held" plus held_by_you, so one field means one thing.
ApiSeatState = Literal["available", "held", "sold", "blocked"]


def _api_status(state: SeatState) -> ApiSeatState:
    if state == SeatState.HELD_BY_YOU:
        return "held"
    return cast(ApiSeatState, state.value)


class SeatOut(BaseModel):
    seat_id: str
    row: str
    number: int
    category: str
    price: int
    accessible: bool
    status: ApiSeatState
    held_by_you: bool = Field(default=False, description="held by the bearer's own hold")


class SeatMapOut(BaseModel):
    showtime_id: str
    currency: str
    seats: list[SeatOut]

    @classmethod
    def of(cls, seat_map: SeatMap, currency: str) -> SeatMapOut:
        seats = [SeatOut(seat_id=s.seat_id, row=s.row, number=s.number, category=s.category, price=s.price,
                         accessible=s.accessible, status=_api_status(s.status),
                         held_by_you=s.status == SeatState.HELD_BY_YOU) for s in seat_map.seats]
        return cls(showtime_id=seat_map.showtime.showtime_id, currency=currency, seats=seats)


class BestSeatsOut(BaseModel):
    showtime_id: str
    count: int
    seat_ids: list[str]


# Holds and bookings --------------------------------------------------------------------------------
class PriceOut(BaseModel):
    subtotal: int
    fee: int
    tax: int
    total: int
    currency: str
    discount: int = Field(default=0, description="loyalty points spent, already taken off total")

    @classmethod
    def of(cls, price: Price) -> PriceOut:
        return cls(**price.to_item())


class TicketsIn(BaseModel):
    ticket_type: StrictStr = Field(max_length=64, examples=["standing"])
    quantity: StrictInt = Field(ge=0, le=1000, examples=[2], description="up to the type's per-order limit")


class HoldRequest(BaseModel):
    seat_ids: list[Annotated[StrictStr, Field(max_length=16)]] = Field(default_factory=list, max_length=100,
                                                                      examples=[["F7", "F8"]],
                                      description="1 to 10 seats; holding again replaces your hold's seats")
    ticket_type: StrictStr | None = Field(default=None, max_length=64, examples=["standing"],
                                          description="events: a general-admission ticket type (with quantity)")
    quantity: StrictInt | None = Field(default=None, ge=0, le=1000, examples=[2])
    tickets: list[TicketsIn] = Field(default_factory=list, max_length=20,
                                     description="events: several ticket types at once")

    @model_validator(mode="after")
    def _something(self) -> HoldRequest:
        if not self.seat_ids and self.ticket_type is None and not self.tickets:
            raise ValueError("give seat_ids, or a ticket_type with a quantity (events)")
        return self

    def wanted_tickets(self) -> dict[str, int]:
        """The general-admission tickets asked for, by type (empty: a seats-only hold)."""
        wanted = {line.ticket_type: line.quantity for line in self.tickets}
        if self.ticket_type is not None:
            wanted[self.ticket_type] = wanted.get(self.ticket_type, 0) + (1 if self.quantity is None else self.quantity)
        return wanted


class HeldTicketsOut(BaseModel):
    ticket_type: str
    name: str
    quantity: int
    price: int = Field(description="each, in minor units")


class HoldOut(BaseModel):
    hold_id: str
    showtime_id: str
    seat_ids: list[str]
    tickets: list[HeldTicketsOut] = Field(default_factory=list, description="events: general-admission tickets")
    expires_at: str = Field(description="UTC, ISO 8601")
    price: PriceOut

    @classmethod
    def of(cls, hold: Hold) -> HoldOut:
        assert hold.quote is not None
        return cls(hold_id=hold.hold_id, showtime_id=hold.showtime_id, seat_ids=list(hold.seat_ids),
                   tickets=[HeldTicketsOut(ticket_type=line.type_id, name=line.name, quantity=line.quantity,
                                           price=line.price) for line in hold.tickets],
                   expires_at=iso(hold.expires_at), price=PriceOut.of(hold.quote.price))


class PaymentIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"method": "card", "card_number": "4242424242424242"},
                                                              {"method": "upi", "vpa": "success@upi"}]})
    method: Literal["card", "upi"]
    card_number: StrictStr | None = Field(default=None, max_length=64,
                                          description="method card: demo 4242 4242 4242 4242 approves, "
                                                      "4000 0000 0000 0002 declines")
    vpa: StrictStr | None = Field(default=None, max_length=320,
                                  description="method upi: the UPI ID the collect request goes to; demo "
                                              "success@upi approves, failure@upi declines (402), timeout@upi "
                                              "expires unanswered (402 payment_timed_out)")

    @model_validator(mode="after")
    def _one_way_to_pay(self) -> PaymentIn:
        if self.method == "card" and not self.card_number:
            raise ValueError("card payments need card_number")
        if self.method == "upi" and not self.vpa:
            raise ValueError("UPI payments need vpa")
        return self

    def payment(self) -> Payment:
        if self.method == "upi":
            return UpiPayment(self.vpa or "")
        return CardPayment(self.card_number or "")


class BookingRequest(BaseModel):
    hold_id: StrictStr = Field(max_length=100)
    payment: PaymentIn
    redeem_points: StrictInt = Field(default=0, ge=0, le=1_000_000,
                                     description="loyalty points to spend (GET /loyalty); the discount is computed "
                                                 "by the server and shown as price.discount")


class BookedSeatOut(BaseModel):
    seat_id: str = Field(description="the seat, or a general-admission ticket's number")
    category: str = Field(description="the seat category, or the general-admission ticket type")
    category_name: str
    price: int
    admission: Literal["seat", "ga"] = "seat"


class TicketCodeOut(BaseModel):
    token: str = Field(description="the string in this QR code; each admits once at the door")
    ticket: int | None = Field(default=None, description="the general-admission ticket it admits (its number); "
                                                         "absent: the booking's numbered seats")
    label: str = Field(description="what it admits: the seats, or 'Ticket 2 of 3 · Standing'")


class BookingOut(BaseModel):
    booking_id: str
    reference: str = Field(description="the short booking reference shown on pages, emails and tickets")
    status: Literal["confirmed", "cancelled"]
    showtime_id: str
    movie_title: str
    theater_name: str
    theater_address: str
    city: str
    screen: str
    starts_at: str = Field(description="ISO 8601 in the theater's time zone, with its UTC offset")
    seat_ids: list[str]
    seats: list[BookedSeatOut]
    price: PriceOut
    created_at: str
    refund: int | None = Field(default=None, description="minor units refunded, once cancelled")
    cancelled_at: str | None = None
    ticket_token: str | None = Field(default=None, description="the string in the ticket's QR code (owner, "
                                     "confirmed bookings; GET /bookings/{booking_id} only); it admits the "
                                     "numbered seats: general-admission tickets each have their own code")
    ticket_codes: list[TicketCodeOut] = Field(default_factory=list, description="every code the ticket shows: "
                                              "the seats' and one per general-admission ticket (as ticket_token)")

    @classmethod
    def of(cls, booking: Booking, ticket_token: str | None = None,
           codes: list[TicketCode] | None = None) -> BookingOut:
        return cls(
            booking_id=booking.booking_id, reference=booking.reference, status=booking.status,
            showtime_id=booking.showtime_id,
            movie_title=booking.movie_title, theater_name=booking.theater_name,
            theater_address=booking.theater_address, city=booking.city, screen=booking.screen_name,
            starts_at=booking.local_start().isoformat(), seat_ids=booking.seat_ids,
            seats=[BookedSeatOut(seat_id=s.seat_id, category=s.category, category_name=s.category_name,
                                 price=s.price, admission="seat" if s.is_seat else "ga") for s in booking.seats],
            price=PriceOut.of(booking.price), created_at=booking.created_at, refund=booking.refund,
            cancelled_at=booking.cancelled_at, ticket_token=ticket_token,
            ticket_codes=[TicketCodeOut(token=code.token, ticket=code.ticket, label=code.label)
                          for code in codes or []],
        )
