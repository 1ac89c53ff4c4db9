"""Scheduling shows on screens: never two shows on one screen at once, even when two managers schedule
at the same moment.

A show occupies its screen from its start for the film's runtime plus ``schedule_buffer_minutes``
(ads before, cleaning after). Each screen has one Schedule item per local day listing the shows that
touch that day, with a version. Scheduling reads the items of the days the new show touches
(strongly consistent), checks for overlaps, and writes the showtime together with every touched day
item in ONE transaction that requires each item's version to be the one it read (or the item to be
still missing). A concurrent change makes the transaction fail; it is then read and checked again, and
the loser sees the winner's show as a conflict. A day item is created on first use from the Showtimes
index (shows loaded by the demo, say), so shows that existed before the item count too.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from boto3.dynamodb.conditions import Key

from services.accounts.users import User
from services.catalog.catalog import CatalogService, Movie, Screen, Showtime, Theater, screen_key
from services.clock import Clock, iso, parse_iso
from services.errors import DomainError, InvalidRequest, NotFound, ServiceUnavailable
from services.i18n import t
from services.platform import dynamo
from services.platform.aws import Aws
from services.platform.logs import log_event
from services.platform.schema import SCHEDULE, SHOWTIMES
from services.settings import Settings
from services.staff.access import AccessService, StaffMember
from services.staff.audit import AuditLog

# Schedule keys of a venue's rooms (events): "<venue>.#venue" (the whole venue: one stage), "<venue>.#floor" (the
# standing floor of a venue with several halls); a hall is "<venue>.<hall>". "#" is never in a hall id.
WHOLE_VENUE, FLOOR = "#venue", "#floor"
MAX_REPEAT_SHOWS = 200  # one repeat rule makes at most this many shows (two weeks of 8 a day is 112)
_ATTEMPTS = 4


class ScheduleConflict(DomainError):
    code = "schedule_conflict"

    def __init__(self, message: str, conflicts: list[str]) -> None:
        super().__init__(message)
        self.conflicts = conflicts
        self.details = {"conflicts": conflicts}


@dataclass(frozen=True)
class ShowRequest:
    movie_id: str
    screen_id: str  # "<theater_id>.<screen_id>"
    starts_at: datetime  # aware: a local time with its offset, or UTC
    prices: dict[str, int]  # category -> minor units; missing categories take the screen's price
    language: str | None = None


@dataclass(frozen=True)
class PlannedShow:
    """One show of a repeat rule, as the preview shows it: when, and what it would collide with."""

    starts_at: datetime  # local
    ends_at: datetime  # local: when the screen is free again
    conflicts: tuple[str, ...]


@dataclass(frozen=True)
class RepeatRule:
    first_day: date
    last_day: date
    times: tuple[time, ...]  # local times of day
    weekdays: frozenset[int] = frozenset(range(7))  # Monday = 0

    def starts(self, zone: ZoneInfo) -> list[datetime]:
        if self.last_day < self.first_day:
            raise InvalidRequest(t("The last day is before the first."))
        days = (self.last_day - self.first_day).days + 1
        starts = [datetime.combine(self.first_day + timedelta(days=n), moment, tzinfo=zone)
                  for n in range(days) if (self.first_day + timedelta(days=n)).weekday() in self.weekdays
                  for moment in sorted(set(self.times))]
        if not starts:
            raise InvalidRequest(t("This rule makes no shows: choose days and times."))
        if len(starts) > MAX_REPEAT_SHOWS:
            raise InvalidRequest(t("One rule makes at most {n} shows.", n=MAX_REPEAT_SHOWS))
        return starts


class ScheduleService:
    def __init__(self, aws: Aws, clock: Clock, settings: Settings, catalog: CatalogService, access: AccessService,
                 audit: AuditLog) -> None:
        self._aws = aws
        self._clock = clock
        self._settings = settings
        self._catalog = catalog
        self._access = access
        self._audit = audit
        self._table = aws.table(SCHEDULE)
        self._table_name = aws.table_name(SCHEDULE)
        self._showtimes = aws.table(SHOWTIMES)
        self._showtimes_name = aws.table_name(SHOWTIMES)

    # Scheduling -----------------------------------------------------------------------------------
    def schedule(self, user: User | None, request: ShowRequest) -> Showtime:
        """Create one show; ScheduleConflict (with the clashing showtime ids) when the screen is busy."""
        theater, screen = self._screen(request.screen_id)
        member = self._access.require(user, "manage", theater.theater_id)
        movie = self._catalog.movie(request.movie_id)
        item = self._showtime_item(theater, screen, movie, request)
        start, end = parse_iso(item["starts_at"]), parse_iso(item["ends_at"])
        for _attempt in range(_ATTEMPTS):
            days = self.read_days(theater, screen, start, end)
            conflicts = overlapping(days, start, end)
            if conflicts:
                raise ScheduleConflict(t("This screen is busy then: {ids}.", ids=", ".join(conflicts)), conflicts)
            actions = [self.claim_action(day, item) for day in days]
            actions.append({"Put": {"TableName": self._showtimes_name, "Item": item,
                                    "ConditionExpression": "attribute_not_exists(showtime_id)"}})
            actions.append(self._audit.put_action(theater.theater_id, member, "showtime.scheduled",
                                                  item["showtime_id"], self._clock.now(), None, _summary(item)))
            if self._run(actions):
                self._catalog.invalidate()
                log_event("showtime.scheduled", showtime_id=item["showtime_id"], screen=request.screen_id)
                return self._catalog.showtime(item["showtime_id"])
        raise ServiceUnavailable(t("The schedule is busy just now. Please try again."))

    def preview(self, user: User | None, request: ShowRequest, rule: RepeatRule) -> list[PlannedShow]:
        """What a repeat rule would create, with each show's conflicts (existing shows and the rule's own)."""
        theater, screen = self._screen(request.screen_id)
        self._access.require(user, "manage", theater.theater_id)
        runtime = self._occupancy(self._catalog.movie(request.movie_id))
        planned: list[PlannedShow] = []
        cache: dict[str, Day] = {}
        for local in rule.starts(theater.tz):
            start, end = local.astimezone(UTC), local.astimezone(UTC) + runtime
            days = self.read_days(theater, screen, start, end, cache)
            clashes = overlapping(days, start, end)
            clashes += [f"{other.starts_at:%d %b %H:%M}" for other in planned if not other.conflicts
                        and other.starts_at < end and start < other.ends_at]
            planned.append(PlannedShow(local, end.astimezone(theater.tz), tuple(clashes)))
        return planned

    def schedule_repeat(self, user: User | None, request: ShowRequest, rule: RepeatRule
                        ) -> tuple[list[Showtime], list[PlannedShow]]:
        """Create every show of the rule that fits; returns (created, refused with their conflicts)."""
        created: list[Showtime] = []
        refused: list[PlannedShow] = []
        for planned in self.preview(user, request, rule):
            try:
                created.append(self.schedule(user, ShowRequest(request.movie_id, request.screen_id,
                                                               planned.starts_at, request.prices, request.language)))
            except ScheduleConflict as exc:
                refused.append(PlannedShow(planned.starts_at, planned.ends_at, tuple(exc.conflicts)))
        return created, refused

    def day_plan(self, user: User | None, qualified_screen: str, day: date) -> list[tuple[str, datetime, datetime]]:
        """The shows occupying a screen on a local day: (showtime id, local start, local end), by start."""
        theater, screen = self._screen(qualified_screen)
        self._access.require(user, "manage", theater.theater_id)
        found = self._read_day(theater, screen_key(theater.theater_id, screen.screen_id), day.isoformat(),
                               _on_screen(screen.screen_id))
        plan = [(showtime_id, parse_iso(slot["s"]).astimezone(theater.tz), parse_iso(slot["e"]).astimezone(theater.tz))
                for showtime_id, slot in found.slots.items()]
        return sorted(plan, key=lambda entry: entry[1])

    # Cancelling (the show's slot; refunds are the caller's next step) ---------------------------------
    def release(self, member: StaffMember, showtime: Showtime) -> bool:
        """Mark the show cancelled and free its screen time (a performance: its rooms), audited; False when it
        already was."""
        theater = self._catalog.theater(showtime.theater_id)
        occupied = rooms(theater, showtime.admission, showtime.screen_id)
        now = self._clock.now()
        for _attempt in range(_ATTEMPTS):
            days = [day for key, occupies in occupied
                    for day in self._days(theater, key, showtime.starts_at, showtime.ends_at, occupies)]
            actions = [self.free_action(day, showtime.showtime_id) for day in days]
            actions.append({"Update": {
                "TableName": self._showtimes_name, "Key": {"showtime_id": showtime.showtime_id},
                "UpdateExpression": "SET #s = :cancelled, cancelled_at = :now",
                "ConditionExpression": "attribute_exists(showtime_id)"
                                       " AND (attribute_not_exists(#s) OR #s <> :cancelled)",
                "ExpressionAttributeNames": {"#s": "status"},
                "ExpressionAttributeValues": {":cancelled": "cancelled", ":now": iso(now)},
            }})
            actions.append(self._audit.put_action(theater.theater_id, member, "showtime.cancelled",
                                                  showtime.showtime_id, now, {"status": showtime.status},
                                                  {"status": "cancelled"}))
            try:
                dynamo.transact_write(self._aws, actions)
            except dynamo.TransactionOutcomeUnknown:
                continue  # read again: a committed cancellation then shows as "already cancelled"
            except dynamo.TransactionCancelled as exc:
                if exc.codes[len(days)] == "ConditionalCheckFailed":  # the showtime: already cancelled
                    return False
                continue  # a day's version moved: read again
            self._catalog.invalidate()
            return True
        raise ServiceUnavailable(t("The schedule is busy just now. Please try again."))

    # Helpers ----------------------------------------------------------------------------------------
    def _screen(self, qualified: str) -> tuple[Theater, Screen]:
        theater_id, _, screen_id = qualified.rpartition(".")
        if not theater_id:
            raise NotFound(t("That screen does not exist."))
        try:
            theater = self._catalog.theater(theater_id)
        except NotFound as exc:
            raise NotFound(t("That screen does not exist.")) from exc
        return theater, theater.screen(screen_id)

    def _occupancy(self, movie: Movie) -> timedelta:
        return timedelta(minutes=movie.runtime_min + self._settings.schedule_buffer_minutes)

    def _showtime_item(self, theater: Theater, screen: Screen, movie: Movie, request: ShowRequest) -> dict[str, Any]:
        if request.starts_at.tzinfo is None:
            raise InvalidRequest(t("Give the start time with its UTC offset, e.g. 2026-12-01T18:30:00+05:30."))
        start = request.starts_at.astimezone(UTC).replace(microsecond=0)
        if start <= self._clock.now():
            raise InvalidRequest(t("A show must start in the future."))
        if movie.runtime_min <= 0:
            raise InvalidRequest(t("This movie has no runtime; set it in the catalog first."))
        categories = {category.code for category in screen.layout.categories}
        unknown = sorted(set(request.prices) - categories)
        if unknown:
            raise InvalidRequest(t("This screen has no seat category {names}.", names=", ".join(unknown)))
        prices = {**screen.prices, **request.prices}
        if any(not isinstance(price, int) or isinstance(price, bool) or not 0 < price <= 10_000_000
               for price in prices.values()):
            raise InvalidRequest(t("Prices are whole minor units (paise, cents) above zero."))
        language = request.language or (movie.languages[0] if movie.languages else "")
        if movie.languages and language not in movie.languages:
            raise InvalidRequest(t("{movie} is not available in {language}.", movie=movie.title, language=language))
        local = start.astimezone(theater.tz)
        return {
            "showtime_id": f"{theater.theater_id}.{screen.screen_id}.{local:%Y%m%d.%H%M}.{uuid.uuid4().hex[:4]}",
            "movie_id": movie.movie_id, "theater_id": theater.theater_id, "screen_id": screen.screen_id,
            "city": theater.city, "timezone": theater.timezone, "starts_at": iso(start),
            "ends_at": iso(start + self._occupancy(movie)), "language": language, "format": screen.format,
            "prices": prices, "status": "scheduled", "layout_version": screen.layout_version,
        }

    # Rooms other than a cinema's screens (a venue's stage, hall or standing floor: events) ----------------
    def room_claims(self, theater: Theater, room: str, showtime_id: str, start: datetime, end: datetime,
                    occupies: Callable[[dict[str, Any]], bool]) -> list[dict[str, Any]]:
        """The transaction actions that claim ``room`` (a Schedule key) for a new show from ``start`` to ``end``,
        each conditional on the day item's version read now; ScheduleConflict (the clashing ids) when the
        room is taken then. ``occupies``: whether a Showtimes item uses this room (a day item not yet written
        is built from the index, as for screens). The caller writes the show in the same transaction and, when
        it is cancelled, calls again: a racing show is then read and refused as a conflict."""
        days = self._days(theater, room, start, end, occupies)
        conflicts = overlapping(days, start, end)
        if conflicts:
            raise ScheduleConflict(t("The venue is busy then: {ids}.", ids=", ".join(conflicts)), conflicts)
        item = {"showtime_id": showtime_id, "starts_at": iso(start), "ends_at": iso(end)}
        return [self.claim_action(day, item) for day in days]

    def read_days(self, theater: Theater, screen: Screen, start: datetime, end: datetime,
                  cache: dict[str, Day] | None = None) -> list[Day]:
        """The screen's day items that [start, end) touches, with their versions (also for moving a show)."""
        key = screen_key(theater.theater_id, screen.screen_id)
        return self._days(theater, key, start, end, _on_screen(screen.screen_id), cache)

    def _days(self, theater: Theater, key: str, start: datetime, end: datetime,
              occupies: Callable[[dict[str, Any]], bool], cache: dict[str, Day] | None = None) -> list[Day]:
        first = start.astimezone(theater.tz).date()
        last = (end - timedelta(seconds=1)).astimezone(theater.tz).date()
        days = []
        for offset in range((last - first).days + 1):
            day = (first + timedelta(days=offset)).isoformat()
            if cache is not None and day in cache:
                days.append(cache[day])
                continue
            found = self._read_day(theater, key, day, occupies)
            if cache is not None:
                cache[day] = found
            days.append(found)
        return days

    def _read_day(self, theater: Theater, key: str, day: str, occupies: Callable[[dict[str, Any]], bool]) -> Day:
        item = dynamo.get_item(self._table, {"screen_key": key, "day": day}, consistent=True,
                               message=t("The schedule cannot be read just now. Please try again."))
        if item is not None:
            return Day(key, day, int(item["version"]), dict(item.get("slots", {})), exists=True)
        return Day(key, day, 0, self._slots_from_index(theater, day, occupies), exists=False)

    def _slots_from_index(self, theater: Theater, day: str,
                          occupies: Callable[[dict[str, Any]], bool]) -> dict[str, dict[str, str]]:
        """The shows in one room touching a local day, from the Showtimes index (one Query, by city)."""
        local_start = datetime.combine(date.fromisoformat(day), time(0), tzinfo=theater.tz)
        window_start, window_end = local_start - timedelta(hours=12), local_start + timedelta(days=1)
        found = dynamo.query_all(
            self._showtimes, IndexName="by-city-start",
            KeyConditionExpression=Key("city").eq(theater.city)
            & Key("starts_at").between(iso(window_start.astimezone(UTC)), iso(window_end.astimezone(UTC))),
            message=t("The schedule cannot be read just now. Please try again."))
        return {item["showtime_id"]: {"s": item["starts_at"], "e": item["ends_at"]} for item in found.items
                if item["theater_id"] == theater.theater_id and occupies(item)
                and item.get("status") != "cancelled" and parse_iso(item["ends_at"]) > local_start.astimezone(UTC)}

    def claim_action(self, day: Day, item: dict[str, Any]) -> dict[str, Any]:
        """The transaction step that puts a show on a day, conditional on the day's version."""
        slot = {"s": item["starts_at"], "e": item["ends_at"]}
        if not day.exists:
            return {"Put": {"TableName": self._table_name,
                            "Item": {"screen_key": day.key, "day": day.day, "version": 1,
                                     "slots": {**day.slots, item["showtime_id"]: slot}},
                            "ConditionExpression": "attribute_not_exists(screen_key)"}}
        return {"Update": {
            "TableName": self._table_name, "Key": {"screen_key": day.key, "day": day.day},
            "UpdateExpression": "SET slots.#id = :slot, version = :next",
            "ConditionExpression": "version = :read",
            "ExpressionAttributeNames": {"#id": item["showtime_id"]},
            "ExpressionAttributeValues": {":slot": slot, ":next": day.version + 1, ":read": day.version},
        }}

    def free_action(self, day: Day, showtime_id: str) -> dict[str, Any]:
        """The transaction step that takes a show off a day, conditional on the day's version."""
        if not day.exists:  # written from the index without this show, unless someone creates it meanwhile
            return {"Put": {"TableName": self._table_name,
                            "Item": {"screen_key": day.key, "day": day.day, "version": 1,
                                     "slots": {k: v for k, v in day.slots.items() if k != showtime_id}},
                            "ConditionExpression": "attribute_not_exists(screen_key)"}}
        return {"Update": {
            "TableName": self._table_name, "Key": {"screen_key": day.key, "day": day.day},
            "UpdateExpression": "REMOVE slots.#id SET version = :next",
            "ConditionExpression": "version = :read",
            "ExpressionAttributeNames": {"#id": showtime_id},
            "ExpressionAttributeValues": {":next": day.version + 1, ":read": day.version},
        }}

    def _run(self, actions: list[dict[str, Any]]) -> bool:
        """True when the transaction committed; False when a version moved (read again and retry)."""
        try:
            dynamo.transact_write(self._aws, actions)
        except dynamo.TransactionCancelled:
            return False
        except dynamo.TransactionOutcomeUnknown:
            return False  # the retry re-reads: if it did commit, the showtime's own slot is found as a conflict
        return True


