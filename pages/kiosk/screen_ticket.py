"""The sale is done: the ticket on screen with its QR code to photograph, a printable 80 mm receipt (the
print stylesheet shows only ``.k-receipt``), and the e-ticket address if one was given."""

from __future__ import annotations

from nicegui import ui

from components.heading import heading
from pages.kiosk.controller import KioskController
from pages.kiosk.screens_browse import _reach
from services.booking.models import Booking
from services.formatting import format_money, show_time
from services.i18n import t


async def ticket(ctx: KioskController) -> None:
    visit = ctx.visit
    if visit is None or visit.booking is None:
        return
    booking = visit.booking
    qr = ctx.services.tickets.qr(booking).svg_data_uri(scale=1, border=3, dark="#000000", light="#ffffff")
    main, foot = ctx.show("ticket")
    _reach(main)
    with main:
        with ui.row().classes("items-center gap-4"):
            ui.icon("check_circle", size="72px").classes("text-positive")
            heading(t("Enjoy the show!")).classes("k-title text-white").mark("ticket-done")
        with ui.element("div").classes("k-split items-center justify-items-center"):
            with ui.column().classes("items-center gap-2"):
                ui.element("img").props(
                    f'src="{qr}" alt="{t("QR code of ticket {booking}", booking=booking.reference)}"'
                ).classes("w-[46vmin] max-w-[620px] aspect-square rounded-2xl").mark("kiosk-ticket-qr")
                ui.label(t("Take a photo of this code, or print it")).classes("k-muted")
            with ui.column().classes("k-side k-card p-6 gap-3 min-w-0 w-full max-w-[880px]").mark("kiosk-ticket"):
                ui.label(booking.movie_title).classes("text-[1.6em] font-extrabold text-white")
                ui.label(show_time(booking)).classes("text-accent text-[1.2em] font-bold")
                ui.label(f"{booking.theater_name} · {booking.screen_name}").classes("text-white")
                ui.label(t("Seats {seats}", seats=", ".join(booking.seat_ids))).classes(
                    "text-[1.4em] font-extrabold text-white").mark("ticket-seats")
                ui.label(t("Paid {total} · card ending {last4}",
                           total=format_money(booking.price.total, booking.price.currency),
                           last4=booking.card_last4)).classes("k-muted")
                ui.label(t("Booking {reference}", reference=booking.reference)).classes(
                    "font-mono k-muted text-[.9em] break-all")
                if booking.email:
                    ui.label(t("Your e-ticket is on its way to {email}.", email=booking.email)).classes(
                        "text-positive").mark("ticket-emailed")
    _receipt(ctx, booking, qr)
    with foot:
        ui.button(t("Print ticket"), icon="print", on_click=ctx.act(ctx.print_receipt)).props(
            "outline no-caps").classes("k-big text-white").mark("print-ticket")
        ui.space()
        ui.button(t("Done"), icon="done", on_click=ctx.act(lambda: ctx.end_visit("done"))).props(
            "unelevated no-caps").classes("k-big").mark("ticket-finish")


def _receipt(ctx: KioskController, booking: Booking, qr: str) -> None:
    """The 80 mm roll receipt: hidden on screen, the only thing printed."""
    money = lambda minor: format_money(minor, booking.price.currency)  # noqa: E731
    with ctx.main, ui.element("div").classes("k-receipt").mark("receipt"):
        ui.label(booking.movie_title).classes("r-title r-center")
        for text in (show_time(booking), f"{booking.theater_name} · {booking.screen_name}",
                     booking.theater_address):
            ui.label(text).classes("r-center")
        ui.element("div").classes("r-rule")
        ui.label(t("Seats {seats}", seats=", ".join(booking.seat_ids))).classes("r-center font-bold")
        ui.element("img").props(f'src="{qr}" alt=""')
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
