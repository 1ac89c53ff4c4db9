"""One module per screen; each exposes ``register(services)``."""

from __future__ import annotations

from services.container import Services


def register(services: Services) -> None:
    from pages import auth, bookings, checkout, confirmation, home, mailbox, movie, profile, showtime, ticket

    for module in (home, auth, movie, profile, showtime, checkout, confirmation, bookings, ticket, mailbox):
        module.register(services)
    # Issue 13: the lobby kiosk and its staff page.
    from pages import kiosk
    from pages.staff import kiosks as staff_kiosks

    kiosk.register(services)
    staff_kiosks.register(services)
