"""Moving a kiosk customer's block of N seats with one tap: the N free seats side by side around the
tapped seat (in its row), so a finger moves the whole party instead of picking seat by seat."""

from __future__ import annotations

from collections.abc import Mapping

from services.booking.seat_rules import leaves_no_single
from services.catalog.layouts import Layout


def block_around(layout: Layout, codes: Mapping[str, str], seat_id: str, count: int, *,
                 leave_no_single: bool = True) -> list[str] | None:
    """``count`` free neighbouring seats in ``seat_id``'s row that include it, as centred on it as the row
    allows; None when there is no such block. ``codes`` are the map's (free seats may be missing). With
    ``leave_no_single`` (the single-seat rule) a block that would strand one seat of the run is skipped for
    the nearest one that does not, so the hold that follows is never refused by the rule."""
    tapped = layout.seat(seat_id)
    if tapped is None or count < 1:
        return None
    row = sorted((s for s in layout.seats if s.grid_row == tapped.grid_row), key=lambda s: s.grid_col)
    run: list[str] = []
    for seat in row:  # the run of free, ordinary, neighbouring seats that contains the tapped one
        free = not seat.blocked and seat.kind == "standard" and codes.get(seat.seat_id, "a") in ("a", "m")
        if free and run and layout.seat(run[-1]).grid_col + 1 == seat.grid_col:  # type: ignore[union-attr]
            run.append(seat.seat_id)
        elif free:
            if seat_id in run:
                break
            run = [seat.seat_id]
        else:
            if seat_id in run:
                break
            run = []
    if seat_id not in run or len(run) < count:
        return None
    at = run.index(seat_id)
    centred = min(max(0, at - (count - 1) // 2), len(run) - count)
    starts = range(max(0, at - count + 1), min(at, len(run) - count) + 1)  # every block that keeps the seat
    fair = [start for start in starts if not leave_no_single or leaves_no_single(len(run), start, count)]
    if not fair:
        return None
    start = min(fair, key=lambda s: (abs(s - centred), s))
    return run[start : start + count]
