"""My bookings: upcoming first, then past and cancelled; cancel with the refund amount shown up front."""

from __future__ import annotations

from nicegui import ui

from components.frame import frame
from components.heading import heading
from components.movie_card import poster_url
from components.page import page
from components.service_call import call
from components.session import require_user
from pages.confirmation import status_chip
from services.accounts.users import User
from services.booking.models import Booking
from services.booking.rules import can_cancel
from services.catalog.models import Showtime
from services.container import Services
from services.errors import DomainError
from services.formatting import format_money, show_time
from services.i18n import t


def register(services: Services) -> None:
    @page("/bookings")
    async def bookings_page() -> None:
        user = require_user("/bookings")
        if user is None:
            return
        async with frame(services.catalog, services.mailbox):
            heading(t("My bookings")).classes("mm-title text-3xl text-white").mark("page-title")

            @ui.refreshable
            async def listing() -> None:
                try:
                    bookings = await call(services.bookings.my_bookings, user.user_id)
                except DomainError as exc:
                    ui.label(exc.message).classes("text-negative")
                    return
                if not bookings:
                    _empty()
                    return
                movies = await call(services.catalog.movies, {b.movie_id for b in bookings})
                now = services.clock.now()
                upcoming = sorted((b for b in bookings if b.status == "confirmed" and b.starts_at > now),
                                  key=lambda b: b.starts_at)
                others = [b for b in bookings if b not in upcoming]
                again: dict[tuple[str, str], list[Showtime]] = {}  # "Book again": per movie and theater
                for booking in bookings:
                    if (booking.movie_id, booking.theater_id) not in again:
                        again[booking.movie_id, booking.theater_id] = await call(
                            services.engage.rebooking.next_shows, booking)
                for title, group in ((t("Upcoming"), upcoming), (t("Past and cancelled"), others)):
                    if group:
                        ui.label(title).classes("text-white font-bold text-lg mt-2")
                        with ui.column().classes("w-full gap-3"):
                            for booking in group:
                                movie = movies.get(booking.movie_id)
                                _card(services, user, booking, poster_url(movie) if movie else None, listing.refresh,
                                      again[booking.movie_id, booking.theater_id])

            await listing()


def _empty() -> None:
    with ui.column().classes("mm-surface w-full items-center py-12 gap-3").mark("no-bookings"):
        ui.icon("confirmation_number", size="48px").classes("mm-muted")
        ui.label(t("No bookings yet.")).classes("text-lg text-white")
        ui.button(t("Find a movie"), on_click=lambda: ui.navigate.to("/")).props("unelevated no-caps")


def _card(services: Services, user: User, booking: Booking, poster: str | None, refresh,  # noqa: ANN001
          next_shows: list[Showtime]) -> None:
    now = services.clock.now()
    cancellable = can_cancel(booking, now, services.settings)
    currency = booking.price.currency
    with ui.row().classes("mm-surface w-full p-4 gap-4 flex-nowrap items-start").mark("booking-card"):
        if poster:
            ui.image(poster).classes("mm-poster w-16 sm:w-20 shrink-0").props('alt="" aria-hidden="true"')
        with ui.column().classes("gap-1 min-w-0 flex-1"):
            with ui.row().classes("w-full items-center justify-between gap-2"):
                ui.label(booking.movie_title).classes("mm-title text-lg text-white")
                status_chip(booking.status)
            ui.label(show_time(booking)).classes("text-accent text-sm font-medium")
            ui.label(f"{booking.theater_name} · {booking.screen_name}").classes("text-white text-sm")
            seats = ", ".join(booking.seat_ids)
            total = format_money(booking.price.total, currency)
            ui.label(t("Seats {seats} · {total} · Ref {ref}", seats=seats, total=total, ref=booking.reference)).classes(
                "mm-muted text-sm")
            if booking.status == "cancelled" and booking.refund is not None:
                ui.label(t("Refunded {amount}", amount=format_money(booking.refund, currency))).classes(
                    "text-positive text-sm")
            with ui.row().classes("gap-2 mt-1 flex-wrap"):
                ui.button(t("Details"), on_click=lambda: ui.navigate.to(f"/booking/{booking.booking_id}")).props(
                    "outline dense no-caps").classes("px-3 text-white")
                if booking.status == "confirmed":
                    ui.button(t("Ticket"), icon="qr_code_2",
                              on_click=lambda: ui.navigate.to(f"/ticket/{booking.booking_id}")).props(
                        "outline dense no-caps").classes("px-3 text-white")
                if next_shows:
                    _book_again(next_shows)
                if cancellable:
                    ui.button(t("Cancel"), on_click=lambda: _confirm_cancel(services, user, booking, refresh)).props(
                        "flat dense no-caps").classes("px-3 text-negative").mark("cancel-booking")
                elif booking.status == "confirmed" and booking.starts_at > now:
                    ui.label(t("Cancellation closed")).classes("mm-muted text-xs self-center")


def _book_again(shows: list[Showtime]) -> None:
    """The next shows of this movie at this theater, one tap from the seat map."""
    with ui.button(t("Book again"), icon="replay").props("outline dense no-caps").classes("px-3 text-white").mark(
            "book-again"), ui.menu().props("dark").mark("book-again-menu"):
        for show in shows:
            ui.menu_item(show_time(show), on_click=lambda s=show: ui.navigate.to(f"/showtime/{s.showtime_id}")).mark(
                f"again-{show.showtime_id}")


def _confirm_cancel(services: Services, user: User, booking: Booking, refresh) -> None:  # noqa: ANN001
    refund = services.pricing.refund(booking.price)
    kept = booking.price.total - refund
    currency = booking.price.currency
    with ui.dialog() as dialog, ui.card().classes("mm-surface p-6 gap-3 max-w-sm").mark("cancel-dialog"):
        ui.label(t("You will get back")).classes("mm-muted")
        ui.label(format_money(refund, currency)).classes("mm-title text-4xl text-positive").mark("refund-amount")
        ui.label(t("Cancel {title} on {when}, seats {seats}?", title=booking.movie_title,
                   when=show_time(booking), seats=", ".join(booking.seat_ids))).classes("text-white")
        if kept:
            ui.label(t("{kept} (the convenience fee and its tax) is not refunded.",
                       kept=format_money(kept, currency))).classes("mm-muted text-sm")
        ui.label(t("The refund goes back to the UPI ID {vpa}.", vpa=booking.upi_vpa) if booking.upi_vpa else
                 t("The refund goes back to the card ending {last4}.", last4=booking.card_last4)).classes(
            "mm-muted text-sm")

        async def cancel() -> None:
            confirm.disable()
            try:
                cancelled = await call(services.bookings.cancel, booking.booking_id, user)
            except DomainError as exc:
                ui.notify(exc.message, type="negative")
                confirm.enable()
                return
            dialog.close()
            ui.notify(t("Booking cancelled. {amount} will be refunded.",
                        amount=format_money(cancelled.refund or 0, currency)), type="positive")
            refresh()

        with ui.row().classes("w-full justify-end gap-2 mt-2"):
            ui.button(t("Keep booking"), on_click=dialog.close).props("flat no-caps").classes("text-white")
            confirm = ui.button(t("Cancel and refund {amount}", amount=format_money(refund, currency)),
                                on_click=cancel).props("unelevated no-caps color=negative").mark("confirm-cancel")
    dialog.open()
