"""Staff accounts (admins): create ushers, managers and admins, assign their theaters, disable them.
A new account's password is shown once, in a dialog, for the admin to hand over."""

from __future__ import annotations

from nicegui import ui

from components.heading import heading
from components.page import page
from components.service_call import call
from components.session import current_user
from components.staff_frame import staff_frame
from services.accounts.users import User
from services.container import Services
from services.errors import DomainError
from services.i18n import t
from services.staff.access import StaffMember


def register(services: Services) -> None:
    @page("/staff/team")
    async def team_page() -> None:
        async with staff_frame(services, "/staff/team", "admin") as member:
            if member is None:
                return
            await _team(services, member)


async def _team(services: Services, member: StaffMember) -> None:
    admin = current_user()
    assert admin is not None  # staff_frame admitted this session
    theaters = {theater.theater_id: theater.name for theater in await call(services.catalog.theaters)}
    roles = {"usher": t("Usher"), "manager": t("Manager"), "admin": t("Admin")}
    heading(t("Staff accounts")).classes("mm-title text-2xl text-white").mark("page-title")

    with ui.column().classes("mm-surface w-full p-4 gap-3").mark("team-create"):
        ui.label(t("New staff account")).classes("text-white font-bold")
        with ui.element("div").classes("w-full grid gap-3 grid-cols-1 md:grid-cols-2"):
            name = ui.input(t("Name")).props("outlined dark dense").mark("team-name")
            email = ui.input(t("Email")).props("outlined dark dense").mark("team-email")
            role = ui.select(roles, value="usher", label=t("Role")).props(
                "outlined dark dense options-dark").mark("team-role")
            scopes = ui.select(theaters, multiple=True, value=[], label=t("Theaters")).props(
                "outlined dark dense options-dark use-chips").mark("team-theaters")
        error = ui.label().classes("text-negative text-sm").mark("team-error")

        async def create() -> None:
            try:
                account = await call(services.staff.team.create, admin, name.value or "", email.value or "",
                                     role.value, list(scopes.value or []), list(theaters))
            except DomainError as exc:
                error.set_text(exc.message)
                return
            error.set_text("")
            name.value, email.value, scopes.value = "", "", []
            _password_dialog(account.user.email, account.password)
            listing.refresh()

        ui.button(t("Create account"), on_click=create).props("unelevated no-caps").mark("team-submit")

    @ui.refreshable
    async def listing() -> None:
        members = await call(services.staff.team.members, admin)
        if not members:
            ui.label(t("No staff accounts yet.")).classes("mm-muted")
        for account in sorted(members, key=lambda m: (m.role, m.email)):
            _row(services, admin, account, theaters, roles, listing.refresh)

    await listing()


def _row(services: Services, admin: User, account: User, theaters: dict[str, str], roles: dict[str, str],
         refresh: object) -> None:
    with ui.row().classes("mm-surface w-full px-4 py-3 items-center gap-3 flex-wrap").mark("team-member"):
        with ui.column().classes("gap-0 min-w-[14rem] flex-1"):
            ui.label(account.name).classes("text-white font-bold")
            ui.label(f"{account.email} · {roles.get(account.role, account.role)}").classes("mm-muted text-sm break-all")
        if account.role != "admin":
            scope = ui.select(theaters, multiple=True, value=list(account.theaters), label=t("Theaters")).props(
                "outlined dark dense options-dark use-chips").classes("min-w-[16rem] flex-1")

            async def save_theaters(chosen: ui.select = scope, email: str = account.email) -> None:
                try:
                    await call(services.staff.team.assign_theaters, admin, email, list(chosen.value or []),
                               list(theaters))
                    ui.notify(t("Theaters saved."), type="positive")
                except DomainError as exc:
                    ui.notify(exc.message, type="negative")

            ui.button(t("Save"), on_click=save_theaters).props("flat no-caps color=accent")

        async def toggle(email: str = account.email, disabled: bool = not account.disabled) -> None:
            try:
                await call(services.staff.team.set_disabled, admin, email, disabled)
            except DomainError as exc:
                ui.notify(exc.message, type="negative")
                return
            refresh()  # type: ignore[operator]

        ui.badge(t("Disabled") if account.disabled else t("Active"),
                 color="negative" if account.disabled else "positive").mark("team-status")
        ui.button(t("Enable") if account.disabled else t("Disable"), on_click=toggle).props(
            "outline no-caps").mark("team-toggle")


def _password_dialog(email: str, password: str) -> None:
    with ui.dialog(value=True) as dialog, ui.card().classes("bg-grey-10 text-white gap-3"):
        ui.label(t("Account created")).classes("text-lg font-bold")
        ui.label(t("Hand this password to {email}. It is shown only now.", email=email))
        ui.label(password).classes("font-mono text-xl text-accent select-all").mark("team-password")
        ui.button(t("Done"), on_click=dialog.close).props("unelevated no-caps")
