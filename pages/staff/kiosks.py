"""Staff › Kiosks (``/staff/kiosks``): a theater's kiosks; create one, get its pairing link (and QR) and
staff PIN, make a new link or PIN, revoke. Who may do this is decided in ``services/kiosk/access.py``."""

from __future__ import annotations

from nicegui import ui

from components.frame import frame
from components.heading import heading
from components.page import page
from components.service_call import call
from components.session import require_user
from services.accounts.users import User
from services.booking.tickets import qr_code
from services.clock import parse_iso
from services.container import Services
from services.errors import DomainError
from services.formatting import date_time, format_money
from services.i18n import t
from services.kiosk.kiosks import Kiosk


def register(services: Services) -> None:
    @page("/staff/kiosks")
    async def kiosks_page(theater: str = "") -> None:
        user = require_user("/staff/kiosks")
        if user is None:
            return
        async with frame(services.catalog, services.mailbox):
            theaters = await call(services.catalog.theaters)
            chosen = next((x for x in theaters if x.theater_id == theater), theaters[0] if theaters else None)
            if chosen is None or not await call(services.kiosks.access.can_manage, user, chosen.theater_id):
                with ui.column().classes("mm-surface w-full items-center py-12 gap-3").mark("staff-only"):
                    ui.icon("lock", size="48px").classes("mm-muted")
                    ui.label(t("Kiosks are managed by theater staff.")).classes("text-lg text-white")
                return
            heading(t("Kiosks")).classes("mm-title text-3xl text-white").mark("page-title")
            options = {x.theater_id: f"{x.name} · {x.city}" for x in theaters}
            ui.select(options, value=chosen.theater_id, label=t("Theater"),
                      on_change=lambda e: ui.navigate.to(f"/staff/kiosks?theater={e.value}")).props(
                "outlined dark options-dark").classes("w-full sm:w-96").mark("kiosk-theater-select")
            await _kiosk_list(services, user, chosen.theater_id, chosen.timezone)


async def _kiosk_list(services: Services, user: User, theater_id: str, zone: str) -> None:
    @ui.refreshable
    async def listing() -> None:
        kiosks = await call(services.kiosks.for_theater, user, theater_id)
        if not kiosks:
            ui.label(t("No kiosks at this theater yet.")).classes("mm-muted").mark("no-kiosks")
        for kiosk in kiosks:
            _kiosk_row(services, user, kiosk, zone, listing.refresh)

    with ui.row().classes("mm-surface w-full p-4 gap-3 items-end flex-wrap").mark("new-kiosk"):
        name = ui.input(t("New kiosk name"), placeholder=t("e.g. Lobby left")).props("outlined dark").classes(
            "flex-1 min-w-[12rem]").mark("kiosk-name")

        async def create() -> None:
            try:
                created = await call(services.kiosks.create, user, theater_id, name.value or "")
            except DomainError as exc:
                ui.notify(exc.message, type="warning")
                return
            name.value = ""
            _pairing_dialog(services, created.kiosk, created.pairing_code, created.pin)
            listing.refresh()

        ui.button(t("Create kiosk"), icon="add", on_click=create).props("unelevated no-caps").mark("create-kiosk")
    with ui.column().classes("w-full gap-3"):
        await listing()


