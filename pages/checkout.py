"""Checkout of one hold: what you are buying, the card, and one "Pay" button that cannot book twice.

Double-booking is prevented twice over: the button is disabled (and a flag set) on the first click,
and the booking service is idempotent per hold (same hold -> same booking id), so even a retry after a
lost answer or a reconnect lands on the one booking.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from nicegui import ui

from components.frame import frame
from components.hold_timer import HoldTimer
from components.order_details import order_lines, show_facts
from components.service_call import call
from components.session import require_user
from services.accounts.users import User
from services.booking.models import Hold
from services.booking.payments import CardPayment, card_digits
from services.booking.pricing import Price
from services.container import Services
from services.errors import DomainError, HoldExpired, InvalidRequest, NotFound, PaymentDeclined, ShowClosed
from services.formatting import format_money
from services.i18n import t


def register(services: Services) -> None:
    @ui.page("/checkout/{hold_id}")
    async def checkout_page(hold_id: str) -> None:
        user = require_user(f"/checkout/{hold_id}")
        if user is None:
            return
        async with frame(services.catalog, services.mailbox):
            try:
                hold = await call(services.inventory.get_hold, hold_id, user.user_id)
            except NotFound:
                _dead_end(t("This selection is no longer available."), t("See what's playing"), "/")
                return
            if hold.status == "confirmed" and hold.booking_id:
                ui.navigate.to(f"/booking/{hold.booking_id}")
                return
            if not hold.is_live(services.clock.now()):
                _dead_end(t("Your hold on these seats has expired."), t("Choose seats again"),
                          f"/showtime/{hold.showtime_id}")
                return
            await _checkout(services, user, hold)


async def _checkout(services: Services, user: User, hold: Hold) -> None:
    catalog = services.catalog
    showtime = await call(catalog.showtime, hold.showtime_id)
    movie = await call(catalog.movie, showtime.movie_id)
    theater = await call(catalog.theater, showtime.theater_id)
    quote = services.pricing.quote(showtime, catalog.layout_of(showtime), hold.seat_ids)
    seconds_left = hold.expires_at.timestamp() - services.clock.now().timestamp()
    back = f"/showtime/{hold.showtime_id}"
    # Loyalty points: how many can be spent here and the price they give, both from the loyalty service
    # (read before anything is built, so the page builds at once).
    redeemable = await call(services.engage.loyalty.most_redeemable, user.user_id, quote.price)
    discounted = (await call(services.engage.loyalty.redemption, user, quote.price, redeemable)).price

    ui.label(t("Checkout")).classes("mm-title text-3xl text-white").mark("page-title")
    with ui.row().classes("w-full gap-6 items-start flex-nowrap max-md:flex-col"):
        with ui.column().classes("mm-surface flex-1 w-full p-5 gap-3").mark("order-summary"):
            show_facts(movie, theater, showtime)
            order_lines(quote.seats, quote.price)
            with ui.row().classes("w-full items-center justify-between"):
                ui.link(t("Change seats"), back).classes("text-accent text-sm").mark("change-seats")
                with ui.row().classes("items-center gap-2"):
                    ui.label(t("Seats held for")).classes("mm-muted text-sm")
                    HoldTimer(seconds_left, lambda: _expired_dialog(back)).mark("checkout-timer")
        _payment_form(services, user, hold, quote.price, (redeemable, discounted), back)


def _payment_form(services: Services, user: User, hold: Hold, price: Price, points: tuple[int, Price],
                  back: str) -> None:
    total = format_money(price.total, price.currency)
    with ui.column().classes("mm-surface w-full md:w-96 shrink-0 p-5 gap-4").mark("payment"):
        ui.label(t("Payment")).classes("mm-title text-xl text-white")
        use_points = _points_choice(price, *points, lambda shown: button.set_text(t("Pay {total}", total=shown)))
        with ui.row().classes("w-full items-center gap-3 rounded-xl p-3 flex-nowrap").style(
            "border: 1.5px solid var(--mm-primary); background: rgba(225,29,72,.08)"
        ).props(f'role="radio" aria-checked="true" aria-label="{t("Credit or debit card")}"'):
            ui.icon("credit_card", size="26px").classes("text-white")
            with ui.column().classes("gap-0"):
                ui.label(t("Credit or debit card")).classes("text-white font-medium")
                ui.label(t("Visa, Mastercard, RuPay")).classes("mm-muted text-xs")
            ui.icon("check_circle", size="22px").classes("text-primary ml-auto").props('aria-hidden="true"')
        ui.label(t("UPI and wallets are coming soon.")).classes("mm-muted text-xs -mt-2")
        card = ui.input(t("Card number"), validation=_card_error).props(
            'outlined dark inputmode=numeric autocomplete=cc-number mask="#### #### #### #### ###" lazy-rules'
        ).classes("w-full").mark("card-number")
        with ui.row().classes("w-full gap-3 flex-nowrap"):
            expiry = ui.input(t("Expiry (MM/YY)"), validation=_expiry_error).props(
                'outlined dark inputmode=numeric autocomplete=cc-exp mask="##/##" lazy-rules'
            ).classes("flex-1").mark("card-expiry")
            cvc = ui.input(t("CVC"), validation=_cvc_error).props(
                'outlined dark inputmode=numeric autocomplete=cc-csc mask="####" lazy-rules'
            ).classes("w-28").mark("card-cvc")
        ui.label(t("Demo: pay with 4242 4242 4242 4242, any future date and any CVC. "
                   "4000 0000 0000 0002 is declined.")).classes("mm-muted text-xs")
        error = ui.label().classes("text-negative text-sm font-medium").props('role="alert"').mark("pay-error")
        error.set_visibility(False)
        busy = {"paying": False}

        async def pay() -> None:
            if busy["paying"]:
                return
            fields = (card, expiry, cvc)
            if not all([field.validate() for field in fields]):  # every field, not just the first
                next(field for field in fields if field.error).run_method("focus")
                return
            busy["paying"] = True
            button.disable()
            button.props("loading")
            error.set_visibility(False)
            try:
                booking = await call(
                    services.bookings.checkout, hold.hold_id, user, CardPayment(card_digits(card.value or "")),
                    use_points["points"],
                )
            except (PaymentDeclined, InvalidRequest) as exc:
                _show_error(error, exc.message)
                card.run_method("focus")
            except (HoldExpired, ShowClosed, NotFound) as exc:
                _expired_dialog(back, exc.message)
            except DomainError as exc:
                _show_error(error, exc.message)
            else:
                ui.navigate.to(f"/booking/{booking.booking_id}")
                return
            busy["paying"] = False
            button.enable()
            button.props(remove="loading")

        button = ui.button(t("Pay {total}", total=total), on_click=pay).props(
            "unelevated no-caps size=lg"
        ).classes("w-full").mark("pay")
        cvc.on("keydown.enter", pay)
        with ui.row().classes("items-start gap-1 mm-muted text-xs flex-nowrap"):
            ui.icon("lock", size="14px").classes("mt-px")
            ui.label(t("Your card is checked once; you are charged only when your seats are confirmed."))


def _points_choice(price: Price, redeemable: int, discounted: Price,
                   show_total: Callable[[str], object]) -> dict[str, int]:
    """A switch to spend the customer's points; returns the choice (read when paying). ``discounted`` is the
    loyalty service's price; paying sends only the number of points and the server computes it again."""
    choice = {"points": 0}
    if redeemable <= 0:
        return choice
    saving = format_money(price.total - discounted.total, price.currency)

    def toggle(on: bool) -> None:
        choice["points"] = redeemable if on else 0
        show_total(format_money((discounted if on else price).total, price.currency))

    ui.switch(t("Use {n} loyalty points (−{money})", n=redeemable, money=saving),
              on_change=lambda e: toggle(bool(e.value))).props("dense color=amber").classes("text-white").mark(
        "use-points")
    return choice


