"""Seats of a showtime: the seat map, holds, release and expiry (DESIGN.md §3, seat lifecycle).

The Seats table has one item per held or sold seat; a missing item is a free seat. Every change is a
conditional write, so two checkouts can never hold or sell the same seat, and a hold whose
``expires_at`` has passed counts as free in every condition and every read (TTL only tidies up later).

A holder (a user id, or a kiosk's checkout id) has at most one live hold per showtime: holding again
replaces that hold's seats (seats dropped from it are freed) and keeps its expiry, so the countdown
is not reset by picking another seat.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from boto3.dynamodb.conditions import Key

from services.booking import rules, seat_rules
from services.booking.best_seats import best_block
from services.booking.models import Hold, SeatMap, SeatState, SeatView, TicketLine
from services.booking.pricing import PricingService
from services.catalog.catalog import CatalogService
from services.catalog.layouts import Layout
from services.catalog.models import Showtime
from services.clock import Clock, iso, parse_iso
from services.errors import (
    HoldExpired,
    InvalidRequest,
    LimitReached,
    NotFound,
    SeatRuleBroken,
    SeatUnavailable,
    ServiceUnavailable,
    ShowClosed,
)
from services.formatting import clock_time
from services.i18n import t
from services.live.hub import LiveHub, SeatChange
from services.platform import dynamo
from services.platform.aws import Aws
from services.platform.dynamo import TransactionCancelled
from services.platform.logs import log_event
from services.platform.schema import HOLDS, SEATS, SHOWTIMES
from services.settings import Settings

# The stored item status of a held or sold seat (a free seat has no item).
HELD, SOLD = SeatState.HELD.value, SeatState.SOLD.value
CONDITION_FAILED = "ConditionalCheckFailed"
_HOLD_ID = re.compile(r"h-[0-9a-f]{32}")
_HOLD_ROUNDS = 4  # reads-and-writes of one hold request before telling the user to try again
# Held seat items keep a TTL this long after they expire: only to tidy the table, never for correctness.
_TIDY_AFTER = timedelta(hours=1)
# The seat page offers the extension when its countdown (rounded, on the browser's clock) reaches the window.
_EXTEND_GRACE_SECONDS = 5
# Names used in every expression (status and ttl are DynamoDB reserved words).
_NAMES = {"#s": "status", "#ttl": "ttl"}


def transact(aws: Aws, actions: list[dict[str, Any]]) -> None:
    """One seat transaction (see ``dynamo.transact_write``), with the message a buyer needs."""
    dynamo.transact_write(aws, actions, _busy())


def _busy() -> str:
    return t("We could not reach the booking system just now. Nothing was charged; please try again.")


class InventoryService:
    def __init__(
        self,
        aws: Aws,
        clock: Clock,
        settings: Settings,
        catalog: CatalogService,
        pricing: PricingService,
        hub: LiveHub | None = None,
    ) -> None:
        self._aws = aws
        self._clock = clock
        self._settings = settings
        self._catalog = catalog
        self._pricing = pricing
        self._hub = hub
        self._seats = aws.table(SEATS)
        self._holds = aws.table(HOLDS)
        self.seats_table = aws.table_name(SEATS)
        self.holds_table = aws.table_name(HOLDS)
        self.showtimes_table = aws.table_name(SHOWTIMES)

    # Reading --------------------------------------------------------------------------------------
    def seat_map(self, showtime_id: str, viewer: str | None = None) -> SeatMap:
        """Every seat of the hall with its status for ``viewer`` (a holder id): one Query + cached layout."""
        showtime = self._catalog.showtime(showtime_id)
        layout = self._catalog.layout_of(showtime)
        items, scanned = self._read_partition(showtime_id)
        now = iso(self._clock.now())
        seats = []
        for spec in layout.seats:
            status = SeatState.BLOCKED if spec.blocked else _state(items.get(spec.seat_id), now, viewer)
            seats.append(SeatView(spec.seat_id, spec.row, spec.number, spec.grid_row, spec.grid_col, spec.category,
                                  layout.category_name(spec.category), showtime.prices.get(spec.category, 0),
                                  spec.kind, spec.accessible, status))
        mine = [item for item in items.values() if _state(item, now, viewer) == SeatState.HELD_BY_YOU]
        return SeatMap(showtime, layout, tuple(seats), mine[0]["hold_id"] if mine else None,
                       parse_iso(mine[0]["expires_at"]) if mine else None, scanned)

    def live_states(self, showtime_id: str) -> dict[str, SeatChange]:
        """Every bookable seat of the hall as a live change says it (held with its hold id, sold, or
        available): what an instance re-reads to bring its open maps up to date. One Query + cached layout."""
        layout = self._catalog.layout_of(self._catalog.showtime(showtime_id))
        items, _ = self._read_partition(showtime_id)
        now = iso(self._clock.now())
        states = {}
        for spec in layout.seats:
            if spec.blocked:
                continue  # never changes while the show runs: not news
            item = items.get(spec.seat_id)
            status = _state(item, now, None)
            states[spec.seat_id] = SeatChange(spec.seat_id, status,
                                              item["hold_id"] if item and status == SeatState.HELD else None)
        return states

    def best_seats(self, showtime_id: str, count: int, viewer: str | None = None) -> list[str]:
        """The best block of ``count`` free seats side by side (``best_seats.best_block``); [] when none.
        Seats the viewer holds count as free (they would be replaced by this choice)."""
        if not 1 <= count <= self._settings.max_seats_per_booking:
            raise InvalidRequest(t("Please ask for 1 to {n} seats.", n=self._settings.max_seats_per_booking))
        seat_map = self.seat_map(showtime_id, viewer)
        free = (SeatState.AVAILABLE, SeatState.HELD_BY_YOU)
        codes = {seat.seat_id: "a" if seat.status in free else "x" for seat in seat_map.seats}
        return best_block(seat_map.layout, codes, count, leave_no_single=self._settings.single_seat_rule) or []

    def get_hold(self, hold_id: str, holder: str | None = None) -> Hold:
        """A hold as stored (strongly consistent); NotFound when missing or held by someone else."""
        if not _HOLD_ID.fullmatch(hold_id or ""):  # an empty, garbled or foreign id is not a hold (never a 503)
            raise NotFound(t("That hold does not exist. Please choose your seats again."))
        item = dynamo.get_item(self._holds, {"hold_id": hold_id}, consistent=True)
        if item is None or (holder is not None and item["holder"] != holder):
            raise NotFound(t("That hold does not exist. Please choose your seats again."))
        return _hold(item)

    def active_hold(self, showtime_id: str, holder: str) -> Hold | None:
        """The holder's live hold on a showtime (e.g. to resume after a reconnect), or None."""
        hold_id = self.seat_map(showtime_id, viewer=holder).my_hold_id
        return self.get_hold(hold_id) if hold_id else None

    def ensure_on_sale(self, showtime: Showtime) -> None:
        """ShowClosed once the sales cut-off before the start has passed (all in UTC), or the show was cancelled."""
        if showtime.status == "cancelled":
            raise ShowClosed(t("This show was cancelled."))
        if not rules.on_sale(showtime, self._clock.now(), self._settings):
            closes_at = rules.sales_close_at(showtime, self._settings)
            raise ShowClosed(t("Booking for this show closed at {time} (theater time).",
                               time=clock_time(closes_at, showtime.timezone)))

    # Holding --------------------------------------------------------------------------------------
    def hold(self, showtime_id: str, seat_ids: Iterable[str], holder: str, *, new_only: bool = False) -> Hold:
        """Hold 1..max seats, all or none; replaces the holder's live hold on this showtime, if any
        (``new_only``: refuses instead, so a hold made on someone's behalf, a waiting-list offer, never
        changes seats they hold already; decided on the same versioned read as the replacement).

        The holder's slots item (one per holder) names its live hold on each showtime and is written in
        the same transaction with a version condition, so parallel requests of one holder cannot open two
        holds on a show (the loser reads again and replaces the winner's seats), and the seats it holds
        across all shows stay within ``max_held_seats``."""
        wanted = self._clean(seat_ids)
        showtime = self._catalog.showtime(showtime_id)
        self.ensure_on_sale(showtime)
        layout = self._catalog.layout_of(showtime)
        quote = self._pricing.quote(showtime, layout, wanted)  # unknown seats: InvalidRequest
        blocked = [seat_id for seat_id in wanted if layout.seat(seat_id).blocked]  # type: ignore[union-attr]
        if blocked:
            raise SeatUnavailable(t("These seats cannot be booked: {seats}.", seats=", ".join(blocked)), blocked)
        for companion, space in seat_rules.companions_alone(layout, wanted)[:1]:
            raise SeatRuleBroken(t("Seat {seat} is a companion seat: it can be booked only together with the "
                                   "wheelchair space {space} beside it.", seat=companion, space=space), [companion])
        for _round in range(_HOLD_ROUNDS):
            now = self._clock.now().replace(microsecond=0)
            # The slots first: any hold of this holder committed after this read changes their version,
            # so the transaction below fails and this loop reads again; the seats read next are at least
            # as new as the slots, so the seats a replaced hold must drop are all seen.
            slots_item = self._read_slots(holder)
            items, _ = self._read_partition(showtime_id)
            taken = [seat_id for seat_id in wanted
                     if _state(items.get(seat_id), iso(now), holder) in (SeatState.HELD, SeatState.SOLD)]
            if taken:
                raise _unavailable(taken)
            live = self._live_slots(slots_item, now)
            self._check_cap(live, showtime_id, len(wanted))
            mine = [item for item in items.values() if _state(item, iso(now), holder) == SeatState.HELD_BY_YOU]
            self._check_single_seats(layout, items, iso(now), holder, wanted)
            current = live.get(showtime_id)
            if current is not None and current.get("tickets"):
                # Its standing tickets are held in the Quotas table with the hold's revision, which a seat-only
                # change would move: the order is changed as a whole (QuotaService.hold) or cleared first.
                raise InvalidRequest(t("Your order for this show also has standing tickets. Clear it to choose "
                                       "other seats."))
            if new_only and (current is not None or mine):
                raise InvalidRequest(t("You already hold seats for this show."))
            if current is not None:
                hold_id, expires_at = str(current["hold_id"]), parse_iso(str(current["expires_at"]))
            elif mine:  # a hold placed before holders had slots
                hold_id, expires_at = mine[0]["hold_id"], parse_iso(mine[0]["expires_at"])
            else:
                hold_id, expires_at = new_hold_id(), now + timedelta(minutes=self._settings.hold_minutes)
            dropped = [item["seat_id"] for item in mine if item["hold_id"] == hold_id and item["seat_id"] not in wanted]
            extended = bool(current.get("extended")) if current is not None else False
            hold = Hold(hold_id, showtime_id, holder, tuple(wanted), expires_at, iso(now), "active", 0, quote=quote,
                        extended=extended)
            if self._write_hold(hold, dropped, now, slots_item, live):
                self._publish(showtime_id, [SeatChange(s, SeatState.HELD, hold_id) for s in wanted]
                              + [SeatChange(s, SeatState.AVAILABLE) for s in dropped])
                log_event("hold.placed", hold_id=hold_id, showtime_id=showtime_id, seats=list(wanted),
                          released=dropped or None, expires_at=iso(expires_at))
                return hold
        raise LimitReached(t("Your seats are being changed by another of your requests. Please try again."))

    def _check_single_seats(self, layout: Layout, items: dict[str, dict[str, Any]], now: str, holder: str,
                            wanted: list[str]) -> None:
        """SeatRuleBroken when this hold (replacing the holder's seats) would leave a single seat on its own.
        Checked against the seats as read; a parallel hold elsewhere in the row may still strand one (rare,
        and never a double sale), which the next hold beside it does not count against its customer."""
        if not self._settings.single_seat_rule:
            return
        taken = {seat_id for seat_id, item in items.items() if _state(item, now, holder) != SeatState.AVAILABLE}
        mine = {seat_id for seat_id, item in items.items() if _state(item, now, holder) == SeatState.HELD_BY_YOU}
        lone = seat_rules.lone_seats_left(layout, taken, (taken - mine) | set(wanted), wanted)
        if lone:
            raise SeatRuleBroken(t("That would leave seat {seat} empty on its own, and a single seat is hard to "
                                   "fill. Add {seat} to your seats, or move them so no single seat is left.",
                                   seat=lone[0]), lone)

    def _write_hold(self, hold: Hold, dropped: list[str], now: datetime, slots_item: dict[str, Any] | None,
                    live: dict[str, dict[str, Any]]) -> bool:
        """One transaction: the seats, the dropped seats, the hold record, the holder's slots. False when
        something changed meanwhile (the caller reads again); a clear error when the seats are gone."""
        actions = [self._hold_seat(hold, seat_id, now) for seat_id in hold.seat_ids]
        actions += [self._free_held_seat(hold, seat_id) for seat_id in dropped]
        actions.append(self._hold_record(hold, now))
        actions.append(self._slots_update(hold, slots_item, live, now))
        try:
            transact(self._aws, actions)
            return True
        except TransactionCancelled as exc:
            reasons = exc.codes
        seats_failed = [s for s, code in zip(hold.seat_ids, reasons, strict=False) if code]
        if seats_failed:
            raise _unavailable(seats_failed)
        if reasons[-2] and not reasons[-1]:
            raise HoldExpired(t("Your previous selection was just booked or released. Please choose again."))
        return False  # the holder's slots changed (a parallel request), or dropped seats expired: again

    # The holder's slots: its live hold per showtime ----------------------------------------------
    # General-admission holds (services/events/quotas.py) write the same slots in their own transaction, so
    # the cap counts seats and standing tickets together, and one live hold per show holds both.
    def read_slots(self, holder: str) -> dict[str, Any] | None:
        return self._read_slots(holder)

    def live_slots(self, slots_item: dict[str, Any] | None, now: datetime) -> dict[str, dict[str, Any]]:
        return self._live_slots(slots_item, now)

    def check_cap(self, live: dict[str, dict[str, Any]], showtime_id: str, wanted: int) -> None:
        self._check_cap(live, showtime_id, wanted)

    def slots_update_action(self, hold: Hold, slots_item: dict[str, Any] | None, live: dict[str, dict[str, Any]],
                            now: datetime, count: int) -> dict[str, Any]:
        """The slots' update naming ``hold`` on its show with ``count`` places (seats + standing tickets)."""
        return self._slots_update(hold, slots_item, live, now, count)

    def _read_slots(self, holder: str) -> dict[str, Any] | None:
        return dynamo.get_item(self._holds, {"hold_id": _slots_key(holder)}, consistent=True, message=_busy())

    def _live_slots(self, slots_item: dict[str, Any] | None, now: datetime) -> dict[str, dict[str, Any]]:
        """The holder's holds that are still live (not expired, not booked or released). Reading a hold
        record is only advice: a hold only ever leaves the live state, so a stale read over-counts."""
        entries = dict((slots_item or {}).get("slots", {}))
        live: dict[str, dict[str, Any]] = {}
        for showtime_id, entry in entries.items():
            if parse_iso(str(entry["expires_at"])) < now:
                continue
            record = dynamo.get_item(self._holds, {"hold_id": str(entry["hold_id"])}, consistent=True,
                                     message=_busy())
            # The hold record is the authority on expiry (the entry's copy is for skipping reads).
            if record is not None and record.get("status") == "active" and parse_iso(record["expires_at"]) >= now:
                live[showtime_id] = {**entry, "expires_at": record["expires_at"],
                                     "extended": bool(record.get("extended", False)),
                                     "tickets": bool(record.get("tickets")), "revision": int(record["revision"]),
                                     "seat_ids": list(record.get("seat_ids", []))}
        return live

    def _check_cap(self, live: dict[str, dict[str, Any]], showtime_id: str, wanted: int) -> None:
        elsewhere = sum(int(entry["seats"]) for sid, entry in live.items() if sid != showtime_id)
        cap = self._settings.max_held_seats
        if elsewhere + wanted > cap:
            raise LimitReached(t("You are already holding {held} seats or tickets for other shows, and can hold at "
                                 "most {cap} at once. Book or release those first.", held=elsewhere, cap=cap))

    def _slots_update(self, hold: Hold, slots_item: dict[str, Any] | None, live: dict[str, dict[str, Any]],
                      now: datetime, count: int | None = None) -> dict[str, Any]:
        places = len(hold.seat_ids) if count is None else count
        # Only what the cap reads is kept per slot (the live entries carry more, read from the hold records).
        kept = {sid: {key: entry[key] for key in ("hold_id", "seats", "expires_at")} for sid, entry in live.items()}
        slots = {**kept, hold.showtime_id: {"hold_id": hold.hold_id, "seats": places,
                                            "expires_at": iso(hold.expires_at)}}
        latest = max(parse_iso(str(entry["expires_at"])) for entry in slots.values())
        values: dict[str, Any] = {":slots": slots, ":one": 1, ":ttl": int((latest + _TIDY_AFTER).timestamp())}
        if slots_item is None:
            condition = "attribute_not_exists(hold_id)"
        else:
            condition = "version = :seen"
            values[":seen"] = int(slots_item.get("version", 0))
        return {"Update": {
            "TableName": self.holds_table,
            "Key": {"hold_id": _slots_key(hold.holder)},
            "UpdateExpression": "SET slots = :slots, #ttl = :ttl ADD version :one",
            "ConditionExpression": condition,
            "ExpressionAttributeNames": {"#ttl": "ttl"},
            "ExpressionAttributeValues": values,
        }}

    def hold_seat_action(self, hold: Hold, seat_id: str, now: datetime) -> dict[str, Any]:
        """The transaction action that holds one seat for ``hold`` (a mixed event order holds seats and GA
        tickets in one transaction: services/events/quotas.py)."""
        return self._hold_seat(hold, seat_id, now)

    def hand_over_actions(self, hold: Hold, booking_id: str, now: datetime) -> list[dict[str, Any]]:
        """Transaction actions that turn seats sold to ``booking_id`` (being cancelled) straight into ``hold``
        (a waiting list's offer, services/engage/waitlist.py), so no one else can take them in between: each
        seat on condition it is still sold to that booking, the hold record, the holder's slots (versioned).
        [] when the holder already holds seats of this show (their own hold stays as it is)."""
        slots_item = self._read_slots(hold.holder)
        live = self._live_slots(slots_item, now)
        if hold.showtime_id in live:
            return []
        actions: list[dict[str, Any]] = []
        for seat_id in hold.seat_ids:
            put = self._hold_seat(hold, seat_id, now)["Put"]
            put["ConditionExpression"] = "#s = :sold AND booking_id = :booking"
            put["ExpressionAttributeValues"] = {":sold": SOLD, ":booking": booking_id}
            actions.append({"Put": put})
        actions.append(self._hold_record(hold, now))
        actions.append(self._slots_update(hold, slots_item, live, now))
        return actions

    def free_held_seat_action(self, hold: Hold, seat_id: str) -> dict[str, Any]:
        return self._free_held_seat(hold, seat_id)

    def seats_of_hold(self, hold: Hold) -> list[str]:
        """The hold's seats that are still held by it (strongly consistent read of the show's seat items)."""
        if not hold.seat_ids:
            return []
        items, _ = self._read_partition(hold.showtime_id)
        return [seat_id for seat_id in hold.seat_ids
                if (item := items.get(seat_id)) and item["status"] == HELD and item["hold_id"] == hold.hold_id]

    def _hold_seat(self, hold: Hold, seat_id: str, now: datetime) -> dict[str, Any]:
        return {"Put": {
            "TableName": self.seats_table,
            "Item": {"showtime_id": hold.showtime_id, "seat_id": seat_id, "status": HELD, "hold_id": hold.hold_id,
                     "holder": hold.holder, "expires_at": iso(hold.expires_at), "updated_at": iso(now),
                     "ttl": int((hold.expires_at + _TIDY_AFTER).timestamp())},
            # Free, or an expired hold, or already ours: anything else belongs to someone else.
            "ConditionExpression": "attribute_not_exists(seat_id) OR (#s = :held AND expires_at < :now)"
                                   " OR (#s = :held AND hold_id = :hold)",
            "ExpressionAttributeNames": {"#s": "status"},
            "ExpressionAttributeValues": {":held": HELD, ":now": iso(now), ":hold": hold.hold_id},
        }}

    def _free_held_seat(self, hold: Hold, seat_id: str) -> dict[str, Any]:
        return {"Delete": {
            "TableName": self.seats_table,
            "Key": {"showtime_id": hold.showtime_id, "seat_id": seat_id},
            "ConditionExpression": "#s = :held AND hold_id = :hold",
            "ExpressionAttributeNames": {"#s": "status"},
            "ExpressionAttributeValues": {":held": HELD, ":hold": hold.hold_id},
        }}

    def _hold_record(self, hold: Hold, now: datetime) -> dict[str, Any]:
        # An Update serves both a new hold and a replacement, and a retried request succeeds again.
        return {"Update": {
            "TableName": self.holds_table,
            "Key": {"hold_id": hold.hold_id},
            "UpdateExpression": "SET showtime_id = :showtime, holder = :holder, seat_ids = :seats, "
                                "expires_at = :expires, created_at = if_not_exists(created_at, :now), "
                                "updated_at = :now, #s = :active, #ttl = :ttl ADD revision :one",
            "ConditionExpression": "attribute_not_exists(hold_id) OR (holder = :holder AND #s = :active)",
            "ExpressionAttributeNames": _NAMES,
            "ExpressionAttributeValues": {
                ":showtime": hold.showtime_id, ":holder": hold.holder, ":seats": list(hold.seat_ids),
                ":expires": iso(hold.expires_at), ":now": iso(now), ":active": "active", ":one": 1,
                ":ttl": int((hold.expires_at + _TIDY_AFTER + timedelta(days=1)).timestamp()),
            },
        }}

    # Extending ------------------------------------------------------------------------------------
    def extend(self, hold_id: str, holder: str) -> Hold:
        """Once per hold, in its last ``hold_extend_window_seconds``: keep the seats
        ``hold_extension_minutes`` longer (the seat page's warning offers it; the API too). One transaction:
        every seat still held by this live hold, the hold record (not extended before), the holder's slot."""
        hold = self.get_hold(hold_id, holder)
        now = self._clock.now().replace(microsecond=0)
        if not hold.is_live(now):
            raise HoldExpired(t("Your hold has ended and the seats were released. Please choose seats again."))
        if hold.extended:
            raise LimitReached(t("You have already kept these seats longer once. Please finish your booking."))
        if hold.tickets:  # its standing tickets' entry (Quotas) expires with it and carries its revision
            raise InvalidRequest(t("An order with standing tickets cannot be kept longer. Please finish your "
                                   "booking."))
        window = self._settings.hold_extend_window_seconds
        if (hold.expires_at - now).total_seconds() > window + _EXTEND_GRACE_SECONDS:
            raise InvalidRequest(t("You can ask for more time in the last {n} seconds of your hold.", n=window))
        expires_at = hold.expires_at + timedelta(minutes=self._settings.hold_extension_minutes)
        ttl = int((expires_at + _TIDY_AFTER).timestamp())
        actions: list[dict[str, Any]] = [{"Update": {
            "TableName": self.seats_table,
            "Key": {"showtime_id": hold.showtime_id, "seat_id": seat_id},
            "UpdateExpression": "SET expires_at = :expires, #ttl = :ttl, updated_at = :now",
            "ConditionExpression": "#s = :held AND hold_id = :hold AND expires_at >= :now",
            "ExpressionAttributeNames": _NAMES,
            "ExpressionAttributeValues": {":expires": iso(expires_at), ":ttl": ttl, ":now": iso(now),
                                          ":held": HELD, ":hold": hold_id},
        }} for seat_id in hold.seat_ids]
        actions.append({"Update": {
            "TableName": self.holds_table,
            "Key": {"hold_id": hold_id},
            "UpdateExpression": "SET expires_at = :expires, #x = :yes, updated_at = :now, #ttl = :ttl "
                                "ADD revision :one",
            "ConditionExpression": "#s = :active AND revision = :revision AND attribute_not_exists(#x)",
            "ExpressionAttributeNames": {**_NAMES, "#x": "extended"},  # a reserved word too
            "ExpressionAttributeValues": {":expires": iso(expires_at), ":yes": True, ":now": iso(now),
                                          ":ttl": ttl + int(timedelta(days=1).total_seconds()), ":one": 1,
                                          ":active": "active", ":revision": hold.revision},
        }})
        slots_item = self._read_slots(holder)
        entry = ((slots_item or {}).get("slots") or {}).get(hold.showtime_id)
        if slots_item is not None and entry is not None and entry.get("hold_id") == hold_id:
            actions.append({"Update": {  # the slot's copy of the expiry, so the cap keeps counting these seats
                "TableName": self.holds_table,
                "Key": {"hold_id": _slots_key(holder)},
                "UpdateExpression": "SET slots.#show.expires_at = :expires, #ttl = :ttl ADD version :one",
                "ConditionExpression": "version = :seen",
                "ExpressionAttributeNames": {"#show": hold.showtime_id, "#ttl": "ttl"},
                "ExpressionAttributeValues": {":expires": iso(expires_at), ":one": 1,
                                              ":seen": int(slots_item.get("version", 0)),
                                              ":ttl": max(int(slots_item.get("ttl", 0)), ttl)},
            }})
        try:
            transact(self._aws, actions)
        except TransactionCancelled as exc:
            raise HoldExpired(t("Your seats changed meanwhile (booked, released or expired). Please look at "
                                "them again.")) from exc
        log_event("hold.extended", hold_id=hold_id, showtime_id=hold.showtime_id, expires_at=iso(expires_at))
        showtime = self._catalog.showtime(hold.showtime_id)
        quote = self._pricing.quote(showtime, self._catalog.layout_of(showtime), hold.seat_ids)
        return replace(self.get_hold(hold_id, holder), quote=quote)

    # Releasing ------------------------------------------------------------------------------------
    def released_hold_action(self, hold: Hold) -> dict[str, Any]:
        """The transaction step that marks a live hold released: only the revision it was read at (a hold
        changed, booked or released meanwhile cancels the transaction). Seat and GA releases share it."""
        return {"Update": {
            "TableName": self.holds_table,
            "Key": {"hold_id": hold.hold_id},
            "UpdateExpression": "SET #s = :released, updated_at = :now",
            "ConditionExpression": "#s = :active AND revision = :revision",
            "ExpressionAttributeNames": {"#s": "status"},
            "ExpressionAttributeValues": {":released": "released", ":active": "active",
                                          ":revision": hold.revision, ":now": iso(self._clock.now())},
        }}

    def release(self, hold_id: str, holder: str) -> list[str]:
        """Free a hold's seats (on request or when the user leaves); returns the seats freed. Idempotent."""
        hold = self.get_hold(hold_id, holder)
        if hold.status == "confirmed":
            raise InvalidRequest(t("These seats are already booked. Cancel the booking instead."))
        if hold.status == "released":
            return []
        seats = list(hold.seat_ids)
        for _attempt in range(3):
            actions = [self._free_held_seat(hold, seat_id) for seat_id in seats]
            actions.append(self.released_hold_action(hold))
            try:
                transact(self._aws, actions)
            except TransactionCancelled as exc:
                reasons = exc.codes
            else:
                self._publish(hold.showtime_id, [SeatChange(seat_id, SeatState.AVAILABLE) for seat_id in seats])
                log_event("hold.released", hold_id=hold_id, showtime_id=hold.showtime_id, seats=seats)
                return seats
            if reasons[-1]:  # changed meanwhile (replaced, booked or released): look again
                return self.release(hold_id, holder)
            # Seats that are no longer this hold's (expired, swept or taken) are not ours to free.
            seats = [seat_id for seat_id, code in zip(seats, reasons, strict=False) if not code]
        raise ServiceUnavailable(_busy())

    # Selling (called by the booking service inside its own transaction) ---------------------------
    def sell_actions(self, hold: Hold, booking_id: str, now: datetime) -> list[dict[str, Any]]:
        """Transaction actions: each seat held by this live hold -> sold; the hold -> confirmed; the show
        not cancelled meanwhile (staff console). One action per seat (in ``hold.seat_ids`` order), then the
        hold's, then the show's check."""
        actions: list[dict[str, Any]] = [{"Update": {
            "TableName": self.seats_table,
            "Key": {"showtime_id": hold.showtime_id, "seat_id": seat_id},
            "UpdateExpression": "SET #s = :sold, booking_id = :booking, updated_at = :now REMOVE expires_at, #ttl",
            "ConditionExpression": "#s = :held AND hold_id = :hold AND expires_at >= :now",
            "ExpressionAttributeNames": _NAMES,
            "ExpressionAttributeValues": {":sold": SOLD, ":held": HELD, ":hold": hold.hold_id,
                                          ":booking": booking_id, ":now": iso(now)},
        }} for seat_id in hold.seat_ids]
        actions.append({"Update": {
            "TableName": self.holds_table,
            "Key": {"hold_id": hold.hold_id},
            "UpdateExpression": "SET #s = :confirmed, booking_id = :booking, updated_at = :now",
            "ConditionExpression": "#s = :active AND revision = :revision",
            "ExpressionAttributeNames": {"#s": "status"},
            "ExpressionAttributeValues": {":confirmed": "confirmed", ":active": "active", ":booking": booking_id,
                                          ":revision": hold.revision, ":now": iso(now)},
        }})
        # A show cancelled while this checkout paid: no sale (the cancellation refunds only what it finds).
        actions.append({"ConditionCheck": {
            "TableName": self.showtimes_table,
            "Key": {"showtime_id": hold.showtime_id},
            "ConditionExpression": "attribute_not_exists(#s) OR #s <> :cancelled",
            "ExpressionAttributeNames": {"#s": "status"},
            "ExpressionAttributeValues": {":cancelled": "cancelled"},
        }})
        return actions

    def free_sold_actions(self, showtime_id: str, seat_ids: Iterable[str], booking_id: str) -> list[dict[str, Any]]:
        """Transaction actions that free the seats sold to ``booking_id`` (a cancellation)."""
        return [{"Delete": {
            "TableName": self.seats_table,
            "Key": {"showtime_id": showtime_id, "seat_id": seat_id},
            "ConditionExpression": "#s = :sold AND booking_id = :booking",
            "ExpressionAttributeNames": {"#s": "status"},
            "ExpressionAttributeValues": {":sold": SOLD, ":booking": booking_id},
        }} for seat_id in seat_ids]

    def publish(self, showtime_id: str, changes: list[SeatChange]) -> None:
        self._publish(showtime_id, changes)

    # Expiry ---------------------------------------------------------------------------------------
    def expire_due(self, showtime_ids: Iterable[str]) -> int:
        """Free the expired holds of the given (watched) showtimes and tell their viewers.

        One Query per showtime on the sparse index of holds (only expired holds are read, never a Scan);
        each expired seat item is deleted with a condition that it is still that expired hold, so a
        fresh hold is never touched.
        Correctness never depends on this: the conditions already treat expired holds as free."""
        freed = 0
        for showtime_id in showtime_ids:
            now = iso(self._clock.now())
            changes = [SeatChange(item["seat_id"], SeatState.AVAILABLE) for item in self._expired(showtime_id, now)
                       if self._sweep(item, now)]
            self._publish(showtime_id, changes)
            freed += len(changes)
            if changes:
                log_event("hold.expired", showtime_id=showtime_id, seats=[c.seat_id for c in changes])
        return freed

    def _expired(self, showtime_id: str, now: str) -> list[dict[str, Any]]:
        """Holds of the showtime whose time is up, from the sparse index of holds: it reads only those
        (eventually consistent, which is fine: the conditional delete decides)."""
        kwargs: dict[str, Any] = {
            "IndexName": "holds-by-expiry",
            "KeyConditionExpression": Key("showtime_id").eq(showtime_id) & Key("expires_at").lt(now),
        }
        return dynamo.query_all(self._seats, **kwargs).items

    def _sweep(self, item: dict[str, Any], now: str) -> bool:
        try:
            dynamo.delete_item(
                self._seats, {"showtime_id": item["showtime_id"], "seat_id": item["seat_id"]},
                ConditionExpression="#s = :held AND hold_id = :hold AND expires_at < :now",
                ExpressionAttributeNames={"#s": "status"},
                ExpressionAttributeValues={":held": HELD, ":hold": item["hold_id"], ":now": now},
            )
            return True
        except dynamo.ConditionFailed:
            return False  # held again or sold meanwhile: not expired any more

    # Helpers --------------------------------------------------------------------------------------
    def _clean(self, seat_ids: Iterable[str]) -> list[str]:
        if isinstance(seat_ids, str):
            raise InvalidRequest(t("Please give a list of seats."))
        wanted = list(dict.fromkeys(str(seat_id).strip().upper() for seat_id in seat_ids))
        if not wanted:
            raise InvalidRequest(t("Please choose at least one seat."))
        limit = self._settings.max_seats_per_booking
        if len(wanted) > limit:
            raise InvalidRequest(t("You can book at most {n} seats at a time.", n=limit))
        return wanted

    def _read_partition(self, showtime_id: str, **extra: Any) -> tuple[dict[str, dict[str, Any]], int]:
        """The showtime's seat items (strongly consistent) and how many the Query read."""
        kwargs: dict[str, Any] = {"KeyConditionExpression": Key("showtime_id").eq(showtime_id),
                                  "ConsistentRead": True, **extra}
        result = dynamo.query_all(self._seats, **kwargs)
        return {item["seat_id"]: item for item in result.items}, result.scanned

    def _publish(self, showtime_id: str, changes: list[SeatChange]) -> None:
        if self._hub is not None and changes:
            self._hub.publish(showtime_id, changes)


