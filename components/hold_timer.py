"""A hold's countdown: the browser ticks it (no websocket message per second) and reports zero once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nicegui import ui

from services.i18n import t


class HoldTimer(ui.element, component="hold_timer.js"):
    def __init__(self, seconds: float = 0, on_expired: Callable[[], Any] | None = None, *,
                 warn_at: int = 0, on_warn: Callable[[], Any] | None = None) -> None:
        super().__init__()
        self._props["seconds"] = max(0, int(seconds))
        self._props["label"] = t("Seats held for")
        self._props["expired"] = t("Hold expired")
        self._props["warn-at"] = warn_at if on_warn is not None else 0
        if on_expired is not None:
            self.on("expired", lambda _: on_expired())
        if on_warn is not None:
            self.on("warn", lambda _: on_warn())

    def restart(self, seconds: float) -> None:
        """Count down from ``seconds`` (a new or changed hold); a tiny props update, not the page."""
        self._props["seconds"] = max(0, int(seconds))
        self.update()

    @property
    def seconds(self) -> int:
        return int(self._props["seconds"])

    @property
    def warn_at(self) -> int:
        return int(self._props["warn-at"])
