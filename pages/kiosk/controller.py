"""One kiosk screen's life: which screen shows, the customer's visit, idle reset, staff pause, out of order.

A visit is everything one customer leaves behind (their checkout id, seats on hold, email, booking). It
lives in this object only, plus the hold's id in ``app.storage.user`` so that a reload or a crashed
browser can release the seats at the next start. Ending a visit (done, cancel, idle, reload) releases the
hold, clears every kind of storage but the kiosk's own credential, and rebuilds the screen from nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ParamSpec, TypeVar

from nicegui import app, background_tasks, ui

from components.display import HIGH_CONTRAST, LARGE_TEXT
from components.heading import heading
from components.kiosk.chrome import TOUCH_EVENT, forget_in_browser, print_receipt
from components.service_call import call
from services.booking.models import Booking
from services.catalog.catalog import Movie, Showtime, Theater
from services.container import Services
from services.errors import DomainError, ServiceUnavailable, Unauthorized
from services.i18n import current_language, t, tn
from services.kiosk.idle import IdleWatch
from services.kiosk.kiosks import Kiosk
from services.platform.logs import log_event

CREDENTIAL_KEY = "kiosk_credential"  # the only thing a kiosk browser keeps between customers
VISIT_KEY = "kiosk_visit"  # the open visit's hold, so a reload can release it
QUIET_SCREENS = {"attract", "out_of_order", "paused", "refused", "stopped"}  # no visit, no idle reset

P = ParamSpec("P")
R = TypeVar("R")


class ScreenLeft(Exception):
    """The kiosk left the screen that started this work (out of order, unpaired): stop quietly."""


@dataclass
class Visit:
    checkout_id: str
    language: str
    movie: Movie | None = None
    showtime: Showtime | None = None
    count: int = 2
    standing: dict[str, int] = field(default_factory=dict)  # standing tickets chosen: {ticket type: quantity}
    hold_id: str | None = None
    email: str = ""
    booking: Booking | None = None


class KioskController:
    def __init__(self, services: Services, kiosk: Kiosk, theater: Theater, credential: str) -> None:
        self.services = services
        self.kiosk = kiosk
        self.theater = theater
        self._credential = credential
        settings = services.settings
        self.idle = IdleWatch(settings.kiosk_idle_seconds, settings.kiosk_warning_seconds, services.clock.now())
        self.visit: Visit | None = None
        self.language = "en"
        self.screen = "attract"
        self.paused = False
        self.low = False  # wheelchair mode
        self.high_contrast = False  # this visit's display (set_display)
        self.large_text = False
        self.last_print_at: datetime | None = None  # when this screen last sent a receipt to print
        self.busy_until_touch = False  # the card terminal is waiting: the customer is busy, not gone
        self._warning: ui.dialog | None = None
        self._warning_label: ui.label | None = None
        self._heartbeat_running = False
        self.root = ui.element("div").classes("mm-kiosk").mark("kiosk")
        with self.root:
            self.bar = ui.element("div").classes("k-bar")
            self.main = ui.element("div").classes("k-main")
            self.foot = ui.element("div").classes("k-foot")
        ui.on(TOUCH_EVENT, lambda _: self.touch())
        ui.timer(1.0, self._tick)
        # How often the kiosk checks it is still paired and the backend answers (MOVIEMAGIC_KIOSK_HEALTH_SECONDS).
        ui.timer(settings.kiosk_health_seconds, self._heartbeat)
        ui.context.client.on_delete(self._browser_gone)

    # Screens ---------------------------------------------------------------------------------------
    def show(self, name: str) -> tuple[ui.element, ui.element]:
        """Empty the screen for ``name``; returns (main, foot) to build into."""
        self.screen = name
        # Rendering happens in the caller's task: it speaks the visit's language (reset with that task).
        current_language.set(self.language)
        self._close_warning()
        self.main.clear()
        self.foot.clear()
        self.main.props(f'data-screen="{name}"')
        self.touch()
        return self.main, self.foot

    def print_receipt(self) -> None:
        """Send the receipt to print and remember when: the staff panel shows it (the browser never says
        whether paper came out, so nothing claims it did)."""
        self.last_print_at = self.services.clock.now()
        print_receipt()

    def set_low(self, low: bool) -> None:
        self.low = low
        self.root.classes(add="k-low") if low else self.root.classes(remove="k-low")
        # Dialogs live on <body>, outside the kiosk's root: they read the mode from there.
        body = ui.query("body")
        body.classes(add="k-low-body") if low else body.classes(remove="k-low-body")

    def set_display(self, high_contrast: bool, large_text: bool) -> None:
        """This customer's display for this visit only (the next customer starts plain): the web's classes on
        <body> (components/display.py), so the seat map and Quasar's fields follow the web's rules, and
        components/kiosk/kiosk.css adds the kiosk's own. Nothing is kept in the browser's storage."""
        self.high_contrast, self.large_text = high_contrast, large_text
        body = ui.query("body")
        body.classes(add=HIGH_CONTRAST) if high_contrast else body.classes(remove=HIGH_CONTRAST)
        body.classes(add=LARGE_TEXT) if large_text else body.classes(remove=LARGE_TEXT)

    def act(self, handler: Callable[..., Awaitable[Any] | Any]) -> Callable[..., Awaitable[None]]:
        """Wrap a touch handler: it counts as activity, speaks the visit's language, and a screen change
        under it (out of order, unpaired) ends it quietly."""

        async def run(*args: Any) -> None:
            self.touch()
            token = current_language.set(self.language)
            try:
                with self.root:  # the tapped element may be gone once the screen changes under it
                    result = handler(*args)
                    if asyncio.iscoroutine(result):
                        await result
            except ScreenLeft:
                pass
            finally:
                current_language.reset(token)

        return run

    async def run(self, function: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        """A service call from a kiosk screen: an unreachable backend (or any surprise) shows "out of order"
        instead of an error, and the caller stops (``ScreenLeft``). Domain refusals reach the caller."""
        try:
            return await call(function, *args, **kwargs)
        except ServiceUnavailable as exc:
            log_event("kiosk.out_of_order", kiosk_id=self.kiosk.kiosk_id, error=exc.message)
            await self.out_of_order("503")
        except DomainError:
            raise
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a kiosk never shows a traceback to a customer
            log_event("kiosk.failure", logging.ERROR, kiosk_id=self.kiosk.kiosk_id, error=type(exc).__name__)
            await self.out_of_order("500")
        raise ScreenLeft

    # Visits ----------------------------------------------------------------------------------------
    def start_visit(self) -> Visit:
        self.visit = Visit(self.services.kiosk_sales.new_checkout(self.kiosk), self.language)
        self.idle.touch(self.services.clock.now())
        return self.visit

    def remember_hold(self, hold_id: str | None) -> None:
        if self.visit is None:
            return
        self.visit.hold_id = hold_id
        if hold_id:
            app.storage.user[VISIT_KEY] = {"checkout": self.visit.checkout_id, "hold": hold_id}
        else:
            app.storage.user.pop(VISIT_KEY, None)

    async def end_visit(self, reason: str) -> None:
        """Release what the visit holds and forget everything about the customer; back to attract."""
        had_visit = self.visit is not None
        await self.end_visit_quietly()
        if had_visit:
            log_event("kiosk.visit_ended", kiosk_id=self.kiosk.kiosk_id, reason=reason)
        from pages.kiosk import screens_browse  # screens import this module

        await screens_browse.attract(self)

    async def end_visit_quietly(self) -> None:
        """End the visit without showing anything (pause, unpair, out of order)."""
        visit, self.visit = self.visit, None
        self._close_warning()
        # The screen goes first: a seat map still open would hear the release and name the seats.
        self.main.clear()
        self.foot.clear()
        if visit is not None:
            self.services.terminal.cancel(visit.checkout_id)
            if visit.hold_id and visit.booking is None:
                await _release(self.services, visit)
        self.forget_everything()

    def forget_everything(self) -> None:
        for key in list(app.storage.user.keys()):
            if key != CREDENTIAL_KEY:
                app.storage.user.pop(key, None)
        with contextlib.suppress(RuntimeError):  # not connected yet: nothing can be in it
            app.storage.tab.clear()
        forget_in_browser()
        self.language = "en"
        self.set_low(False)
        self.set_display(False, False)
        self.busy_until_touch = False

    # Idle ------------------------------------------------------------------------------------------
    def touch(self) -> None:
        self.idle.touch(self.services.clock.now())
        if self._warning is not None:
            self._close_warning()

    async def _tick(self) -> None:
        if self.screen in QUIET_SCREENS or self.visit is None:
            return
        if self.busy_until_touch:
            self.idle.touch(self.services.clock.now())
            return
        phase, seconds = self.idle.phase(self.services.clock.now())
        if phase == "expired":
            await self.end_visit("idle")
        elif phase == "warning":
            self._show_warning(seconds)

    def _show_warning(self, seconds: int) -> None:
        token = current_language.set(self.language)
        try:
            if self._warning is None:
                with self.root, ui.dialog().props("persistent") as dialog, ui.card().classes(
                    "k-dialog items-center gap-6 p-10 min-w-[60vmin]"
                ).mark("still-there"):
                    ui.icon("touch_app", size="96px").classes("text-accent")
                    ui.label(t("Still there?")).classes("k-title text-white")
                    self._warning_label = ui.label().classes("text-[1.3em] text-center").mark("still-there-count")
                    ui.button(t("Yes, I'm still here"), on_click=self.act(self.touch)).props(
                        "unelevated no-caps").classes("k-big").mark("still-here")
                self._warning = dialog
                dialog.open()
            if self._warning_label is not None:
                self._warning_label.set_text(
                    tn("For your privacy we will start over in {n} second.",
                       "For your privacy we will start over in {n} seconds.", seconds))
        finally:
            current_language.reset(token)

    def _close_warning(self) -> None:
        if self._warning is not None:
            dialog, self._warning, self._warning_label = self._warning, None, None
            dialog.close()
            dialog.delete()

    # Health ----------------------------------------------------------------------------------------
    async def _heartbeat(self) -> None:
        if self._heartbeat_running or self.screen in ("refused", "stopped"):
            return
        self._heartbeat_running = True
        try:
            self.kiosk = await call(self.services.kiosks.verify, self._credential)
        except Unauthorized:
            await self.end_visit_quietly()
            app.storage.user.pop(CREDENTIAL_KEY, None)
            from pages.kiosk.pairing import refused

            self.show("refused")
            with self.main:
                refused(t("This kiosk was unpaired by staff."))
            return
        except ServiceUnavailable:
            if self.screen != "out_of_order":
                await self.out_of_order("503")
            return
        finally:
            self._heartbeat_running = False
        if self.screen == "out_of_order":
            log_event("kiosk.recovered", kiosk_id=self.kiosk.kiosk_id)
            from pages.kiosk import screens_browse

            await screens_browse.attract(self)

    async def out_of_order(self, code: str) -> None:
        """The backend cannot be reached: a calm screen with a code; the heartbeat brings the kiosk back."""
        await self.end_visit_quietly()
        main, _ = self.show("out_of_order")
        with main, ui.column().classes("flex-1 w-full items-center justify-center gap-8 text-center").mark(
            "out-of-order"
        ):
            ui.icon("construction", size="140px").classes("text-accent")
            heading(t("Sorry, this kiosk is out of order")).classes("k-title text-white")
            ui.label(t("Please buy your tickets at the box office. This screen will be back by itself.")).classes(
                "k-sub max-w-[28em]")
            ui.label(t("Code {code}", code=f"K{code}-{self.kiosk.kiosk_id[-6:].upper()}")).classes(
                "k-chip text-accent").mark("out-of-order-code")

    def _browser_gone(self) -> None:
        """The browser closed or crashed: release the seats now instead of waiting for the hold to expire."""
        visit, self.visit = self.visit, None
        if visit is not None and visit.hold_id and visit.booking is None:
            self.services.terminal.cancel(visit.checkout_id)
            background_tasks.create(_release(self.services, visit), name="kiosk release")


async def _release(services: Services, visit: Visit) -> None:
    with contextlib.suppress(DomainError, asyncio.CancelledError):  # unreachable: expiry frees the seats anyway
        await call(services.kiosk_sales.abandon, visit.hold_id, visit.checkout_id)
