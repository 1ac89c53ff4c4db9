"""The sale is done: the ticket on screen with its QR code to photograph, a printable 80 mm receipt (the
print stylesheet shows only ``.k-receipt``), and the e-ticket address if one was given. Standing tickets
(events) have one code each, as on the web ticket (``TicketService.codes``): each admits once at the door."""

from __future__ import annotations

from nicegui import ui

from components.heading import heading
from pages.kiosk.controller import KioskController
from pages.kiosk.screens_browse import _reach
from services.booking.models import Booking
from services.booking.tickets import TicketCode, qr_code
from services.formatting import format_money, show_time
from services.i18n import t
from services.notify.messages import seat_groups


async def ticket(ctx: KioskController) -> None:
    visit = ctx.visit
    if visit is None or visit.booking is None:
        return
    booking = visit.booking
    codes = [(code, _svg(code)) for code in ctx.services.tickets.codes(booking)]
    main, foot = ctx.show("ticket")
    _reach(main)
    with main:
        with ui.row().classes("items-center gap-4"):
            ui.icon("check_circle", size="72px").classes("text-positive")
            heading(t("Enjoy the show!")).classes("k-title text-white").mark("ticket-done")
        with ui.element("div").classes("k-split items-center justify-items-center"):
            if len(codes) == 1:
                with ui.column().classes("items-center gap-2"):
                    ui.element("img").props(
                        f'src="{codes[0][1]}" alt="{t("QR code of ticket {booking}", booking=booking.reference)}"'
                    ).classes("w-[46vmin] max-w-[620px] aspect-square rounded-2xl").mark("kiosk-ticket-qr")
                    ui.label(t("Take a photo of this code, or print it")).classes("k-muted")
            else:
                _codes(booking, codes)
            with ui.column().classes("k-side k-card p-6 gap-3 min-w-0 w-full max-w-[880px]").mark("kiosk-ticket"):
                ui.label(booking.movie_title).classes("text-[1.6em] font-extrabold text-white")
                ui.label(show_time(booking)).classes("text-accent text-[1.2em] font-bold")
                ui.label(_where(booking)).classes("text-white")
                for line in _lines(booking):
                    ui.label(line).classes("text-[1.4em] font-extrabold text-white").mark("ticket-seats")
                ui.label(t("Paid {total} · card ending {last4}",
                           total=format_money(booking.price.total, booking.price.currency),
                           last4=booking.card_last4)).classes("k-muted")
                ui.label(t("Booking {reference}", reference=booking.reference)).classes(
                    "font-mono k-muted text-[.9em] break-all")
                if booking.email:
                    ui.label(t("Your e-ticket is on its way to {email}.", email=booking.email)).classes(
                        "text-positive").mark("ticket-emailed")
    _receipt(ctx, booking, codes)
    with foot:
        ui.button(t("Print ticket"), icon="print", on_click=ctx.act(ctx.print_receipt)).props(
            "outline no-caps").classes("k-big text-white").mark("print-ticket")
        ui.space()
        ui.button(t("Done"), icon="done", on_click=ctx.act(lambda: ctx.end_visit("done"))).props(
            "unelevated no-caps").classes("k-big").mark("ticket-finish")


def _svg(code: TicketCode) -> str:
    return qr_code(code.token).svg_data_uri(scale=1, border=3, dark="#000000", light="#ffffff")


def _where(booking: Booking) -> str:
    return " · ".join(part for part in (booking.theater_name, booking.screen_name) if part)


def _lines(booking: Booking) -> list[str]:
    """The seats ("Seats F7, F8"), and the standing tickets per type ("2 × Standing")."""
    lines = [t("Seats {seats}", seats=", ".join(booking.numbered_seat_ids))] if booking.numbered_seat_ids else []
    return lines + [f"{len(ids)} × {name}" for name, ids, _ in seat_groups(s for s in booking.seats if not s.is_seat)]


def _codes(booking: Booking, codes: list[tuple[TicketCode, str]]) -> None:
    """Several codes (standing tickets): each with what it admits; each admits one entry."""
    with ui.column().classes("k-scroll w-full items-center gap-3"):
        ui.label(t("Each code admits one entry: show them all at the entrance")).classes("k-muted text-center")
        with ui.element("div").classes("k-codes"):
            for code, svg in codes:
                with ui.column().classes("items-center gap-1").mark(
                        "kiosk-ticket-code" if code.ticket is None else f"kiosk-ticket-code-{code.ticket}"):
                    ui.element("img").props(
                        f'src="{svg}" alt="{t("QR code of ticket {booking}", booking=booking.reference)}: '
                        f'{code.label}"').classes("k-code").mark("kiosk-ticket-qr")
                    ui.label(code.label).classes("text-white font-bold text-center")


def _receipt(ctx: KioskController, booking: Booking, codes: list[tuple[TicketCode, str]]) -> None:
    """The 80 mm roll receipt: hidden on screen, the only thing printed."""
    money = lambda minor: format_money(minor, booking.price.currency)  # noqa: E731
    with ctx.main, ui.element("div").classes("k-receipt").mark("receipt"):
        ui.label(booking.movie_title).classes("r-title r-center")
        for text in (show_time(booking), _where(booking), booking.theater_address):
            ui.label(text).classes("r-center")
        ui.element("div").classes("r-rule")
        for line in _lines(booking):
            ui.label(line).classes("r-center font-bold")
        for code, svg in codes:
            if len(codes) > 1:
                ui.label(code.label).classes("r-center")
            ui.element("img").props(f'src="{svg}" alt=""')
        ui.label(t("Booking {reference}", reference=booking.reference)).classes("r-center")
        ui.element("div").classes("r-rule")
        for name, amount in ((t("Tickets"), booking.price.subtotal), (t("Convenience fee"), booking.price.fee),
                             (t("Taxes"), booking.price.tax), (t("Total paid"), booking.price.total)):
            with ui.element("div").classes("r-line"):
                ui.label(name)
                ui.label(money(amount))
        ui.label(t("Card ending {last4}", last4=booking.card_last4))
        ui.element("div").classes("r-rule")
        ui.label(t("Show this code at the entrance. Enjoy the show!")).classes("r-center")
