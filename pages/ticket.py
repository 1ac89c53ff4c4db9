"""The ticket of one booking: a cinema-ticket card with the signed QR code, and its PDF download.

``/ticket/{booking_id}`` shows it to the owner (or an admin); anyone else sees "not found", exactly as
for a booking that does not exist. ``/ticket/{booking_id}/pdf`` downloads the PDF ticket on the same
terms. A cancelled booking shows why it has no ticket instead of a QR code.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Response
from fastapi.responses import HTMLResponse, RedirectResponse
from nicegui import app, ui

from components.frame import frame
from components.heading import heading
from components.movie_card import poster_url
from components.page import page
from components.service_call import call
from components.session import current_user, require_user
from pages.calendar_file import calendar_button
from services.accounts.users import User
from services.booking.models import Booking
from services.booking.ticket_pdf import pdf_filename, render_ticket
from services.booking.tickets import qr_code
from services.container import Services
from services.errors import DomainError, NotFound
from services.formatting import format_money, show_clock, show_date, show_zone, zone_label
from services.i18n import t
from services.notify.messages import amount_rows, seat_groups

_CSS = """
.mm-ticket { background: #fbfaff; color: #161422; border-radius: 18px; overflow: hidden;
             box-shadow: 0 24px 60px rgba(0,0,0,.5); }
