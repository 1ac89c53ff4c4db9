"""How full each show is, for the showtime chips ("from ₹…", filling fast / almost full / sold out), without
reading any show's seats: the per-show sales counters (``counters.py``, Reports table) are updated in the
same transaction as every sale and cancellation, so one BatchGetItem answers for a whole page of shows.

Holds are not counted: they are short and come back by themselves, and counting them would put a write on
every click and every expiry sweep. A show whose seats are all held but not sold reads "almost full" or
"filling fast", never "sold out"; the seat map shows the truth.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from services.booking.counters import show_key_of
from services.catalog.catalog import CatalogService
from services.catalog.models import Showtime
from services.platform import dynamo
from services.platform.aws import Aws
from services.platform.schema import REPORTS

FILLING_FAST = 0.6  # of the bookable seats sold
ALMOST_FULL = 0.9


class Fullness(StrEnum):
    AVAILABLE = "available"
    FILLING_FAST = "filling_fast"
    ALMOST_FULL = "almost_full"
    SOLD_OUT = "sold_out"


@dataclass(frozen=True)
class ShowAvailability:
    showtime_id: str
    from_price: int  # minor units: the cheapest seat category of the show
    capacity: int  # bookable seats
    sold: int  # tickets sold minus refunded
    fullness: Fullness


def fullness(sold: int, capacity: int) -> Fullness:
    if capacity <= 0 or sold >= capacity:
        return Fullness.SOLD_OUT
    share = sold / capacity
    if share >= ALMOST_FULL:
        return Fullness.ALMOST_FULL
    if share >= FILLING_FAST:
        return Fullness.FILLING_FAST
    return Fullness.AVAILABLE


class AvailabilityService:
    def __init__(self, aws: Aws, catalog: CatalogService) -> None:
        self._aws = aws
        self._catalog = catalog

    def for_shows(self, showtimes: Iterable[Showtime]) -> dict[str, ShowAvailability]:
        """Each show's price floor and fullness: one batch read of the shows' counters (none are read
        item by item), the capacity from the cached layouts."""
        shows = list(showtimes)
        keys = {show_key_of(show.theater_id, show.local_date().isoformat(), show.showtime_id): show
                for show in shows}
        items = dynamo.batch_get_all(self._aws, self._aws.table_name(REPORTS),
                                     [{"scope": scope, "key": key} for scope, key in keys],
                                     ProjectionExpression="#k, tickets_sold, tickets_refunded",
                                     ExpressionAttributeNames={"#k": "key"})
        sold = {str(item["key"]): int(item.get("tickets_sold", 0)) - int(item.get("tickets_refunded", 0))
                for item in items}
        result: dict[str, ShowAvailability] = {}
        for (_scope, key), show in keys.items():
            layout = self._catalog.layout_of(show)
            categories = {seat.category for seat in layout.seats if not seat.blocked}
            prices = [price for code, price in show.prices.items() if code in categories] or [show.min_price]
            count = sold.get(key, 0)
            result[show.showtime_id] = ShowAvailability(show.showtime_id, min(prices), layout.capacity, count,
                                                        fullness(count, layout.capacity))
        return result
