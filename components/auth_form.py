"""The pieces every account form shares (log in, register, forgot and reset password, change password):
a centred card, inputs with length limits, a refusal shown under the form, and one submit routine."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from nicegui import ui

from components.heading import heading
from components.service_call import call
from services.errors import DomainError
from services.i18n import t

R = TypeVar("R")
# The browser stops typing here; services check the same limits (and refuse what gets past a browser).
MAX_NAME = 80
MAX_EMAIL = 254
MAX_PASSWORD = 72


async def attempt(button: ui.button, error: ui.label, action: Callable[..., R], *args: object) -> R | None:
    """Run an account action off the event loop with the button disabled (no double submit); a refusal
    (wrong password, too many attempts, taken email, bad input) is shown under the form and gives None."""
    error.set_visibility(False)
    button.disable()
    try:
        return await call(action, *args)
    except DomainError as exc:
        show(error, exc.message)
        return None
    finally:
        button.enable()


@contextmanager
def card(title: str, subtitle: str) -> Iterator[None]:
    """A centred form card with a title."""
    with ui.column().classes("mm-surface w-full max-w-md mx-auto p-6 sm:p-8 gap-4 mt-2 sm:mt-8"):
        heading(title).classes("mm-title text-2xl text-white").mark("page-title")
        ui.label(subtitle).classes("mm-muted -mt-2")
        yield


def email_input() -> ui.input:
    return (
        ui.input(t("Email"))
        .props(f'outlined dark type=email autocomplete="email" maxlength={MAX_EMAIL}')
        .classes("w-full")
        .mark("login-email")
    )


def name_input(value: str = "") -> ui.input:
    return ui.input(t("Full name"), value=value).props(f'outlined dark autocomplete="name" maxlength={MAX_NAME}') \
        .classes("w-full")


def password_input(label: str, autocomplete: str = "current-password") -> ui.input:
    return (
        ui.input(label, password=True, password_toggle_button=True)
        .props(f'outlined dark autocomplete="{autocomplete}" maxlength={MAX_PASSWORD}')
        .classes("w-full")
    )


def error_label() -> ui.label:
    label = ui.label().classes("text-negative text-sm font-medium").props('role="alert"').mark("form-error")
    label.set_visibility(False)
    return label


def show(label: ui.label, message: str) -> None:
    label.set_text(message)
    label.set_visibility(True)


def submit_button(text: str, on_click: Callable[..., object], marker: str) -> ui.button:
    return ui.button(text, on_click=on_click).props("unelevated no-caps size=lg").classes("w-full").mark(marker)
