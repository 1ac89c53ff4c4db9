"""Who is logged in: kept in ``app.storage.user`` (a signed browser cookie links it to the server side)."""

from __future__ import annotations

from urllib.parse import quote

from nicegui import app, ui

from services.accounts.users import User

DEFAULT_CITY = "Mumbai"


def login(user: User) -> None:
    app.storage.user.update(
        {"user_id": user.user_id, "email": user.email, "name": user.name, "role": user.role, "authenticated": True}
    )


def logout() -> None:
    for key in ("user_id", "email", "name", "role", "authenticated"):
        app.storage.user.pop(key, None)


def current_user() -> User | None:
    storage = app.storage.user
    if not storage.get("authenticated"):
        return None
    return User(storage["user_id"], storage["email"], storage["name"], storage.get("role", "customer"), "")


def require_user(return_to: str) -> User | None:
    """The logged-in user, or None after sending the browser to log in (and back here afterwards)."""
    user = current_user()
    if user is None:
        ui.navigate.to(f"/login?next={quote(return_to, safe='')}")
    return user


def current_city(cities: list[str]) -> str:
    city = app.storage.user.get("city")
    if city not in cities:
        city = DEFAULT_CITY if DEFAULT_CITY in cities else (cities[0] if cities else "")
    return city


def choose_city(city: str) -> None:
    app.storage.user["city"] = city


def safe_next(target: str | None) -> str:
    """Only local paths: a login link must never bounce the user to another site."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/"
