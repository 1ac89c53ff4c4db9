"""The page's landmarks for keyboard and screen-reader users: the content column is ``<main>``, and a
"Skip to content" link, the first thing Tab reaches, jumps past the header to it."""

from __future__ import annotations

from nicegui import ui

from services.i18n import t

MAIN_ID = "main-content"


def skip_link() -> None:
    """Out of sight until focused (theme: ``.mm-skip``); call it first in the header."""
    ui.link(t("Skip to content"), f"#{MAIN_ID}").classes("mm-skip").mark("skip-link")


def main_landmark(column: ui.element) -> None:
    """Make ``column`` the page's ``<main>``, focusable by the skip link (not by Tab)."""
    column.tag = "main"
    column.props(f'id="{MAIN_ID}" tabindex="-1"')
