"""The staff console (issue 12): one module per page; ``register`` adds them all. ``kiosks`` (issue 13)
manages a theater's lobby kiosks and is registered with the kiosk pages."""

from __future__ import annotations

from services.container import Services


def register(services: Services) -> None:
    from pages.staff import (
        audit,
        bookings,
        checkin,
        dashboard,
        events,
        movies,
        reports,
        schedule,
        screens,
        team,
        theaters,
    )

    for module in (dashboard, schedule, screens, bookings, checkin, reports, audit, team, movies, theaters, events):
        module.register(services)