@dataclass(frozen=True)
class Day:
    key: str
    day: str  # local date, ISO
    version: int
    slots: dict[str, dict[str, str]]  # showtime_id -> {"s": start, "e": end} (UTC ISO)
    exists: bool


def rooms(theater: Theater, admission: str, hall: str) -> list[tuple[str, Callable[[dict[str, Any]], bool]]]:
    """The Schedule keys a show or performance occupies, each with how to tell a stored show that uses it.

    At a cinema, its screen (films, and events played there: they never overlap). A venue with at most one hall
    is one stage: every performance there occupies the whole venue. A venue with several halls: a seated
    performance its hall, a general-admission one the standing floor, a mixed one both."""
    if theater.kind != "venue":
        return [(screen_key(theater.theater_id, hall), _on_screen(hall))]
    if len(theater.screens) <= 1:
        return [(screen_key(theater.theater_id, WHOLE_VENUE), lambda item: True)]
    found: list[tuple[str, Callable[[dict[str, Any]], bool]]] = []
    if admission != "general":
        found.append((screen_key(theater.theater_id, hall), _on_screen(hall)))
    if admission != "seated":
        found.append((screen_key(theater.theater_id, FLOOR),
                      lambda item: item.get("admission") in ("general", "mixed")))
    return found


def _on_screen(screen_id: str) -> Callable[[dict[str, Any]], bool]:
    """Whether a Showtimes item is on this screen (building a screen's day item from the index)."""
    return lambda item: bool(item["screen_id"] == screen_id)


def overlapping(days: list[Day], start: datetime, end: datetime) -> list[str]:
    found = {showtime_id for day in days for showtime_id, slot in day.slots.items()
             if parse_iso(slot["s"]) < end and start < parse_iso(slot["e"])}
    return sorted(found)


def _summary(item: dict[str, Any]) -> dict[str, Any]:
    return {key: item[key] for key in ("movie_id", "screen_id", "starts_at", "ends_at", "language", "prices")}