def _kiosk_row(services: Services, user: User, kiosk: Kiosk, zone: str, refresh: object) -> None:
    if kiosk.status == "revoked":
        state, tone = t("Revoked"), "text-negative"
    elif kiosk.paired:
        paired = date_time(parse_iso(kiosk.paired_at or ""), zone, zone_name=True)
        state, tone = t("Paired {when}", when=paired), "text-positive"
    else:
        state, tone = t("Waiting for pairing"), "text-accent"
    with ui.row().classes("mm-surface w-full p-4 gap-3 items-center flex-wrap").mark(f"kiosk-{kiosk.kiosk_id}"):
        ui.icon("point_of_sale", size="32px").classes("text-primary")
        with ui.column().classes("gap-0 flex-1 min-w-[12rem]"):
            ui.label(kiosk.name).classes("text-white font-bold text-lg")
            ui.label(state).classes(f"{tone} text-sm").mark("kiosk-state")
            if kiosk.last_sale_at:
                sold = date_time(parse_iso(kiosk.last_sale_at), zone, zone_name=True)
                ui.label(t("Last sale {when} · {total}", when=sold,
                           total=format_money(kiosk.last_sale_total or 0, kiosk.last_sale_currency or "INR"))).classes(
                    "mm-muted text-xs")

        async def new_link() -> None:
            code = await _try(call(services.kiosks.new_pairing_code, user, kiosk.kiosk_id))
            if isinstance(code, str):
                _pairing_dialog(services, kiosk, code, None)
                refresh()  # type: ignore[operator]

        async def new_pin() -> None:
            pin = await _try(call(services.kiosks.new_pin, user, kiosk.kiosk_id))
            if isinstance(pin, str):
                _pin_dialog(kiosk, pin)

        async def revoke() -> None:
            if await _try(call(services.kiosks.revoke, user, kiosk.kiosk_id)):
                ui.notify(t("{kiosk} is unpaired; its screen stops selling within seconds.", kiosk=kiosk.name))
                refresh()  # type: ignore[operator]

        ui.button(t("Pairing link"), icon="link", on_click=new_link).props("outline no-caps").classes(
            "text-white").mark("kiosk-new-link")
        ui.button(t("New PIN"), icon="pin", on_click=new_pin).props("outline no-caps").classes("text-white").mark(
            "kiosk-new-pin")
        if kiosk.status != "revoked":
            ui.button(t("Revoke"), icon="link_off", on_click=revoke).props("flat no-caps").classes(
                "text-negative").mark("kiosk-revoke")


async def _try(pending: object) -> object | None:
    try:
        return await pending  # type: ignore[misc]
    except DomainError as exc:
        ui.notify(exc.message, type="warning")
        return None


def _pairing_dialog(services: Services, kiosk: Kiosk, code: str, pin: str | None) -> None:
    link = f"{services.settings.base_url}/kiosk/pair/{code}"
    qr = qr_code(link).svg_data_uri(scale=1, border=2, dark="#000000", light="#ffffff")
    with ui.dialog() as dialog, ui.card().classes("mm-surface p-6 gap-3 max-w-md items-center").mark("pairing-dialog"):
        ui.label(t("Pair {kiosk}", kiosk=kiosk.name)).classes("mm-title text-xl text-white")
        ui.label(t("Open this link on the kiosk's screen (or scan the code with it). It works once, for {n} minutes.",
                   n=services.settings.kiosk_pairing_minutes)).classes("mm-muted text-sm text-center")
        ui.image(qr).classes("w-48 h-48 rounded-lg").props('no-spinner alt=""')
        ui.label(link).classes("font-mono text-sm text-white break-all text-center").mark("pairing-link")
        ui.label(t("Code {code}", code=code)).classes("mm-chip text-white").mark("pairing-code")
        if pin:
            ui.label(t("Staff PIN {pin}: shown only now. Tap the kiosk's top-left corner three times to use it.",
                       pin=pin)).classes("text-accent text-sm text-center").mark("kiosk-pin")
        ui.button(t("Done"), on_click=dialog.close).props("unelevated no-caps").classes("w-full")
    dialog.open()


def _pin_dialog(kiosk: Kiosk, pin: str) -> None:
    with ui.dialog() as dialog, ui.card().classes("mm-surface p-6 gap-3 max-w-sm items-center").mark("pin-dialog"):
        ui.label(t("New staff PIN for {kiosk}", kiosk=kiosk.name)).classes("mm-title text-lg text-white")
        ui.label(pin).classes("font-mono text-3xl text-accent tracking-widest").mark("kiosk-pin")
        ui.label(t("Shown only now. The old PIN no longer works.")).classes("mm-muted text-sm")
        ui.button(t("Done"), on_click=dialog.close).props("unelevated no-caps").classes("w-full")
    dialog.open()
