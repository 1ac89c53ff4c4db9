"""The staff console's frame: a header, the console's navigation (only what the member may use) and the
content column. Anyone who is not staff with the page's permission sees the "not found" page a customer
sees for anything that is not theirs: the console does not even admit it exists."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from nicegui import ui

from components.display import display_menu
from components.frame import frame
from components.landmarks import main_landmark, skip_link
from components.service_call import call
from components.session import require_user
from components.theme import apply_theme
from services.container import Services
from services.i18n import t
from services.staff.access import Permission, StaffMember


@dataclass(frozen=True)
class NavItem:
    label: str
    icon: str
    path: str
    permission: Permission


def nav_items() -> list[NavItem]:
    """The console's pages, in menu order (a function: labels are translated per request)."""
    return [
        NavItem(t("Dashboard"), "space_dashboard", "/staff", "checkin"),
        NavItem(t("Schedule"), "calendar_month", "/staff/schedule", "manage"),
        NavItem(t("Theaters"), "theaters", "/staff/theaters", "manage"),
        NavItem(t("Screens"), "event_seat", "/staff/screens", "manage"),
        NavItem(t("Events"), "celebration", "/staff/events", "manage"),  # issue 17
        NavItem(t("Bookings"), "confirmation_number", "/staff/bookings", "manage"),
        NavItem(t("Check-in"), "qr_code_scanner", "/staff/checkin", "checkin"),
        NavItem(t("Reports"), "insights", "/staff/reports", "manage"),
        NavItem(t("Audit"), "history", "/staff/audit", "manage"),
        NavItem(t("Staff"), "badge", "/staff/team", "admin"),
        NavItem(t("Catalog"), "movie", "/staff/movies", "admin"),
        NavItem(t("Kiosks"), "point_of_sale", "/staff/kiosks", "admin"),
    ]


@asynccontextmanager
async def staff_frame(services: Services, path: str, permission: Permission, *,
                      bare: bool = False) -> AsyncIterator[StaffMember | None]:
    """Yields the staff member (content goes inside), or None after showing "not found" / the login redirect.
    ``bare``: no header or menu (the check-in screen uses the whole phone)."""
    user = require_user(path)
    if user is None:
        yield None
        return
    # The console's pages read several things (access, theaters, schedules, counters): build them over the
    # open connection rather than against the first response's time limit, which a busy backend can miss.
    await ui.context.client.connected()
    member = await call(services.staff.access.member, user)
    if member is None or not member.may(permission):
        async with frame(services.catalog, services.mailbox):
            _not_found()
        yield None
        return
    apply_theme()
    if bare:
        with ui.column().classes("w-full min-h-screen p-0 gap-0"):
            yield member
        return
    _header(member, path)
    with ui.column().classes("w-full max-w-7xl mx-auto px-3 sm:px-6 py-4 sm:py-6 gap-5").mark("staff-content") as main:
        main_landmark(main)
        yield member


def _header(member: StaffMember, path: str) -> None:
    items = [item for item in nav_items() if member.may(item.permission)]
    drawer = ui.left_drawer(value=None).props("dark bordered breakpoint=1023").classes("bg-[#10101a] p-0")
    with drawer, ui.column().classes("w-full gap-0 py-2").mark("staff-nav"):
        for item in items:
            active = item.path == path
            with (ui.link(target=item.path)
                  .classes("mm-link flex items-center gap-3 px-5 py-3 text-base "
                           + ("text-white bg-white/10 border-l-4 border-[var(--mm-primary)]" if active
                              else "mm-muted border-l-4 border-transparent hover:bg-white/5"))
                  .props(f'aria-current="{"page" if active else "false"}"')):
                ui.icon(item.icon, size="22px")
                ui.label(item.label)
    with ui.header().classes("items-center gap-2 px-3 sm:px-6 py-2").style(
            "background: rgba(11,11,18,.92); border-bottom: 1px solid rgba(255,255,255,.06)"):
        skip_link()
        ui.button(icon="menu", on_click=drawer.toggle).props(
            f'flat round color=white aria-label="{t("Menu")}"').classes("lg:hidden")
        with ui.link(target="/staff").classes("mm-link flex items-center gap-2"):
            ui.icon("movie_filter", size="26px").classes("text-primary")
            ui.label(t("Movie Magic · Staff")).classes("mm-title text-lg text-white")
        ui.space()
        ui.label(f"{member.name} · {_role_name(member)}").classes("mm-muted text-sm max-sm:hidden").mark("staff-who")
        display_menu()
        ui.button(icon="logout", on_click=lambda: ui.navigate.to("/logout")).props(
            f'flat round color=white aria-label="{t("Log out")}"')


def _role_name(member: StaffMember) -> str:
    return {"usher": t("Usher"), "manager": t("Manager"), "admin": t("Admin")}.get(member.role, member.role)


def _not_found() -> None:
    with ui.column().classes("mm-surface w-full max-w-lg mx-auto items-center py-12 px-6 gap-3").mark("not-found"):
        ui.icon("search_off", size="48px").classes("mm-muted")
        ui.label(t("We could not find that page.")).classes("text-lg text-white text-center")
        ui.button(t("Home"), on_click=lambda: ui.navigate.to("/")).props("unelevated no-caps")
