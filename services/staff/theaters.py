"""Admins add and edit theaters and their screens; managers read the theaters they work for.

A theater is one item of the Theaters table (its screens inside, as the catalog reads them). Every write
is one transaction: the item, conditional on the ``catalog_version`` that was read (the layout editor
bumps it too, so two admins, or an admin and a manager painting a hall, never overwrite each other), and
the audit entry in the theater's scope (its managers read it). A new screen's hall is version 1 of its
layout, archived in the Layouts table like every later version, so the layout editor and scheduling treat
it exactly like the demo's screens. The catalog's cache is invalidated after each change.

The city and timezone are fixed once a theater has a screen: its shows are listed by city and their
local days (the Schedule table's keys) are counted in that timezone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any
from zoneinfo import available_timezones

from services.accounts.users import User
from services.catalog.catalog import CatalogService
from services.catalog.models import Theater, screen_key
from services.clock import Clock
from services.errors import InvalidRequest, NotFound
from services.i18n import t
from services.platform import dynamo
from services.platform.aws import Aws
from services.platform.schema import LAYOUTS, THEATERS
from services.staff.access import AccessService
from services.staff.audit import AuditLog
from services.staff.catalog_change import write_change
from services.staff.layouts import validate_layout

_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
MAX_NAME, MAX_CITY, MAX_ADDRESS = 80, 60, 200
FORMATS = ("2D", "3D", "IMAX", "4DX", "Dolby Atmos")
MAX_SCREENS = 30
MAX_START_ROWS, MAX_START_SEATS = 30, 40
# The categories a new hall starts with; the layout editor repaints rows into either.
STARTING_CATEGORIES = (("classic", "Classic"), ("prime", "Prime"))


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


@dataclass(frozen=True)
class TheaterDraft:
    """What an admin types in the theater form."""

    name: str
    city: str
    address: str
    timezone: str  # an IANA name, e.g. Asia/Kolkata


@dataclass(frozen=True)
class ScreenDraft:
    """A new screen: its name and format, and the hall it starts with (rows x seats; repainted in the editor)."""

    name: str
    format: str
    rows: int
    seats_per_row: int
    prices: dict[str, int]  # classic and prime, minor units


def validate_theater(draft: TheaterDraft) -> TheaterDraft:
    """The draft with whitespace trimmed, or InvalidRequest naming the first problem."""
    name, city, address, zone = (draft.name.strip(), draft.city.strip(), draft.address.strip(),
                                 draft.timezone.strip())
    if not 1 <= len(name) <= MAX_NAME:
        raise InvalidRequest(t("A theater's name has 1 to {n} characters.", n=MAX_NAME))
    if not 1 <= len(city) <= MAX_CITY or "#" in city:
        raise InvalidRequest(t("A city has 1 to {n} characters (no #).", n=MAX_CITY))
    if len(address) > MAX_ADDRESS:
        raise InvalidRequest(t("An address has at most {n} characters.", n=MAX_ADDRESS))
    if zone not in _zones():
        raise InvalidRequest(t("The timezone is an IANA name such as Asia/Kolkata or Europe/London."))
    return TheaterDraft(name, city, address, zone)


def starting_hall(screen_id: str, draft: ScreenDraft) -> dict[str, Any]:
    """A plain rectangular hall as layout data: rows A, B, ... of seats; the back third prime, the rest classic."""
    if not (isinstance(draft.rows, int) and 1 <= draft.rows <= MAX_START_ROWS):
        raise InvalidRequest(t("A new hall has 1 to {n} rows.", n=MAX_START_ROWS))
    if not (isinstance(draft.seats_per_row, int) and 1 <= draft.seats_per_row <= MAX_START_SEATS):
        raise InvalidRequest(t("A new hall has 1 to {n} seats a row.", n=MAX_START_SEATS))
    prime_from = draft.rows - draft.rows // 3
    rows = [{"label": _row_label(index), "category": "prime" if index >= prime_from else "classic",
             "seats": "s" * draft.seats_per_row} for index in range(draft.rows)]
    used = {row["category"] for row in rows}
    return {"layout_id": screen_id, "name": draft.name.strip(), "rows": rows,
            "categories": [{"code": code, "name": name} for code, name in STARTING_CATEGORIES if code in used]}


def _row_label(index: int) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return letters[index] if index < len(letters) else f"A{letters[index - len(letters)]}"


class TheaterEditor:
    def __init__(self, aws: Aws, clock: Clock, catalog: CatalogService, access: AccessService,
                 audit: AuditLog) -> None:
        self._aws = aws
        self._clock = clock
        self._catalog = catalog
        self._access = access
        self._audit = audit
        self._theaters = aws.table(THEATERS)
        self._table_name = aws.table_name(THEATERS)

    def visible(self, user: User | None) -> list[Theater]:
        """The theaters this staff member manages (all, for admins): the catalog's (every write here clears its
        cache, so this process shows a change at once; other instances within the cache's lifetime)."""
        member = self._access.require(user, "manage")
        everything = self._catalog.theaters()
        scope = set(member.theater_scope([theater.theater_id for theater in everything]))
        return [theater for theater in everything if theater.theater_id in scope]

    def create(self, user: User | None, theater_id: str, draft: TheaterDraft) -> str:
        """Add a theater (no screens yet) under ``theater_id``; InvalidRequest if the id is taken."""
        member = self._access.require(user, "admin")
        if not _ID.match(theater_id):
            raise InvalidRequest(t("A theater id is 2 to 63 lowercase letters, digits and hyphens."))
        clean = validate_theater(draft)
        facts = _facts(clean)
        item = {"theater_id": theater_id, **facts, "screens": [], "catalog": "theater",
                "city_name": f"{clean.city}#{clean.name}", "catalog_version": 1}
        self._write([
            {"Put": {"TableName": self._table_name, "Item": item,
                     "ConditionExpression": "attribute_not_exists(theater_id)"}},
            self._audit.put_action(theater_id, member, "theater.created", theater_id, self._clock.now(), None, facts),
        ], t("A theater with that id exists already."))
        return theater_id

    def update(self, user: User | None, theater_id: str, draft: TheaterDraft) -> None:
        """Change a theater's name, city, address, timezone (the last two only while it has no screens)."""
        member = self._access.require(user, "admin")
        clean = validate_theater(draft)
        before = self._read(theater_id)
        if before.get("screens") and (clean.city, clean.timezone) != (before["city"], before["timezone"]):
            raise InvalidRequest(t("The city and timezone are fixed once a theater has screens: its shows use them."))
        after = _facts(clean)
        self._write([
            {"Update": {
                "TableName": self._table_name, "Key": {"theater_id": theater_id},
                "UpdateExpression": "SET #name = :name, city = :city, address = :address, #tz = :tz, "
                                    "city_name = :city_name, catalog_version = :next",
                **_version_condition(before),
                # NAME and TIMEZONE are DynamoDB reserved words.
                "ExpressionAttributeNames": {"#name": "name", "#tz": "timezone"},
                "ExpressionAttributeValues": {":name": clean.name, ":city": clean.city, ":address": clean.address,
                                              ":tz": clean.timezone, ":city_name": f"{clean.city}#{clean.name}",
                                              ":next": _version(before) + 1, **_version_values(before)},
            }},
            self._audit.put_action(theater_id, member, "theater.updated", theater_id, self._clock.now(),
                                   {key: before.get(key, "") for key in after}, after),
        ], t("Someone changed this theater meanwhile. Reload and edit again."))

    def add_screen(self, user: User | None, theater_id: str, screen_id: str, draft: ScreenDraft) -> str:
        """Add a screen with a plain starting hall (layout version 1); returns its id across theaters."""
        member = self._access.require(user, "admin")
        if not _ID.match(screen_id):
            raise InvalidRequest(t("A screen id is 2 to 63 lowercase letters, digits and hyphens."))
        name = _screen_name(draft.name)
        if draft.format not in FORMATS:
            raise InvalidRequest(t("The format is one of {choices}.", choices=", ".join(FORMATS)))
        hall = starting_hall(screen_id, draft)
        prices: dict[str, int] = {}
        for code in (category["code"] for category in hall["categories"]):
            price = draft.prices.get(code)
            if not isinstance(price, int) or isinstance(price, bool) or price <= 0:
                raise InvalidRequest(t("Prices are whole minor units (paise, cents) above zero."))
            prices[code] = price
        layout = validate_layout(hall, prices)
        before = self._read(theater_id)
        screens = before.get("screens", [])
        if any(screen["screen_id"] == screen_id for screen in screens):
            raise InvalidRequest(t("This theater has a screen with that id already."))
        if len(screens) >= MAX_SCREENS:
            raise InvalidRequest(t("A theater has at most {n} screens.", n=MAX_SCREENS))
        screen = {"screen_id": screen_id, "name": name, "format": draft.format, "prices": prices,
                  "layout": hall, "layout_version": 1}
        key = screen_key(theater_id, screen_id)
        self._write([
            {"Update": {
                "TableName": self._table_name, "Key": {"theater_id": theater_id},
                "UpdateExpression": "SET screens = list_append(if_not_exists(screens, :none), :screen), "
                                    "catalog_version = :next",
                **_version_condition(before),
                "ExpressionAttributeValues": {":none": [], ":screen": [screen], ":next": _version(before) + 1,
                                              **_version_values(before)},
            }},
            # Version 1 of the hall, where the layout editor and old shows look for it.
            {"Put": {"TableName": self._aws.table_name(LAYOUTS),
                     "Item": {"screen_key": key, "version": 1, "layout": hall},
                     "ConditionExpression": "attribute_not_exists(screen_key)"}},
            self._audit.put_action(theater_id, member, "screen.created", key, self._clock.now(), None,
                                   {"name": name, "format": draft.format, "seats": layout.capacity,
                                    "prices": prices}),
        ], t("Someone changed this theater meanwhile. Reload and edit again."))
        return key

    def rename_screen(self, user: User | None, theater_id: str, screen_id: str, name: str, format: str) -> None:
        """Change a screen's name and format (its hall and prices: the layout editor)."""
        member = self._access.require(user, "admin")
        clean = _screen_name(name)
        if format not in FORMATS:
            raise InvalidRequest(t("The format is one of {choices}.", choices=", ".join(FORMATS)))
        before = self._read(theater_id)
        index = next((i for i, screen in enumerate(before.get("screens", [])) if screen["screen_id"] == screen_id),
                     None)
        if index is None:
            raise NotFound(t("That screen does not exist."))
        old = before["screens"][index]
        self._write([
            {"Update": {
                "TableName": self._table_name, "Key": {"theater_id": theater_id},
                "UpdateExpression": f"SET screens[{index}].#name = :name, screens[{index}].#format = :format, "
                                    "catalog_version = :next",
                **_version_condition(before),
                "ExpressionAttributeNames": {"#name": "name", "#format": "format"},
                "ExpressionAttributeValues": {":name": clean, ":format": format, ":next": _version(before) + 1,
                                              **_version_values(before)},
            }},
            self._audit.put_action(theater_id, member, "screen.updated", screen_key(theater_id, screen_id),
                                   self._clock.now(), {"name": old["name"], "format": old.get("format", "")},
                                   {"name": clean, "format": format}),
        ], t("Someone changed this theater meanwhile. Reload and edit again."))

    def _read(self, theater_id: str) -> dict[str, Any]:
        item = dynamo.get_item(self._theaters, {"theater_id": theater_id}, consistent=True)
        if item is None:
            raise NotFound(t("That theater does not exist."))
        return item

    def _write(self, actions: list[dict[str, Any]], conflict: str) -> None:
        write_change(self._aws, self._catalog, actions, conflict=conflict,
                     unavailable=t("The theater could not be saved just now. Please try again."))


def _facts(draft: TheaterDraft) -> dict[str, str]:
    return {"name": draft.name, "city": draft.city, "address": draft.address, "timezone": draft.timezone}


def _screen_name(name: str) -> str:
    clean = name.strip()
    if not 1 <= len(clean) <= MAX_NAME:
        raise InvalidRequest(t("A screen's name has 1 to {n} characters.", n=MAX_NAME))
    return clean


def _version(item: dict[str, Any]) -> int:
    return int(item.get("catalog_version", 0))


def _version_condition(item: dict[str, Any]) -> dict[str, str]:
    """Write only over the version that was read (the demo's items start without one)."""
    if _version(item) == 0:
        return {"ConditionExpression": "attribute_not_exists(catalog_version)"}
    return {"ConditionExpression": "catalog_version = :read"}


def _version_values(item: dict[str, Any]) -> dict[str, int]:
    return {":read": _version(item)} if _version(item) else {}
