"""The kiosk's chrome: its stylesheet (large type, portrait and landscape, wheelchair mode, the 80 mm print
receipt) and its script (no context menu, selection or links out; touches reported; full screen)."""

from __future__ import annotations

from pathlib import Path

from nicegui import ui

from components.theme import apply_theme

_HERE = Path(__file__).parent
CSS = (_HERE / "kiosk.css").read_text()
JS = (_HERE / "kiosk.js").read_text()
TOUCH_EVENT = "kiosk_touch"


def kiosk_chrome() -> None:
    """Theme, kiosk CSS and the chrome script, once per kiosk page."""
    apply_theme()
    ui.add_css(CSS)
    ui.add_body_html(f"<script>{JS}</script>")
    ui.query("body").classes("mm-kiosk-body")
    ui.query(".nicegui-content").classes("p-0")


def enter_fullscreen() -> None:
    """Full screen needs a user gesture: call this from a touch handler (the attract screen's)."""
    ui.run_javascript("window.mmKioskFullscreen && window.mmKioskFullscreen()")


def exit_fullscreen() -> None:
    ui.run_javascript("window.mmKioskExitFullscreen && window.mmKioskExitFullscreen()")


def forget_in_browser() -> None:
    """Clear what a customer could have left in the browser itself (storage, selection, focus, scroll)."""
    ui.run_javascript("window.mmKioskForget && window.mmKioskForget()")


def print_receipt() -> None:
    ui.run_javascript("window.print()")
