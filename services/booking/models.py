"""Booking data: seat states, holds, the seat map a viewer sees, and bookings (with their reference).

Plain frozen values, no I/O; ``inventory.py`` and ``bookings.py`` read and write them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal, Protocol
from zoneinfo import ZoneInfo

from services.booking.pricing import Price, PricedSeat, Quote
from services.catalog.layouts import Layout
from services.catalog.models import Showtime
from services.clock import iso, parse_iso


class SeatState(StrEnum):
    """What a seat is, as the seat map, the live hub, the seat grid, the poller and the API say it.

    The values are the strings the API's ``status`` and the stored Seats items (``held``, ``sold``) use.
    ``HELD_BY_YOU`` is only ever in a viewer's own seat map: a live change says ``HELD`` with the hold id,
    each grid decides whether that hold is its own, and the API says ``held`` with ``held_by_you``."""

    AVAILABLE = "available"
    HELD = "held"
    HELD_BY_YOU = "held_by_you"
    SOLD = "sold"
    BLOCKED = "blocked"


HoldStatus = Literal["active", "released", "confirmed"]


@dataclass(frozen=True)
class TicketLine:
    """General-admission tickets of one type in a hold (events): the price is fixed when the hold is placed."""

    type_id: str
    name: str
    quantity: int
    price: int  # minor units, each

    def to_item(self) -> dict[str, Any]:
        return dict(self.__dict__)

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> TicketLine:
        return cls(str(item["type_id"]), str(item["name"]), int(item["quantity"]), int(item["price"]))


@dataclass(frozen=True)
class Hold:
    hold_id: str
    showtime_id: str
    holder: str
    seat_ids: tuple[str, ...]
    expires_at: datetime  # UTC
    created_at: str
    status: HoldStatus
    revision: int
    booking_id: str | None = None
    quote: Quote | None = None  # filled when the hold is placed (revision is then 0: read the hold for it)
    tickets: tuple[TicketLine, ...] = ()  # general-admission tickets (events), beside or instead of seats
    extended: bool = False  # the one extension was used (InventoryService.extend)

    def is_live(self, now: datetime) -> bool:
        return self.status == "active" and self.expires_at >= now.replace(microsecond=0)

    def ga_tickets(self, booking_id: str) -> tuple[PricedSeat, ...]:
        """The general-admission tickets as booking lines: the ticket type as category, a ticket number
        ("<booking reference>-<n>") as seat id, so tickets, emails and reports list them like seats."""
        reference = booking_reference(booking_id)
        tickets: list[PricedSeat] = []
        for line in self.tickets:
            for _ in range(line.quantity):
                number = len(tickets) + 1
                tickets.append(PricedSeat(f"{reference}-{number}", "", number, line.type_id, line.name, line.price,
                                          admission="ga"))
        return tuple(tickets)


@dataclass(frozen=True)
class SeatView:
    seat_id: str
    row: str
    number: int
    grid_row: int
    grid_col: int
    category: str
    category_name: str
    price: int
    kind: str
    accessible: bool
    status: SeatState


@dataclass(frozen=True)
class SeatMap:
    showtime: Showtime
    layout: Layout
    seats: tuple[SeatView, ...]
    my_hold_id: str | None  # the viewer's live hold on this showtime, if any
    my_hold_expires_at: datetime | None
    items_read: int  # Seats items the Query read (its ScannedCount): this showtime's held/sold seats only

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for seat in self.seats:
            counts[seat.status] = counts.get(seat.status, 0) + 1
        return counts


BookingStatus = Literal["confirmed", "cancelled"]


class Customer(Protocol):
    """Who books: a logged-in user (``services.users.User``) or a kiosk guest with its checkout id."""

    @property
    def user_id(self) -> str: ...
    @property
    def email(self) -> str: ...
    @property
    def is_admin(self) -> bool: ...


@dataclass(frozen=True)
class Guest:
    """A kiosk / guest checkout: its checkout id is both the holder and the booking's owner."""

    user_id: str
    email: str = ""
    name: str = ""
    is_admin: bool = False