def new_hold_id() -> str:
    return f"h-{uuid.uuid4().hex}"


def _slots_key(holder: str) -> str:
    """The holder's slots item lives in the Holds table beside the holds, under a key no hold id can take."""
    return f"holder#{holder}"


def _state(item: dict[str, Any] | None, now: str, viewer: str | None) -> SeatState:
    if item is None:
        return SeatState.AVAILABLE
    if item["status"] == SOLD:
        return SeatState.SOLD
    if item["status"] == HELD and item["expires_at"] >= now:
        return SeatState.HELD_BY_YOU if viewer is not None and item.get("holder") == viewer else SeatState.HELD
    return SeatState.AVAILABLE  # a hold that has expired


def _unavailable(seats: list[str]) -> SeatUnavailable:
    return SeatUnavailable(
        t("Sorry, these seats were just taken: {seats}. Please choose others.", seats=", ".join(seats)), seats)


def _hold(item: dict[str, Any]) -> Hold:
    return Hold(
        hold_id=item["hold_id"],
        showtime_id=item["showtime_id"],
        holder=item["holder"],
        seat_ids=tuple(item.get("seat_ids", [])),
        expires_at=parse_iso(item["expires_at"]),
        created_at=item.get("created_at", ""),
        status=item.get("status", "active"),
        revision=int(item.get("revision", 0)),
        booking_id=item.get("booking_id"),
        tickets=tuple(TicketLine.from_item(line) for line in item.get("tickets", [])),
        extended=bool(item.get("extended", False)),
    )
