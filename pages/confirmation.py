"""A booking's confirmation: what was bought, for when and where, and the way to the ticket."""

from __future__ import annotations

from contextlib import suppress

from nicegui import ui

from components.frame import frame
from components.heading import heading
from components.movie_card import poster_url
from components.order_details import facts, order_lines
from components.page import page
from components.service_call import call
from components.session import require_user
from pages.calendar_file import calendar_button
from services.booking.models import Booking
from services.container import Services
from services.errors import DomainError
from services.formatting import format_money, show_time
from services.i18n import t


def register(services: Services) -> None:
    @page("/booking/{booking_id}")
    async def booking_page(booking_id: str) -> None:
        user = require_user(f"/booking/{booking_id}")
        if user is None:
            return
        async with frame(services.catalog, services.mailbox):
            try:
                booking = await call(services.bookings.get, booking_id, user)
            except DomainError as exc:
                with ui.column().classes("mm-surface w-full items-center py-12 gap-3").mark("booking-missing"):
                    ui.label(exc.message).classes("text-lg text-white")
                    ui.button(t("My bookings"), on_click=lambda: ui.navigate.to("/bookings")).props(
                        "unelevated no-caps")
                return
            poster = None
            with suppress(DomainError):
                poster = poster_url(await call(services.catalog.movie, booking.movie_id))
            _confirmation(booking, poster)


def _confirmation(booking: Booking, poster: str | None) -> None:
    confirmed = booking.status == "confirmed"
    with ui.column().classes("w-full max-w-3xl mx-auto gap-5"):
        with ui.column().classes("w-full items-center gap-2 text-center pt-2"):
            if confirmed:
                ui.icon("check_circle", size="64px").classes("text-positive")
                heading(t("You're all set!")).classes("mm-title text-3xl sm:text-4xl text-white").mark("page-title")
                ui.label(t("Booking confirmed. A confirmation email is on its way to {email}.",
                           email=booking.email)).classes("mm-muted")
            else:
                ui.icon("cancel", size="64px").classes("mm-muted")
                heading(t("This booking was cancelled")).classes("mm-title text-3xl text-white").mark("page-title")
                if booking.refund is not None:
                    ui.label(t("{amount} was refunded to your card.",
                               amount=format_money(booking.refund, booking.price.currency))).classes("mm-muted")
        with ui.column().classes("mm-surface w-full p-5 sm:p-6 gap-4").mark("booking-details"):
            with ui.row().classes("w-full justify-between items-center gap-2"):
                ui.label(t("Booking {ref}", ref=booking.reference)).classes("text-white font-bold tracking-wide")
                status_chip(booking.status)
            facts(booking.movie_title, poster, f"{booking.theater_name} · {booking.screen_name}",
                  booking.theater_address, show_time(booking))
            ui.separator().classes("opacity-20")
            order_lines(booking.seats, booking.price, refund=booking.refund)
            if booking.card_last4:
                with ui.row().classes("items-center gap-2 mm-muted text-sm"):
                    ui.icon("credit_card", size="18px")
                    ui.label(t("Paid with card ending {last4}", last4=booking.card_last4))
            elif booking.upi_vpa:
                with ui.row().classes("items-center gap-2 mm-muted text-sm").mark("paid-upi"):
                    ui.icon("account_balance", size="18px")
                    ui.label(t("Paid by UPI from {vpa}", vpa=booking.upi_vpa))
        with ui.row().classes("w-full justify-center gap-3 flex-wrap"):
            if confirmed:
                ui.button(t("View ticket"), icon="qr_code_2",
                          on_click=lambda: ui.navigate.to(f"/ticket/{booking.booking_id}")).props(
                    "unelevated no-caps size=lg").mark("view-ticket")
                pdf = f"/ticket/{booking.booking_id}/pdf"
                ui.button(t("Download PDF"), icon="download", on_click=lambda: ui.download(pdf)).props(
                    "outline no-caps size=lg").classes("text-white").mark("download-pdf")
                calendar_button(booking.booking_id)
            ui.button(t("My bookings"), on_click=lambda: ui.navigate.to("/bookings")).props(
                "flat no-caps size=lg").classes("text-white").mark("my-bookings")


def status_chip(status: str) -> None:
    tones = {"confirmed": "bg-green-500/15 text-green-300 border-green-500/40",
             "cancelled": "bg-white/5 text-white/60 border-white/20"}
    tone = tones.get(status, "bg-white/5 text-white border-white/20")
    text = {"confirmed": t("Confirmed"), "cancelled": t("Cancelled")}.get(status, status)
    ui.label(text).classes(f"px-3 py-0.5 rounded-full border text-xs font-bold uppercase tracking-wide {tone}").mark(
        f"status-{status}")
