"""Register, log in, log out. Errors are shown next to the form; nothing changes on bad input."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from urllib.parse import quote

from nicegui import ui

from components.frame import frame
from components.service_call import call
from components.session import current_user, login, logout, safe_next
from services.accounts.users import User
from services.container import Services
from services.errors import DomainError
from services.i18n import t
from services.platform.logs import log_event


def register(services: Services) -> None:
    @ui.page("/login")
    async def login_page(next: str = "/") -> None:
        target = safe_next(next)
        if current_user() is not None:
            ui.navigate.to(target)
            return
        async with frame(services.catalog, services.mailbox):
            _login_form(services, target)

    @ui.page("/register")
    async def register_page(next: str = "/") -> None:
        async with frame(services.catalog, services.mailbox):
            _register_form(services, safe_next(next))

    @ui.page("/logout")
    def logout_page() -> None:
        logout()
        ui.navigate.to("/")


def _login_form(services: Services, target: str) -> None:
    with _card(t("Welcome back"), t("Log in to book seats and see your tickets.")):
        email = _email_input()
        password = _password_input(t("Password")).mark("login-password")
        error = _error_label()

        async def submit() -> None:
            user = await _attempt(button, error, services.users.authenticate, email.value or "", password.value or "")
            log_event("auth.login_form", ok=user is not None, client=ui.context.client.ip)  # who tried, for abuse
            if user is not None:
                login(user)
                ui.navigate.to(target)

        password.on("keydown.enter", submit)
        button = ui.button(t("Log in"), on_click=submit).props("unelevated no-caps size=lg").classes("w-full")
        button.mark("login-submit")
        with ui.row().classes("gap-1 justify-center w-full text-sm"):
            ui.label(t("New here?")).classes("mm-muted")
            ui.link(t("Create an account"), f"/register?next={quote(target, safe='')}").classes("text-accent")


def _register_form(services: Services, target: str) -> None:
    with _card(t("Create your account"), t("It takes a minute. Your tickets will be waiting here.")):
        name = ui.input(t("Full name")).props('outlined dark autocomplete="name"').classes("w-full")
        name.mark("register-name")
        email = _email_input().mark("register-email")
        password = _password_input(t("Password (at least 8 characters)")).mark("register-password")
        confirm = _password_input(t("Confirm password")).mark("register-confirm")
        error = _error_label()

        async def submit() -> None:
            fields = (name.value or "", email.value or "", password.value or "", confirm.value)
            user = await _attempt(button, error, services.users.register, *fields)
            log_event("auth.register_form", ok=user is not None, client=ui.context.client.ip)
            if user is not None:
                login(user)
                ui.notify(t("Welcome to Movie Magic, {name}!", name=user.name), type="positive")
                ui.navigate.to(target)

        confirm.on("keydown.enter", submit)
        button = ui.button(t("Create account"), on_click=submit).props("unelevated no-caps size=lg").classes("w-full")
        button.mark("register-submit")
        with ui.row().classes("gap-1 justify-center w-full text-sm"):
            ui.label(t("Already have an account?")).classes("mm-muted")
            ui.link(t("Log in"), f"/login?next={quote(target, safe='')}").classes("text-accent")


async def _attempt(button: ui.button, error: ui.label, action: Callable[..., User], *args: object) -> User | None:
    """Run an account action off the event loop with the button disabled (no double submit); a refusal
    (wrong password, locked account, taken email, bad input) is shown under the form and gives None."""
    error.set_visibility(False)
    button.disable()
    try:
        return await call(action, *args)
    except DomainError as exc:
        _show(error, exc.message)
        return None
    finally:
        button.enable()


@contextmanager
def _card(title: str, subtitle: str) -> Iterator[None]:
    """A centred form card with a title."""
    with ui.column().classes("mm-surface w-full max-w-md mx-auto p-6 sm:p-8 gap-4 mt-2 sm:mt-8"):
        ui.label(title).classes("mm-title text-2xl text-white").mark("page-title")
        ui.label(subtitle).classes("mm-muted -mt-2")
        yield


def _email_input() -> ui.input:
    return (
        ui.input(t("Email"))
        .props('outlined dark type=email autocomplete="email"')
        .classes("w-full")
        .mark("login-email")
    )


def _password_input(label: str) -> ui.input:
    return (
        ui.input(label, password=True, password_toggle_button=True)
        .props('outlined dark autocomplete="current-password"')
        .classes("w-full")
    )


def _error_label() -> ui.label:
    label = ui.label().classes("text-negative text-sm font-medium").props('role="alert"').mark("form-error")
    label.set_visibility(False)
    return label


def _show(label: ui.label, message: str) -> None:
    label.set_text(message)
    label.set_visibility(True)
