"""The language a page speaks: ``?lang=xx`` on any page, the header's switch, the account's choice, then the
browser's ``Accept-Language``. The choice is kept per browser (``app.storage.user``) and, for a logged-in
customer, on the account (their emails and tickets use it too)."""

from __future__ import annotations

import contextlib
from typing import Any
from urllib.parse import parse_qs

from nicegui import app, context, ui

from components.display import display_switches
from components.service_call import call
from services.accounts.users import UserService
from services.errors import DomainError
from services.i18n import (
    best_match,
    enable_pseudo_locale,
    is_supported,
    language,
    language_name,
    languages,
    set_resolver,
    t,
)

KEY = "language"
_users: UserService | None = None


def configure(users: UserService, *, pseudo_locale: bool = False) -> None:
    """Once at start: pages and their handlers speak the browser's language; the switch saves to ``users``."""
    global _users
    _users = users
    set_resolver(browser_language)
    enable_pseudo_locale(pseudo_locale)


def browser_language() -> str | None:
    """The language this browser chose, else what it asks for; None outside a page (a worker, a timer)."""
    try:
        chosen = app.storage.user.get(KEY)
    except (RuntimeError, AssertionError, KeyError):  # no browser session here
        return None
    if chosen:
        return str(chosen)
    try:
        request = context.client.request
    except (RuntimeError, AttributeError):
        return None
    return best_match(request.headers.get("accept-language")) if request is not None else None


def remember(code: str) -> None:
    """This browser's language from now on (login copies the account's here)."""
    if is_supported(code):
        app.storage.user[KEY] = code


def set_html_lang() -> None:
    """``<html lang>`` of the page being built, before it renders (screen readers and fonts read it)."""
    ui.add_head_html(f"<script>document.documentElement.lang={language()!r};</script>")


def language_switch() -> None:
    """The header's language menu: each language in its own name; a choice reloads the page in it."""
    current = language()
    # On a phone the language's name would push the header's buttons onto a second line: the icon alone there.
    # The display options (high contrast, larger text) are in this menu too: on a phone the header has no room for
    # their own button (components/display.py), which wider screens show beside this one.
    with ui.button(icon="translate").props(
        f'flat no-caps dense aria-label="{t("Language and display")}: {language_name(current)}"'
    ).classes("text-white").mark("language-switch") as button:
        ui.label(language_name(current)).classes("ml-1 max-sm:hidden")
    with button, ui.menu().props("dark").classes("bg-grey-10"):
        for code in languages():
            ui.menu_item(language_name(code), on_click=lambda c=code: _choose(c)).props(
                f'lang="{code}"').mark(f"language-{code}")
        ui.separator()
        with ui.column().classes("px-4 py-2 gap-1"):
            ui.label(t("Display")).classes("font-bold text-white")
            display_switches("menu-display")


async def _choose(code: str) -> None:
    remember(code)
    if _users is not None and app.storage.user.get("authenticated"):
        with contextlib.suppress(DomainError):  # the browser keeps the choice; the account gets it next time
            await call(_users.set_language, str(app.storage.user.get("email", "")), code)
    ui.navigate.reload()


class LanguageFromQuery:
    """``?lang=xx`` on any page: a pure ASGI middleware that keeps the choice for this browser before the
    page is built (so everything on it, and what follows, speaks it). Unknown codes are ignored."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["method"] == "GET" and b"lang=" in scope.get("query_string", b""):
            wanted = parse_qs(scope["query_string"].decode("latin-1")).get("lang", [""])[0]
            if is_supported(wanted):
                with contextlib.suppress(RuntimeError, AssertionError):  # not a page with a browser session
                    app.storage.user[KEY] = wanted
        await self.app(scope, receive, send)
