"""Register, log in, log out. Errors are shown next to the form; nothing changes on bad input."""

from __future__ import annotations

from urllib.parse import quote

from nicegui import ui

from components.auth_form import attempt, card, email_input, error_label, name_input, password_input, submit_button
from components.frame import frame
from components.page import page
from components.session import client_address_of_page, current_user, login, logout, safe_next
from services.container import Services
from services.i18n import t
from services.platform.logs import log_event


def register(services: Services) -> None:
    @page("/login")
    async def login_page(next: str = "/") -> None:
        target = safe_next(next)
        if current_user() is not None:  # already logged in: straight on to where the link pointed
            ui.navigate.to(target)
            return
        async with frame(services.catalog, services.mailbox):
            _login_form(services, target)

    @page("/register")
    async def register_page(next: str = "/") -> None:
        async with frame(services.catalog, services.mailbox):
            _register_form(services, safe_next(next))

    @page("/logout")
    def logout_page() -> None:
        logout()
        ui.navigate.to("/")


def _login_form(services: Services, target: str) -> None:
    client = client_address_of_page(services.settings)
    with card(t("Welcome back"), t("Log in to book seats and see your tickets.")):
        email = email_input()
        password = password_input(t("Password")).mark("login-password")
        error = error_label()

        async def submit() -> None:
            user = await attempt(button, error, services.users.authenticate, email.value or "", password.value or "",
                                 client)
            log_event("auth.login_form", ok=user is not None, client=client)  # who tried, for abuse
            if user is not None:
                login(user)
                ui.navigate.to(target)

        password.on("keydown.enter", submit)
        button = submit_button(t("Log in"), submit, "login-submit")
        with ui.row().classes("gap-1 justify-between w-full text-sm"):
            ui.link(t("Forgot password?"), "/forgot-password").classes("text-accent").mark("forgot-link")
            with ui.row().classes("gap-1"):
                ui.label(t("New here?")).classes("mm-muted")
                ui.link(t("Create an account"), f"/register?next={quote(target, safe='')}").classes("text-accent")


def _register_form(services: Services, target: str) -> None:
    client = client_address_of_page(services.settings)
    with card(t("Create your account"), t("It takes a minute. Your tickets will be waiting here.")):
        name = name_input().mark("register-name")
        email = email_input().mark("register-email")
        password = password_input(t("Password (at least 8 characters)"), "new-password").mark("register-password")
        confirm = password_input(t("Confirm password"), "new-password").mark("register-confirm")
        error = error_label()

        async def submit() -> None:
            fields = (name.value or "", email.value or "", password.value or "", confirm.value)
            user = await attempt(button, error, services.users.register, *fields, "customer", client)
            log_event("auth.register_form", ok=user is not None, client=client)
            if user is not None:
                login(user)
                ui.notify(t("Welcome to Movie Magic, {name}!", name=user.name), type="positive")
                ui.navigate.to(target)

        confirm.on("keydown.enter", submit)
        button = submit_button(t("Create account"), submit, "register-submit")
        with ui.row().classes("gap-1 justify-center w-full text-sm"):
            ui.label(t("Already have an account?")).classes("mm-muted")
            ui.link(t("Log in"), f"/login?next={quote(target, safe='')}").classes("text-accent")
