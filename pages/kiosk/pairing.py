"""Pairing a browser to a kiosk (``/kiosk/pair/<code>``, opened on the device from the staff page's link)
and the refusal every unpaired browser gets instead of a kiosk screen."""

from __future__ import annotations

from nicegui import app, ui

from components.heading import heading
from components.kiosk.chrome import kiosk_chrome
from components.page import page
from components.service_call import call
from pages.kiosk.controller import CREDENTIAL_KEY
from services.container import Services
from services.errors import DomainError
from services.i18n import t


def refused(message: str) -> None:
    """No kiosk content at all: just why, and what staff should do."""
    with ui.column().classes("flex-1 w-full items-center justify-center gap-6 text-center p-10").mark("kiosk-refused"):
        ui.icon("lock", size="120px").classes("k-muted")
        heading(message).classes("k-title text-white")
        ui.label(t("Staff: open this screen's pairing link from Staff › Kiosks on this device.")).classes(
            "k-sub max-w-[30em]")


def refused_page(message: str) -> None:
    with ui.element("div").classes("mm-kiosk"), ui.element("div").classes("k-main"):
        refused(message)


def register(services: Services) -> None:
    @page("/kiosk/pair/{code}")
    async def pair_page(code: str) -> None:
        kiosk_chrome()
        # Pairing waits for a tap, so a link preview or a prefetch can never use the code up.
        with (
            ui.element("div").classes("mm-kiosk"),
            ui.element("div").classes("k-main items-center justify-center"),
            ui.column().classes("items-center gap-8 text-center").mark("pairing") as box,
        ):
            ui.icon("link", size="120px").classes("text-accent")
            heading(t("Make this screen a Movie Magic kiosk?")).classes("k-title text-white")
            ui.label(t("Pairing code {code}", code=code.upper())).classes("k-chip text-white")

            async def pair() -> None:
                try:
                    kiosk, credential = await call(services.kiosks.pair, code)
                    theater = await call(services.catalog.theater, kiosk.theater_id)
                except DomainError as exc:
                    box.clear()
                    with box:
                        refused(exc.message)
                    return
                app.storage.user.clear()  # nothing of anyone who used this browser before
                app.storage.user[CREDENTIAL_KEY] = credential
                box.clear()
                with box:
                    ui.icon("check_circle", size="120px").classes("text-positive")
                    heading(t("Paired: {kiosk} at {theater}", kiosk=kiosk.name, theater=theater.name)).classes(
                        "k-title text-white").mark("paired")
                    ui.button(t("Start the kiosk"), icon="play_arrow",
                              on_click=lambda: ui.navigate.to("/kiosk")).props("unelevated no-caps").classes(
                        "k-big").mark("start-kiosk")

            ui.button(t("Pair this screen"), icon="link", on_click=pair).props("unelevated no-caps").classes(
                "k-big").mark("pair")
