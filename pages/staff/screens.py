"""The seat-layout editor: a screen's hall as rows of places; pick a tool (seat, wheelchair space,
companion seat, blocked seat, gap) and paint places, set each row's label and category, add walkways;
a live preview uses the customers' own seat-grid component. Saving creates a new layout version
(validated and audited in ``services.staff.layouts``); shows already on sale keep theirs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from nicegui import ui

from components.heading import heading
from components.page import page
from components.seat_grid import SeatGrid
from components.service_call import call
from components.session import current_user
from components.staff_frame import staff_frame
from services.booking.inventory import SeatMap, SeatView
from services.booking.models import SeatState
from services.catalog.catalog import Screen, Showtime, Theater
from services.container import Services
from services.errors import DomainError
from services.i18n import N_, t
from services.staff.access import StaffMember
from services.staff.layouts import validate_layout

TOOLS = {"s": N_("Seat"), "w": N_("Wheelchair"), "c": N_("Companion"), "x": N_("Blocked"), "_": N_("Gap")}
_CELL_CSS = """
.mm-row-cells { display: flex; gap: 2px; flex-wrap: nowrap; overflow-x: auto; }
.mm-cell { width: 18px; height: 18px; border-radius: 4px; font-size: 10px; line-height: 18px; text-align: center;
           cursor: pointer; user-select: none; color: #0b0b12; font-weight: 700; flex: none; }
.mm-cell-s { background: #a7f3d0; } .mm-cell-w { background: #60a5fa; } .mm-cell-c { background: #c4b5fd; }
.mm-cell-x { background: #6b7280; } .mm-cell-_ { background: transparent; border: 1px dashed #3a3850; }
"""


def register(services: Services) -> None:
    @page("/staff/screens")
    async def screens_page(theater: str | None = None, screen: str | None = None) -> None:
        async with staff_frame(services, "/staff/screens", "manage") as member:
            if member is None:
                return
            await _editor(services, member, theater, screen)


def _stored(screen: Screen) -> dict[str, Any]:
    """The screen's layout as editable data: every row padded to the hall's width, so any place can be painted."""
    layout = screen.layout
    rows: list[dict[str, Any]] = []
    by_row: dict[int, list[Any]] = {}
    for seat in layout.seats:
        by_row.setdefault(seat.grid_row, []).append(seat)
    for grid_row in range(layout.grid_rows):
        seats = by_row.get(grid_row)
        if not seats:
            rows.append({"aisle": True})
            continue
        pattern = ["_"] * layout.grid_cols
        for seat in seats:
            pattern[seat.grid_col] = "x" if seat.blocked else {"wheelchair": "w", "companion": "c"}.get(seat.kind, "s")
        rows.append({"label": seats[0].row, "category": seats[0].category, "seats": "".join(pattern)})
    return {"layout_id": layout.layout_id, "name": layout.name,
            "categories": [{"code": c.code, "name": c.name} for c in layout.categories], "rows": rows}


async def _editor(services: Services, member: StaffMember, theater_id: str | None, screen_id: str | None) -> None:
    ui.add_css(_CELL_CSS)
    everything = await call(services.catalog.theaters)
    scope = member.theater_scope([theater.theater_id for theater in everything])
    # A theater without screens has no hall to edit yet (the theaters page adds them).
    mine = {theater.theater_id: theater for theater in everything if theater.theater_id in scope and theater.screens}
    if not mine:
        heading(t("Screens and seat layouts")).classes("mm-title text-2xl text-white").mark("page-title")
        ui.label(t("None of your theaters has a screen yet.")).classes("mm-muted")
        return
    view = _EditorView(services, mine, theater_id, screen_id)
    heading(t("Screens and seat layouts")).classes("mm-title text-2xl text-white").mark("page-title")
    with ui.row().classes("w-full items-end gap-3 flex-wrap"):
        ui.select({k: v.name for k, v in view.theaters.items()}, value=view.theater_id, label=t("Theater"),
                  on_change=lambda e: view.choose(e.value, view.theaters[e.value].screens[0].screen_id)).props(
            "outlined dark dense options-dark").mark("layout-theater")
    view.body()


class _EditorView:
    """One editing session: the hall as data, the painting tool, and the parts of the page that redraw."""

    def __init__(self, services: Services, theaters: dict[str, Theater], theater_id: str | None = None,
                 screen_id: str | None = None) -> None:
        self.services = services
        self.user = current_user()
        self.theaters = theaters
        # The theaters page links here with ?theater=&screen=; anything unknown falls back to the first hall.
        first = theaters.get(theater_id or "") or next(iter(theaters.values()))
        chosen = next((s.screen_id for s in first.screens if s.screen_id == screen_id), first.screens[0].screen_id)
        self.theater_id, self.screen_id, self.tool = first.theater_id, chosen, "s"
        self.data: dict[str, Any] = {}
        self.prices: dict[str, int] = {}
        self.message: ui.label | None = None
        self.load()

    def theater(self) -> Theater:
        return self.theaters[self.theater_id]

    def load(self) -> None:
        screen = self.theater().screen(self.screen_id)
        self.data, self.prices = _stored(screen), dict(screen.prices)

    def choose(self, theater_id: str, screen_id: str) -> None:
        self.theater_id, self.screen_id = theater_id, screen_id
        self.load()
        self.body.refresh()

    @ui.refreshable_method
    def body(self) -> None:
        screens = {screen.screen_id: f"{screen.name} · v{screen.layout_version}" for screen in self.theater().screens}
        ui.select(screens, value=self.screen_id, label=t("Screen"),
                  on_change=lambda e: self.choose(self.theater_id, e.value)).props(
            "outlined dark dense options-dark").classes("min-w-[14rem]").mark("layout-screen")
        with ui.row().classes("items-center gap-2 flex-wrap"):
            ui.label(t("Paint:")).classes("mm-muted")
            ui.toggle({code: t(name) for code, name in TOOLS.items()}, value=self.tool,
                      on_change=lambda e: setattr(self, "tool", e.value)).props("dense no-caps").mark("layout-tool")
        self.message = ui.label().classes("text-sm").mark("layout-message")
        with ui.element("div").classes("w-full grid gap-4 grid-cols-1 xl:grid-cols-2"):
            with ui.column().classes("mm-surface p-3 gap-2 min-w-0").mark("layout-rows"):
                self.rows_editor()
                with ui.row().classes("gap-2"):
                    ui.button(t("Add row"), on_click=lambda: self.add_row(False)).props(
                        "outline no-caps size=sm").mark("layout-add-row")
                    ui.button(t("Add walkway"), on_click=lambda: self.add_row(True)).props("outline no-caps size=sm")
            with ui.column().classes("mm-surface p-3 gap-2 min-w-0").mark("layout-preview"):
                ui.label(t("Preview (what customers see)")).classes("text-white font-bold")
                self.preview()
        ui.button(t("Save as new version"), on_click=self.save).props("unelevated no-caps").mark("layout-save")

    async def save(self) -> None:
        assert self.message is not None
        try:
            version = await call(self.services.staff.layouts.save, self.user, self.theater_id, self.screen_id,
                                 self.data, self.prices)
        except DomainError as exc:
            self.message.set_text(exc.message)
            self.message.classes(replace="text-sm text-negative")
            return
        self.message.set_text(t("Saved as version {n}. Shows already scheduled keep their layout.", n=version))
        self.message.classes(replace="text-sm text-positive")
        self.theaters[self.theater_id] = await call(self.services.catalog.theater, self.theater_id)

    @ui.refreshable_method
    def rows_editor(self) -> None:
        categories = {c["code"]: c["name"] for c in self.data["categories"]}
        for index, row in enumerate(self.data["rows"]):
            with ui.row().classes("w-full items-center gap-2 flex-nowrap").mark("layout-row"):
                if row.get("aisle"):
                    ui.label(t("walkway")).classes("mm-muted text-xs w-24")
                else:
                    number = index + 1
                    ui.input(value=row["label"], on_change=lambda e, r=row: self.change(r, label=e.value)).props(
                        "dense dark outlined input-class=text-center").props(
                        f'aria-label="{t("Row {n}: label", n=number)}"').classes("w-16 shrink-0").mark("layout-label")
                    ui.select(categories, value=row["category"],
                              on_change=lambda e, r=row: self.change(r, category=e.value)).props(
                        f'dense dark outlined options-dark aria-label="{t("Row {n}: category", n=number)}"').classes(
                        "w-28")
                    cells = "".join(f'<span class="mm-cell mm-cell-{ch}" data-i="{i}">{ch if ch != "_" else ""}</span>'
                                    for i, ch in enumerate(row["seats"]))
                    # A scroller a keyboard can reach (and scroll with the arrow keys).
                    scroller = f'tabindex="0" role="group" aria-label="{t("Row {n}: seats", n=number)}"'
                    ui.html(f'<div class="mm-row-cells" {scroller}>{cells}</div>').classes("min-w-0").on(
                        "click", lambda e, r=row: self.paint(r, e.args), js_handler="(e) => emit(e.target.dataset.i)"
                    ).mark("layout-cells")
                ui.button(icon="close", on_click=lambda i=index: self.remove_row(i)).props(
                    f'flat round dense size=sm aria-label="{t("Remove row")}"')

    def change(self, row: dict[str, Any], **values: Any) -> None:
        row.update(values)
        self.preview.refresh()

    def paint(self, row: dict[str, Any], index: Any) -> None:
        if index is None or not str(index).isdigit():
            return
        i, seats = int(index), row["seats"]
        if i < len(seats):
            row["seats"] = seats[:i] + self.tool + seats[i + 1:]
            self.rows_editor.refresh()
            self.preview.refresh()

    def add_row(self, aisle: bool) -> None:
        rows = self.data["rows"]
        width = max((len(r["seats"]) for r in rows if not r.get("aisle")), default=10)
        labels = {r.get("label") for r in rows}
        label = next((chr(code) for code in range(ord("A"), ord("Z") + 1) if chr(code) not in labels), "R")
        rows.append({"aisle": True} if aisle else
                    {"label": label, "category": self.data["categories"][0]["code"], "seats": "s" * width})
        self.rows_editor.refresh()
        self.preview.refresh()

    def remove_row(self, index: int) -> None:
        del self.data["rows"][index]
        self.rows_editor.refresh()
        self.preview.refresh()

    @ui.refreshable_method
    def preview(self) -> None:
        try:
            layout = validate_layout(self.data, self.prices)
        except DomainError as exc:
            ui.label(exc.message).classes("text-negative text-sm").mark("layout-invalid")
            return
        now = datetime.now(UTC)
        showtime = Showtime("preview", "preview", self.theater_id, self.screen_id, "", now, now, "", "",
                            self.prices, self.theater().timezone)
        seats = tuple(SeatView(s.seat_id, s.row, s.number, s.grid_row, s.grid_col, s.category,
                               layout.category_name(s.category), self.prices.get(s.category, 0), s.kind,
                               s.accessible, SeatState.BLOCKED if s.blocked else SeatState.AVAILABLE)
                      for s in layout.seats)
        ui.label(t("{n} seats for sale", n=layout.capacity)).classes("mm-muted text-sm").mark("layout-capacity")
        SeatGrid(SeatMap(showtime, layout, seats, None, None, 0),
                 currency=self.services.settings.currency).classes("w-full")
