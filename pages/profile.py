"""The logged-in user's profile: name, email, role, and where confirmations go."""

from __future__ import annotations

from nicegui import ui

from components.auth_form import attempt, error_label, name_input, password_input
from components.display import display_switches
from components.email_status import email_status
from components.frame import frame
from components.heading import heading
from components.page import page
from components.service_call import call
from components.session import client_address_of_page, login, require_user
from pages.profile_points import load_points, points_card
from services.container import Services
from services.errors import DomainError
from services.i18n import t


def register(services: Services) -> None:
    @page("/profile")
    async def profile_page() -> None:
        session_user = require_user("/profile")
        if session_user is None:
            return
        user = await call(services.users.get, session_user.email)
        points = await load_points(services, session_user)
        async with frame(services.catalog, services.mailbox):
            with ui.column().classes("mm-surface w-full max-w-xl mx-auto p-6 gap-4"):
                heading(t("Your profile")).classes("mm-title text-2xl text-white").mark("page-title")
                name = name_input(user.name).mark("profile-name")
                with ui.column().classes("gap-1"):
                    ui.label(t("Email")).classes("mm-muted text-sm")
                    ui.label(user.email).classes("text-white").mark("profile-email")
                with ui.column().classes("gap-1"):
                    ui.label(t("Account type")).classes("mm-muted text-sm")
                    ui.label(t("Administrator") if user.is_admin else t("Moviegoer")).classes("text-white")
                with ui.column().classes("gap-1"):
                    ui.label(t("Member since")).classes("mm-muted text-sm")
                    ui.label(user.created_at[:10]).classes("text-white")
                email_status(services.subscriptions, user.email)

                async def save() -> None:
                    try:
                        updated = await call(services.users.update_name, user.email, name.value or "")
                    except DomainError as exc:
                        ui.notify(exc.message, type="negative")
                        return
                    login(updated)
                    ui.notify(t("Saved."), type="positive")

                with ui.row().classes("gap-2"):
                    ui.button(t("Save"), on_click=save).props("unelevated no-caps").mark("profile-save")
                    ui.button(t("Log out"), on_click=lambda: ui.navigate.to("/logout")).props("flat no-caps")
            with ui.column().classes("mm-surface w-full max-w-xl mx-auto p-6 gap-2").mark("display-options"):
                ui.label(t("Display")).classes("mm-title text-xl text-white")
                ui.label(t("Kept on your account: every browser you log in to uses them.")).classes("mm-muted")
                display_switches("profile-display")
            points_card(services, *points)
            _change_password(services, user.email)


def _change_password(services: Services, email: str) -> None:
    """Knowing the current password, choose a new one; other sessions and API tokens stop working."""
    client = client_address_of_page(services.settings)
    with ui.column().classes("mm-surface w-full max-w-xl mx-auto p-6 gap-4").mark("change-password"):
        ui.label(t("Change password")).classes("mm-title text-xl text-white")
        ui.label(t("You stay logged in here; everywhere else you will be logged out.")).classes("mm-muted -mt-3")
        current = password_input(t("Current password")).mark("current-password")
        new = password_input(t("New password (at least 8 characters)"), "new-password").mark("new-password")
        confirm = password_input(t("Confirm new password"), "new-password").mark("confirm-password")
        error = error_label()

        async def change() -> None:
            updated = await attempt(button, error, services.users.change_password, email, current.value or "",
                                    new.value or "", confirm.value or "", client)
            if updated is not None:
                login(updated)
                for field in (current, new, confirm):
                    field.set_value("")
                ui.notify(t("Your password is changed."), type="positive")

        button = ui.button(t("Change password"), on_click=change).props("unelevated no-caps").mark("password-save")
