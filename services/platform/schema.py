"""The DynamoDB tables, their keys, indexes and TTL: the one definition that the embedded backend,
``main.py provision`` and the CloudFormation template (checked by a test) all follow."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Index:
    name: str
    partition_key: str
    sort_key: str | None = None


@dataclass(frozen=True)
class Table:
    logical_name: str
    partition_key: str
    sort_key: str | None = None
    indexes: tuple[Index, ...] = ()
    ttl_attribute: str | None = None
    # Attribute types for key attributes; everything used as a key here is a string unless named.
    number_attributes: frozenset[str] = field(default_factory=frozenset)

    def key_attributes(self) -> list[str]:
        names = [self.partition_key, *([self.sort_key] if self.sort_key else [])]
        for index in self.indexes:
            names += [index.partition_key, *([index.sort_key] if index.sort_key else [])]
        return list(dict.fromkeys(names))

    def create_table_args(self, table_name: str) -> dict[str, Any]:
        """Arguments for ``create_table`` (on-demand billing, like the CloudFormation template)."""
        args: dict[str, Any] = {
            "TableName": table_name,
            "BillingMode": "PAY_PER_REQUEST",
            "KeySchema": _key_schema(self.partition_key, self.sort_key),
            "AttributeDefinitions": [
                {"AttributeName": name, "AttributeType": "N" if name in self.number_attributes else "S"}
                for name in self.key_attributes()
            ],
        }
        if self.indexes:
            args["GlobalSecondaryIndexes"] = [
                {
                    "IndexName": index.name,
                    "KeySchema": _key_schema(index.partition_key, index.sort_key),
                    "Projection": {"ProjectionType": "ALL"},
                }
                for index in self.indexes
            ]
        return args


def _key_schema(partition_key: str, sort_key: str | None) -> list[dict[str, str]]:
    schema = [{"AttributeName": partition_key, "KeyType": "HASH"}]
    if sort_key:
        schema.append({"AttributeName": sort_key, "KeyType": "RANGE"})
    return schema


# Constant-partition indexes ("catalog" = "movie" / "theater") list the small, read-mostly catalog
# without a Scan; they are sparse and tiny (hundreds of items), so one partition is plenty.
# "staff-accounts" is sparse: only staff accounts carry ``staff`` (= "staff"), so the admin's list of staff
# reads a few dozen items, never the customers.
USERS = Table("Users", "email", indexes=(Index("by-user-id", "user_id"), Index("staff-accounts", "staff", "email")))
MOVIES = Table("Movies", "movie_id", indexes=(Index("all-movies", "catalog", "title"),))
THEATERS = Table("Theaters", "theater_id", indexes=(Index("all-theaters", "catalog", "city_name"),))
SHOWTIMES = Table(
    "Showtimes",
    "showtime_id",
    indexes=(Index("by-city-start", "city", "starts_at"), Index("by-movie-start", "movie_id", "starts_at")),
)
# One item per seat that is held or sold; a missing item is a free seat. Holds carry a TTL that only
# tidies up: correctness comes from the expires_at conditions. Only held seats have expires_at (a sale
# removes it), so "holds-by-expiry" is a sparse index of holds: the sweeper reads just the expired ones.
SEATS = Table(
    "Seats",
    "showtime_id",
    "seat_id",
    indexes=(Index("holds-by-expiry", "showtime_id", "expires_at"),),
    ttl_attribute="ttl",
)
HOLDS = Table("Holds", "hold_id", ttl_attribute="ttl")
BOOKINGS = Table(
    "Bookings",
    "booking_id",
    indexes=(Index("by-user-created", "user_id", "created_at"), Index("by-showtime", "showtime_id", "created_at"),
             # The desk finds a booking by the reference its customer reads out (Booking.reference).
             Index("by-reference", "reference")),
)
# Outgoing notifications, written in the booking's own transaction. "pending" exists only until the
# message is published, so the index holds just the work still to do (a sparse index).
OUTBOX = Table("Outbox", "notification_id", indexes=(Index("pending", "pending", "created_at"),))
# Kiosks (issue 13): one item per lobby kiosk. "by-theater" lists a theater's kiosks for staff;
# "by-pairing-code" is sparse: only a kiosk with an open pairing code is in it.
KIOSKS = Table(
    "Kiosks",
    "kiosk_id",
    indexes=(Index("by-theater", "theater_id", "created_at"), Index("by-pairing-code", "pairing_code")),
)

# Login throttling counters, one item per client address and per email tried (known or not), counted
# with conditional updates; TTL tidies old ones away (a stale counter is also ignored by the code).
THROTTLES = Table("Throttles", "throttle_key", ttl_attribute="ttl")


# Staff console (issue 12). Audit: every staff change, newest last within its scope (a theater id, or
# "global" for accounts and the catalog), written in the same transaction as the change it records.
AUDIT = Table("Audit", "scope", "at_id")
# One item per screen ("<theater_id>.<screen_id>") and local day: the shows that occupy it and a version.
# Scheduling updates it conditionally on the version it read, so two managers never overlap two shows.
SCHEDULE = Table("Schedule", "screen_key", "day")
# Sales counters per theater and show day, and per show (services/booking/counters.py), updated in the
# transactions that sell, cancel and admit: the reports read these, never the bookings.
REPORTS = Table("Reports", "scope", "key")
# Every version of every screen's seat layout (staff layout editor): a show keeps the version it was
# scheduled with, so editing a hall never changes a show already on sale.
LAYOUTS = Table("Layouts", "screen_key", "version", number_attributes=frozenset({"version"}))
# Reviews (issue 15): per movie, one item per review (``review#<user_id>``), one per helpful vote
# (``vote#<review_id>#<voter_id>``) and the ``summary`` aggregate (count, total of stars) that every
# review change updates in its own transaction. The two indexes are sparse: only visible reviews carry
# ``helpful_rank`` / ``listed_at``, so hiding a review takes it out of both lists.
REVIEWS = Table(
    "Reviews",
    "movie_id",
    "review_key",
    indexes=(Index("by-helpful", "movie_id", "helpful_rank"), Index("by-newest", "movie_id", "listed_at")),
)
# Loyalty points (issue 15): per customer, the ``balance`` item (conditional: never below zero) and one
# ``tx#...`` history entry per change, written in the booking's sale or cancellation transaction.
LOYALTY = Table("Loyalty", "user_id", "entry")
# Waiting lists for sold-out shows (issue 15), per show: ``q#<joined_at>#<user_id>`` entries in join order,
# a ``u#<user_id>`` marker (one place per customer and show) and the ``state`` item, whose lease lets one
# sweeper at a time make offers for the show. "open-lists" is sparse: only shows with people waiting.
WAITLIST = Table("Waitlist", "showtime_id", "entry", indexes=(Index("open-lists", "open_list", "showtime_id"),))
# Recommendations (issue 15): per city and week, tickets per movie; per movie, how often each other movie was
# booked by the same customer; per customer, the movies they booked. Updated in the sale transaction.
RECOMMENDATIONS = Table("Recommendations", "scope", "key")

# Events (issue 17): general-admission quotas per performance (a showtime). "type#<id>" items are ticket types
# with their counters (capacity = free + held + sold, changed only by conditional ADDs in the hold, sale and
# cancel transactions); "hold#<hold_id>" items are live GA holds. Only those carry expires_at, so the sparse
# "ga-holds-by-expiry" index lets the sweeper read just the expired ones (TTL only tidies up).
QUOTAS = Table(
    "Quotas",
    "showtime_id",
    "quota_key",
    indexes=(Index("ga-holds-by-expiry", "showtime_id", "expires_at"),),
    ttl_attribute="ttl",
)

ALL_TABLES: tuple[Table, ...] = (
    USERS, MOVIES, THEATERS, SHOWTIMES, SEATS, HOLDS, BOOKINGS, OUTBOX, THROTTLES, KIOSKS, AUDIT, SCHEDULE, REPORTS,
    LAYOUTS, QUOTAS, REVIEWS, LOYALTY, WAITLIST, RECOMMENDATIONS,
)
