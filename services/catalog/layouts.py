"""Seat layouts of screens: parsed from the compact row patterns kept with each theater's screens.

Pattern chars: ``s`` seat, ``w`` wheelchair space, ``c`` companion seat, ``x`` blocked seat,
``_`` a gap one seat wide. ``{"aisle": true}`` is a walkway row. Seats are numbered left to right.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

SeatKind = Literal["standard", "wheelchair", "companion"]
_KINDS: dict[str, SeatKind] = {"s": "standard", "w": "wheelchair", "c": "companion", "x": "standard"}


@dataclass(frozen=True)
class Category:
    code: str
    name: str


@dataclass(frozen=True)
class SeatSpec:
    seat_id: str
    row: str
    number: int
    grid_row: int  # 0-based, front (nearest the screen) first; walkways take a grid row too
    grid_col: int
    category: str
    kind: SeatKind
    blocked: bool

    @property
    def accessible(self) -> bool:
        return self.kind == "wheelchair"


@dataclass(frozen=True)
class Layout:
    layout_id: str
    name: str
    categories: tuple[Category, ...]
    seats: tuple[SeatSpec, ...]
    grid_rows: int
    grid_cols: int
    _by_id: dict[str, SeatSpec] = field(default_factory=dict, compare=False, repr=False)

    def seat(self, seat_id: str) -> SeatSpec | None:
        return self._by_id.get(seat_id)

    @property
    def capacity(self) -> int:
        return sum(1 for seat in self.seats if not seat.blocked)

    def category_name(self, code: str) -> str:
        return next((category.name for category in self.categories if category.code == code), code)


def parse_layout(data: dict[str, Any]) -> Layout:
    categories = tuple(Category(str(c["code"]), str(c["name"])) for c in data["categories"])
    codes = {category.code for category in categories}
    seats: list[SeatSpec] = []
    width = 0
    rows = data["rows"]
    for grid_row, row in enumerate(rows):
        if row.get("aisle"):
            continue
        label, category, pattern = str(row["label"]), str(row["category"]), str(row["seats"])
        if category not in codes:
            raise ValueError(f"row {label} of layout {data['layout_id']} has unknown category {category!r}")
        width = max(width, len(pattern))
        number = 0
        for grid_col, char in enumerate(pattern):
            if char == "_":
                continue
            if char not in _KINDS:
                raise ValueError(f"row {label} of layout {data['layout_id']} has unknown seat code {char!r}")
            number += 1
            seats.append(
                SeatSpec(f"{label}{number}", label, number, grid_row, grid_col, category, _KINDS[char], char == "x")
            )
    by_id = {seat.seat_id: seat for seat in seats}
    if len(by_id) != len(seats):
        raise ValueError(f"layout {data['layout_id']} has duplicate seat ids")
    return Layout(str(data["layout_id"]), str(data["name"]), categories, tuple(seats), len(rows), width, by_id)
