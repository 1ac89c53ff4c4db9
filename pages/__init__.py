"""One module per screen; each exposes ``register(services)``."""

from __future__ import annotations

from services.container import Services


def register(services: Services) -> None:
    from pages import auth, bookings, checkout, confirmation, home, mailbox, movie, profile, showtime, staff, ticket

    for module in (home, auth, movie, profile, showtime, checkout, confirmation, bookings, ticket, mailbox):
        module.register(services)
    staff.register(services)  # the staff console: pages/staff/
