"""Who may manage a theater's kiosks: the ONE place that decides it.

Today only admins; the staff console (roles with theater scopes) widens this to the managers of that
theater. Every kiosk service method that changes or lists kiosks asks here, never the pages.
"""

from __future__ import annotations

from typing import Protocol

from services.errors import Forbidden
from services.i18n import t


class Actor(Protocol):
    @property
    def role(self) -> str: ...


def can_manage_kiosks(actor: Actor | None, theater_id: str) -> bool:
    """True when ``actor`` may create, pair, revoke and list the kiosks of ``theater_id``."""
    del theater_id  # managers of a theater come with the staff console (see the module docstring)
    return actor is not None and actor.role == "admin"


def require_kiosk_manager(actor: Actor | None, theater_id: str) -> None:
    if not can_manage_kiosks(actor, theater_id):
        raise Forbidden(t("Only theater managers can manage kiosks."))
