"""The seat grid's payload (compact, and enough to draw every seat) and the best-seats suggestion."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from components.seat_grid import grid_labels, layout_payload
from services.booking.best_seats import best_block
from services.catalog.layouts import Layout, parse_layout

LAYOUTS = Path(__file__).resolve().parent.parent / "assets" / "catalog" / "layouts"
GRAND_PRICES = {"classic": 30000, "prime": 45000, "recliner": 85000}


def grand() -> Layout:
    return parse_layout(json.loads((LAYOUTS / "grand-2070.json").read_text()))


def decode(payload: dict) -> list[tuple[str, int, int, str, str, bool]]:
    """What seat_grid.js builds from the payload: (id, grid_row, grid_col, category, kind, blocked) per seat."""
    seats = []
    codes = [cat[0] for cat in payload["cats"]]
    for row in payload["rows"]:
        label, grid_row, cat, pattern = row[:4]
        ids = row[4] if len(row) > 4 else None
        cats = row[5] if len(row) > 5 else None
        k = 0
        for col, char in enumerate(pattern):
            if char == "_":
                continue
            seat_id = ids[k] if ids else f"{label}{k + 1}"
            kind = {"s": "standard", "w": "wheelchair", "c": "companion", "x": "standard"}[char]
            seats.append((seat_id, grid_row, col, codes[cats[k] if cats else cat], kind, char == "x"))
            k += 1
    return seats


def as_tuples(layout: Layout) -> list[tuple[str, int, int, str, str, bool]]:
    return [(s.seat_id, s.grid_row, s.grid_col, s.category, s.kind, s.blocked) for s in layout.seats]


def test_the_grand_hall_travels_in_a_few_kilobytes_and_decodes_to_every_seat() -> None:
    layout = grand()
    payload = layout_payload(layout, GRAND_PRICES, "INR")
    assert len(layout.seats) == 2070
    assert sorted(decode(payload)) == sorted(as_tuples(layout))
    size = len(json.dumps(payload, ensure_ascii=False).encode())
    assert size < 4_000, size  # vs ~200 KB for a dict per seat
    assert payload["cats"] == [
        ["classic", "Classic", "₹300"], ["prime", "Prime", "₹450"], ["recliner", "Recliner", "₹850"]]
    assert len(json.dumps(grid_labels(), ensure_ascii=False).encode()) < 1_500


def test_unusual_rows_carry_their_own_ids_and_categories() -> None:
    layout = parse_layout({"layout_id": "odd", "name": "Odd", "categories": [
        {"code": "a", "name": "A"}, {"code": "b", "name": "B"}], "rows": [
        {"label": "A", "category": "a", "seats": "ss_sx"}, {"aisle": True},
        {"label": "B", "category": "b", "seats": "wc"}]})
    # A layout editor may number seats its own way or mix categories in a row: edit the parsed seats so.
    seats = list(layout.seats)
    seats[0] = type(seats[0])(**{**seats[0].__dict__, "seat_id": "A101", "number": 101})
    seats[1] = type(seats[1])(**{**seats[1].__dict__, "category": "b"})
    odd = Layout(layout.layout_id, layout.name, layout.categories, tuple(seats), layout.grid_rows, layout.grid_cols,
                 {s.seat_id: s for s in seats})
    payload = layout_payload(odd, {"a": 100, "b": 200}, "INR")
    row_a, row_b = payload["rows"]
    assert row_a[4] == ["A101", "A2", "A3", "A4"] and row_a[5] == [0, 1, 0, 0]
    assert row_b == ["B", 2, 1, "wc"]  # plain rows stay plain
    assert sorted(decode(payload)) == sorted(as_tuples(odd))


def test_best_block_is_central_about_two_thirds_back_and_skips_taken_seats() -> None:
    layout = grand()
    block = best_block(layout, {}, 4)
    assert block is not None and len(block) == 4
    seats = [layout.seat(s) for s in block]
    assert len({s.row for s in seats}) == 1  # type: ignore[union-attr]
    cols = [s.grid_col for s in seats]  # type: ignore[union-attr]
    assert cols == list(range(cols[0], cols[0] + 4))
    assert abs(sum(cols) / 4 - (layout.grid_cols - 1) / 2) < 3
    rows = sorted({s.grid_row for s in layout.seats})
    depth = rows.index(seats[0].grid_row) / (len(rows) - 1)  # type: ignore[union-attr]
    assert 0.45 < depth < 0.8
    taken = {seat_id: "s" for seat_id in block}
    again = best_block(layout, taken, 4)
    assert again is not None and not set(again) & set(block)


def test_best_block_leaves_accessible_and_blocked_seats_and_avoids_lone_seats() -> None:
    layout = parse_layout({"layout_id": "t", "name": "T", "categories": [{"code": "a", "name": "A"}], "rows": [
        {"label": "A", "category": "a", "seats": "wcsssx"}]})
    assert best_block(layout, {}, 3) == ["A3", "A4", "A5"]
    assert best_block(layout, {}, 4) is None  # only wheelchair/companion/blocked seats would make four
    row = parse_layout({"layout_id": "u", "name": "U", "categories": [{"code": "a", "name": "A"}], "rows": [
        {"label": "A", "category": "a", "seats": "s" * 20}]})
    taken = {"A9": "h", "A12": "s"}  # leaves a pair A10-A11 in the very middle
    assert best_block(row, taken, 2) == ["A10", "A11"]  # fills the pair exactly
    assert best_block(row, taken, 1) in (["A8"], ["A13"])  # not A10/A11: that would strand a lone seat
    assert best_block(row, {f"A{n}": "h" for n in range(1, 21)}, 1) is None


@pytest.mark.parametrize("count", [0, -1])
def test_best_block_needs_at_least_one_seat(count: int) -> None:
    assert best_block(grand(), {}, count) is None
