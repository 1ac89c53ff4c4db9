"""The lobby kiosk (issue 13): ``/kiosk`` for a paired browser, ``/kiosk/pair/<code>`` to pair one."""

from __future__ import annotations

import contextlib

from nicegui import app, ui

from components.heading import heading
from components.kiosk.chrome import kiosk_chrome
from components.page import page
from components.service_call import call
from pages.kiosk import pairing, screens_browse
from pages.kiosk.controller import CREDENTIAL_KEY, VISIT_KEY, KioskController, ScreenLeft
from services.container import Services
from services.errors import DomainError, Unauthorized
from services.i18n import t
from services.platform.logs import log_event

RETRY_SECONDS = 5.0  # out of order before the kiosk could even start: try again this often


def register(services: Services) -> None:
    pairing.register(services)

    @page("/kiosk")
    async def kiosk_page() -> None:
        kiosk_chrome()
        credential = app.storage.user.get(CREDENTIAL_KEY)
        try:
            kiosk = await call(services.kiosks.verify, credential)
            theater = await call(services.catalog.theater, kiosk.theater_id)
        except Unauthorized as exc:
            app.storage.user.clear()  # an unpaired browser keeps nothing here
            pairing.refused_page(exc.message if credential else t("This screen is not a Movie Magic kiosk."))
            return
        except Exception as exc:  # unreachable backend or worse: a kiosk never shows a traceback
            log_event("kiosk.start_failed", error=type(exc).__name__)
            _cannot_start()
            return
        await _release_leftovers(services)
        ctx = KioskController(services, kiosk, theater, str(credential))
        with contextlib.suppress(ScreenLeft):  # out of order already: that screen shows
            await screens_browse.attract(ctx)


async def _release_leftovers(services: Services) -> None:
    """A reload or a crash mid-visit: release that visit's seats and forget it before anyone sees a thing."""
    leftover = app.storage.user.get(VISIT_KEY)
    for key in list(app.storage.user.keys()):
        if key != CREDENTIAL_KEY:
            app.storage.user.pop(key, None)
    if isinstance(leftover, dict) and leftover.get("hold") and leftover.get("checkout"):
        with contextlib.suppress(DomainError):  # unreachable: the hold expires by itself
            await call(services.kiosk_sales.abandon, str(leftover["hold"]), str(leftover["checkout"]))


def _cannot_start() -> None:
    with (
        ui.element("div").classes("mm-kiosk"),
        ui.element("div").classes("k-main"),
        ui.column().classes("flex-1 w-full items-center justify-center gap-8 text-center").mark("out-of-order"),
    ):
        ui.icon("construction", size="140px").classes("text-accent")
        heading(t("Sorry, this kiosk is out of order")).classes("k-title text-white")
        ui.label(t("Please buy your tickets at the box office. This screen will be back by itself.")).classes("k-sub")
        ui.label(t("Code {code}", code="K503-START")).classes("k-chip text-accent").mark("out-of-order-code")
    ui.timer(RETRY_SECONDS, ui.navigate.reload, once=True)
