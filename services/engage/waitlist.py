"""Waiting lists for sold-out shows (issue 15).

A customer joins a show's list with how many seats they need (only while fewer are free). A sweep (a
periodic job, ``main.py``) looks at the shows that have a list (a sparse index, never a Scan) and, for
each, walks the list in join order: the first waiting customer whose count fits the free seats is
offered them. The offer is a hold of those seats in the customer's name (so the usual checkout claims
it, before the hold expires: ``hold_minutes``) plus an email with the claim link, written through the
outbox in the same transaction that marks the entry offered (conditional on it still waiting: one
offer, one email). An offer whose hold lapses unclaimed passes on: the seats are free again and the next
round offers them to the next in line.

No line-jumping between waiting customers: a show's round runs under a lease on its ``state`` item (a
conditional update), so two sweepers (threads, processes) never offer the same seats or the same entry
twice, and each round reads the list afresh in join order.

**At the moment seats free up** (``on_release``): a cancellation (the customer's, the staff desk's, a
kiosk sale's) hands the seats it frees to the list in its OWN transaction: the first waiting customers
whose counts fit get them as a hold (each seat on condition it is still sold to the cancelled booking), with
their entry ``waiting → offered`` (conditional) and the offer email in the outbox. So a seat-map customer
never sees those seats free, and two racing cancellations cannot offer one entry twice (the loser's
transaction fails on the entry's condition and is built again). Seats freed by a released or expired hold
still go through the sweep: the release and the expiry delete held seats under conditions on the hold that
lapsed, and the sweep (every ``waitlist_sweep_seconds``) is their fallback; a seat-map customer may take
those in between.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from boto3.dynamodb.conditions import Key

from services.accounts.users import User
from services.booking.inventory import InventoryService, new_hold_id
from services.booking.models import Hold, SeatState
from services.booking.rules import on_sale
from services.catalog.catalog import CatalogService
from services.clock import Clock, iso, parse_iso
from services.engage.errors import AlreadyExists
from services.errors import DomainError, InvalidRequest, NotFound
from services.formatting import date_time, show_time
from services.i18n import t
from services.live.hub import SeatChange
from services.notify.outbox import outbox_message_put
from services.platform import dynamo
from services.platform.aws import Aws
from services.platform.logs import log_event
from services.platform.schema import WAITLIST
from services.settings import Settings

Status = Literal["waiting", "offered", "claimed", "expired"]
STATE = "state"
OPEN = "1"  # the sparse index's only partition value
ROUND_LEASE = timedelta(seconds=60)  # far longer than a round takes; a crashed sweeper's lease lapses


@dataclass(frozen=True)
class WaitEntry:
    showtime_id: str
    entry: str  # q#<joined_at>#<nonce>#<user_id>: sorts in join order
    user_id: str
    email: str
    seats: int
    joined_at: str
    status: Status
    hold_id: str = ""
    offer_expires_at: str = ""
    position: int = 0  # 1 = next in line (among those still waiting), 0 once offered


class WaitingList:
    def __init__(self, aws: Aws, clock: Clock, settings: Settings, catalog: CatalogService,
                 inventory: InventoryService, release: Callable[[str, str], object] | None = None) -> None:
        """``release(hold_id, holder)``: how a hold the customer walked away from goes back on sale; the
        events' ``QuotaService.release`` in the app (a mixed order's standing tickets go back with its seats),
        the seat inventory's by default."""
        self._aws = aws
        self._release = release or inventory.release
        self._clock = clock
        self._settings = settings
        self._catalog = catalog
        self._inventory = inventory
        self._table = aws.table(WAITLIST)
        self._table_name = aws.table_name(WAITLIST)
        self.sweeper_id = f"s-{uuid.uuid4().hex[:12]}"

    # Customers ------------------------------------------------------------------------------------
    def join(self, user: User, showtime_id: str, seats: int) -> WaitEntry:
        most = self._settings.max_seats_per_booking
        if isinstance(seats, bool) or not isinstance(seats, int) or not 1 <= seats <= most:
            raise InvalidRequest(t("Ask for 1 to {n} seats.", n=self._settings.max_seats_per_booking))
        showtime = self._catalog.showtime(showtime_id)
        self._inventory.ensure_on_sale(showtime)
        if self._free_seats(showtime_id) >= seats:
            raise InvalidRequest(t("There are enough free seats for you right now: book them on the seat map."))
        joined_at = iso(self._clock.now())
        entry_key = f"q#{joined_at}#{uuid.uuid4().hex[:8]}#{user.user_id}"  # a rejoin in the same second is new
        item = {"showtime_id": showtime_id, "entry": entry_key, "user_id": user.user_id, "email": user.email,
                "name": user.name, "seats": seats, "joined_at": joined_at, "status": "waiting"}
        try:
            dynamo.transact_write(self._aws, [
                {"Put": {"TableName": self._table_name,
                         "Item": {"showtime_id": showtime_id, "entry": f"u#{user.user_id}", "queue_entry": entry_key},
                         "ConditionExpression": "attribute_not_exists(entry)"}},
                {"Put": {"TableName": self._table_name, "Item": item,
                         "ConditionExpression": "attribute_not_exists(entry)"}},
                {"Update": {"TableName": self._table_name, "Key": {"showtime_id": showtime_id, "entry": STATE},
                            "UpdateExpression": "SET open_list = :open ADD active :one",
                            "ExpressionAttributeValues": {":open": OPEN, ":one": 1}}},
            ])
        except dynamo.TransactionCancelled as exc:
            raise AlreadyExists(t("You are already on the waiting list for this show.")) from exc
        log_event("waitlist.joined", showtime_id=showtime_id, user_id=user.user_id, seats=seats)
        return self._entry(item, position=self._position(showtime_id, entry_key))

    def mine(self, user: User, showtime_id: str) -> WaitEntry | None:
        return self._mine(user.user_id, showtime_id)

    def release_on_leave(self, hold_id: str, holder: str, showtime_id: str) -> bool:
        """The customer left the show's page holding seats: give them back, unless the hold is their waiting-list
        offer (the email's claim link and the page's "Claim your seats" must still find it; it lapses on its
        own). Returns whether the seats went back on sale."""
        entry = self._mine(holder, showtime_id)
        if entry is not None and entry.status == "offered" and entry.hold_id == hold_id:
            return False
        self._release(hold_id, holder)
        return True

    def _mine(self, user_id: str, showtime_id: str) -> WaitEntry | None:
        marker = dynamo.get_item(self._table, {"showtime_id": showtime_id, "entry": f"u#{user_id}"},
                                 consistent=True)
        if marker is None:
            return None
        item = dynamo.get_item(self._table, {"showtime_id": showtime_id, "entry": marker["queue_entry"]},
                               consistent=True)
        if item is None:
            return None
        return self._entry(item, position=self._position(showtime_id, item["entry"]))

    def leave(self, user: User, showtime_id: str) -> None:
        entry = self.mine(user, showtime_id)
        if entry is None:
            raise NotFound(t("You are not on the waiting list for this show."))
        if entry.status == "offered" and entry.hold_id:
            with suppress(DomainError):  # already expired or claimed
                self._inventory.release(entry.hold_id, user.user_id)
        self._finish(entry, "expired")

    # The sweep ------------------------------------------------------------------------------------
    def open_shows(self) -> list[str]:
        found = dynamo.query_all(self._table, IndexName="open-lists", KeyConditionExpression=Key("open_list").eq(OPEN))
        return [item["showtime_id"] for item in found.items]

    def sweep(self) -> int:
        """One round for every show with a list; returns how many offers were made."""
        offered = 0
        for showtime_id in self.open_shows():
            try:
                offered += len(self.offer_round(showtime_id))
            except DomainError as exc:  # one show's trouble never stops the others
                log_event("waitlist.round_failed", showtime_id=showtime_id, error=exc.message)
        return offered

    def offer_round(self, showtime_id: str) -> list[WaitEntry]:
        """Settle finished offers, then offer free seats in join order. Under the show's lease, or not at all."""
        if not self._take_lease(showtime_id):
            return []
        try:
            entries = self._entries(showtime_id)
            now = self._clock.now()
            for entry in entries:
                if entry.status == "offered":
                    self._settle(entry, now)
            waiting = [entry for entry in self._entries(showtime_id) if entry.status == "waiting"]
            if not waiting:
                self._close_if_empty(showtime_id)
                return []
            free = self._free_seats(showtime_id)
            offered: list[WaitEntry] = []
            for entry in waiting:
                if entry.seats <= free and self._offer(entry):
                    offered.append(entry)
                    free -= entry.seats
            return offered
        finally:
            self._drop_lease(showtime_id)

    # At the moment seats free up (a cancellation's transaction) --------------------------------------
    def on_release(self, showtime_id: str, seat_ids: list[str], booking_id: str, now: datetime) -> Handoff | None:
        """Hand seats a cancellation frees to the first waiting customers whose counts fit, as transaction
        actions for the cancellation's own transaction; None when nobody waits (or nobody fits)."""
        state = dynamo.get_item(self._table, {"showtime_id": showtime_id, "entry": STATE}, consistent=True)
        if not seat_ids or state is None or int(state.get("active", 0)) <= 0:
            return None
        if not on_sale(self._catalog.showtime(showtime_id), now, self._settings):
            return None  # a cancelled show (its bookings are being refunded) or one no longer on sale: no offers
        free = list(seat_ids)
        handoff = Handoff([], [], [])
        for entry in (entry for entry in self._entries(showtime_id) if entry.status == "waiting"):
            if entry.seats > len(free):
                continue
            if entry.user_id in {offer.user_id for offer, _hold in handoff.offers}:
                continue
            seats, expires = tuple(free[:entry.seats]), now + timedelta(minutes=self._settings.hold_minutes)
            hold = Hold(new_hold_id(), showtime_id, entry.user_id, seats, expires, iso(now), "active", 0)
            seat_actions = self._inventory.hand_over_actions(hold, booking_id, now)
            if not seat_actions:
                continue  # they hold seats of this show already: the sweep settles them
            handoff.actions += seat_actions + self._offer_actions(entry, hold, now)
            handoff.offers.append((entry, hold))
            handoff.seats += seats
            free = free[entry.seats:]
            if not free:
                break
        return handoff if handoff.offers else None

    def after_handoff(self, handoff: Handoff) -> None:
        """The cancellation committed: open seat maps show the seats held, not free."""
        for entry, hold in handoff.offers:
            self._inventory.publish(hold.showtime_id, [SeatChange(s, SeatState.HELD, hold.hold_id)
                                                       for s in hold.seat_ids])
            log_event("waitlist.offered", showtime_id=entry.showtime_id, user_id=entry.user_id,
                      hold_id=hold.hold_id, at="release")

    # Steps ----------------------------------------------------------------------------------------
    def _settle(self, entry: WaitEntry, now: datetime) -> None:
        try:
            hold = self._inventory.get_hold(entry.hold_id, entry.user_id)
        except NotFound:
            self._finish(entry, "expired")
            return
        if hold.status == "confirmed":
            self._finish(entry, "claimed")
        elif not hold.is_live(now):
            self._finish(entry, "expired")  # unclaimed: the seats are free again for the next in line

    def _offer(self, entry: WaitEntry) -> bool:
        wanted = self._inventory.best_seats(entry.showtime_id, entry.seats) or self._any_free(entry.showtime_id,
                                                                                            entry.seats)
        if len(wanted) < entry.seats:
            return False
        try:
            # new_only: a cancellation may have handed this customer seats a moment ago (their entry is
            # then "offered", and this round's read is older); replacing that hold's seats would lose them.
            hold = self._inventory.hold(entry.showtime_id, wanted, entry.user_id, new_only=True)
        except DomainError as exc:  # taken meanwhile, show closed, the customer's hold cap or a hold: next round
            log_event("waitlist.offer_skipped", showtime_id=entry.showtime_id, user_id=entry.user_id, error=exc.code)
            return False
        try:
            dynamo.transact_write(self._aws, self._offer_actions(entry, hold, self._clock.now()))
        except (dynamo.TransactionCancelled, dynamo.TransactionOutcomeUnknown):
            self._inventory.release(hold.hold_id, entry.user_id)
            return False
        log_event("waitlist.offered", showtime_id=entry.showtime_id, user_id=entry.user_id, hold_id=hold.hold_id)
        return True

    def _offer_actions(self, entry: WaitEntry, hold: Hold, moment: datetime) -> list[dict[str, Any]]:
        """The entry ``waiting → offered`` (on condition it still waits: one offer, one email) and the email."""
        showtime = self._catalog.showtime(entry.showtime_id)
        movie = self._catalog.movie(showtime.movie_id)
        theater = self._catalog.theater(showtime.theater_id)
        link = f"{self._settings.base_url}/checkout/{hold.hold_id}"
        until = date_time(hold.expires_at, theater.timezone)
        subject = t("Seats for you: {movie}, {when}", movie=movie.title, when=show_time(showtime))[:99]
        body = "\n".join([
            t("Good news: {n} seats you waited for are free, and we are holding them for you.", n=entry.seats),
            t("{movie} at {theater}, {when}. Seats: {seats}.", movie=movie.title, theater=theater.name,
              when=show_time(showtime), seats=", ".join(hold.seat_ids)),
            "", t("Claim them before {until} (theater time):", until=until), link, "",
            t("If you do not claim them by then, they go to the next person waiting."), "", t("Movie Magic"),
        ])
        now = iso(moment)
        return [
            {"Update": {"TableName": self._table_name,
                        "Key": {"showtime_id": entry.showtime_id, "entry": entry.entry},
                        "UpdateExpression": "SET #s = :offered, hold_id = :hold, offer_expires_at = :until, "
                                            "offered_at = :now",
                        "ConditionExpression": "#s = :waiting",
                        "ExpressionAttributeNames": {"#s": "status"},
                        "ExpressionAttributeValues": {":offered": "offered", ":waiting": "waiting",
                                                      ":hold": hold.hold_id, ":until": iso(hold.expires_at),
                                                      ":now": now}}},
            outbox_message_put(self._aws, f"waitlist#{entry.showtime_id}#{entry.entry}", "waitlist_offer",
                               entry.email, entry.user_id, subject, body, now),
        ]

    def _finish(self, entry: WaitEntry, status: Status) -> None:
        """The entry is done (claimed, expired, left): the customer's place frees, the list shrinks."""
        try:
            dynamo.transact_write(self._aws, [
                {"Update": {"TableName": self._table_name,
                            "Key": {"showtime_id": entry.showtime_id, "entry": entry.entry},
                            "UpdateExpression": "SET #s = :done",
                            "ConditionExpression": "#s = :was",
                            "ExpressionAttributeNames": {"#s": "status"},
                            "ExpressionAttributeValues": {":done": status, ":was": entry.status}}},
                {"Delete": {"TableName": self._table_name,
                            "Key": {"showtime_id": entry.showtime_id, "entry": f"u#{entry.user_id}"}}},
                {"Update": {"TableName": self._table_name, "Key": {"showtime_id": entry.showtime_id, "entry": STATE},
                            "UpdateExpression": "ADD active :minus", "ExpressionAttributeValues": {":minus": -1}}},
            ])
        except dynamo.TransactionCancelled:
            return  # someone else finished it first
        log_event("waitlist.finished", showtime_id=entry.showtime_id, user_id=entry.user_id, status=status)

    def _close_if_empty(self, showtime_id: str) -> None:
        with suppress(dynamo.ConditionFailed):  # someone joined meanwhile: the list stays open
            dynamo.update_item(self._table, {"showtime_id": showtime_id, "entry": STATE},
                               UpdateExpression="REMOVE open_list", ConditionExpression="active <= :zero",
                               ExpressionAttributeValues={":zero": 0})

    def _take_lease(self, showtime_id: str) -> bool:
        now = self._clock.now()
        try:
            dynamo.update_item(
                self._table, {"showtime_id": showtime_id, "entry": STATE},
                UpdateExpression="SET lease_until = :until, lease_owner = :me",
                ConditionExpression="attribute_exists(entry) AND "
                                    "(attribute_not_exists(lease_until) OR lease_until <= :now)",
                ExpressionAttributeValues={":until": iso(now + ROUND_LEASE), ":me": self.sweeper_id, ":now": iso(now)})
        except dynamo.ConditionFailed:
            return False
        return True

    def _drop_lease(self, showtime_id: str) -> None:
        with suppress(dynamo.ConditionFailed):  # it lapsed and another sweeper has it now
            dynamo.update_item(self._table, {"showtime_id": showtime_id, "entry": STATE},
                               UpdateExpression="REMOVE lease_until, lease_owner",
                               ConditionExpression="lease_owner = :me",
                               ExpressionAttributeValues={":me": self.sweeper_id})

    # Reading --------------------------------------------------------------------------------------
    def _entries(self, showtime_id: str) -> list[WaitEntry]:
        queue = Key("showtime_id").eq(showtime_id) & Key("entry").begins_with("q#")
        found = dynamo.query_all(self._table, ConsistentRead=True, KeyConditionExpression=queue)
        return [self._entry(item) for item in found.items if item["status"] in ("waiting", "offered")]

    def _position(self, showtime_id: str, entry_key: str) -> int:
        waiting = [entry.entry for entry in self._entries(showtime_id) if entry.status == "waiting"]
        return waiting.index(entry_key) + 1 if entry_key in waiting else 0

    def _free_seats(self, showtime_id: str) -> int:
        return sum(1 for seat in self._inventory.seat_map(showtime_id).seats if seat.status == SeatState.AVAILABLE)

    def _any_free(self, showtime_id: str, count: int) -> list[str]:
        free = [seat.seat_id for seat in self._inventory.seat_map(showtime_id).seats
                if seat.status == SeatState.AVAILABLE]
        return free[:count]

    @staticmethod
    def _entry(item: dict[str, Any], position: int = 0) -> WaitEntry:
        return WaitEntry(showtime_id=item["showtime_id"], entry=item["entry"], user_id=item["user_id"],
                         email=item.get("email", ""), seats=int(item["seats"]), joined_at=item["joined_at"],
                         status=item["status"], hold_id=item.get("hold_id", ""),
                         offer_expires_at=item.get("offer_expires_at", ""), position=position)


@dataclass
class Handoff:
    """What a cancellation's transaction carries for the waiting list: the actions, the seats they take, and
    each offer (entry, hold) to announce once it committed."""

    actions: list[dict[str, Any]]
    seats: list[str]
    offers: list[tuple[WaitEntry, Hold]]


def offer_expires(entry: WaitEntry) -> datetime | None:
    """When an offer's hold lapses (UTC), for pages that show it."""
    return parse_iso(entry.offer_expires_at) if entry.offer_expires_at else None
