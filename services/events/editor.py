"""Staff editing of events (issue 17): event listings, venues, performances and their ticket types and quotas.

Every change is one transaction with its audit entry. Events and venues are catalog-wide (admins; audit scope
"global"); a performance and its ticket types belong to their venue's theater (its managers; audit scope that
theater). Performances never overlap in one room: each claims its rooms' Schedule day items like a screen's show
(``ScheduleService.room_claims``, versioned, in the performance's own transaction; ``schedule.rooms`` says which).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from services.accounts.users import User
from services.catalog.catalog import CatalogService
from services.catalog.models import Movie, Theater
from services.catalog.posters import PosterStore
from services.clock import Clock, iso, parse_iso
from services.errors import InvalidRequest, NotFound, ServiceUnavailable
from services.events.models import TicketType
from services.events.quotas import QuotaService
from services.i18n import t
from services.platform import dynamo
from services.platform.aws import Aws
from services.platform.schema import MOVIES, SHOWTIMES, THEATERS
from services.staff.access import AccessService
from services.staff.audit import AuditLog
from services.staff.schedule import ScheduleService, rooms

EVENT_KINDS = ("concert", "comedy", "theatre", "sport screening", "workshop", "festival")
ADMISSIONS = ("seated", "general", "mixed")
_ATTEMPTS = 4  # reads-and-writes of one new performance while other schedule changes race it
# What the audit log keeps of an event's and a venue's edit (before and after).
_EVENT_AUDIT = ("title", "kind", "tagline", "cast", "genres", "languages", "certificate", "runtime_min", "synopsis")
_VENUE_AUDIT = ("name", "city", "address", "timezone", "map_url")
_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    return _SLUG.sub("-", text.casefold()).strip("-")[:60]


@dataclass(frozen=True)
class PerformanceDraft:
    event_id: str
    venue_id: str  # a theater of kind "venue" (or a cinema)
    starts_at: datetime  # UTC
    admission: str  # "seated", "general" or "mixed"
    screen_id: str = ""  # the hall, for seated and mixed
    language: str = ""
    prices: dict[str, int] = field(default_factory=dict)  # seat category -> minor units (seated, mixed)
    ticket_types: tuple[TicketType, ...] = ()  # general and mixed


class EventEditor:
    def __init__(self, aws: Aws, clock: Clock, catalog: CatalogService, quotas: QuotaService, access: AccessService,
                 audit: AuditLog, schedule: ScheduleService, posters: PosterStore) -> None:
        self._aws = aws
        self._posters = posters
        self._movies = aws.table(MOVIES)
        self._schedule = schedule
        self._clock = clock
        self._catalog = catalog
        self._quotas = quotas
        self._access = access
        self._audit = audit
        self.movies_table = aws.table_name(MOVIES)
        self.theaters_table = aws.table_name(THEATERS)
        self._theaters = aws.table(THEATERS)
        self.showtimes_table = aws.table_name(SHOWTIMES)

    # Events and venues (admins) ---------------------------------------------------------------------
    def save_event(self, user: User | None, event: Movie) -> Movie:
        """Create or replace an event listing (never a movie: the condition says the id is free or an event).
        Editing keeps what the form does not carry (the uploaded poster, the rating) as stored when read; a
        poster uploaded meanwhile makes the save fail rather than be dropped."""
        member = self._access.require(user, "admin")
        if not event.is_event or event.kind not in EVENT_KINDS:
            raise InvalidRequest(t("Please choose the kind of event."))
        if not event.title.strip() or not slug(event.movie_id):
            raise InvalidRequest(t("An event needs a title."))
        if event.runtime_min < 0:
            raise InvalidRequest(t("The duration cannot be negative."))
        stored = dynamo.get_item(self._movies, {"movie_id": event.movie_id}, consistent=True,
                                 message=t("The change could not be saved just now. Please try again."))
        if stored is not None and stored.get("catalog") != "event":
            raise InvalidRequest(t("That id belongs to a movie, not an event."))
        item: dict[str, Any] = {
            "movie_id": event.movie_id, "catalog": "event", "kind": event.kind, "title": event.title.strip(),
            "tagline": event.tagline, "genres": list(event.genres), "languages": list(event.languages),
            "certificate": event.certificate, "runtime_min": event.runtime_min, "cast": list(event.cast),
            "synopsis": event.synopsis, "poster": event.poster, "director": event.director,
            "rating": (stored or {}).get("rating", 0), "votes": (stored or {}).get("votes", 0),
            "release_date": event.release_date,
        }
        put: dict[str, Any] = {"TableName": self.movies_table, "Item": item,
                               "ExpressionAttributeNames": {"#c": "catalog"}}  # CATALOG is a reserved word
        if stored is None:
            put["ConditionExpression"] = "attribute_not_exists(movie_id) OR #c = :event"
            put["ExpressionAttributeValues"] = {":event": "event"}
        elif stored.get("poster_key"):
            item["poster_key"] = stored["poster_key"]
            put["ConditionExpression"] = "#c = :event AND poster_key = :poster"
            put["ExpressionAttributeValues"] = {":event": "event", ":poster": stored["poster_key"]}
        else:
            put["ConditionExpression"] = "#c = :event AND attribute_not_exists(poster_key)"
            put["ExpressionAttributeValues"] = {":event": "event"}
        now = self._clock.now().replace(microsecond=0)
        before = {name: stored.get(name) for name in _EVENT_AUDIT} if stored else None
        self._write([
            {"Put": put},
            self._audit.put_action("global", member, "event.saved", event.movie_id, now, before=before,
                                   after={name: item.get(name) for name in _EVENT_AUDIT}),
        ], t("That event was changed meanwhile (or its id belongs to a movie). Please look at it again."))
        self._catalog.invalidate()
        return event

    def upload_poster(self, user: User | None, event_id: str, data: bytes) -> str:
        """An uploaded image as the event's poster, through the movies' pipeline (``PosterStore``: checked by
        content, resized, stored under a content-addressed key); returns its S3 stem. Admins; audited."""
        member = self._access.require(user, "admin")
        stored = dynamo.get_item(self._movies, {"movie_id": event_id}, consistent=True,
                                 message=t("The change could not be saved just now. Please try again."))
        if stored is None or stored.get("catalog") != "event":
            raise NotFound(t("That event does not exist."))
        # Stored before the item points at it: a failed write leaves an unused image, never a broken poster.
        stem = self._posters.store(event_id, data)
        self._write([
            {"Update": {"TableName": self.movies_table, "Key": {"movie_id": event_id},
                        "UpdateExpression": "SET poster_key = :key",
                        "ConditionExpression": "#c = :event",
                        "ExpressionAttributeNames": {"#c": "catalog"},
                        "ExpressionAttributeValues": {":key": stem, ":event": "event"}}},
            self._audit.put_action("global", member, "event.poster", event_id, self._clock.now(),
                                   {"poster_key": stored.get("poster_key", "")}, {"poster_key": stem}),
        ], t("That event does not exist."))
        self._catalog.invalidate()
        return stem

    def save_venue(self, user: User | None, venue: Theater) -> Theater:
        """Create or replace a venue (a theater of kind "venue"; its halls, if any, keep their layouts). Its city
        and time zone stay as they are while it has upcoming performances (they are listed by city and their
        local times are the venue's)."""
        member = self._access.require(user, "admin")
        if not venue.name.strip() or not venue.city.strip() or not slug(venue.theater_id):
            raise InvalidRequest(t("A venue needs a name and a city."))
        try:
            venue.tz  # noqa: B018 - a bad timezone name raises here, before anything is written
        except Exception as exc:
            raise InvalidRequest(t("{zone} is not a timezone.", zone=venue.timezone)) from exc
        item: dict[str, Any] = {
            "theater_id": venue.theater_id, "name": venue.name.strip(), "city": venue.city.strip(),
            "address": venue.address, "timezone": venue.timezone, "kind": "venue", "map_url": venue.map_url,
            "catalog": "theater", "city_name": f"{venue.city.strip()}#{venue.name.strip()}",
        }
        # The halls (seat layouts) stay as stored: the staff layout editor changes those.
        stored = dynamo.get_item(self._theaters, {"theater_id": venue.theater_id}, consistent=True,
                                 message=t("The venue could not be saved just now. Please try again."))
        item["screens"] = (stored or {}).get("screens", [])
        if stored is not None and (stored.get("city"), stored.get("timezone")) != (item["city"], item["timezone"]):
            upcoming = [show for show in self._catalog.upcoming_in_city(str(stored.get("city", "")), listing="event")
                        if show.theater_id == venue.theater_id]
            if upcoming:
                raise InvalidRequest(t("This venue has upcoming performances: its city and time zone cannot change."))
        now = self._clock.now().replace(microsecond=0)
        self._write([
            {"Put": {"TableName": self.theaters_table, "Item": item,
                     "ConditionExpression": "attribute_not_exists(theater_id) OR #k = :venue",
                     "ExpressionAttributeNames": {"#k": "kind"},
                     "ExpressionAttributeValues": {":venue": "venue"}}},
            self._audit.put_action("global", member, "venue.saved", venue.theater_id, now,
                                   before={name: stored.get(name) for name in _VENUE_AUDIT} if stored else None,
                                   after={name: item.get(name) for name in _VENUE_AUDIT}),
        ], t("That id belongs to a cinema, not a venue."))
        self._catalog.invalidate()
        return venue

    def _write(self, actions: list[dict[str, Any]], refused: str) -> None:
        """A catalog write with its audit entry; ``refused``: why its condition failed (a client mistake)."""
        try:
            dynamo.transact_write(self._aws, actions, t("The change could not be saved just now. Please try again."))
        except dynamo.TransactionCancelled as exc:
            raise InvalidRequest(refused) from exc

    # Performances and ticket types (the venue's managers) -------------------------------------------
    def add_performance(self, user: User | None, draft: PerformanceDraft) -> str:
        """A new performance with its ticket types, in one transaction; returns its showtime id."""
        venue = self._catalog.theater(draft.venue_id)
        member = self._access.require(user, "manage", venue.theater_id)
        event = self._catalog.movies([draft.event_id]).get(draft.event_id)
        if event is None or not event.is_event:
            raise NotFound(t("That event does not exist."))
        if draft.admission not in ADMISSIONS:
            raise InvalidRequest(t("Please choose seated, general admission or mixed."))
        if draft.starts_at <= self._clock.now():
            raise InvalidRequest(t("A performance must start in the future."))
        if draft.admission != "general":
            screen = venue.screen(draft.screen_id)  # NotFound for a hall the venue does not have
            in_use = {seat.category for seat in screen.layout.seats if not seat.blocked}
            if any(code not in draft.prices for code in in_use):
                raise InvalidRequest(t("Please price every seat category of the hall."))
        if draft.admission != "seated" and not draft.ticket_types:
            raise InvalidRequest(t("Please add at least one ticket type."))
        if len(draft.ticket_types) > 20:
            raise InvalidRequest(t("At most 20 ticket types per performance."))
        local = draft.starts_at.astimezone(venue.tz)
        showtime_id = f"{venue.theater_id}.{draft.screen_id or 'ga'}.{local:%Y%m%d.%H%M}.{slug(draft.event_id)[:20]}"
        item: dict[str, Any] = {
            "showtime_id": showtime_id, "movie_id": event.movie_id, "listing": "event", "admission": draft.admission,
            "theater_id": venue.theater_id, "screen_id": draft.screen_id if draft.admission != "general" else "",
            "city": venue.city, "timezone": venue.timezone, "starts_at": iso(draft.starts_at),
            "ends_at": iso(draft.starts_at + timedelta(minutes=max(event.runtime_min, 30))),
            "language": draft.language or (event.languages[0] if event.languages else ""),
            "format": "Live", "prices": dict(draft.prices) if draft.admission != "general" else {},
        }
        now = self._clock.now().replace(microsecond=0)
        start, end = draft.starts_at, parse_iso(item["ends_at"])
        for _attempt in range(_ATTEMPTS):
            # Each room the performance uses, claimed like a screen's time (ScheduleConflict when taken): two
            # performances racing for one room both read its day items, one commits, the other reads again.
            actions = [claim for room, occupies in rooms(venue, draft.admission, draft.screen_id)
                       for claim in self._schedule.room_claims(venue, room, showtime_id, start, end, occupies)]
            claims = len(actions)
            actions.append({"Put": {"TableName": self.showtimes_table, "Item": item,
                                    "ConditionExpression": "attribute_not_exists(showtime_id)"}})
            actions += [self._quotas.add_ticket_type_action(showtime_id, ticket) for ticket in draft.ticket_types]
            actions.append(self._audit.put_action(venue.theater_id, member, "performance.added", showtime_id, now,
                                                  before=None, after={"event_id": event.movie_id,
                                                                      "admission": draft.admission}))
            try:
                dynamo.transact_write(self._aws, actions, t("The performance could not be saved. Please try again."))
            except dynamo.TransactionCancelled as exc:
                if any(exc.codes[claims:]):
                    raise InvalidRequest(t("That performance (or one of its ticket types) already exists.")) from exc
                continue  # a room's day changed meanwhile: read it again (a racing performance is a conflict)
            self._catalog.invalidate()
            return showtime_id
        raise ServiceUnavailable(t("The schedule is busy just now. Please try again."))

    def save_ticket_type(self, user: User | None, showtime_id: str, ticket: TicketType) -> TicketType:
        """Add a ticket type to a performance, or change one (price, limit, sales window, early bird, capacity:
        never below what is already sold or held). Returns it as stored, with its counters."""
        showtime = self._catalog.showtime(showtime_id)
        member = self._access.require(user, "manage", showtime.theater_id)
        if not showtime.has_ticket_types:
            raise InvalidRequest(t("This performance sells numbered seats only."))
        existing = {known.type_id: known for known in self._quotas.ticket_types(showtime_id)}
        current = existing.get(ticket.type_id)
        if current is None:
            action = self._quotas.add_ticket_type_action(showtime_id, ticket)
        else:
            action = self._quotas.update_ticket_type_action(showtime_id, current, ticket)
        now = self._clock.now().replace(microsecond=0)
        audit = self._audit.put_action(showtime.theater_id, member, "ticket_type.saved",
                                       f"{showtime_id}#{ticket.type_id}", now,
                                       before=current.to_item() if current else None, after=ticket.to_item())
        message = t("The ticket type could not be saved. Please try again.")
        try:
            dynamo.transact_write(self._aws, [action, audit], message)
        except dynamo.TransactionCancelled as exc:
            if current is None:
                raise InvalidRequest(t("That ticket type was just added by someone else.")) from exc
            raise InvalidRequest(t("The capacity cannot go below the {n} tickets already sold or held.",
                                   n=current.held + current.sold)) from exc
        return next(saved for saved in self._quotas.ticket_types(showtime_id) if saved.type_id == ticket.type_id)


