"""How pages are drawn for this person (issue 14): high contrast and larger text. Kept per browser
(``app.storage.user``, so anonymous visitors keep it too) and, for a logged-in customer, on the account (login
copies it to the browser, like the language). Applied as classes on ``<body>`` by the theme on every page
(customer, staff, kiosk); the CSS is ``components/display.css``."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from nicegui import app, ui

from components.service_call import call
from services.accounts.users import TEXT_SIZES, TextSize, User, UserService
from services.errors import DomainError
from services.i18n import t

KEY = "display"
HIGH_CONTRAST = "mm-hc"
LARGE_TEXT = "mm-large"
CSS = (Path(__file__).parent / "display.css").read_text()
_users: UserService | None = None


def configure(users: UserService) -> None:
    """Once at start: the switches save a logged-in customer's choice to ``users``."""
    global _users
    _users = users


def current() -> tuple[bool, TextSize]:
    """This browser's choice: (high contrast, text size); the defaults outside a browser session."""
    try:
        stored: Any = app.storage.user.get(KEY)
    except (RuntimeError, AssertionError, KeyError):
        stored = None
    if not isinstance(stored, dict):
        return False, "normal"
    return bool(stored.get("high_contrast")), "large" if stored.get("text_size") == "large" else "normal"


def remember(high_contrast: bool, text_size: str) -> None:
    """This browser's choice from now on."""
    app.storage.user[KEY] = {"high_contrast": bool(high_contrast),
                             "text_size": text_size if text_size in TEXT_SIZES else "normal"}


def remember_account(user: User) -> None:
    """At login: an account that made a choice brings it to this browser."""
    if user.high_contrast or user.text_size != "normal":
        remember(user.high_contrast, user.text_size)


def body_classes() -> list[str]:
    high_contrast, text_size = current()
    return ([HIGH_CONTRAST] if high_contrast else []) + ([LARGE_TEXT] if text_size == "large" else [])


def apply_display() -> None:
    """The page being built: the CSS and this browser's classes on ``<body>``."""
    ui.add_css(CSS)
    classes = body_classes()
    if classes:
        ui.query("body").classes(" ".join(classes))


async def _choose(high_contrast: bool, text_size: str) -> None:
    remember(high_contrast, text_size)
    ui.query("body").classes(add=HIGH_CONTRAST if high_contrast else "", remove="" if high_contrast else HIGH_CONTRAST)
    large = text_size == "large"
    ui.query("body").classes(add=LARGE_TEXT if large else "", remove="" if large else LARGE_TEXT)
    if _users is not None and app.storage.user.get("authenticated"):
        with contextlib.suppress(DomainError):  # the browser keeps the choice; the account gets it next time
            await call(_users.set_display, str(app.storage.user.get("email", "")), high_contrast, text_size)


def display_switches(marker: str = "display") -> None:
    """Two switches: high contrast and larger text; each change applies at once and is kept.
    ``marker``: their test markers' prefix (the header's menu and the profile both have them)."""
    high_contrast, text_size = current()
    contrast = ui.switch(t("High contrast"), value=high_contrast).mark(f"{marker}-contrast")
    large = ui.switch(t("Larger text"), value=text_size == "large").mark(f"{marker}-large")

    async def changed() -> None:
        await _choose(bool(contrast.value), "large" if large.value else "normal")

    contrast.on_value_change(changed)
    large.on_value_change(changed)


def display_menu() -> None:
    """The header's small display menu (an icon button): the same two switches. Not on phones, where the header
    has no room: there the language menu holds them (components/language.py)."""
    button = ui.button(icon="contrast").props(f'flat round dense aria-label="{t("Display options")}"').classes(
        "text-white max-sm:hidden").mark("display-menu")
    with button, ui.menu().props("dark").classes("bg-grey-10"), ui.column().classes("p-3 gap-1"):
        ui.label(t("Display")).classes("font-bold text-white")
        display_switches()