def _card_error(value: str | None) -> str | None:
    try:
        card_digits(value or "")
    except InvalidRequest:
        return t("Enter the 16-digit number on the front of your card.")
    return None


def _expiry_error(value: str | None) -> str | None:
    match = re.fullmatch(r"\s*(\d{1,2})\s*/\s*(\d{2})\s*", value or "")
    if not match or not 1 <= int(match.group(1)) <= 12:
        return t("Use the format MM/YY, e.g. 08/29.")
    year, month = 2000 + int(match.group(2)), int(match.group(1))
    today = date.today()
    if (year, month) < (today.year, today.month):
        return t("This card has expired.")
    return None


def _cvc_error(value: str | None) -> str | None:
    return None if re.fullmatch(r"\d{3,4}", (value or "").strip()) else t("3 or 4 digits on the back of your card.")


def _show_error(label: ui.label, message: str) -> None:
    label.set_text(message)
    label.set_visibility(True)


def _expired_dialog(back: str, message: str | None = None) -> None:
    with ui.dialog().props("persistent") as dialog, ui.card().classes("mm-surface p-6 gap-4 max-w-sm").mark(
        "hold-expired"
    ):
        ui.icon("timer_off", size="40px").classes("text-accent")
        ui.label(message or t("Your hold on these seats has expired.")).classes("text-lg text-white")
        ui.label(t("Nothing was charged. The seats may still be free: pick them again.")).classes("mm-muted")
        ui.button(t("Choose seats again"), on_click=lambda: ui.navigate.to(back)).props(
            "unelevated no-caps"
        ).classes("w-full").mark("choose-again")
    dialog.open()


def _dead_end(text: str, action: str, target: str) -> None:
    with ui.column().classes("mm-surface w-full items-center py-12 gap-3").mark("checkout-message"):
        ui.icon("event_seat", size="48px").classes("mm-muted")
        ui.label(text).classes("text-lg text-white text-center")
        ui.button(action, on_click=lambda: ui.navigate.to(target)).props("unelevated no-caps").mark("next-step")
