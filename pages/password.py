"""Forgotten password: ask for a reset link by email, then choose a new password with it.

The request page says the same thing whether or not the address has an account. A reset ends every
session and API token of the account (this browser then logs in with the new password)."""

from __future__ import annotations

from nicegui import ui

from components.auth_form import attempt, card, email_input, error_label, password_input, show, submit_button
from components.frame import frame
from components.page import page
from components.service_call import call
from components.session import login, logout
from services.container import Services
from services.errors import DomainError
from services.i18n import t


def register(services: Services) -> None:
    @page("/forgot-password")
    async def forgot_page() -> None:
        async with frame(services.catalog, services.mailbox):
            _request_form(services)

    @page("/reset-password")
    async def reset_page(token: str = "") -> None:
        async with frame(services.catalog, services.mailbox):
            try:
                email = await call(services.password_reset.email_of, token)
            except DomainError as exc:
                _link_refused(exc.message)
                return
            _reset_form(services, token, email)


def _request_form(services: Services) -> None:
    with card(t("Forgot your password?"), t("Enter your email and we will send you a link to choose a new one.")):
        email = email_input().mark("forgot-email")
        error = error_label()
        sent = ui.label().classes("text-white").props('role="status"').mark("forgot-sent")
        sent.set_visibility(False)

        async def submit() -> None:
            sent.set_visibility(False)
            done = await attempt(button, error, _request, services, email.value or "")
            if done:
                # The same words for every address: this page never tells who has an account.
                sent.set_text(t("If {email} has an account, a reset link is on its way. It works once, for "
                                "{minutes} minutes.", email=(email.value or "").strip(),
                                minutes=services.settings.reset_link_minutes))
                sent.set_visibility(True)
                if services.mailbox is not None:
                    show(error, t("On this computer nothing is emailed: the message waits in the Mailbox."))
                    error.classes(replace="mm-muted text-sm")

        email.on("keydown.enter", submit)
        button = submit_button(t("Send reset link"), submit, "forgot-submit")
        with ui.row().classes("gap-1 justify-center w-full text-sm"):
            ui.link(t("Back to log in"), "/login").classes("text-accent")


def _request(services: Services, email: str) -> bool:
    services.password_reset.request(email)
    return True


def _reset_form(services: Services, token: str, email: str) -> None:
    with card(t("Choose a new password"), t("For {email}. You will be logged out everywhere else.", email=email)):
        password = password_input(t("New password (at least 8 characters)"), "new-password").mark("reset-password")
        confirm = password_input(t("Confirm new password"), "new-password").mark("reset-confirm")
        error = error_label()

        async def submit() -> None:
            user = await attempt(button, error, services.password_reset.reset, token, password.value or "",
                                 confirm.value or "")
            if user is not None:
                logout()
                login(user)
                ui.notify(t("Your password is changed."), type="positive")
                ui.navigate.to("/")

        confirm.on("keydown.enter", submit)
        button = submit_button(t("Save new password"), submit, "reset-submit")


def _link_refused(message: str) -> None:
    with card(t("This link cannot be used"), message):
        ui.link(t("Ask for a new link"), "/forgot-password").classes("text-accent").mark("reset-again")
