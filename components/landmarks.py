"""Landmarks for keyboard and screen-reader users: Quasar's page (``<main class="q-page">``) is the main landmark,
and a "Skip to content" link, the first thing Tab reaches, jumps past the header to the content column in it."""

from __future__ import annotations

from nicegui import ui

from services.i18n import t

MAIN_ID = "main-content"


def skip_link() -> None:
    """Out of sight until focused (theme: ``.mm-skip``); call it first in the header."""
    ui.link(t("Skip to content"), f"#{MAIN_ID}").classes("mm-skip").mark("skip-link")


def main_landmark(column: ui.element) -> None:
    """Make ``column`` (inside ``<main>``) the skip link's target, focusable by it (not by Tab)."""
    column.props(f'id="{MAIN_ID}" tabindex="-1"')
