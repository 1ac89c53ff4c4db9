"""General admission (events): ticket types with a capacity, held and sold from counters.

Every ticket type of a performance is one item in the Quotas table with three counters that always add up to
its capacity: ``free``, ``held`` and ``sold``. A hold takes from ``free`` with a conditional ADD
(``free >= quantity``) in the SAME transaction that writes the hold's record and its expiring entry, so a
quota can never be oversold, whichever instance or thread asks. A sale moves the hold's tickets from
``held`` to ``sold`` in the checkout's transaction (conditional on the hold's entry still being live); a
cancellation gives them back to ``free`` in the cancellation's transaction; an expired hold's entry is
deleted by the sweeper together with its tickets' return to ``free``. TTL only tidies up.

A mixed hold (numbered seats plus general admission) is the same one transaction with the seats' own
conditional puts (``InventoryService.hold_seat_action``): all of it or none of it. Seats the customer picked on
the map (a seat hold of the same holder on the show) become part of that one hold. The holder's slots item
(``InventoryService``) is updated in the same transaction: seats and standing tickets held count together
toward ``max_held_seats`` across shows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from boto3.dynamodb.conditions import Key

from services.booking.bookings import quote_hold
from services.booking.inventory import InventoryService, new_hold_id, transact
from services.booking.models import Booking, Hold, SeatState, TicketLine
from services.booking.pricing import PricingService
from services.catalog.catalog import CatalogService
from services.clock import Clock, iso, parse_iso
from services.errors import (
    InvalidRequest,
    LimitReached,
    OverLimit,
    SeatUnavailable,
    ServiceUnavailable,
    ShowClosed,
    SoldOut,
)
from services.events.models import TicketType
from services.i18n import t, tn
from services.live.hub import SeatChange
from services.platform import dynamo
from services.platform.aws import Aws
from services.platform.dynamo import TransactionCancelled
from services.platform.logs import log_event
from services.platform.schema import HOLDS, QUOTAS
from services.settings import Settings

TYPE_PREFIX = "type#"
HOLD_PREFIX = "hold#"  # + the holder: one GA hold per holder and performance (a new order replaces it)
_HOLD_ROUNDS = 4  # reads-and-writes of one hold request before telling the user to try again
# Hold entries keep a TTL this long after they expire: only to tidy the table, never for correctness.
_TIDY_AFTER = timedelta(hours=1)
# How many distinct ticket types one order may name (each is one action of the transaction's 100).
MAX_TYPES_PER_ORDER = 10


def _busy() -> str:
    return t("We could not reach the booking system just now. Nothing was charged; please try again.")


class QuotaService:
    def __init__(self, aws: Aws, clock: Clock, settings: Settings, catalog: CatalogService,
                 inventory: InventoryService, pricing: PricingService) -> None:
        self._aws = aws
        self._pricing = pricing
        self._clock = clock
        self._settings = settings
        self._catalog = catalog
        self._inventory = inventory
        self._table = aws.table(QUOTAS)
        self.quotas_table = aws.table_name(QUOTAS)
        self.holds_table = aws.table_name(HOLDS)

    # Reading --------------------------------------------------------------------------------------
    def ticket_types(self, showtime_id: str) -> list[TicketType]:
        """The performance's ticket types with their counters (one strongly consistent Query), in page order."""
        items = dynamo.query_all(
            self._table, message=_busy(), ConsistentRead=True,
            KeyConditionExpression=Key("showtime_id").eq(showtime_id) & Key("quota_key").begins_with(TYPE_PREFIX),
        ).items
        return sorted((TicketType.from_item(item) for item in items), key=lambda ticket: (ticket.position, ticket.name))

    def from_price(self, showtime_id: str) -> int | None:
        """The lowest price on sale now, or None when nothing is."""
        now = self._clock.now()
        prices = [ticket.price_at(now) for ticket in self.ticket_types(showtime_id) if ticket.selling(now)]
        return min(prices, default=None)

    # Holding --------------------------------------------------------------------------------------
    def hold(self, showtime_id: str, wanted: Mapping[str, int], holder: str, seat_ids: Iterable[str] = ()) -> Hold:
        """Hold general-admission tickets (``{ticket type: quantity}``) and, at a mixed performance, numbered
        seats: one transaction, all or none. SoldOut (naming what is left) when a type has too few;
        OverLimit past a type's per-order limit; SeatUnavailable when a seat was taken."""
        showtime = self._catalog.showtime(showtime_id)
        seats = [str(seat).strip().upper() for seat in seat_ids]
        if not showtime.has_ticket_types:
            raise InvalidRequest(t("This show sells numbered seats only: please choose seats."))
        if seats and not showtime.has_seats:
            raise InvalidRequest(t("This show has no numbered seats."))
        self._inventory.ensure_on_sale(showtime)
        if seats:
            layout = self._catalog.layout_of(showtime)
            seats = [spec.seat_id for spec in self._pricing.quote(showtime, layout, seats).seats]
            if len(set(seats)) > self._settings.max_seats_per_booking:
                raise InvalidRequest(t("You can book at most {n} seats at a time.",
                                       n=self._settings.max_seats_per_booking))
            seats = list(dict.fromkeys(seats))
        now = self._clock.now().replace(microsecond=0)
        lines = self._lines(self.ticket_types(showtime_id), wanted, now)
        places = len(seats) + sum(line.quantity for line in lines)
        for _round in range(_HOLD_ROUNDS):
            # The holder's slots first (as InventoryService.hold reads them): a hold of this holder committed
            # after this read changes their version, so the transaction below fails and this loop reads again.
            slots_item = self._inventory.read_slots(holder)
            live = self._inventory.live_slots(slots_item, now)
            self._inventory.check_cap(live, showtime_id, places)  # seats and standing tickets count alike
            previous = self._entry(showtime_id, holder)
            hold, before = self._next_hold(showtime_id, holder, tuple(seats), lines, previous,
                                           live.get(showtime_id), now)
            actions, counted, dropped = self._hold_actions(hold, previous, before, now)
            actions.append(self._inventory.slots_update_action(hold, slots_item, live, now, places))
            try:
                transact(self._aws, actions)
            except TransactionCancelled as exc:
                codes = exc.codes
            else:
                self._inventory.publish(showtime_id, [SeatChange(s, SeatState.HELD, hold.hold_id) for s in seats]
                                        + [SeatChange(s, SeatState.AVAILABLE) for s in dropped])
                log_event("ga.held", hold_id=hold.hold_id, showtime_id=showtime_id, seats=seats or None,
                          tickets={line.type_id: line.quantity for line in lines}, expires_at=iso(hold.expires_at))
                return self._quoted(hold)
            taken = [seat for seat, code in zip(seats, codes[len(counted):], strict=False) if code]
            if taken:
                raise SeatUnavailable(t("Sorry, these seats were just taken: {seats}. Please choose others.",
                                        seats=", ".join(taken)), taken)
            if any(codes[len(counted) + len(seats):]):
                continue  # the holder's own hold or slots changed meanwhile (another tab or request): read again
            short = [type_id for type_id, code in zip(counted, codes, strict=False) if code]
            if short and self.expire_due([showtime_id]):  # expired holds gave tickets back: once more
                continue
            raise self._sold_out(showtime_id, [line for line in lines if line.type_id in short] or list(lines))
        # Only this holder's own parallel requests keep changing its hold or slots: a 409, never a 503.
        raise LimitReached(t("Your seats are being changed by another of your requests. Please try again."))

    def _entry(self, showtime_id: str, holder: str) -> dict[str, Any] | None:
        """The holder's GA hold entry on this show (live, or expired and not yet swept), or None."""
        return dynamo.get_item(self._table, {"showtime_id": showtime_id, "quota_key": _entry_key(holder)},
                               consistent=True, message=_busy())

    def _next_hold(self, showtime_id: str, holder: str, seats: tuple[str, ...], lines: tuple[TicketLine, ...],
                   previous: dict[str, Any] | None, current: dict[str, Any] | None,
                   now: datetime) -> tuple[Hold, list[str]]:
        """The hold to write, and the seats it held before (the ones not wanted any more are freed).

        A live previous GA hold is replaced in place (same id, same expiry: changing the order does not reset
        the countdown); a live seat hold of the holder on this show (``current``, from the slots: seats picked
        on the map) becomes this order, so a mixed order holds its seats and its standing tickets in one hold
        and is paid once; otherwise a new hold."""
        if previous is not None and parse_iso(str(previous["expires_at"])) >= now and (
                current is None or current["hold_id"] == previous["hold_id"]):
            hold_id, expires_at = str(previous["hold_id"]), parse_iso(str(previous["expires_at"]))
            revision = int(previous.get("revision", 1)) + 1
            before = [str(seat) for seat in previous.get("seat_ids", [])]
        elif current is not None:
            hold_id, expires_at = str(current["hold_id"]), parse_iso(str(current["expires_at"]))
            revision = int(current["revision"]) + 1
            before = [str(seat) for seat in current.get("seat_ids", [])]
        else:
            hold_id, expires_at, revision = new_hold_id(), now + timedelta(minutes=self._settings.hold_minutes), 1
            before = []
        hold = Hold(hold_id, showtime_id, holder, seats, expires_at, iso(now), "active", revision, tickets=lines)
        return hold, before

    def _quoted(self, hold: Hold) -> Hold:
        """The hold with the quote a page or the API shows."""
        return replace(hold, quote=quote_hold(self._catalog, self._pricing, hold))

    def _lines(self, types: list[TicketType], wanted: Mapping[str, int], now: datetime) -> tuple[TicketLine, ...]:
        if not isinstance(wanted, Mapping):
            raise InvalidRequest(t("Please say how many tickets of which type."))
        by_id = {ticket.type_id: ticket for ticket in types}
        lines: list[TicketLine] = []
        for type_id, quantity in wanted.items():
            ticket = by_id.get(str(type_id))
            if ticket is None:
                raise InvalidRequest(t("There is no ticket type {name} for this show.", name=str(type_id)))
            if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 0:
                raise InvalidRequest(t("Please ask for a whole number of tickets."))
            if quantity == 0:
                continue
            if quantity > ticket.per_order_limit:
                raise OverLimit(tn("You can buy at most {n} {name} ticket in one order.",
                                   "You can buy at most {n} {name} tickets in one order.",
                                   ticket.per_order_limit, name=ticket.name))
            if not ticket.selling(now):
                raise ShowClosed(t("{name} tickets are not on sale now.", name=ticket.name))
            lines.append(TicketLine(ticket.type_id, ticket.name, quantity, ticket.price_at(now)))
        if not lines:
            raise InvalidRequest(t("Please choose at least one ticket."))
        if len(lines) > MAX_TYPES_PER_ORDER:
            raise InvalidRequest(t("Please choose at most {n} ticket types at a time.", n=MAX_TYPES_PER_ORDER))
        return tuple(lines)

    def _hold_actions(self, hold: Hold, previous: dict[str, Any] | None, before: list[str],
                      now: datetime) -> tuple[list[dict[str, Any]], list[str], list[str]]:
        """The transaction and the ticket types it counts, in order: one counter update per type whose count
        changes (net of the previous hold's tickets, which go back), the new seats, the previous hold's seats
        that are dropped, the holder's entry (conditional on the version read), the hold's record."""
        old = {str(line["type_id"]): int(line["quantity"]) for line in (previous or {}).get("tickets", [])}
        new = {line.type_id: line.quantity for line in hold.tickets}
        actions: list[dict[str, Any]] = []
        counted: list[str] = []
        for type_id in sorted(old.keys() | new.keys()):
            taken = new.get(type_id, 0) - old.get(type_id, 0)
            if taken == 0:
                continue
            counted.append(type_id)
            action = self._counter(hold.showtime_id, type_id, free=-taken, held=taken)
            if taken > 0:  # the one condition that keeps a quota from being oversold
                action["Update"]["ConditionExpression"] = "#c0 >= :need"
                action["Update"]["ExpressionAttributeValues"][":need"] = taken
            actions.append(action)
        actions += [self._inventory.hold_seat_action(hold, seat_id, now) for seat_id in hold.seat_ids]
        dropped: list[str] = []
        if before:
            earlier = replace(hold, seat_ids=tuple(before))
            dropped = [s for s in self._inventory.seats_of_hold(earlier) if s not in hold.seat_ids]
            actions += [self._inventory.free_held_seat_action(hold, seat_id) for seat_id in dropped]
        ttl = int((hold.expires_at + _TIDY_AFTER).timestamp())
        entry = {"showtime_id": hold.showtime_id, "quota_key": _entry_key(hold.holder), "hold_id": hold.hold_id,
                 "holder": hold.holder, "tickets": [line.to_item() for line in hold.tickets],
                 "seat_ids": list(hold.seat_ids), "expires_at": iso(hold.expires_at), "revision": hold.revision,
                 "version": int((previous or {}).get("version", 0)) + 1, "ttl": ttl}
        put: dict[str, Any] = {"TableName": self.quotas_table, "Item": entry}
        if previous is None:
            put["ConditionExpression"] = "attribute_not_exists(quota_key)"
        else:
            put["ConditionExpression"] = "version = :seen"
            put["ExpressionAttributeValues"] = {":seen": int(previous.get("version", 0))}
        actions.append({"Put": put})
        values: dict[str, Any] = {
            ":showtime": hold.showtime_id, ":holder": hold.holder, ":seats": list(hold.seat_ids),
            ":tickets": [line.to_item() for line in hold.tickets], ":expires": iso(hold.expires_at),
            ":now": iso(now), ":active": "active", ":revision": hold.revision, ":ttl": ttl + 86400,
        }
        if hold.revision == 1:
            condition = "attribute_not_exists(hold_id)"
        else:
            condition = "#s = :active AND revision = :before"
            values[":before"] = hold.revision - 1
        actions.append({"Update": {
            "TableName": self.holds_table,
            "Key": {"hold_id": hold.hold_id},
            "UpdateExpression": "SET showtime_id = :showtime, holder = :holder, seat_ids = :seats, tickets = :tickets, "
                                "expires_at = :expires, created_at = if_not_exists(created_at, :now), "
                                "updated_at = :now, #s = :active, revision = :revision, #ttl = :ttl",
            "ConditionExpression": condition,
            "ExpressionAttributeNames": {"#s": "status", "#ttl": "ttl"},
            "ExpressionAttributeValues": values,
        }})
        return actions, counted, dropped

    def _sold_out(self, showtime_id: str, short: list[TicketLine]) -> SoldOut:
        left = {ticket.type_id: ticket.free for ticket in self.ticket_types(showtime_id)}
        line = short[0]
        free = max(0, left.get(line.type_id, 0))
        if free == 0:
            return SoldOut(t("{name} is sold out.", name=line.name))
        return SoldOut(tn("Only {n} {name} ticket is left.", "Only {n} {name} tickets are left.", free,
                          name=line.name))

    # Releasing and expiry ---------------------------------------------------------------------------
    def release(self, hold_id: str, holder: str) -> int:
        """Give back a hold's tickets and seats (on request, or when the buyer changes the order). Idempotent.
        A hold without tickets is the seat inventory's (``InventoryService.release``)."""
        hold = self._inventory.get_hold(hold_id, holder)
        if not hold.tickets:
            return len(self._inventory.release(hold_id, holder))
        if hold.status == "confirmed":
            raise InvalidRequest(t("These tickets are already booked. Cancel the booking instead."))
        if hold.status == "released":
            return 0
        for _attempt in range(3):
            entry = self._entry(hold.showtime_id, holder)
            if entry is not None and entry["hold_id"] != hold_id:
                entry = None  # that is a newer hold of the holder; this one's tickets went back already
            seats = self._inventory.seats_of_hold(hold)
            actions = self._give_back(entry, "hold_id = :hold", {":hold": hold_id}) if entry else []
            actions += [self._inventory.free_held_seat_action(hold, seat_id) for seat_id in seats]
            actions.append(self._inventory.released_hold_action(hold))
            try:
                transact(self._aws, actions)
            except TransactionCancelled as exc:
                if exc.codes[-1]:  # booked or released meanwhile: look again
                    return self.release(hold_id, holder)
                continue  # swept or expired meanwhile: read again
            self._inventory.publish(hold.showtime_id, [SeatChange(s, SeatState.AVAILABLE) for s in seats])
            log_event("ga.released", hold_id=hold_id, showtime_id=hold.showtime_id)
            return sum(line.quantity for line in hold.tickets) + len(seats)
        raise ServiceUnavailable(_busy())

    def expire_due(self, showtime_ids: Iterable[str]) -> int:
        """Give back the tickets of expired GA holds of these performances; returns how many tickets.

        One Query per performance on the sparse index (only expired holds are read, never a Scan); each hold's
        entry is deleted on condition that it is still expired, with its tickets' return, in one transaction,
        so a hold that was just sold is never given back. (Seats of a mixed hold: the seat sweeper.)"""
        freed = 0
        for showtime_id in showtime_ids:
            now = iso(self._clock.now())
            expired = dynamo.query_all(
                self._table, message=_busy(), IndexName="ga-holds-by-expiry",
                KeyConditionExpression=Key("showtime_id").eq(showtime_id) & Key("expires_at").lt(now),
            ).items
            for entry in expired:
                actions = self._give_back(entry, "hold_id = :hold AND expires_at < :now",
                                          {":hold": entry["hold_id"], ":now": now})
                try:
                    transact(self._aws, actions)
                except TransactionCancelled:
                    continue  # sold or released meanwhile
                count = sum(int(line["quantity"]) for line in entry.get("tickets", []))
                freed += count
                log_event("ga.expired", hold_id=entry["hold_id"], showtime_id=showtime_id, tickets=count)
        return freed

    def expire_upcoming(self) -> int:
        """The periodic sweep: every upcoming performance with ticket types (a handful; cached reads)."""
        showtime_ids = [show.showtime_id for city in self._catalog.cities()
                        for show in self._catalog.upcoming_in_city(city, listing="event") if show.has_ticket_types]
        return self.expire_due(showtime_ids)

    def _give_back(self, entry: dict[str, Any], condition: str, values: dict[str, Any]) -> list[dict[str, Any]]:
        """Delete a hold's entry (on ``condition``) and return its tickets to ``free``."""
        showtime_id = str(entry["showtime_id"])
        actions: list[dict[str, Any]] = [{"Delete": {
            "TableName": self.quotas_table,
            "Key": {"showtime_id": showtime_id, "quota_key": entry["quota_key"]},
            "ConditionExpression": condition,
            "ExpressionAttributeValues": values,
        }}]
        for line in entry.get("tickets", []):
            actions.append(self._counter(showtime_id, str(line["type_id"]), free=int(line["quantity"]),
                                         held=-int(line["quantity"])))
        return actions

    # Selling (inside the booking service's transactions) --------------------------------------------
    def sell_actions(self, hold: Hold, now: datetime) -> list[dict[str, Any]]:
        """The hold's entry must still be live (deleted: sold), and its tickets move from held to sold."""
        if not hold.tickets:
            return []
        actions: list[dict[str, Any]] = [{"Delete": {
            "TableName": self.quotas_table,
            "Key": {"showtime_id": hold.showtime_id, "quota_key": _entry_key(hold.holder)},
            "ConditionExpression": "hold_id = :hold AND revision = :revision AND expires_at >= :now",
            "ExpressionAttributeValues": {":hold": hold.hold_id, ":revision": hold.revision, ":now": iso(now)},
        }}]
        actions += [self._counter(hold.showtime_id, line.type_id, held=-line.quantity, sold=line.quantity)
                    for line in hold.tickets]
        return actions

    def cancel_actions(self, booking: Booking) -> list[dict[str, Any]]:
        """A cancelled booking's GA tickets go back on sale."""
        counts = Counter(seat.category for seat in booking.seats if not seat.is_seat)
        return [self._counter(booking.showtime_id, type_id, free=count, sold=-count)
                for type_id, count in counts.items()]

    def _counter(self, showtime_id: str, type_id: str, **added: int) -> dict[str, Any]:
        names = {f"#c{i}": name for i, name in enumerate(added)}
        values = {f":c{i}": value for i, value in enumerate(added.values())}
        return {"Update": {
            "TableName": self.quotas_table,
            "Key": {"showtime_id": showtime_id, "quota_key": TYPE_PREFIX + type_id},
            "UpdateExpression": "ADD " + ", ".join(f"#c{i} :c{i}" for i in range(len(added))),
            "ConditionExpression": "attribute_exists(quota_key)",
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
        }}

    # Staff: ticket types and quotas -----------------------------------------------------------------
    def add_ticket_type_action(self, showtime_id: str, ticket: TicketType) -> dict[str, Any]:
        """A new ticket type, all of its capacity free (a Put that never replaces one)."""
        _check_ticket(ticket)
        return {"Put": {
            "TableName": self.quotas_table,
            "Item": {**ticket.to_item(), "showtime_id": showtime_id, "quota_key": TYPE_PREFIX + ticket.type_id,
                     "free": ticket.capacity, "held": 0, "sold": 0},
            "ConditionExpression": "attribute_not_exists(quota_key)",
        }}

    def update_ticket_type_action(self, showtime_id: str, current: TicketType, changed: TicketType) -> dict[str, Any]:
        """Change a ticket type's settings; a capacity change moves ``free`` by the same amount, on condition that
        no fewer tickets than are sold or held remain (the check is the write's own, so a racing sale counts)."""
        _check_ticket(changed)
        delta = changed.capacity - current.capacity
        item = changed.to_item()
        settable = {name: value for name, value in item.items() if name not in ("type_id", "capacity")}
        names = {f"#n{i}": name for i, name in enumerate(settable)}
        values: dict[str, Any] = {f":v{i}": value for i, value in enumerate(settable.values())}
        values |= {":delta": delta, ":need": -delta}
        removed = [name for name in ("on_sale_at", "off_sale_at", "early_until", "early_price") if name not in item]
        expression = "SET " + ", ".join(f"#n{i} = :v{i}" for i in range(len(settable)))
        names |= {"#capacity": "capacity", "#free": "free"}
        expression += " ADD #capacity :delta, #free :delta"
        if removed:
            names |= {f"#r{i}": name for i, name in enumerate(removed)}
            expression += " REMOVE " + ", ".join(f"#r{i}" for i in range(len(removed)))
        return {"Update": {
            "TableName": self.quotas_table,
            "Key": {"showtime_id": showtime_id, "quota_key": TYPE_PREFIX + current.type_id},
            "UpdateExpression": expression,
            "ConditionExpression": "attribute_exists(quota_key) AND #free >= :need",
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
        }}


def _entry_key(holder: str) -> str:
    return HOLD_PREFIX + holder


def _check_ticket(ticket: TicketType) -> None:
    if not ticket.type_id.strip() or not ticket.name.strip():
        raise InvalidRequest(t("A ticket type needs a name."))
    if ticket.capacity < 0 or ticket.price < 0 or (ticket.early_price or 0) < 0:
        raise InvalidRequest(t("Capacity and prices cannot be negative."))
    if ticket.per_order_limit < 1:
        raise InvalidRequest(t("The limit per order must be at least 1."))
    if ticket.on_sale_at and ticket.off_sale_at and ticket.off_sale_at <= ticket.on_sale_at:
        raise InvalidRequest(t("Sales must end after they start."))
