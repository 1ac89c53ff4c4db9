"""The best block of N free seats side by side: centred, about two thirds back, no lone seat left over.

Pure Python over the layout and the seat codes the map shows, so it is cheap (2,000 seats: ~1 ms) and
easy to test. Seats are "together" when they are in one row on neighbouring grid columns (an aisle or
a gap breaks a block). Wheelchair spaces and companion seats are left for the people who need them.
With ``leave_no_single`` (the single-seat rule's setting) a block that would leave one seat of its run on
its own is never proposed, so the inventory never refuses what best seats suggests.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import groupby

from services.booking.seat_rules import leaves_no_single
from services.catalog.layouts import Layout, SeatSpec

IDEAL_DEPTH = 0.62  # fraction of the way from the screen to the back row
LONE_SEAT_PENALTY = 0.15


def best_block(layout: Layout, codes: Mapping[str, str], count: int, category: str | None = None, *,
               leave_no_single: bool = True) -> list[str] | None:
    """Seat ids of the best free block of ``count`` seats, or None when there is no such block.
    ``codes``: seat id -> the seat map's one-letter state, "a" for free (a missing seat counts as free)."""
    if count < 1:
        return None
    rows = [list(group) for _, group in groupby(sorted(layout.seats, key=_position), key=lambda s: s.grid_row)]
    if not rows:
        return None
    middle = (layout.grid_cols - 1) / 2
    best: tuple[float, list[str]] | None = None
    for depth_index, row in enumerate(rows):
        depth = depth_index / max(1, len(rows) - 1)
        for run in _free_runs(row, codes):
            for start in range(len(run) - count + 1):
                block = run[start : start + count]
                if category is not None and any(seat.category != category for seat in block):
                    continue
                if leave_no_single and not leaves_no_single(len(run), start, count):
                    continue
                centre = (block[0].grid_col + block[-1].grid_col) / 2
                score = abs(centre - middle) / max(1.0, layout.grid_cols) + 1.2 * abs(depth - IDEAL_DEPTH)
                left_over = (start, len(run) - start - count)
                score += LONE_SEAT_PENALTY * sum(1 for n in left_over if n == 1)
                if best is None or score < best[0]:
                    best = (score, [seat.seat_id for seat in block])
    return best[1] if best else None


def _position(seat: SeatSpec) -> tuple[int, int]:
    return seat.grid_row, seat.grid_col


def _free_runs(row: list[SeatSpec], codes: Mapping[str, str]) -> list[list[SeatSpec]]:
    """Maximal runs of neighbouring free ordinary seats in one row (whatever their category: a seat of
    another category beside a block can still be left on its own)."""
    runs: list[list[SeatSpec]] = []
    current: list[SeatSpec] = []
    for seat in row:
        usable = (
            not seat.blocked
            and seat.kind == "standard"
            and codes.get(seat.seat_id, "a") == "a"
        )
        if usable and current and seat.grid_col == current[-1].grid_col + 1:
            current.append(seat)
            continue
        if current:
            runs.append(current)
        current = [seat] if usable else []
    if current:
        runs.append(current)
    return runs
