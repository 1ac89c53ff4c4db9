"""Moving a show to another time and/or screen (issue 15), and telling every customer exactly once.

The move itself is ONE transaction, built from the scheduler's own steps (``ScheduleService``): the old
screen-days give the show's slot up, the new ones take it under their version (the same no-overlap check as
scheduling: a concurrent change fails the transaction, which is read and checked again), the Showtimes item
changes on condition it still says what was read (not cancelled, same start and screen) and counts
``move_version`` up, the audit entry, and a **job** item (Schedule table, partition ``moves``, one per show):
the notices still owed.

The notices are a leased job like the outbox's records: whoever runs it (the staff request at once, else
``resume_pending`` on a timer after a crash) takes the job's lease, then per confirmed booking one
transaction: the booking takes the new time and ``move_version`` (on condition it has not got it yet), the
"your show moved" email goes into the outbox (id ``<booking>#show_moved#<version>``, put only if absent) and
the reminder follows the new time. So each customer gets one notice per move even when the process dies
half-way, and a retry after a lost answer finds the booking already moved. The job is deleted when every
booking is done (only if no newer move replaced it).

A moved booking may be cancelled until the show starts, for a full refund (``services/booking/rules.py``).
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from boto3.dynamodb.conditions import Key

from services.accounts.users import User
from services.booking.bookings import BookingService
from services.booking.counters import SalesCounters
from services.booking.inventory import InventoryService
from services.booking.models import Booking
from services.catalog.catalog import CatalogService, Screen, Showtime, Theater
from services.clock import Clock, iso, parse_iso
from services.engage.reminders import Reminders
from services.errors import DomainError, InvalidRequest, ServiceUnavailable
from services.formatting import date_time
from services.i18n import speaking, t
from services.notify.outbox import notification_id, outbox_message_put
from services.platform import dynamo
from services.platform.aws import Aws
from services.platform.logs import log_event
from services.platform.schema import BOOKINGS, OUTBOX, SCHEDULE, SHOWTIMES
from services.settings import Settings
from services.staff.access import AccessService, StaffMember
from services.staff.audit import AuditLog
from services.staff.schedule import Day, ScheduleConflict, ScheduleService, overlapping

JOBS = "moves"  # the Schedule table's partition of notice jobs (never a screen key: those hold a '.')
JOB_LEASE = timedelta(seconds=120)
_ATTEMPTS = 4


class LayoutDoesNotFit(DomainError):
    code = "layout_mismatch"


@dataclass(frozen=True)
class MovedShow:
    showtime: Showtime
    notified: int  # bookings told now (the rest, if any, by the job after a failure)
    pending: bool  # notices still owed (the timer finishes them)


class ShowMover:
    def __init__(self, aws: Aws, clock: Clock, settings: Settings, catalog: CatalogService,
                 inventory: InventoryService, bookings: BookingService, schedule: ScheduleService,
                 access: AccessService, audit: AuditLog, reminders: Reminders) -> None:
        self._aws = aws
        self._clock = clock
        self._settings = settings
        self._catalog = catalog
        self._inventory = inventory
        self._bookings = bookings
        self._schedule = schedule
        self._access = access
        self._audit = audit
        self._reminders = reminders
        self._counters = SalesCounters(aws)
        self._jobs = aws.table(SCHEDULE)
        self._jobs_name = aws.table_name(SCHEDULE)
        self._showtimes_name = aws.table_name(SHOWTIMES)
        self._bookings_name = aws.table_name(BOOKINGS)
        self._outbox = aws.table(OUTBOX)
        self.worker_id = f"mv-{id(self):x}"

    # Moving -----------------------------------------------------------------------------------------
    def move(self, user: User | None, showtime_id: str, starts_at: datetime, screen_id: str | None = None,
             reason: str = "") -> MovedShow:
        """Move a show (managers of its theater, admins); ScheduleConflict when the new slot is busy,
        LayoutDoesNotFit when the new screen lacks a sold or held seat."""
        self._catalog.invalidate()  # status, time and screen must be current
        show = self._catalog.showtime(showtime_id)
        member = self._access.require(user, "manage", show.theater_id)
        theater = self._catalog.theater(show.theater_id)
        screen = theater.screen(screen_id or show.screen_id)
        start, end = self._check(show, theater, screen, starts_at)
        if start == show.starts_at and screen.screen_id == show.screen_id:
            raise InvalidRequest(t("The show is already at that time on that screen."))
        layout_version = show.layout_version if screen.screen_id == show.screen_id else screen.layout_version
        version = 0
        for _attempt in range(_ATTEMPTS):
            version = self._try_move(member, show, theater, screen, start, end, layout_version)
            if version:
                break
        else:
            raise ServiceUnavailable(t("The schedule is busy just now. Please try again."))
        self._catalog.invalidate()
        log_event("showtime.moved", showtime_id=showtime_id, starts_at=iso(start), screen=screen.screen_id)
        try:
            notified = self.deliver(showtime_id)
        except ServiceUnavailable as exc:  # the move stands; the job's timer sends what is left
            log_event("showtime.move_notices_deferred", showtime_id=showtime_id, error=exc.message)
            notified = -1
        moved = self._catalog.showtime(showtime_id)
        return MovedShow(moved, max(notified, 0), notified < 0)

    def _check(self, show: Showtime, theater: Theater, screen: Screen, starts_at: datetime
               ) -> tuple[datetime, datetime]:
        if show.status == "cancelled":
            raise InvalidRequest(t("This show was cancelled; it cannot be moved."))
        now = self._clock.now()
        if show.starts_at <= now:
            raise InvalidRequest(t("This show has started; it cannot be moved."))
        if starts_at.tzinfo is None:
            raise InvalidRequest(t("Give the start time with its UTC offset, e.g. 2026-12-01T18:30:00+05:30."))
        start = starts_at.astimezone(UTC).replace(microsecond=0)
        if start <= now:
            raise InvalidRequest(t("A show must start in the future."))
        if not show.has_seats:
            raise InvalidRequest(t("Only shows with seats on a screen can be moved here."))
        if theater.kind == "venue":
            # A venue's performances claim the venue's rooms (schedule.rooms), not one screen: moving them
            # would have to claim those rooms too, which this does not do yet.
            raise InvalidRequest(t("Performances at a venue can't be moved; cancel it and schedule it again."))
        self._fits(show, screen)
        return start, start + (show.ends_at - show.starts_at)

    def _fits(self, show: Showtime, screen: Screen) -> None:
        """The new screen must seat every sold or held seat, and price every category the show sells."""
        if screen.screen_id == show.screen_id:
            return
        taken = [seat_id for seat_id, change in self._inventory.live_states(show.showtime_id).items()
                 if change.status != "available"]
        missing = sorted(seat_id for seat_id in taken
                         if (spec := screen.layout.seat(seat_id)) is None or spec.blocked)
        if missing:
            raise LayoutDoesNotFit(t("{screen} has no seats {seats}, which are sold or held for this show.",
                                     screen=screen.name, seats=", ".join(missing[:10])))
        categories = {category.code for category in screen.layout.categories}
        if not set(show.prices) <= categories:
            raise LayoutDoesNotFit(t("{screen} has other seat categories than this show; choose another screen.",
                                     screen=screen.name))

    def _try_move(self, member: StaffMember, show: Showtime, theater: Theater, screen: Screen, start: datetime,
                  end: datetime, layout_version: int) -> int:
        """One attempt; the new move_version, or 0 when a version moved (read again)."""
        old_theater_screen = theater.screen(show.screen_id)
        old_days = self._schedule.read_days(theater, old_theater_screen, show.starts_at, show.ends_at)
        new_days = self._schedule.read_days(theater, screen, start, end)
        others = [Day(day.key, day.day, day.version, {k: v for k, v in day.slots.items() if k != show.showtime_id},
                       day.exists) for day in new_days]
        conflicts = overlapping(others, start, end)
        if conflicts:
            raise ScheduleConflict(t("This screen is busy then: {ids}.", ids=", ".join(conflicts)), conflicts)
        item = {"showtime_id": show.showtime_id, "starts_at": iso(start), "ends_at": iso(end)}
        claimed = {(day.key, day.day) for day in new_days}
        # A day both left and taken is one action: taking the slot overwrites the show's old entry.
        actions = [self._schedule.free_action(day, show.showtime_id) for day in old_days
                   if (day.key, day.day) not in claimed]
        actions += [self._schedule.claim_action(day, item) for day in new_days]
        showtime_at = len(actions)
        version_now = self._move_version(show.showtime_id)
        version = version_now + 1
        now = self._clock.now()
        actions.append({"Update": {
            "TableName": self._showtimes_name, "Key": {"showtime_id": show.showtime_id},
            "UpdateExpression": "SET starts_at = :start, ends_at = :end, screen_id = :screen, "
                                "layout_version = :layout, #f = :format, move_version = :version, moved_at = :now",
            "ConditionExpression": "starts_at = :was_start AND screen_id = :was_screen AND "
                                   "(attribute_not_exists(#s) OR #s <> :cancelled) AND "
                                   "(attribute_not_exists(move_version) OR move_version = :was_version)",
            "ExpressionAttributeNames": {"#s": "status", "#f": "format"},
            "ExpressionAttributeValues": {
                ":start": iso(start), ":end": iso(end), ":screen": screen.screen_id, ":layout": layout_version,
                ":format": screen.format, ":version": version, ":now": iso(now), ":was_start": iso(show.starts_at),
                ":was_screen": show.screen_id, ":cancelled": "cancelled", ":was_version": version_now}}})
        actions.append(self._audit.put_action(
            theater.theater_id, member, "showtime.moved", show.showtime_id, now,
            {"starts_at": iso(show.starts_at), "screen_id": show.screen_id},
            {"starts_at": iso(start), "screen_id": screen.screen_id}))
        actions.append({"Put": {"TableName": self._jobs_name, "Item": {
            "screen_key": JOBS, "day": show.showtime_id, "version": version, "moved_at": iso(now),
            "from_starts_at": iso(show.starts_at), "from_screen": old_theater_screen.name}}})
        try:
            dynamo.transact_write(self._aws, actions)
        except dynamo.TransactionOutcomeUnknown:
            return self._committed(show.showtime_id, version)
        except dynamo.TransactionCancelled as exc:
            if exc.codes[showtime_at] == "ConditionalCheckFailed":
                raise InvalidRequest(t("This show changed meanwhile (moved or cancelled). Please look again.")
                                     ) from exc
            return 0
        return version

    def _move_version(self, showtime_id: str) -> int:
        item = dynamo.get_item(self._aws.table(SHOWTIMES), {"showtime_id": showtime_id}, consistent=True)
        return int(item.get("move_version", 0)) if item else 0

    def _committed(self, showtime_id: str, version: int) -> int:
        return version if self._move_version(showtime_id) == version else 0

    # The notices (a leased job) -------------------------------------------------------------------
    def pending_jobs(self) -> list[str]:
        found = dynamo.query_all(self._jobs, KeyConditionExpression=Key("screen_key").eq(JOBS), ConsistentRead=True)
        return [item["day"] for item in found.items]

    def resume_pending(self) -> int:
        """Finish the notices of every move a crash or an outage left unfinished; how many were sent."""
        sent = 0
        for showtime_id in self.pending_jobs():
            try:
                sent += max(self.deliver(showtime_id), 0)
            except DomainError as exc:
                log_event("showtime.move_notices_failed", showtime_id=showtime_id, error=exc.message)
        return sent

    def deliver(self, showtime_id: str) -> int:
        """Under the job's lease: tell each confirmed booking once; -1 when another runner holds the job."""
        job = self._take_job(showtime_id)
        if job is None:
            return -1
        self._catalog.invalidate()
        show = self._catalog.showtime(showtime_id)
        version = int(job["version"])
        sent = 0
        for booking in self._bookings.for_showtime(showtime_id):
            if booking.status == "confirmed" and int(booking.extra.get("move_version", 0) or 0) < version:
                sent += self._tell(booking, show, version, job)
        self._finish_job(showtime_id, version)
        log_event("showtime.move_notices_sent", showtime_id=showtime_id, sent=sent, version=version)
        return sent

    def _tell(self, booking: Booking, show: Showtime, version: int, job: dict[str, Any]) -> int:
        """One booking: its new time, the email and the reminder, in one transaction. 1 if this call did it."""
        if booking.starts_at == show.starts_at and booking.screen_id == show.screen_id:
            return 0  # booked after the move: it already says the new time
        theater = self._catalog.theater(show.theater_id)
        screen_name = theater.screen(show.screen_id).name
        now = iso(self._clock.now())
        moved = Booking.from_item({**booking.to_item(), "starts_at": iso(show.starts_at), "screen_id": show.screen_id,
                                   "screen_name": screen_name, "move_version": version})
        actions: list[dict[str, Any]] = [{"Update": {
            "TableName": self._bookings_name, "Key": {"booking_id": booking.booking_id},
            "UpdateExpression": "SET starts_at = :start, starts_at_local = :local, screen_id = :screen, "
                                "screen_name = :name, move_version = :version, moved_from = :from, moved_at = :now",
            "ConditionExpression": "#s = :confirmed AND "
                                   "(attribute_not_exists(move_version) OR move_version < :version)",
            "ExpressionAttributeNames": {"#s": "status"},
            "ExpressionAttributeValues": {
                ":start": iso(show.starts_at), ":local": moved.local_start().isoformat(), ":screen": show.screen_id,
                ":name": screen_name, ":version": version, ":from": iso(booking.starts_at), ":now": now,
                ":confirmed": "confirmed"}}}]
        subject, body = self._notice(booking, moved)
        actions.append(outbox_message_put(self._aws, f"{booking.booking_id}#show_moved#{version}", "show_moved",
                                          booking.email, booking.user_id, subject, body, now))
        actions += self._reminder_actions(booking, moved)
        actions += self._counters.on_move(booking, moved)  # the theater's figures follow the booking's day
        try:
            dynamo.transact_write(self._aws, actions)
        except dynamo.TransactionCancelled:
            return 0  # cancelled or told meanwhile (a concurrent runner, or this one before a lost answer)
        except dynamo.TransactionOutcomeUnknown as exc:
            raise ServiceUnavailable(t("The schedule is busy just now. Please try again.")) from exc
        return 1

    def _notice(self, before: Booking, after: Booking) -> tuple[str, str]:
        link = f"{self._settings.base_url.rstrip('/')}"
        with speaking(before.extra.get("language")):  # the language the customer booked in
            was = date_time(before.starts_at, before.timezone, year=True, zone_name=True)
            now = date_time(after.starts_at, after.timezone, year=True, zone_name=True)
            subject = t("Your show has moved: {movie}, now {when}", movie=before.movie_title,
                        when=date_time(after.starts_at, after.timezone))[:99]
            lines = [
                t("The theater has moved your show to a new time."),
                "",
                t("Was: {when}", when=was),
                t("Now: {when}", when=now),
            ]
            if before.screen_name != after.screen_name:
                lines.append(t("Screen: {old} → {new}", old=before.screen_name, new=after.screen_name))
            lines += [
                t("{movie} at {theater}. Your seats stay the same: {seats}.", movie=before.movie_title,
                  theater=before.theater_name, seats=", ".join(before.seat_ids)),
                t("Booking reference: {reference}", reference=before.reference),
                "",
                t("Your ticket is valid for the new time:"), f"{link}/ticket/{before.booking_id}",
                "",
                t("Cannot make the new time? Cancel for a full refund until the show starts, in My bookings:"),
                f"{link}/bookings",
                "",
                t("Movie Magic"),
            ]
        return subject, "\n".join(lines)

    def _reminder_actions(self, before: Booking, after: Booking) -> list[dict[str, Any]]:
        """The reminder follows the show: a pending one is moved to the new due time, or dropped when that has
        passed (this notice reminds); one already sent is written again if the new time leaves room."""
        if self._settings.reminder_hours == 0 or after.price.total <= 0 or not after.email:
            return []
        key = {"notification_id": notification_id(before.booking_id, "booking_reminder")}
        record = dynamo.get_item(self._outbox, key, consistent=True)
        due = self._reminders.due_at(after)
        now = self._clock.now()
        table = self._aws.table_name(OUTBOX)
        if record is not None and "pending" in record:
            if due <= now:
                return [{"Delete": {"TableName": table, "Key": key,
                                    "ConditionExpression": "attribute_exists(pending)"}}]
            return [{"Update": {"TableName": table, "Key": key,
                                "UpdateExpression": "SET created_at = :due, booking = :booking",
                                "ConditionExpression": "attribute_exists(pending)",
                                "ExpressionAttributeValues": {":due": iso(due), ":booking": after.to_item()}}}]
        if due <= now:
            return []
        put = self._reminders.on_sale(after)
        if put and put[0].get("Put"):
            put[0]["Put"]["Item"]["created_at"] = iso(due)
            # A sent one is replaced by the new, pending one (never while it is pending: that is the branch above).
            put[0]["Put"]["ConditionExpression"] = "attribute_not_exists(pending)"
        return put[:1]

    def _take_job(self, showtime_id: str) -> dict[str, Any] | None:
        now = self._clock.now()
        try:
            return dynamo.update_item(
                self._jobs, {"screen_key": JOBS, "day": showtime_id},
                UpdateExpression="SET lease_until = :until, lease_owner = :me",
                ConditionExpression="attribute_exists(version) AND "
                                    "(attribute_not_exists(lease_until) OR lease_until <= :now)",
                ExpressionAttributeValues={":until": iso(now + JOB_LEASE), ":me": self.worker_id, ":now": iso(now)},
                ReturnValues="ALL_NEW")
        except dynamo.ConditionFailed:
            return None

    def _finish_job(self, showtime_id: str, version: int) -> None:
        try:
            dynamo.delete_item(self._jobs, {"screen_key": JOBS, "day": showtime_id},
                               ConditionExpression="version = :version AND lease_owner = :me",
                               ExpressionAttributeValues={":version": version, ":me": self.worker_id})
        except dynamo.ConditionFailed:  # moved again meanwhile: that move's job (this item, newer) goes on
            with suppress(dynamo.ConditionFailed):
                dynamo.update_item(self._jobs, {"screen_key": JOBS, "day": showtime_id},
                                   UpdateExpression="REMOVE lease_until, lease_owner",
                                   ConditionExpression="attribute_exists(version) AND lease_owner = :me",
                                   ExpressionAttributeValues={":me": self.worker_id})


def moved_from(booking: Booking) -> datetime | None:
    """When a moved booking's show was before (UTC), for pages that say so."""
    value = booking.extra.get("moved_from")
    return parse_iso(str(value)) if value else None
