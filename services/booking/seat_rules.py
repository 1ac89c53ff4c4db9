"""Fair seat rules: which sets of seats one hold may take (web, API and kiosk all hold through the inventory).

- **No single empty seat**: a hold may not leave one ordinary seat on its own next to the seats it takes,
  between taken seats or against an aisle, a gap, a wall or a wheelchair/companion place, because nobody
  buys such a seat (Fandango and pretix's seating refuse it too). Only seats the hold makes lonely count: a
  seat that was already on its own (a cancellation, a release) is not this customer's doing.
- **Companion seats** go with their wheelchair space: a companion seat is held only in the same hold as the
  wheelchair space beside it (a wheelchair space alone is fine).

Pure functions over the layout, so best seats and the kiosk's one-tap moves can ask the same question
before they propose a block. "Taken" means held by anyone or sold, as the caller sees it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from services.catalog.layouts import Layout, SeatSpec


def stretches(layout: Layout) -> list[list[SeatSpec]]:
    """Runs of ordinary, bookable seats on neighbouring grid columns of one row: what a single seat can be
    stranded in. An aisle, a gap, a blocked seat, a wheelchair space or a companion seat ends a stretch."""
    by_row: dict[int, list[SeatSpec]] = {}
    for seat in layout.seats:
        by_row.setdefault(seat.grid_row, []).append(seat)
    result: list[list[SeatSpec]] = []
    for row in by_row.values():
        current: list[SeatSpec] = []
        for seat in sorted(row, key=lambda s: s.grid_col):
            ordinary = seat.kind == "standard" and not seat.blocked
            if ordinary and current and seat.grid_col == current[-1].grid_col + 1:
                current.append(seat)
                continue
            if current:
                result.append(current)
            current = [seat] if ordinary else []
        if current:
            result.append(current)
    return result


def _lonely(stretch: list[SeatSpec], index: int, taken: Collection[str]) -> bool:
    """A free seat whose neighbours in its stretch are taken or missing (an edge)."""
    if stretch[index].seat_id in taken:
        return False
    left_free = index > 0 and stretch[index - 1].seat_id not in taken
    right_free = index + 1 < len(stretch) and stretch[index + 1].seat_id not in taken
    return not left_free and not right_free


def lone_seats_left(layout: Layout, taken_before: Collection[str], taken_after: Collection[str],
                    held: Iterable[str]) -> list[str]:
    """Seats that a hold of ``held`` (the whole hold, after replacing the holder's previous seats) leaves on
    their own: free afterwards, beside one of the held seats, and not already on their own before."""
    held_ids = set(held)
    lone: list[str] = []
    for stretch in stretches(layout):
        if not any(seat.seat_id in held_ids for seat in stretch):
            continue
        for index, seat in enumerate(stretch):
            beside = {stretch[i].seat_id for i in (index - 1, index + 1) if 0 <= i < len(stretch)}
            if (beside & held_ids and _lonely(stretch, index, taken_after)
                    and not _lonely(stretch, index, taken_before)):
                lone.append(seat.seat_id)
    return lone


def companions_alone(layout: Layout, held: Collection[str]) -> list[tuple[str, str]]:
    """(companion seat, its wheelchair space) for each companion seat held without the space beside it."""
    problems: list[tuple[str, str]] = []
    for seat_id in held:
        seat = layout.seat(seat_id)
        if seat is None or seat.kind != "companion":
            continue
        spaces = [s for s in layout.seats if s.grid_row == seat.grid_row and s.kind == "wheelchair"
                  and abs(s.grid_col - seat.grid_col) == 1]
        if spaces and not any(space.seat_id in held for space in spaces):
            problems.append((seat_id, spaces[0].seat_id))
    return problems


def leaves_no_single(run_length: int, start: int, count: int) -> bool:
    """A block of ``count`` at ``start`` in a run of ``run_length`` free ordinary seats leaves no seat of
    the run on its own (what best seats and the kiosk's moves check before they propose a block)."""
    return start != 1 and run_length - start - count != 1
