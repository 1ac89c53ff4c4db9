"""Theaters and their screens. Managers see the theaters they work for; admins also add and edit theaters
(name, city, address, IANA timezone) and screens (name, format, a starting hall to paint in the layout
editor). Rules and validation live in services.staff.theaters; this page shows the service's messages."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import cache
from urllib.parse import urlencode
from zoneinfo import available_timezones

from nicegui import ui
from nicegui.awaitable_response import AwaitableResponse

from components.heading import heading
from components.page import page
from components.service_call import call
from components.session import current_user
from components.staff_frame import staff_frame
from services.accounts.users import User
from services.catalog.models import Screen, Theater
from services.container import Services
from services.errors import DomainError
from services.formatting import format_money
from services.i18n import t
from services.staff.access import StaffMember
from services.staff.theaters import FORMATS, ScreenDraft, TheaterDraft

Refresh = Callable[[], AwaitableResponse]
_DENSE = "outlined dark dense"


@cache
def _zone_names() -> list[str]:
    return sorted(zone for zone in available_timezones() if "/" in zone)


def register(services: Services) -> None:
    @page("/staff/theaters")
    async def theaters_page() -> None:
        async with staff_frame(services, "/staff/theaters", "manage") as member:
            if member is None:
                return
            await _theaters(services, member)


async def _attempt(error: ui.label, action: Callable[[], Awaitable[object]]) -> bool:
    """Run the service call; show its message in ``error`` when it refuses."""
    try:
        await action()
    except DomainError as exc:
        error.set_text(exc.message)
        return False
    error.set_text("")
    return True


def _actions(dialog: ui.dialog, label: str, marker: str, error: ui.label, refresh: Refresh, notice: str | None,
             action: Callable[[], Awaitable[object]]) -> None:
    """A dialog's buttons: ``label`` runs ``action`` (a refusal shows in ``error``; success says ``notice``,
    closes the dialog and refreshes the list) and Close."""
    async def save() -> None:
        if await _attempt(error, action):
            if notice is not None:
                ui.notify(notice, type="positive")
            dialog.close()
            await refresh()

    with ui.row().classes("gap-2"):
        ui.button(label, on_click=save).props("unelevated no-caps").mark(marker)
        ui.button(t("Close"), on_click=dialog.close).props("flat no-caps")


class _TheaterForm:
    def __init__(self, prefix: str, theater: Theater | None = None) -> None:
        with ui.element("div").classes("w-full grid gap-3 grid-cols-1 md:grid-cols-2"):
            self.name = ui.input(t("Name"), value=theater.name if theater else "").props(_DENSE).mark(f"{prefix}-name")
            self.city = ui.input(t("City"), value=theater.city if theater else "").props(_DENSE).mark(f"{prefix}-city")
            self.address = ui.input(t("Address"), value=theater.address if theater else "").props(_DENSE).mark(
                f"{prefix}-address")
            self.timezone = ui.input(t("Timezone (IANA, e.g. Asia/Kolkata)"),
                                     value=theater.timezone if theater else "", autocomplete=_zone_names()).props(
                _DENSE).mark(f"{prefix}-timezone")
        if theater is not None and theater.screens:  # the service refuses to move them; say so before a try
            self.city.props("readonly").tooltip(t("Fixed: this theater has screens."))
            self.timezone.props("readonly").tooltip(t("Fixed: this theater has screens."))
        self.error = ui.label().classes("text-negative text-sm").mark(f"{prefix}-error")

    def draft(self) -> TheaterDraft:
        return TheaterDraft(self.name.value or "", self.city.value or "", self.address.value or "",
                            self.timezone.value or "")


async def _theaters(services: Services, member: StaffMember) -> None:
    user = current_user()
    assert user is not None  # staff_frame admitted this session
    currency = services.settings.currency
    heading(t("Theaters and screens")).classes("mm-title text-2xl text-white").mark("page-title")

    if member.is_admin:
        with ui.column().classes("mm-surface w-full p-4 gap-3").mark("theater-create"):
            ui.label(t("New theater")).classes("text-white font-bold")
            theater_id = ui.input(t("Id (e.g. harbour-lights-kochi)")).props(_DENSE).classes(
                "w-full md:w-1/2").mark("theater-id")
            form = _TheaterForm("theater")

            async def create() -> None:
                new_id = (theater_id.value or "").strip()
                if await _attempt(form.error, lambda: call(services.staff.theaters.create, user, new_id, form.draft())):
                    for field in (theater_id, form.name, form.city, form.address, form.timezone):
                        field.set_value("")
                    ui.notify(t("Theater added. Now add its screens."), type="positive")
                    await listing.refresh()

            ui.button(t("Add theater"), on_click=create).props("unelevated no-caps").mark("theater-submit")

    @ui.refreshable
    async def listing() -> None:
        theaters = await call(services.staff.theaters.visible, user)
        if not theaters:
            ui.label(t("No theaters are assigned to you yet.")).classes("mm-muted")
        for theater in theaters:
            _theater_card(services, user, member, theater, currency, listing.refresh)

    await listing()


def _theater_card(services: Services, user: User, member: StaffMember, theater: Theater, currency: str,
                  refresh: Refresh) -> None:
    with ui.column().classes("mm-surface w-full p-4 gap-2").mark("theater-card", f"theater-{theater.theater_id}"):
        with ui.row().classes("w-full items-start gap-3 flex-wrap"):
            with ui.column().classes("gap-0 flex-1 min-w-[14rem]"):
                ui.label(theater.name).classes("text-white text-lg font-bold")
                ui.label(f"{theater.city} · {theater.address}").classes("mm-muted text-sm")
                ui.label(f"{theater.timezone} · {theater.theater_id}").classes(
                    "mm-muted text-xs [overflow-wrap:anywhere]")
            if member.is_admin:
                ui.button(t("Edit theater"), on_click=lambda: _edit_theater(services, user, theater, refresh)).props(
                    "outline no-caps").mark(f"edit-theater-{theater.theater_id}")
                ui.button(t("Add screen"), on_click=lambda: _add_screen(services, user, theater, refresh)).props(
                    "unelevated no-caps").mark(f"add-screen-{theater.theater_id}")
        if not theater.screens:
            ui.label(t("No screens yet.")).classes("mm-muted text-sm").mark("no-screens")
        for screen in theater.screens:
            _screen_row(services, user, member, theater, screen, currency, refresh)


def _screen_row(services: Services, user: User, member: StaffMember, theater: Theater, screen: Screen,
                currency: str, refresh: Refresh) -> None:
    with ui.row().classes("w-full items-center gap-3 flex-wrap border-t border-white/10 pt-2").mark("screen-row"):
        with ui.column().classes("gap-0 flex-1 min-w-[12rem]"):
            ui.label(f"{screen.name} · {screen.format}").classes("text-white")
            prices = " · ".join(f"{screen.layout.category_name(code)} {format_money(amount, currency)}"
                                for code, amount in screen.prices.items())
            ui.label(t("{n} seats · layout v{v} · {prices}", n=screen.layout.capacity, v=screen.layout_version,
                       prices=prices)).classes("mm-muted text-sm")
        query = urlencode({"theater": theater.theater_id, "screen": screen.screen_id})
        ui.link(t("Edit hall"), f"/staff/screens?{query}").classes("text-primary no-underline").mark(
            "screen-hall")
        if member.is_admin:
            ui.button(t("Rename"), on_click=lambda: _rename_screen(services, user, theater, screen, refresh)).props(
                "flat no-caps").mark(f"rename-{screen.screen_id}")


def _edit_theater(services: Services, user: User, theater: Theater, refresh: Refresh) -> None:
    with ui.dialog() as dialog, ui.card().classes("mm-surface w-full max-w-2xl gap-3").mark("theater-editor"):
        ui.label(t("Edit {name}", name=theater.name)).classes("text-white text-lg font-bold")
        if theater.screens:
            ui.label(t("The city and timezone are fixed once a theater has screens: its shows use them.")).classes(
                "mm-muted text-sm")
        form = _TheaterForm("edit-theater", theater)

        _actions(dialog, t("Save changes"), "edit-theater-save", form.error, refresh, t("Saved."),
                 lambda: call(services.staff.theaters.update, user, theater.theater_id, form.draft()))
    dialog.open()


def _add_screen(services: Services, user: User, theater: Theater, refresh: Refresh) -> None:
    with ui.dialog() as dialog, ui.card().classes("mm-surface w-full max-w-2xl gap-3").mark("screen-creator"):
        ui.label(t("New screen at {name}", name=theater.name)).classes("text-white text-lg font-bold")
        ui.label(t("It starts as a plain hall (the back third prime); paint aisles, wheelchair spaces and "
                   "blocked seats in the layout editor.")).classes("mm-muted text-sm")
        with ui.element("div").classes("w-full grid gap-3 grid-cols-1 sm:grid-cols-2"):
            screen_id = ui.input(t("Id (e.g. hall-1)")).props(_DENSE).mark("screen-id")
            name = ui.input(t("Name")).props(_DENSE).mark("screen-name")
            kind = ui.select(list(FORMATS), value="2D", label=t("Format")).props(f"{_DENSE} options-dark").mark(
                "screen-format")
            rows = ui.number(t("Rows"), value=10, min=1, max=30, precision=0).props(_DENSE).mark("screen-rows")
            seats = ui.number(t("Seats a row"), value=14, min=1, max=40, precision=0).props(_DENSE).mark(
                "screen-seats")
            currency = services.settings.currency
            classic = ui.number(t("Classic price ({currency})", currency=currency), value=200, min=0,
                                precision=2).props(_DENSE).mark("screen-price-classic")
            prime = ui.number(t("Prime price ({currency})", currency=currency), value=300, min=0, precision=2).props(
                _DENSE).mark("screen-price-prime")
        error = ui.label().classes("text-negative text-sm").mark("screen-error")

        def add() -> Awaitable[object]:
            prices = {code: round(float(field.value or 0) * 100) for code, field in
                      (("classic", classic), ("prime", prime))}
            draft = ScreenDraft(name.value or "", kind.value or "", int(rows.value or 0), int(seats.value or 0), prices)
            return call(services.staff.theaters.add_screen, user, theater.theater_id, (screen_id.value or "").strip(),
                        draft)

        _actions(dialog, t("Add screen"), "screen-save", error, refresh, t("Screen added."), add)
    dialog.open()


def _rename_screen(services: Services, user: User, theater: Theater, screen: Screen, refresh: Refresh) -> None:
    with ui.dialog() as dialog, ui.card().classes("mm-surface w-full max-w-md gap-3").mark("screen-renamer"):
        name = ui.input(t("Name"), value=screen.name).props(_DENSE).classes("w-full").mark("rename-name")
        kind = ui.select(list(FORMATS) + ([screen.format] if screen.format not in FORMATS else []),
                         value=screen.format, label=t("Format")).props(f"{_DENSE} options-dark").classes(
            "w-full").mark("rename-format")
        error = ui.label().classes("text-negative text-sm")

        _actions(dialog, t("Save"), "rename-save", error, refresh, None,
                 lambda: call(services.staff.theaters.rename_screen, user, theater.theater_id, screen.screen_id,
                              name.value or "", kind.value or ""))
    dialog.open()