@dataclass(frozen=True)
class Booking:
    booking_id: str
    hold_id: str
    user_id: str
    email: str
    status: BookingStatus
    showtime_id: str
    movie_id: str
    movie_title: str
    theater_id: str
    theater_name: str
    theater_address: str
    city: str
    timezone: str
    screen_id: str
    screen_name: str
    starts_at: datetime  # UTC
    seats: tuple[PricedSeat, ...]
    price: Price
    created_at: str
    payment_id: str
    card_last4: str
    refund: int | None = None  # minor units, once cancelled
    cancelled_at: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)  # attributes others add

    @property
    def seat_ids(self) -> list[str]:
        return [seat.seat_id for seat in self.seats]

    @property
    def numbered_seat_ids(self) -> list[str]:
        """The hall's seats only (general-admission tickets have ticket numbers, no seat item)."""
        return [seat.seat_id for seat in self.seats if seat.is_seat]

    @property
    def upi_vpa(self) -> str:
        """The UPI ID it was paid from ("" when paid by card)."""
        return str(self.extra.get("upi_vpa", ""))

    @property
    def reference(self) -> str:
        """The short booking reference a person reads out at the counter (pages, emails, API)."""
        return booking_reference(self.booking_id)

    def local_start(self) -> datetime:
        return self.starts_at.astimezone(ZoneInfo(self.timezone))

    def to_item(self) -> dict[str, Any]:
        """The stored item: everything a confirmation email or a ticket needs, without other lookups."""
        item = {
            **self.extra,
            "booking_id": self.booking_id, "reference": self.reference, "hold_id": self.hold_id,
            "user_id": self.user_id, "email": self.email, "status": self.status, "showtime_id": self.showtime_id,
            "movie_id": self.movie_id,
            "movie_title": self.movie_title, "theater_id": self.theater_id, "theater_name": self.theater_name,
            "theater_address": self.theater_address, "city": self.city, "timezone": self.timezone,
            "screen_id": self.screen_id, "screen_name": self.screen_name, "starts_at": iso(self.starts_at),
            "starts_at_local": self.local_start().isoformat(), "seat_ids": self.seat_ids,
            "seats": [seat.to_item() for seat in self.seats], "price": self.price.to_item(),
            "currency": self.price.currency, "created_at": self.created_at, "payment_id": self.payment_id,
            "card_last4": self.card_last4,
        }
        if self.refund is not None:
            item["refund"] = self.refund
        if self.cancelled_at is not None:
            item["cancelled_at"] = self.cancelled_at
        return item

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> Booking:
        known = set(cls.__dataclass_fields__) | {"starts_at_local", "seat_ids", "currency", "reference"}
        return cls(
            booking_id=item["booking_id"], hold_id=item["hold_id"], user_id=item["user_id"], email=item["email"],
            status=item["status"], showtime_id=item["showtime_id"], movie_id=item["movie_id"],
            movie_title=item["movie_title"], theater_id=item["theater_id"], theater_name=item["theater_name"],
            theater_address=item.get("theater_address", ""), city=item["city"], timezone=item["timezone"],
            screen_id=item["screen_id"], screen_name=item["screen_name"], starts_at=parse_iso(item["starts_at"]),
            seats=tuple(PricedSeat.from_item(seat) for seat in item["seats"]), price=Price.from_item(item["price"]),
            created_at=item["created_at"], payment_id=item["payment_id"], card_last4=item.get("card_last4", ""),
            refund=int(item["refund"]) if item.get("refund") is not None else None,
            cancelled_at=item.get("cancelled_at"),
            extra={key: value for key, value in item.items() if key not in known},
        )


def booking_reference(booking_id: str) -> str:
    """Eight characters of the booking id, upper case: short, human, and unique enough to find a booking."""
    return booking_id.removeprefix("bk-").removeprefix("h-")[:8].upper()
