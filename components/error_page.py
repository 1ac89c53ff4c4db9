"""What a visitor sees when building a page fails: the service's own message (e.g. "we could not reach
the booking system just now") with a way to try again, instead of NiceGUI's bare "server error" page."""

from __future__ import annotations

from nicegui import ui

from components.heading import heading
from components.theme import apply_theme
from services.errors import DomainError
from services.i18n import t


def show_error_page(exc: Exception) -> None:
    """NiceGUI's page exception handler (``app.on_page_exception``)."""
    apply_theme()
    if isinstance(exc, DomainError):
        message = exc.message
    else:  # a bug: the details are in the log, not for the visitor
        message = t("Something went wrong on our side. Please try again in a moment.")
    with ui.column().classes("mm-surface w-full max-w-md mx-auto p-6 sm:p-8 gap-4 mt-8 items-center text-center"):
        ui.icon("cloud_off", size="48px").classes("text-accent")
        heading(t("This page could not be loaded")).classes("mm-title text-2xl text-white").mark("page-title")
        ui.label(message).classes("mm-muted").mark("error-message")
        with ui.row().classes("gap-2 justify-center"):
            ui.button(t("Try again"), on_click=ui.navigate.reload).props("unelevated no-caps").mark("error-retry")
            ui.button(t("Home"), on_click=lambda: ui.navigate.to("/")).props("flat no-caps")
    ui.notify(message, type="warning", position="bottom")
