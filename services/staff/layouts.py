"""Editing a screen's seat layout: validated, versioned, audited.

Saving writes the new version into the Layouts table (and the version it replaces, the first time a
screen is edited) and makes it the screen's current layout, in one transaction conditional on the
theater's catalog version (two managers editing at once: one wins, the other reloads). Shows keep the
layout version they were scheduled with (``CatalogService.layout_of``), so editing a hall never moves
a seat that is already sold; shows scheduled afterwards get the new hall.
"""

from __future__ import annotations

from typing import Any

from services.accounts.users import User
from services.catalog.catalog import CatalogService, Screen, Theater
from services.catalog.layouts import Layout, parse_layout
from services.clock import Clock
from services.errors import InvalidRequest, NotFound, ServiceUnavailable
from services.i18n import t
from services.platform import dynamo
from services.platform.aws import Aws
from services.platform.schema import LAYOUTS, THEATERS
from services.staff.access import AccessService
from services.staff.audit import AuditLog

MAX_ROWS, MAX_WIDTH = 60, 80  # grid rows (walkways count) and places per row
_PATTERN_CHARS = set("swcx_")


def validate_layout(data: dict[str, Any], prices: dict[str, int]) -> Layout:
    """The parsed layout, or InvalidRequest naming the first problem (a person fixes it in the editor)."""
    try:
        rows = data["rows"]
        if not isinstance(rows, list) or not 1 <= len(rows) <= MAX_ROWS:
            raise InvalidRequest(t("A hall has 1 to {n} rows.", n=MAX_ROWS))
        labels = [str(row.get("label", "")) for row in rows if not row.get("aisle")]
        if len(set(labels)) != len(labels) or not all(labels):
            raise InvalidRequest(t("Every row needs its own label."))
        for row in rows:
            if row.get("aisle"):
                continue
            pattern = str(row.get("seats", ""))
            if not 1 <= len(pattern) <= MAX_WIDTH or set(pattern) - _PATTERN_CHARS:
                raise InvalidRequest(t("Row {row}: use s, w, c, x and _ only, at most {n} places.",
                                       row=row.get("label"), n=MAX_WIDTH))
            for index, char in enumerate(pattern):
                if char == "w" and "c" not in (pattern[index - 1:index] + pattern[index + 1:index + 2]):
                    raise InvalidRequest(t("Row {row}: every wheelchair space needs a companion seat beside it.",
                                           row=row.get("label")))
        layout = parse_layout(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidRequest(t("This layout is not valid: {problem}.", problem=str(exc))) from exc
    if not layout.capacity:
        raise InvalidRequest(t("A hall needs at least one seat that can be sold."))
    unpriced = sorted({seat.category for seat in layout.seats} - set(prices))
    if unpriced:
        raise InvalidRequest(t("Give a price for {categories}.", categories=", ".join(unpriced)))
    return layout


class LayoutEditor:
    def __init__(self, aws: Aws, clock: Clock, catalog: CatalogService, access: AccessService, audit: AuditLog) -> None:
        self._aws = aws
        self._clock = clock
        self._catalog = catalog
        self._access = access
        self._audit = audit
        self._theaters = aws.table(THEATERS)
        self._layouts = aws.table(LAYOUTS)

    def save(self, user: User | None, theater_id: str, screen_id: str, data: dict[str, Any],
             prices: dict[str, int] | None = None) -> int:
        """Make ``data`` the screen's layout (with ``prices`` per category, default: the screen's); returns
        the new version."""
        self._catalog.invalidate()
        theater = self._catalog.theater(theater_id)
        member = self._access.require(user, "manage", theater.theater_id)
        index, screen = _find(theater, screen_id)
        new_prices = {**screen.prices, **(prices or {})}
        if any(not isinstance(v, int) or isinstance(v, bool) or v <= 0 for v in new_prices.values()):
            raise InvalidRequest(t("Prices are whole minor units (paise, cents) above zero."))
        layout = validate_layout(data, new_prices)
        item = dynamo.get_item(self._theaters, {"theater_id": theater_id}, consistent=True)
        if item is None:
            raise NotFound(t("That theater does not exist."))
        stored = item["screens"][index]
        version = int(stored.get("layout_version", 1))
        key = f"{theater_id}.{screen_id}"
        now = self._clock.now()
        actions: list[dict[str, Any]] = []
        if dynamo.get_item(self._layouts, {"screen_key": key, "version": version}, consistent=True) is None:
            actions.append(self._archive(key, version, stored["layout"]))
        actions.append(self._archive(key, version + 1, data))
        read = int(item.get("catalog_version", 0))
        actions.append({"Update": {
            "TableName": self._aws.table_name(THEATERS), "Key": {"theater_id": theater_id},
            "UpdateExpression": f"SET screens[{index}].layout = :layout, screens[{index}].layout_version = :v, "
                                f"screens[{index}].prices = :prices, catalog_version = :next",
            "ConditionExpression": "attribute_not_exists(catalog_version) OR catalog_version = :read"
                                   if read == 0 else "catalog_version = :read",
            "ExpressionAttributeValues": {":layout": data, ":v": version + 1, ":prices": new_prices,
                                          ":next": read + 1, ":read": read},
        }})
        actions.append(self._audit.put_action(
            theater_id, member, "layout.saved", key, now, {"version": version, "seats": screen.layout.capacity},
            {"version": version + 1, "seats": layout.capacity, "rows": len(data["rows"])}))
        try:
            dynamo.transact_write(self._aws, actions)
        except dynamo.TransactionCancelled as exc:
            raise InvalidRequest(t("Someone changed this theater meanwhile. Reload and edit again.")) from exc
        except dynamo.TransactionOutcomeUnknown as exc:
            raise ServiceUnavailable(t("The layout could not be saved just now. Please try again.")) from exc
        self._catalog.invalidate()
        return version + 1

    def _archive(self, key: str, version: int, layout: dict[str, Any]) -> dict[str, Any]:
        return {"Put": {"TableName": self._aws.table_name(LAYOUTS),
                        "Item": {"screen_key": key, "version": version, "layout": layout},
                        "ConditionExpression": "attribute_not_exists(screen_key)"}}


def _find(theater: Theater, screen_id: str) -> tuple[int, Screen]:
    for index, screen in enumerate(theater.screens):
        if screen.screen_id == screen_id:
            return index, screen
    raise NotFound(t("That screen does not exist."))

