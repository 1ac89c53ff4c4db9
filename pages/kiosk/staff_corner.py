"""The hidden staff corner: three taps in the top-left corner within three seconds open a PIN pad; the
right PIN opens the staff panel (status, pause, exit, unpair). Customers see nothing of it."""

from __future__ import annotations

from nicegui import app, ui

from components.heading import heading
from components.kiosk.chrome import exit_fullscreen
from components.kiosk.keypads import PinPad
from pages.kiosk.controller import CREDENTIAL_KEY, KioskController
from services.booking.models import booking_reference
from services.clock import parse_iso
from services.errors import InvalidRequest
from services.formatting import date_time, format_money
from services.i18n import t

TAPS = 3
TAP_WINDOW_SECONDS = 3.0


def staff_corner(ctx: KioskController) -> None:
    taps: list[float] = []

    async def tapped() -> None:
        now = ctx.services.clock.now().timestamp()
        taps[:] = [moment for moment in taps if now - moment <= TAP_WINDOW_SECONDS] + [now]
        if len(taps) >= TAPS:
            taps.clear()
            _ask_pin(ctx)

    ui.button(on_click=ctx.act(tapped)).props(f'flat aria-label="{t("Staff")}" tabindex="-1"').classes(
        "k-staff-corner").mark("staff-corner")


def _ask_pin(ctx: KioskController) -> None:
    with ctx.root, ui.dialog() as dialog, ui.card().classes("k-dialog items-center p-8 gap-4").mark("pin-dialog"):
        ui.label(t("Staff PIN")).classes("text-[1.3em] font-bold text-white")
        message = ui.label().classes("text-negative min-h-[1.4em]").mark("pin-message")

        async def submit(pin: str) -> None:
            try:
                ok = await ctx.run(ctx.services.kiosks.check_pin, ctx.kiosk.kiosk_id, pin)
            except InvalidRequest as exc:
                message.set_text(exc.message)
                return
            if not ok:
                message.set_text(t("That PIN is not right."))
                return
            dialog.close()
            await _panel(ctx)

        PinPad(ctx.act(submit))
        ui.button(t("Close"), on_click=dialog.close).props("flat no-caps").classes("text-white")
    dialog.open()


def _printer(ctx: KioskController) -> str:
    """How this kiosk prints (a setting: the browser can't tell) and when it last sent a receipt."""
    how = (t("Silent printing (launcher's --kiosk-printing)") if ctx.services.settings.kiosk_printing == "silent"
           else t("Browser print dialog"))
    if ctx.last_print_at is None:
        return t("{how} · no receipt printed since this screen started", how=how)
    return t("{how} · last receipt sent {when}", how=how,
             when=date_time(ctx.last_print_at, ctx.theater.timezone))


async def _panel(ctx: KioskController) -> None:
    kiosk = await ctx.run(ctx.services.kiosks.get, ctx.kiosk.kiosk_id)
    tz = ctx.theater.timezone
    if kiosk.last_sale_at:
        last = t("{when} · {total} · {booking}",
                 when=date_time(parse_iso(kiosk.last_sale_at), tz),
                 total=format_money(kiosk.last_sale_total or 0, kiosk.last_sale_currency or "INR"),
                 booking=booking_reference(kiosk.last_sale_booking_id) if kiosk.last_sale_booking_id else "")
    else:
        last = t("No sale yet")
    rows = [
        (t("Kiosk"), kiosk.name),
        (t("Paired theater"), f"{ctx.theater.name}, {ctx.theater.city}"),
        (t("Paired since"), date_time(parse_iso(kiosk.paired_at), tz, year=True) if kiosk.paired_at else "—"),
        (t("Card terminal"), ctx.services.terminal.status()),
        (t("Printer"), _printer(ctx)),
        (t("Last sale"), last),
        (t("Sales"), t("Paused") if ctx.paused else t("Open")),
    ]
    with ctx.root, ui.dialog() as dialog, ui.card().classes("k-dialog p-8 gap-4 min-w-[70vmin]").mark("staff-panel"):
        ui.label(t("Staff")).classes("k-title text-white")
        for name, value in rows:
            with ui.row().classes("w-full justify-between gap-6 flex-nowrap border-b border-white/10 pb-2"):
                ui.label(name).classes("k-muted shrink-0 whitespace-nowrap")
                ui.label(value).classes("text-white text-right").mark(f"status-{name.lower().replace(' ', '-')}")

        async def pause() -> None:
            dialog.close()
            ctx.paused = True
            await ctx.end_visit_quietly()
            paused_screen(ctx)

        async def resume() -> None:
            dialog.close()
            ctx.paused = False
            from pages.kiosk.screens_browse import attract

            await attract(ctx)

        async def stop() -> None:
            dialog.close()
            await ctx.end_visit_quietly()
            exit_fullscreen()
            _stopped(ctx)

        async def unpair() -> None:
            dialog.close()
            await ctx.end_visit_quietly()
            app.storage.user.pop(CREDENTIAL_KEY, None)
            exit_fullscreen()
            ui.navigate.to("/kiosk")

        with ui.element("div").classes("w-full grid grid-cols-2 gap-3 pt-2"):
            if ctx.paused:
                ui.button(t("Resume sales"), icon="play_arrow", on_click=ctx.act(resume)).props(
                    "unelevated no-caps").mark("staff-resume")
            else:
                ui.button(t("Pause sales"), icon="pause", on_click=ctx.act(pause)).props(
                    "unelevated no-caps").mark("staff-pause")
            ui.button(t("Exit kiosk mode"), icon="logout", on_click=ctx.act(stop)).props(
                "outline no-caps").classes("text-white").mark("staff-exit")
            ui.button(t("Unpair this screen"), icon="link_off", on_click=ctx.act(unpair)).props(
                "outline no-caps").classes("text-negative").mark("staff-unpair")
            ui.button(t("Close"), on_click=dialog.close).props("flat no-caps").classes("text-white")
    dialog.open()


def paused_screen(ctx: KioskController) -> None:
    main, _ = ctx.show("paused")
    with main, ui.column().classes("flex-1 w-full items-center justify-center gap-8 text-center").mark("paused"):
        ui.icon("pause_circle", size="140px").classes("text-accent")
        heading(t("This kiosk is closed for a moment")).classes("k-title text-white")
        ui.label(t("Please buy your tickets at the box office.")).classes("k-sub")


def _stopped(ctx: KioskController) -> None:
    main, _ = ctx.show("stopped")
    with main, ui.column().classes("flex-1 w-full items-center justify-center gap-8 text-center").mark("stopped"):
        ui.icon("power_settings_new", size="120px").classes("k-muted")
        heading(t("Kiosk mode stopped")).classes("k-title text-white")
        ui.label(t("Close the browser to reach the desktop, or start the kiosk again.")).classes("k-sub")

        async def again() -> None:
            from pages.kiosk.screens_browse import attract

            await attract(ctx)

        ui.button(t("Start the kiosk again"), icon="play_arrow", on_click=ctx.act(again)).props(
            "unelevated no-caps").classes("k-big").mark("kiosk-restart")
