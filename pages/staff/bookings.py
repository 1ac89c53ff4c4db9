"""The bookings desk: find a booking by reference, email or show; see its seats, payment, emails and
check-in; cancel with refund (past the cut-off only with a written reason); resend the confirmation.
The rules live in ``services.staff.desk``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial

from nicegui import ui

from components.heading import heading
from components.page import page
from components.service_call import call
from components.session import current_user
from components.staff_frame import staff_frame
from services.accounts.users import User
from services.booking.bookings import Booking
from services.clock import parse_iso
from services.container import Services
from services.errors import DomainError
from services.formatting import date_time, format_money, show_time
from services.i18n import t
from services.staff.access import StaffMember
from services.staff.desk import DeskView

_EMAIL_KINDS = {"booking_confirmed": "Confirmation", "booking_cancelled": "Cancellation"}


def _when(stamp: str | None, zone: str) -> str:
    """A stored UTC moment on the theater's clock, as people read it (empty when there is none)."""
    if not stamp:
        return ""
    try:
        return date_time(parse_iso(stamp), zone, zone_name=True)
    except ValueError:
        return stamp


def register(services: Services) -> None:
    @page("/staff/bookings")
    async def desk_page(q: str = "") -> None:
        async with staff_frame(services, "/staff/bookings", "manage") as member:
            if member is None:
                return
            await _desk(services, member, q)


async def _desk(services: Services, member: StaffMember, initial: str) -> None:
    user = current_user()
    assert user is not None
    heading(t("Bookings desk")).classes("mm-title text-2xl text-white").mark("page-title")
    with ui.row().classes("w-full items-center gap-3 flex-nowrap") as search_row:
        search = ui.input(t("Booking reference (e.g. 3F9A1C2B), customer email or show id"), value=initial).props(
            "outlined dark clearable").classes("flex-1 min-w-0").mark("desk-search")
    results = ui.column().classes("w-full gap-2").mark("desk-results")
    detail = ui.column().classes("w-full gap-3").mark("desk-detail")

    async def find() -> None:
        results.clear()
        detail.clear()
        try:
            found = await call(services.staff.desk.find, user, search.value or "")
        except DomainError as exc:
            with results:
                ui.label(exc.message).classes("text-negative").mark("desk-error")
            return
        with results:
            if not found:
                ui.label(t("No booking found in your theaters.")).classes("mm-muted").mark("desk-none")
            for booking in found:
                _result_row(booking, partial(open_booking, booking.booking_id))

    async def open_booking(booking_id: str) -> None:
        detail.clear()
        try:
            view = await call(services.staff.desk.view, user, booking_id)
        except DomainError as exc:
            ui.notify(exc.message, type="negative")
            return
        with detail:
            _detail(services, user, view, lambda: open_booking(booking_id))

    search.on("keydown.enter", find)
    with search_row:
        ui.button(t("Find"), on_click=find).props("unelevated no-caps").mark("desk-find")
    if initial:
        await find()


def _result_row(booking: Booking, on_open: Callable[[], Awaitable[None]]) -> None:
    with ui.row().classes("mm-surface w-full px-4 py-3 items-center gap-3 flex-wrap cursor-pointer").on(
            "click", on_open).mark("desk-result"):
        ui.label(booking.reference).classes("font-mono text-accent").mark("desk-reference")
        with ui.column().classes("gap-0 min-w-0"):
            ui.label(f"{booking.movie_title} · {show_time(booking)}").classes("text-white")
            ui.label(f"{booking.theater_name} · {booking.screen_name} · {', '.join(booking.seat_ids)}").classes(
                "mm-muted text-sm")
        ui.space()
        ui.badge(t("Cancelled") if booking.status == "cancelled" else t("Confirmed"),
                 color="negative" if booking.status == "cancelled" else "positive")


def _detail(services: Services, user: User, view: DeskView, reload: Callable[[], Awaitable[None]]) -> None:
    booking = view.booking
    currency = booking.price.currency
    with ui.column().classes("mm-surface w-full p-4 gap-2").mark("desk-booking"):
        ui.label(f"{booking.movie_title} · {booking.theater_name} · {booking.screen_name}").classes(
            "text-white font-bold text-lg")
        ui.label(t("Reference {reference}", reference=booking.reference)).classes("font-mono text-accent").mark(
            "desk-booking-reference")
        ui.label(f"{show_time(booking, year=True, zone_name=True)} · {booking.email}").classes("mm-muted")
        ui.label(t("Seats: {seats}", seats=", ".join(f"{s.seat_id} ({s.category_name})" for s in booking.seats)))
        paid = format_money(booking.price.total, currency)
        ui.label(t("Paid {total} by card ending {last4} · payment {ref}", total=paid,
                   last4=booking.card_last4 or "—", ref=booking.payment_id)).classes("text-sm")
        if booking.status == "cancelled":
            ui.label(t("Cancelled {when}; refunded {refund}", when=_when(booking.cancelled_at, booking.timezone),
                       refund=format_money(booking.refund or 0, currency))).classes("text-negative").mark("desk-refund")
        ui.label(t("Admitted at {when} by {who}", when=_when(view.admitted_at, booking.timezone), who=view.admitted_by)
                 if view.admitted_at
                 else t("Not admitted yet")).classes("text-sm").mark("desk-checkin")
        ui.label(t("Emails")).classes("text-white font-bold mt-2")
        for email in view.emails:
            kind = _EMAIL_KINDS.get(email.kind, email.kind)
            ui.label(f"{t(kind)} · {_when(email.created_at, booking.timezone)} · "
                     + (t("sent") if email.sent else t("waiting"))).classes("text-sm").mark("desk-email")
    if booking.status != "confirmed":
        return
    with ui.column().classes("mm-surface w-full p-4 gap-3").mark("desk-actions"):
        reason = None
        if view.past_cutoff:
            ui.label(t("This show is past the cancel cut-off. A manager may still cancel and refund with a reason."))
            reason = ui.textarea(t("Reason (kept in the audit log)")).props("outlined dark").classes("w-full").mark(
                "desk-reason")

        async def cancel() -> None:
            try:
                done = await call(services.staff.desk.cancel, user, booking.booking_id,
                                  reason.value if reason is not None else "")
            except DomainError as exc:
                ui.notify(exc.message, type="negative")
                return
            ui.notify(t("Cancelled; {refund} refunded.", refund=format_money(done.refund or 0, currency)),
                      type="positive")
            await reload()

        async def resend() -> None:
            try:
                await call(services.staff.desk.resend, user, booking.booking_id)
            except DomainError as exc:
                ui.notify(exc.message, type="negative")
                return
            ui.notify(t("Confirmation queued."), type="positive")
            await reload()

        with ui.row().classes("gap-3"):
            ui.button(t("Cancel and refund"), on_click=cancel).props("unelevated no-caps color=negative").mark(
                "desk-cancel")
            ui.button(t("Resend confirmation"), on_click=resend).props("outline no-caps").mark("desk-resend")
