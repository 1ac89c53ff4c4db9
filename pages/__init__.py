"""One module per screen; each exposes ``register(services)``."""

from __future__ import annotations

from services.container import Services


def register(services: Services) -> None:
    from pages import auth, home, movie, profile

    for module in (home, auth, movie, profile):
        module.register(services)
