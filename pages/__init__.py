"""One module per screen; each exposes ``register(services)``."""

from __future__ import annotations

from services.container import Services


def register(services: Services) -> None:
    from nicegui import app

    from components.error_page import show_error_page
    from pages import auth, bookings, checkout, confirmation, home, mailbox, movie, profile, showtime, ticket

    for module in (home, auth, movie, profile, showtime, checkout, confirmation, bookings, ticket, mailbox):
        module.register(services)
    app.on_page_exception(show_error_page)  # e.g. AWS throttled while a page was being built
