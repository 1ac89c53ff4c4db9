"""Who is logged in: kept in ``app.storage.user`` (a signed browser cookie links it to the server side)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any
from urllib.parse import quote, urlsplit

from nicegui import Client, app, ui
from starlette.routing import compile_path

from components.display import remember_account
from components.service_call import call
from services.accounts.client_address import client_address
from services.accounts.users import User, UserService
from services.platform.logs import log_event
from services.settings import Settings

DEFAULT_CITY = "Mumbai"


def login(user: User) -> None:
    app.storage.user.update(
        {"user_id": user.user_id, "email": user.email, "name": user.name, "role": user.role, "authenticated": True,
         "credentials_version": user.credentials_version}
    )
    if user.language:  # the account's language follows the customer to this browser
        app.storage.user["language"] = user.language
    remember_account(user)  # and so do high contrast and larger text


def logout() -> None:
    for key in ("user_id", "email", "name", "role", "authenticated", "credentials_version"):
        app.storage.user.pop(key, None)


def current_user() -> User | None:
    storage = app.storage.user
    if not storage.get("authenticated"):
        return None
    return User(storage["user_id"], storage["email"], storage["name"], storage.get("role", "customer"), "",
                int(storage.get("credentials_version", 0)))


def client_address_of_page(settings: Settings) -> str:
    """The browser's address as the page request saw it (X-Forwarded-For only from a trusted proxy)."""
    request = ui.context.client.request
    if request is None:
        return ""
    peer = request.client.host if request.client else None
    return client_address(peer, request.headers.get("x-forwarded-for"), settings.trusted_proxy_networks)


def require_user(return_to: str) -> User | None:
    """The logged-in user, or None after sending the browser to log in (and back here afterwards)."""
    user = current_user()
    if user is None:
        ui.navigate.to(f"/login?next={quote(safe_next(return_to), safe='')}")
    return user


def current_city(cities: list[str]) -> str:
    city = app.storage.user.get("city")
    if city not in cities:
        city = DEFAULT_CITY if DEFAULT_CITY in cities else (cities[0] if cities else "")
    return city


def choose_city(city: str) -> None:
    app.storage.user["city"] = city


# Pages a login link may send the user on to; never back into the account forms themselves.
_NOT_AFTER_LOGIN = {"/login", "/logout", "/register", "/forgot-password", "/reset-password"}
_NOT_PAGES = ("/_nicegui", "/assets/", "/posters/", "/api/", "/healthz", "/favicon")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def safe_next(target: str | None) -> str:
    """The one check every redirect goes through: ``target`` if it is a path of one of this app's own
    pages, else ``/``. Browsers read ``/\\host``, ``/\\t/host`` and ``//host`` as other sites (they turn
    backslashes into slashes and drop tabs and newlines), so any backslash, control character, scheme,
    host or ``//`` is refused outright, before the path is matched against the registered pages."""
    if not target or len(target) > 2000 or "\\" in target or _CONTROL.search(target):
        return "/"
    if not target.startswith("/") or target.startswith("//"):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not _is_page(parts.path) or parts.path in _NOT_AFTER_LOGIN:
        return "/"
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _is_page(path: str) -> bool:
    return any(_pattern(route).match(path) for route in set(Client.page_routes.values()))


@lru_cache(maxsize=256)
def _pattern(route: str) -> re.Pattern[str]:
    return compile_path(route)[0]


class SessionGuard:
    """Sessions die with a password change: a pure ASGI middleware that, before each page load, compares
    the session's account and credentials version with the account as stored and logs the browser out
    when the account is gone or its password was changed (elsewhere, or by a reset link). One strongly
    consistent GetItem per page load of a logged-in user; NiceGUI's assets and websocket are not pages."""

    def __init__(self, app: Any, users: UserService) -> None:
        self.app = app
        self.users = users

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["method"] == "GET" and not scope["path"].startswith(_NOT_PAGES):
            await self._check()
        await self.app(scope, receive, send)

    async def _check(self) -> None:
        try:
            storage = app.storage.user
        except RuntimeError:  # no browser session for this request (no storage secret, or not a page)
            return
        if not storage.get("authenticated"):
            return
        try:
            account = await call(self.users.find, str(storage.get("email", "")))
        except Exception as exc:  # the store had a bad moment: the page itself will say so
            log_event("session.check_failed", error=type(exc).__name__)
            return
        if (account is None or account.user_id != storage.get("user_id")
                or account.credentials_version != int(storage.get("credentials_version", 0))):
            log_event("session.ended", reason="account_gone" if account is None else "password_changed")
            logout()
