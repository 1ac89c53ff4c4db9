"""The theater's figures: sales, refunds, occupancy, admissions (no-shows), category mix and how early
tickets are bought, per day and per show, for a theater and a date range.

Reads only aggregates (services/booking/counters.py: updated in the same transactions that sell,
cancel and admit) and the theater's showtimes for the seats offered: the cost depends on the days and
shows in the range, never on the number of bookings. Each report says how many requests and items it
read (the bench prints them).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from boto3.dynamodb.conditions import Key

from services.accounts.users import User
from services.booking.counters import LEAD_BUCKETS
from services.catalog.catalog import CatalogService, Showtime, Theater
from services.clock import iso
from services.errors import InvalidRequest
from services.i18n import t
from services.platform import dynamo
from services.platform.aws import Aws
from services.platform.schema import REPORTS, SHOWTIMES
from services.staff.access import AccessService

MAX_DAYS = 92


@dataclass(frozen=True)
class DayFigures:
    date: date
    tickets_sold: int
    tickets_refunded: int
    gross: int
    refunds: int
    admitted: int
    seats_offered: int
    shows: int
    categories: dict[str, int]
    lead: dict[str, int]

    @property
    def net_tickets(self) -> int:
        return self.tickets_sold - self.tickets_refunded

    @property
    def occupancy(self) -> float:
        return round(self.net_tickets / self.seats_offered, 4) if self.seats_offered else 0.0


@dataclass(frozen=True)
class ShowFigures:
    showtime_id: str
    starts_at: datetime  # local
    movie_id: str
    movie_title: str
    screen_id: str
    seats: int
    tickets_sold: int
    tickets_refunded: int
    admitted: int
    gross: int

    @property
    def net_tickets(self) -> int:
        return self.tickets_sold - self.tickets_refunded

    @property
    def occupancy(self) -> float:
        return round(self.net_tickets / self.seats, 4) if self.seats else 0.0


@dataclass
class TheaterReport:
    theater: Theater
    first: date
    last: date
    days: list[DayFigures]
    shows: list[ShowFigures]
    requests: int = 0
    items_read: int = 0
    movie_titles: dict[str, str] = field(default_factory=dict)

    def totals(self) -> dict[str, int]:
        sold = sum(day.tickets_sold for day in self.days)
        refunded = sum(day.tickets_refunded for day in self.days)
        return {"tickets_sold": sold, "tickets_refunded": refunded, "net": sold - refunded,
                "gross": sum(day.gross for day in self.days), "refunds": sum(day.refunds for day in self.days),
                "admitted": sum(day.admitted for day in self.days),
                "seats_offered": sum(day.seats_offered for day in self.days)}

    def no_show_rate(self, now: datetime) -> float:
        """Share of the valid tickets of shows that have started whose holders never came in."""
        started = [show for show in self.shows if show.starts_at <= now]
        net = sum(show.net_tickets for show in started)
        admitted = sum(min(show.admitted, show.net_tickets) for show in started)
        return round(1 - admitted / net, 4) if net else 0.0

    def occupancy_by(self, attribute: str) -> list[tuple[str, float]]:
        """Occupancy grouped by a show attribute ("movie_title", "screen_id"), best first."""
        sold: dict[str, int] = {}
        seats: dict[str, int] = {}
        for show in self.shows:
            key = str(getattr(show, attribute))
            sold[key] = sold.get(key, 0) + show.net_tickets
            seats[key] = seats.get(key, 0) + show.seats
        rows = [(key, round(sold[key] / seats[key], 4) if seats[key] else 0.0) for key in sold]
        return sorted(rows, key=lambda row: (-row[1], row[0]))

    def lead_totals(self) -> dict[str, int]:
        return {name: sum(day.lead.get(name, 0) for day in self.days) for name, _limit in LEAD_BUCKETS}

    def category_totals(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for day in self.days:
            for category, count in day.categories.items():
                totals[category] = totals.get(category, 0) + count
        return totals


class ReportService:
    def __init__(self, aws: Aws, catalog: CatalogService, access: AccessService) -> None:
        self._reports = aws.table(REPORTS)
        self._showtimes = aws.table(SHOWTIMES)
        self._catalog = catalog
        self._access = access

    def report(self, user: User | None, theater_id: str, first: date, last: date) -> TheaterReport:
        theater = self._catalog.theater(theater_id)
        self._access.require(user, "manage", theater.theater_id)
        if last < first:
            raise InvalidRequest(t("The end date is before the start date."))
        if (last - first).days + 1 > MAX_DAYS:
            raise InvalidRequest(t("A report covers at most {n} days.", n=MAX_DAYS))
        report = TheaterReport(theater, first, last, [], [])
        day_items = self._query(report, self._reports, Key("scope").eq(f"day#{theater_id}")
                                & Key("key").between(first.isoformat(), last.isoformat()))
        show_items = self._query(report, self._reports, Key("scope").eq(f"show#{theater_id}")
                                 & Key("key").between(f"{first.isoformat()}#", f"{last.isoformat()}#~"))
        showtimes = self._showtimes_of(report, theater, first, last)
        report.days = _days(first, last, {item["key"]: item for item in day_items}, showtimes, self._catalog)
        report.shows = _shows(show_items, showtimes, self._catalog, theater)
        return report

    def _query(self, report: TheaterReport, table: Any, condition: Any, **extra: Any) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        for response in dynamo.query_pages(table, message=t("The figures cannot be read just now. Please try again."),
                                           KeyConditionExpression=condition, **extra):
            report.requests += 1
            report.items_read += int(response.get("ScannedCount", len(response["Items"])))
            items += response["Items"]
        return items

    def _showtimes_of(self, report: TheaterReport, theater: Theater, first: date, last: date) -> list[Showtime]:
        """The theater's shows in the range (one index Query over its city's shows of those days)."""
        start = datetime.combine(first, time(0), tzinfo=theater.tz).astimezone(UTC)
        end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=theater.tz).astimezone(UTC)
        items = self._query(report, self._showtimes, Key("city").eq(theater.city)
                            & Key("starts_at").between(iso(start), iso(end)), IndexName="by-city-start")
        return [self._catalog.showtime_from_item(item) for item in items
                if item["theater_id"] == theater.theater_id and item.get("status") != "cancelled"]


def _capacity(catalog: CatalogService, showtime: Showtime) -> int:
    return sum(1 for seat in catalog.layout_of(showtime).seats if not seat.blocked)


def _days(first: date, last: date, items: dict[str, dict[str, Any]], showtimes: list[Showtime],
          catalog: CatalogService) -> list[DayFigures]:
    offered: dict[date, int] = {}
    shows: dict[date, int] = {}
    for showtime in showtimes:
        offered[showtime.local_date()] = offered.get(showtime.local_date(), 0) + _capacity(catalog, showtime)
        shows[showtime.local_date()] = shows.get(showtime.local_date(), 0) + 1
    days = []
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        item = items.get(day.isoformat(), {})
        days.append(DayFigures(
            date=day, tickets_sold=int(item.get("tickets_sold", 0)),
            tickets_refunded=int(item.get("tickets_refunded", 0)), gross=int(item.get("gross", 0)),
            refunds=int(item.get("refunds", 0)), admitted=int(item.get("admitted", 0)),
            seats_offered=offered.get(day, 0), shows=shows.get(day, 0),
            categories={name[4:]: int(value) for name, value in item.items() if name.startswith("cat_")},
            lead={name: int(item.get(f"lead_{name}", 0)) for name, _limit in LEAD_BUCKETS},
        ))
    return days


def _shows(items: list[dict[str, Any]], showtimes: list[Showtime], catalog: CatalogService,
           theater: Theater) -> list[ShowFigures]:
    # A moved show has an item under each local date it had (services/booking/counters.py on_move: its
    # bookings' figures move to the new date's); summed, they are the show's figures wherever they stand.
    counted: dict[str, dict[str, int]] = {}
    for item in items:
        if "showtime_id" in item:
            figures = counted.setdefault(item["showtime_id"], {})
            for name in ("tickets_sold", "tickets_refunded", "admitted", "gross"):
                figures[name] = figures.get(name, 0) + int(item.get(name, 0))
    shows = []
    movies = catalog.movies({showtime.movie_id for showtime in showtimes})
    for showtime in sorted(showtimes, key=lambda s: s.starts_at):
        item = counted.get(showtime.showtime_id, {})
        movie = movies.get(showtime.movie_id)
        shows.append(ShowFigures(
            showtime_id=showtime.showtime_id, starts_at=showtime.local_start(), movie_id=showtime.movie_id,
            movie_title=movie.title if movie else showtime.movie_id, screen_id=showtime.screen_id,
            seats=_capacity(catalog, showtime), tickets_sold=int(item.get("tickets_sold", 0)),
            tickets_refunded=int(item.get("tickets_refunded", 0)), admitted=int(item.get("admitted", 0)),
            gross=int(item.get("gross", 0)),
        ))
    return shows


def to_csv(report: TheaterReport) -> str:
    """The report as CSV: one row per day, then one row per show (for a spreadsheet)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["date", "shows", "tickets_sold", "tickets_refunded", "gross_minor", "refunds_minor",
                     "admitted", "seats_offered", "occupancy"])
    for day in report.days:
        writer.writerow([day.date.isoformat(), day.shows, day.tickets_sold, day.tickets_refunded, day.gross,
                         day.refunds, day.admitted, day.seats_offered, day.occupancy])
    writer.writerow([])
    writer.writerow(["showtime_id", "starts_at", "movie", "screen", "seats", "tickets_sold", "tickets_refunded",
                     "admitted", "gross_minor", "occupancy"])
    for show in report.shows:
        writer.writerow([show.showtime_id, show.starts_at.isoformat(), show.movie_title, show.screen_id, show.seats,
                         show.tickets_sold, show.tickets_refunded, show.admitted, show.gross, show.occupancy])
    return out.getvalue()
