"""The logged-in user's profile: name, email, role, and where confirmations go."""

from __future__ import annotations

from nicegui import ui

from components.email_status import email_status
from components.frame import frame
from components.service_call import call
from components.session import login, require_user
from services.container import Services
from services.errors import DomainError
from services.i18n import t


def register(services: Services) -> None:
    @ui.page("/profile")
    async def profile_page() -> None:
        session_user = require_user("/profile")
        if session_user is None:
            return
        user = await call(services.users.get, session_user.email)
        async with frame(services.catalog, services.mailbox):
            with ui.column().classes("mm-surface w-full max-w-xl mx-auto p-6 gap-4"):
                ui.label(t("Your profile")).classes("mm-title text-2xl text-white").mark("page-title")
                name = (
                    ui.input(t("Full name"), value=user.name)
                    .props("outlined dark")
                    .classes("w-full")
                    .mark("profile-name")
                )
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
