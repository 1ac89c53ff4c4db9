"""Loads the demo events (``assets/catalog/events.json``): venues, event listings, and performances with their
general-admission ticket types, scheduled relative to today in each venue's local time (like the demo movies).

Idempotent: what exists is left alone (sold counters are never reset), so every start only adds the
performances that have come into the window.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from services.clock import Clock, iso
from services.events.models import TicketType
from services.events.quotas import TYPE_PREFIX
from services.platform import dynamo
from services.platform.aws import Aws
from services.platform.schema import MOVIES, QUOTAS, SHOWTIMES, THEATERS, Table


@dataclass(frozen=True)
class EventsReport:
    events: int
    venues: int
    performances: int


class DemoEvents:
    def __init__(self, aws: Aws, clock: Clock, catalog_dir: Path) -> None:
        self._aws = aws
        self._clock = clock
        self._dir = catalog_dir

    def load(self) -> EventsReport:
        data = json.loads((self._dir / "events.json").read_text(), parse_float=Decimal)
        layouts = {path.stem: json.loads(path.read_text()) for path in sorted((self._dir / "layouts").glob("*.json"))}
        venues = {venue["theater_id"]: venue for venue in data["venues"]}
        events = {event["movie_id"]: event for event in data["events"]}
        venue_items = [_venue_item(venue, layouts) for venue in venues.values()]
        event_items = [{key: value for key, value in event.items() if key != "palette"} | {"catalog": "event"}
                       for event in events.values()]
        showtimes: list[dict[str, Any]] = []
        quotas: list[dict[str, Any]] = []
        for performance in data["performances"]:
            for item, ticket_types in self._schedule(performance, venues[performance["venue_id"]],
                                                     events[performance["event_id"]]):
                showtimes.append(item)
                quotas += [{**ticket.to_item(), "showtime_id": item["showtime_id"],
                            "quota_key": TYPE_PREFIX + ticket.type_id, "free": ticket.capacity, "held": 0, "sold": 0}
                           for ticket in ticket_types]
        report = EventsReport(
            venues=self._put_missing(THEATERS, ("theater_id",), venue_items),
            events=self._put_missing(MOVIES, ("movie_id",), event_items),
            performances=self._put_missing(SHOWTIMES, ("showtime_id",), showtimes),
        )
        self._put_missing(QUOTAS, ("showtime_id", "quota_key"), quotas)
        return report

    def _schedule(self, performance: dict[str, Any], venue: dict[str, Any],
                  event: dict[str, Any]) -> list[tuple[dict[str, Any], list[TicketType]]]:
        zone = ZoneInfo(venue["timezone"])
        today = self._clock.now().astimezone(zone).date()
        screen_id = performance.get("screen_id", "")
        prices: dict[str, Any] = next(
            (screen["prices"] for screen in venue["screens"] if screen["screen_id"] == screen_id), {})
        found = []
        for offset in performance["days"]:
            day = today + timedelta(days=int(offset))
            local_start = datetime.combine(day, time.fromisoformat(performance["time"]), tzinfo=zone)
            starts_at = local_start.astimezone(UTC)
            clock_time = performance["time"].replace(":", "")
            showtime_id = f"{venue['theater_id']}.{screen_id or 'ga'}.{day:%Y%m%d}.{clock_time}"
            item = {
                "showtime_id": showtime_id, "movie_id": event["movie_id"], "listing": "event",
                "admission": performance["admission"], "theater_id": venue["theater_id"], "screen_id": screen_id,
                "city": venue["city"], "timezone": venue["timezone"], "starts_at": iso(starts_at),
                "ends_at": iso(starts_at + timedelta(minutes=int(event["runtime_min"]))),
                "language": performance["language"], "format": "Live", "prices": prices,
            }
            tickets = [_ticket(spec, starts_at) for spec in performance.get("ticket_types", [])]
            found.append((item, tickets))
        return found

    def _put_missing(self, table: Table, key: tuple[str, ...], items: list[dict[str, Any]]) -> int:
        """Write each item only where none exists (a conditional put: an edited or sold item is left alone)."""
        written = 0
        target = self._aws.table(table)
        for item in items:
            try:
                dynamo.put_item(target, item, ConditionExpression=f"attribute_not_exists({key[0]})")
                written += 1
            except dynamo.ConditionFailed:
                pass
        return written


def _ticket(spec: dict[str, Any], starts_at: datetime) -> TicketType:
    early_days = spec.get("early_days_before")
    return TicketType(
        type_id=spec["type_id"], name=spec["name"], capacity=int(spec["capacity"]), price=int(spec["price"]),
        per_order_limit=int(spec["per_order_limit"]), position=int(spec.get("position", 0)),
        early_price=int(spec["early_price"]) if spec.get("early_price") is not None else None,
        early_until=starts_at - timedelta(days=int(early_days)) if early_days is not None else None,
    )


def _venue_item(venue: dict[str, Any], layouts: dict[str, dict[str, Any]]) -> dict[str, Any]:
    screens = [{key: value for key, value in screen.items() if key != "layout_id"}
               | {"layout": layouts[screen["layout_id"]]} for screen in venue["screens"]]
    return {**venue, "screens": screens, "kind": "venue", "catalog": "theater",
            "city_name": f"{venue['city']}#{venue['name']}"}