.mm-ticket-band { background: #110f1c; border-bottom: 3px solid var(--mm-primary); }
.mm-ticket-label { font-size: .68rem; font-weight: 700; letter-spacing: .08em; color: #706c82; }
.mm-ticket-muted { color: #706c82; }
.mm-ticket-seat { background: #f3f1f8; border: 1px solid #d6d3e0; border-radius: 6px; padding: 2px 10px;
                  font-weight: 700; }
.mm-perforation { position: relative; border-top: 2px dashed #d6d3e0; margin: 0 18px; }
.mm-perforation::before, .mm-perforation::after { content: ""; position: absolute; top: -13px; width: 24px;
  height: 24px; border-radius: 50%; background: var(--mm-bg); }
.mm-perforation::before { left: -31px; } .mm-perforation::after { right: -31px; }
"""


def register(services: Services) -> None:
    @page("/ticket/{booking_id}")
    async def ticket_page(booking_id: str) -> None:
        user = require_user(f"/ticket/{booking_id}")
        if user is None:
            return
        async with frame(services.catalog, services.mailbox):
            ui.add_css(_CSS)
            try:
                booking = await call(services.bookings.get, booking_id, user)
            except NotFound:
                _not_found()
                return
            except DomainError as exc:
                ui.label(exc.message).classes("text-negative").mark("ticket-error")
                return
            poster = await call(_poster, services, booking.movie_id)
            _ticket(services, booking, poster)

    @app.get("/ticket/{booking_id}/pdf", include_in_schema=False)
    async def ticket_pdf(booking_id: str) -> Response:
        user = current_user()
        if user is None:
            return RedirectResponse(f"/login?next={quote(f'/ticket/{booking_id}/pdf', safe='')}", status_code=303)
        return await pdf_response(services, booking_id, user)


async def pdf_response(services: Services, booking_id: str, user: User) -> Response:
    """The PDF ticket for its owner (or an admin); 404 for anyone else and for a cancelled booking."""
    try:
        booking = await call(services.bookings.ticket, booking_id, user)
    except NotFound as exc:
        return HTMLResponse(exc.message, status_code=404)
    codes = services.tickets.codes(booking)
    pdf = await call(render_ticket, booking, codes[0].token, services.settings.base_url, codes[1:])
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{pdf_filename(booking)}"',
        "Cache-Control": "private, no-store",
    })


def _poster(services: Services, movie_id: str) -> str:
    try:
        movie = services.catalog.movie(movie_id)
    except DomainError:
        return ""
    return poster_url(movie) if movie.poster or movie.poster_key else ""


def _not_found() -> None:
    with ui.column().classes("mm-surface w-full max-w-lg mx-auto items-center py-12 px-6 gap-3").mark("not-found"):
        ui.icon("confirmation_number", size="48px").classes("mm-muted")
        ui.label(t("We could not find that ticket.")).classes("text-lg text-white text-center")
        ui.label(t("Tickets are shown only to the account that booked them.")).classes("mm-muted text-center")
        ui.button(t("My bookings"), on_click=lambda: ui.navigate.to("/bookings")).props("unelevated no-caps")


def _ticket(services: Services, booking: Booking, poster: str) -> None:
    confirmed = booking.status == "confirmed"
    with ui.column().classes("w-full max-w-md mx-auto gap-4"):
        with ui.row().classes("w-full items-center justify-between gap-2"):
            heading(t("Your ticket") if confirmed else t("Cancelled booking")).classes(
                "mm-title text-2xl text-white").mark("page-title")
            ui.link(t("Booking details"), f"/booking/{booking.booking_id}").classes("text-accent text-sm")
        with ui.column().classes("mm-ticket w-full gap-0").mark("ticket-card"):
            _band(booking, poster)
            _facts(booking)
            ui.element("div").classes("mm-perforation self-stretch my-2").props('aria-hidden="true"')
            if confirmed:
                _qr(services, booking)
            else:
                _cancelled(booking)
            _amounts(booking)
        with ui.row().classes("w-full gap-3 justify-center"):
            if confirmed:
                ui.button(t("Download PDF"), icon="download",
                          on_click=lambda: ui.download.from_url(f"/ticket/{booking.booking_id}/pdf")).props(
                    "unelevated no-caps size=lg").classes("grow").mark("ticket-download")
                calendar_button(booking.booking_id)
            ui.button(t("My bookings"), icon="list", on_click=lambda: ui.navigate.to("/bookings")).props(
                "outline no-caps size=lg").classes("grow text-white")


def _band(booking: Booking, poster: str) -> None:
    with ui.row().classes("mm-ticket-band w-full p-4 gap-4 flex-nowrap items-center"):
        if poster:
            ui.image(poster).classes("w-16 h-24 rounded-md shrink-0").props(
                f'alt="{t("Poster of {title}", title=booking.movie_title)}" fit=cover')
        with ui.column().classes("gap-1 min-w-0"):
            ui.label("MOVIE MAGIC · " + t("E-TICKET")).classes("text-[0.65rem] font-bold tracking-widest text-accent")
            ui.label(booking.movie_title).classes("mm-title text-2xl text-white leading-tight").mark("ticket-title")
            ui.label(f"{show_date(booking, year=True)} · {show_clock(booking)} {show_zone(booking)}").classes(
                "text-base font-semibold text-white").mark("ticket-when")


def _facts(booking: Booking) -> None:
    # General-admission tickets (events) have a ticket type and a ticket number instead of a seat.
    general = not booking.numbered_seat_ids
    with ui.column().classes("w-full px-5 pt-4 pb-3 gap-3"):
        with ui.column().classes("gap-0"):
            ui.label(t("VENUE") if general else t("THEATER")).classes("mm-ticket-label")
            ui.label(booking.theater_name).classes("font-bold text-base").mark("ticket-theater")
            ui.label(booking.theater_address or booking.city).classes("mm-ticket-muted text-sm")
        with ui.row().classes("w-full gap-8"):
            _fact(t("ENTRY") if general else t("SCREEN"), booking.screen_name)
            _fact(t("TICKETS"), str(len(booking.seats)))
            _fact(t("TIME ZONE"), zone_label(booking.timezone, booking.starts_at))
        with ui.column().classes("gap-1").mark("ticket-seats"):
            ui.label(t("TICKET NUMBERS") if general else t("SEATS")).classes("mm-ticket-label")
            for name, ids, price in seat_groups(booking.seats):
                with ui.row().classes("items-center gap-2 flex-wrap"):
                    ui.label(f"{name} · {format_money(price, booking.price.currency)}").classes(
                        "mm-ticket-muted text-sm w-full")
                    for seat_id in ids:
                        ui.label(seat_id).classes("mm-ticket-seat")


def _fact(label: str, value: str) -> None:
    with ui.column().classes("gap-0"):
        ui.label(label).classes("mm-ticket-label")
        ui.label(value).classes("font-bold")


def _qr(services: Services, booking: Booking) -> None:
    # One code for the numbered seats, one per general-admission ticket: each admits once at the door.
    codes = services.tickets.codes(booking)
    with ui.column().classes("w-full items-center px-5 pt-4 pb-2 gap-1"):
        for code in codes:
            uri = qr_code(code.token).svg_data_uri(scale=1, border=3, dark="#000000", light="#ffffff")
            with ui.column().classes("w-full items-center gap-0").mark(
                    "ticket-code" if code.ticket is None else f"ticket-code-{code.ticket}"):
                ui.image(uri).classes("w-56 h-56 sm:w-60 sm:h-60").props(
                    f'alt="{t("QR code of ticket {booking}", booking=booking.reference)}: {code.label}" '
                    "no-spinner no-transition").mark("ticket-qr")
                if len(codes) > 1:
                    ui.label(code.label).classes("font-bold text-sm text-center").mark("ticket-code-label")
        ui.label(t("Show this code at the entrance") if len(codes) == 1 else
                 t("Each code admits one entry: show them all at the entrance")).classes(
            "mm-ticket-muted text-sm text-center")
        ui.label(t("Booking {ref}", ref=booking.reference)).classes("font-mono text-sm text-center").mark(
            "ticket-reference")


def _cancelled(booking: Booking) -> None:
    with ui.column().classes("w-full items-center px-5 pt-4 pb-2 gap-1 text-center").mark("ticket-cancelled"):
        ui.icon("block", size="40px").classes("text-negative")
        ui.label(t("This booking was cancelled; its ticket is no longer valid.")).classes("font-bold")
        if booking.refund is not None:
            ui.label(t("Refund: {amount}", amount=format_money(booking.refund, booking.price.currency))).classes(
                "mm-ticket-muted")
        ui.label(t("Booking {ref}", ref=booking.reference)).classes("font-mono text-sm")


def _amounts(booking: Booking) -> None:
    rows = amount_rows(booking)
    with ui.column().classes("w-full px-5 pt-2 pb-5 gap-1").mark("ticket-amounts"):
        for label, amount in rows:
            strong = label in (t("Total paid"), t("Refund"))
            with ui.row().classes("w-full justify-between" + (" border-t pt-1 mt-1" if strong else "")):
                ui.label(label).classes("font-bold" if strong else "mm-ticket-muted text-sm")
                ui.label(amount).classes("font-bold" if strong else "text-sm")
