"""General-admission ticket types of a performance (events): what they cost, when they sell, how many are left.

Plain frozen values, no I/O; ``quotas.py`` reads and writes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from services.clock import iso, parse_iso

# At most this many tickets left (or a tenth of the capacity, whichever is more) reads "few left".
FEW_LEFT = 10


class Availability(StrEnum):
    """What the event page and the API say of a ticket type."""

    AVAILABLE = "available"
    FEW_LEFT = "few_left"
    SOLD_OUT = "sold_out"
    NOT_YET = "not_yet_on_sale"
    ENDED = "sales_ended"


@dataclass(frozen=True)
class TicketType:
    type_id: str
    name: str  # "Standing", "Early entry", ...
    capacity: int
    price: int  # minor units
    per_order_limit: int
    free: int = 0  # counters: capacity = free + held + sold
    held: int = 0
    sold: int = 0
    on_sale_at: datetime | None = None  # UTC; None: on sale as soon as listed
    off_sale_at: datetime | None = None  # UTC; None: until the show's sales cut-off
    early_price: int | None = None  # an early-bird price, until early_until
    early_until: datetime | None = None
    position: int = 0  # order on the page

    def price_at(self, now: datetime) -> int:
        if self.early_price is not None and self.early_until is not None and now < self.early_until:
            return self.early_price
        return self.price

    def is_early(self, now: datetime) -> bool:
        return self.price_at(now) != self.price

    def selling(self, now: datetime) -> bool:
        started = self.on_sale_at is None or now >= self.on_sale_at
        return started and (self.off_sale_at is None or now < self.off_sale_at)

    def most_in_one_order(self, now: datetime) -> int:
        """How many one order may ask for now: the per-order limit, at most what is left; 0 when not buyable."""
        if self.availability(now) not in (Availability.AVAILABLE, Availability.FEW_LEFT):
            return 0
        return min(self.per_order_limit, max(0, self.free))

    def availability(self, now: datetime) -> Availability:
        if self.on_sale_at is not None and now < self.on_sale_at:
            return Availability.NOT_YET
        if self.off_sale_at is not None and now >= self.off_sale_at:
            return Availability.ENDED
        if self.free <= 0:
            return Availability.SOLD_OUT
        if self.free <= max(FEW_LEFT, self.capacity // 10):
            return Availability.FEW_LEFT
        return Availability.AVAILABLE

    def to_item(self) -> dict[str, Any]:
        """The stored settings (the counters are written apart, by conditional ADDs)."""
        item: dict[str, Any] = {"type_id": self.type_id, "name": self.name, "capacity": self.capacity,
                                "price": self.price, "per_order_limit": self.per_order_limit,
                                "position": self.position}
        for name, moment in (("on_sale_at", self.on_sale_at), ("off_sale_at", self.off_sale_at),
                             ("early_until", self.early_until)):
            if moment is not None:
                item[name] = iso(moment)
        if self.early_price is not None:
            item["early_price"] = self.early_price
        return item

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> TicketType:
        def moment(name: str) -> datetime | None:
            return parse_iso(str(item[name])) if item.get(name) else None

        return cls(
            type_id=str(item["type_id"]), name=str(item["name"]), capacity=int(item["capacity"]),
            price=int(item["price"]), per_order_limit=int(item["per_order_limit"]), free=int(item.get("free", 0)),
            held=int(item.get("held", 0)), sold=int(item.get("sold", 0)), on_sale_at=moment("on_sale_at"),
            off_sale_at=moment("off_sale_at"),
            early_price=int(item["early_price"]) if item.get("early_price") is not None else None,
            early_until=moment("early_until"), position=int(item.get("position", 0)),
        )
