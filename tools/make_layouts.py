"""Generate the demo seat layouts in assets/catalog/layouts/*.json.

Run from the project root: ``python tools/make_layouts.py``. The output is deterministic.

Seat pattern characters, one per column: ``s`` seat, ``w`` wheelchair space, ``c`` companion seat
(directly beside a ``w``), ``x`` blocked seat (never sold), ``_`` a one-seat-wide gap. Rows run from
the front (row A, nearest the screen) to the back; ``{"aisle": true}`` is a walkway across the hall.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

OUT_DIR = Path(__file__).resolve().parents[1] / "assets" / "catalog" / "layouts"
SEAT_CHARS = "swcx"
CATEGORY_NAMES = {"classic": "Classic", "prime": "Prime", "recliner": "Recliner"}
CATEGORY_ORDER = ("classic", "prime", "recliner")  # cheapest first, front of the hall first
ROW_LETTERS = [chr(code) for code in range(ord("A"), ord("Z") + 1) if chr(code) not in "IO"]

Row = dict[str, object]


def row_labels() -> Iterator[str]:
    """A..Z then AA, AB, ... skipping I and O everywhere (they read like 1 and 0)."""
    yield from ROW_LETTERS
    for first in ROW_LETTERS:
        for second in ROW_LETTERS:
            yield first + second


def centre(body: str, width: int) -> str:
    """Pad a row body with gaps on both sides to exactly ``width`` columns."""
    pad = width - len(body)
    if pad < 0:
        raise ValueError(f"row of {len(body)} columns does not fit in {width}")
    return "_" * (pad // 2) + body + "_" * (pad - pad // 2)


def blocks(*sizes: int, width: int) -> str:
    """Blocks of ordinary seats separated by one-column aisles, centred."""
    return centre("_".join("s" * size for size in sizes), width)


def recliners(pairs: int, width: int, per_group: int = 2) -> str:
    """Wide recliners: groups of ``per_group`` seats with a gap between groups, centred."""
    return centre("_".join("s" * per_group for _ in range(pairs)), width)


def put(pattern: str, column: int, text: str) -> str:
    """Overwrite ordinary seats from ``column`` onwards."""
    start = column
    target = pattern[start : start + len(text)]
    if len(target) != len(text) or set(target) != {"s"}:
        raise ValueError(f"cannot put {text!r} at column {column} of {pattern!r}")
    return pattern[:start] + text + pattern[start + len(text) :]


def seat_ends(pattern: str) -> tuple[int, int]:
    """Columns of the first and last seat in a row (used to put wheelchair spaces on the ends)."""
    first = min(pattern.index(char) for char in SEAT_CHARS if char in pattern)
    last = max(pattern.rindex(char) for char in SEAT_CHARS if char in pattern)
    return first, last


def accessible_ends(pattern: str) -> str:
    """Wheelchair space on both ends of a row, each with a companion seat on the inside."""
    first, last = seat_ends(pattern)
    pattern = put(pattern, first, "wc")
    return put(pattern, last - 1, "cw")


@dataclass
class Hall:
    """Builds the row list of one layout, labelling seat rows in order."""

    layout_id: str
    name: str
    width: int
    rows: list[Row] = field(default_factory=list)
    labels: Iterator[str] = field(default_factory=row_labels)

    def add(self, category: str, pattern: str, count: int = 1) -> None:
        for _ in range(count):
            if len(pattern) != self.width:
                raise ValueError(f"{self.layout_id}: row is {len(pattern)} columns, not {self.width}")
            self.rows.append({"label": next(self.labels), "category": category, "seats": pattern})

    def aisle(self) -> None:
        self.rows.append({"aisle": True})

    def to_json(self) -> dict[str, object]:
        used = {row["category"] for row in self.rows if "category" in row}
        categories = [{"code": code, "name": CATEGORY_NAMES[code]} for code in CATEGORY_ORDER if code in used]
        return {"layout_id": self.layout_id, "name": self.name, "categories": categories, "rows": self.rows}


def studio() -> Hall:
    """~56 seats: a boutique room with prime rows and two rows of paired recliners."""
    hall = Hall("studio-56", "Studio", width=13)
    row = blocks(5, 5, width=13)
    hall.add("prime", row, 3)
    hall.add("prime", accessible_ends(row))
    hall.aisle()
    hall.add("recliner", recliners(4, width=13), 2)
    return hall


def lounge() -> Hall:
    """~84 seats: mostly paired recliners, for 4DX and premium screens."""
    hall = Hall("lounge-84", "Lounge", width=17)
    row = blocks(8, 8, width=17)
    hall.add("prime", row)
    hall.add("prime", put(row, 16, "x"))
    hall.add("prime", accessible_ends(row))
    hall.aisle()
    hall.add("recliner", recliners(6, width=17), 2)
    hall.add("recliner", accessible_ends(recliners(6, width=17)))
    return hall


def small() -> Hall:
    """~160 seats: classic at the front, prime behind, wheelchair spaces on the back row."""
    hall = Hall("compact-160", "Compact hall", width=18)
    row = blocks(4, 8, 4, width=18)
    hall.add("classic", row, 3)
    hall.aisle()
    hall.add("prime", row, 3)
    hall.add("prime", put(row, 8, "x"))
    hall.add("prime", row, 2)
    hall.add("prime", accessible_ends(row))
    return hall


def medium() -> Hall:
    """~310 seats in three categories with two cross aisles."""
    hall = Hall("silver-310", "Silver screen", width=24)
    row = blocks(5, 12, 5, width=24)
    hall.add("classic", row, 5)
    hall.aisle()
    hall.add("prime", accessible_ends(row))
    hall.add("prime", row, 6)
    hall.add("prime", put(row, 11, "xx"))
    hall.aisle()
    hall.add("recliner", recliners(6, width=24), 2)
    return hall


def large() -> Hall:
    """~530 seats: wide classic and prime sections, three rows of recliners at the back."""
    hall = Hall("diamond-528", "Diamond hall", width=32)
    row = blocks(6, 18, 6, width=32)
    hall.add("classic", accessible_ends(row))
    hall.add("classic", row, 6)
    hall.aisle()
    hall.add("prime", row, 8)
    hall.add("prime", put(row, 15, "x"))
    hall.aisle()
    hall.add("recliner", recliners(8, width=32), 2)
    hall.add("recliner", accessible_ends(recliners(8, width=32)))
    return hall


def grand() -> Hall:
    """2,000+ seats, ~42 seat rows x 55 columns: the stress test for the seat map renderer."""
    width = 55
    hall = Hall("grand-2070", "Grand hall", width=width)
    hall.add("classic", blocks(7, 14, 14, 7, width=width))
    hall.add("classic", blocks(8, 15, 15, 8, width=width))
    hall.add("classic", blocks(9, 16, 16, 9, width=width))
    full = blocks(10, 16, 16, 10, width=width)
    hall.add("classic", full, 13)
    hall.aisle()
    hall.add("prime", accessible_ends(full))
    hall.add("prime", full, 9)
    hall.add("prime", put(full, 25, "xx"))  # camera platform in the centre
    hall.add("prime", full, 9)
    hall.aisle()
    hall.add("recliner", accessible_ends(recliners(18, width=width)))
    hall.add("recliner", recliners(18, width=width), 5)
    return hall


LAYOUTS: tuple[Callable[[], Hall], ...] = (studio, lounge, small, medium, large, grand)


def rows_of(layout: dict[str, object]) -> list[Row]:
    rows = layout["rows"]
    assert isinstance(rows, list)
    return rows


def check(layout: dict[str, object]) -> None:
    """Companion seats must sit directly beside a wheelchair space."""
    for row in rows_of(layout):
        seats = str(row.get("seats", ""))
        for column, char in enumerate(seats):
            if char == "c" and "w" not in seats[max(column - 1, 0) : column + 2]:
                raise ValueError(f"{layout['layout_id']} row {row['label']}: companion seat without wheelchair")


def counts(layout: dict[str, object]) -> dict[str, int]:
    patterns = "".join(str(row.get("seats", "")) for row in rows_of(layout))
    totals = {"total": sum(patterns.count(char) for char in SEAT_CHARS)}
    totals.update(wheelchair=patterns.count("w"), companion=patterns.count("c"), blocked=patterns.count("x"))
    return totals


def dumps(layout: dict[str, object]) -> str:
    """Pretty JSON (2-space indent) with one line per category and per row, so big halls stay readable."""
    lines = []
    for key, value in layout.items():
        if isinstance(value, list):
            items = ",\n".join("    " + json.dumps(item, ensure_ascii=False) for item in value)
            lines.append(f"  {json.dumps(key)}: [\n{items}\n  ]")
        else:
            lines.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def main() -> None:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for build in LAYOUTS:
        layout = build().to_json()
        check(layout)
        path = OUT_DIR / f"{layout['layout_id']}.json"
        path.write_text(dumps(layout), encoding="utf-8")
        figures = " ".join(f"{key}={value}" for key, value in counts(layout).items())
        print(f"{path.name}: {figures}")


if __name__ == "__main__":
    main()
