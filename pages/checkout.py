"""Checkout of one hold: what you are buying, the card, and one "Pay" button that cannot book twice.

Double-booking is prevented twice over: the button is disabled (and a flag set) on the first click,
and the booking service is idempotent per hold (same hold -> same booking id), so even a retry after a
lost answer or a reconnect lands on the one booking.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from urllib.parse import quote

from nicegui import ui

from components.frame import frame
from components.heading import heading
from components.hold_timer import HoldTimer
from components.order_details import order_lines, show_facts
from components.page import page
from components.service_call import call
from components.session import require_user
from services.accounts.users import User
from services.booking.models import Hold
from services.booking.payments import CardPayment, Payment, UpiPayment, card_digits, upi_vpa
from services.booking.pricing import Price
from services.catalog.models import Showtime
from services.container import Services
from services.errors import DomainError, HoldExpired, InvalidRequest, NotFound, PaymentDeclined, ShowClosed
from services.formatting import format_money
from services.i18n import t


def register(services: Services) -> None:
    @page("/checkout/{hold_id}")
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
                showtime = await call(services.catalog.showtime, hold.showtime_id)
                if hold.tickets:
                    _dead_end(t("Your hold on these tickets has expired."), t("Choose tickets again"),
                              _back(hold, showtime))
                else:
                    _dead_end(t("Your hold on these seats has expired."), t("Choose seats again"),
                              _back(hold, showtime))
                return
            await _checkout(services, user, hold)


async def _checkout(services: Services, user: User, hold: Hold) -> None:
    catalog = services.catalog
    showtime = await call(catalog.showtime, hold.showtime_id)
    movie = await call(catalog.movie, showtime.movie_id)
    theater = await call(catalog.theater, showtime.theater_id)
    quote = await call(services.bookings.quote, hold)
    seconds_left = hold.expires_at.timestamp() - services.clock.now().timestamp()
    back = _back(hold, showtime)
    # Loyalty points: how many can be spent here and the price they give, both from the loyalty service
    # (read before anything is built, so the page builds at once).
    redeemable = await call(services.engage.loyalty.most_redeemable, user.user_id, quote.price)
    discounted = (await call(services.engage.loyalty.redemption, user, quote.price, redeemable)).price

    heading(t("Checkout")).classes("mm-title text-3xl text-white").mark("page-title")
    with ui.row().classes("w-full gap-6 items-start flex-nowrap max-md:flex-col"):
        with ui.column().classes("mm-surface flex-1 w-full p-5 gap-3").mark("order-summary"):
            show_facts(movie, theater, showtime)
            # The order's lines with or without the points: both prices come from the loyalty service.
            shown = {"price": quote.price}

            @ui.refreshable
            def lines() -> None:
                order_lines(quote.seats, shown["price"])

            lines()

            def show_price(price: Price) -> None:  # the summary's lines and the Pay button follow the switch
                shown["price"] = price
                lines.refresh()
                button.set_text(t("Pay {total}", total=format_money(price.total, price.currency)))

            use_points = _points_choice(quote.price, redeemable, discounted, show_price)
            with ui.row().classes("w-full items-center justify-between"):
                ui.link(t("Change tickets") if hold.tickets else t("Change seats"), back).classes(
                    "text-accent text-sm").mark("change-seats")
                with ui.row().classes("items-center gap-2"):
                    ui.label(t("Tickets held for") if hold.tickets else t("Seats held for")).classes(
                        "mm-muted text-sm")
                    HoldTimer(seconds_left, lambda: _expired_dialog(back)).mark("checkout-timer")
        button = _payment_form(services, user, hold, quote.price, use_points, back)


def _back(hold: Hold, showtime: Showtime) -> str:
    """Where "change" leads: the seat map, or an event's page for general-admission tickets."""
    if hold.tickets:
        return f"/event/{showtime.movie_id}?show={quote(showtime.showtime_id)}"
    return f"/showtime/{hold.showtime_id}"


def _payment_form(services: Services, user: User, hold: Hold, price: Price, use_points: dict[str, int],
                  back: str) -> ui.button:
    """The payment column; returns its Pay button (its label follows the points choice)."""
    total = format_money(price.total, price.currency)
    with ui.column().classes("mm-surface w-full md:w-96 shrink-0 p-5 gap-4").mark("payment"):
        ui.label(t("Payment")).classes("mm-title text-xl text-white")
        method = {"value": "card"}
        with ui.column().classes("w-full gap-2").props(f'role="radiogroup" aria-label="{t("Payment method")}"'):
            card_tile = _method_tile("credit_card", t("Credit or debit card"), t("Visa, Mastercard, RuPay"),
                                     lambda: choose("card")).mark("method-card")
            upi_tile = _method_tile("account_balance", t("UPI"), t("Pay from any UPI app: GPay, PhonePe, Paytm"),
                                    lambda: choose("upi")).mark("method-upi")
        card_fields, (card, expiry, cvc) = _card_fields()
        upi_fields, vpa = _upi_fields()
        waiting, waiting_text = _waiting()
        error = ui.label().classes("text-negative text-sm font-medium").props('role="alert"').mark("pay-error")
        error.set_visibility(False)
        busy = {"paying": False}

        def choose(value: str) -> None:
            if busy["paying"]:
                return
            method["value"] = value
            for tile, name in ((card_tile, "card"), (upi_tile, "upi")):
                _mark_tile(tile, name == value)
            card_fields.set_visibility(value == "card")
            upi_fields.set_visibility(value == "upi")
            error.set_visibility(False)

        def fixed() -> None:
            """An error about what was typed goes as soon as the input changes (it may be fixed now)."""
            error.set_visibility(False)

        for field in (card, expiry, cvc, vpa):
            field.on_value_change(fixed)
        choose("card")

        async def pay() -> None:
            if busy["paying"]:
                return
            upi = method["value"] == "upi"
            payment = _payment_of(upi, card, expiry, cvc, vpa)
            if payment is None:
                return
            if isinstance(payment, UpiPayment):
                waiting_text.set_text(t("Approve the payment request sent to {vpa} in your UPI app.",
                                        vpa=payment.vpa))
                waiting.set_visibility(True)
            busy["paying"] = True
            button.disable()
            button.props("loading")
            error.set_visibility(False)
            try:
                if await _attempt(services, user, hold, payment, use_points["points"], error, back,
                                  vpa if upi else card):
                    return
            finally:
                waiting.set_visibility(False)
            busy["paying"] = False
            button.enable()
            button.props(remove="loading")

        button = ui.button(t("Pay {total}", total=total), on_click=pay).props(
            "unelevated no-caps size=lg"
        ).classes("w-full").mark("pay")
        cvc.on("keydown.enter", pay)
        vpa.on("keydown.enter", pay)
        _reassurance()
    return button


def _reassurance() -> None:
    with ui.row().classes("items-start gap-1 mm-muted text-xs flex-nowrap"):
        ui.icon("lock", size="14px").classes("mt-px")
        ui.label(t("Your payment is checked once; you are charged only when your seats are confirmed."))


def _payment_of(upi: bool, card: ui.input, expiry: ui.input, cvc: ui.input, vpa: ui.input) -> Payment | None:
    """The payment the form describes; None (the first wrong field focused) when a field needs fixing."""
    fields = (vpa,) if upi else (card, expiry, cvc)
    if not all([field.validate() for field in fields]):  # every field, not just the first
        next(field for field in fields if field.error).run_method("focus")
        return None
    return UpiPayment(upi_vpa(vpa.value or "")) if upi else CardPayment(card_digits(card.value or ""))


async def _attempt(services: Services, user: User, hold: Hold, payment: Payment, points: int, error: ui.label,
                   back: str, field: ui.input) -> bool:
    """Pay; True when booked (and on the way to the confirmation), else the reason is shown."""
    try:
        booking = await call(services.bookings.checkout, hold.hold_id, user, payment, points)
    except (PaymentDeclined, InvalidRequest) as exc:
        _show_error(error, exc.message)
        field.run_method("focus")
    except (HoldExpired, ShowClosed, NotFound) as exc:
        _expired_dialog(back, exc.message)
    except DomainError as exc:
        _show_error(error, exc.message)
    else:
        ui.navigate.to(f"/booking/{booking.booking_id}")
        return True
    return False


def _card_fields() -> tuple[ui.column, tuple[ui.input, ui.input, ui.input]]:
    with ui.column().classes("w-full gap-3") as fields:
        card = ui.input(t("Card number"), validation=_card_error).props(
            'outlined dark inputmode=numeric autocomplete=cc-number mask="#### #### #### #### ###" lazy-rules'
        ).classes("w-full").mark("card-number")
        with ui.row().classes("w-full gap-3 items-start"):  # wraps when a translated label needs the width
            expiry = ui.input(t("Expiry (MM/YY)"), validation=_expiry_error).props(
                'outlined dark inputmode=numeric autocomplete=cc-exp mask="##/##" lazy-rules'
            ).classes("flex-1 min-w-[12rem]").mark("card-expiry")
            cvc = ui.input(t("CVC"), validation=_cvc_error).props(
                'outlined dark inputmode=numeric autocomplete=cc-csc mask="####" lazy-rules'
            ).classes("w-32 shrink-0").mark("card-cvc")
        ui.label(t("Demo: pay with 4242 4242 4242 4242, any future date and any CVC. "
                   "4000 0000 0000 0002 is declined.")).classes("mm-muted text-xs")
    return fields, (card, expiry, cvc)


def _upi_fields() -> tuple[ui.column, ui.input]:
    with ui.column().classes("w-full gap-3") as fields:
        vpa = ui.input(t("UPI ID"), placeholder="name@bank", validation=_vpa_error).props(
            'outlined dark autocomplete=off autocapitalize=off spellcheck=false lazy-rules'
        ).classes("w-full").mark("upi-vpa")
        ui.label(t("We send a payment request to this UPI ID; approve it in your UPI app. Demo: success@upi "
                   "approves, failure@upi is declined, timeout@upi is never answered.")).classes("mm-muted text-xs")
    return fields, vpa


def _waiting() -> tuple[ui.row, ui.label]:
    """While a UPI collect request waits for the customer's app."""
    with ui.row().classes("w-full items-center gap-3 rounded-lg p-3 bg-white/5 flex-nowrap").props(
        'role="status"').mark("upi-waiting") as waiting:
        ui.spinner(size="24px").classes("text-accent shrink-0")
        text = ui.label().classes("text-white text-sm")
    waiting.set_visibility(False)
    return waiting, text


def _method_tile(icon: str, title: str, note: str, on_click: Callable[[], None]) -> ui.row:
    with ui.row().classes("w-full items-center gap-3 rounded-xl p-3 flex-nowrap cursor-pointer").props(
        f'role="radio" tabindex="0" aria-label="{title}"'
    ).on("click", on_click).on("keydown.enter", on_click).on("keydown.space", on_click) as tile:
        ui.icon(icon, size="26px").classes("text-white")
        with ui.column().classes("gap-0 min-w-0"):
            ui.label(title).classes("text-white font-medium")
            ui.label(note).classes("mm-muted text-xs")
        ui.icon("check_circle", size="22px").classes("text-primary ml-auto shrink-0").props('aria-hidden="true"')
    return tile


def _mark_tile(tile: ui.row, chosen: bool) -> None:
    tile.props(f'aria-checked="{"true" if chosen else "false"}"')
    tile.style("border: 1.5px solid var(--mm-primary); background: rgba(225,29,72,.08)" if chosen else
               "border: 1.5px solid rgba(255,255,255,.14); background: transparent")
    check = tile.default_slot.children[-1]
    check.set_visibility(chosen)


def _vpa_error(value: str | None) -> str | None:
    try:
        upi_vpa(value or "")
    except InvalidRequest:
        return t("A UPI ID looks like name@bank.")
    return None


def _points_choice(price: Price, redeemable: int, discounted: Price,
                   show_price: Callable[[Price], object]) -> dict[str, int]:
    """The summary's points line, a switch "Use 240 points (−₹24)"; returns the choice (read when paying).
    ``discounted`` is the loyalty service's price, shown before paying; paying sends only the number of points
    and the server computes the discount again."""
    choice = {"points": 0}
    if redeemable <= 0:
        return choice
    saving = format_money(price.total - discounted.total, price.currency)

    def toggle(on: bool) -> None:
        choice["points"] = redeemable if on else 0
        show_price(discounted if on else price)

    with ui.row().classes("w-full items-center justify-between gap-2 rounded-lg bg-amber-500/10 px-3 py-2"):
        ui.switch(t("Use {n} points (−{money})", n=redeemable, money=saving),
                  on_change=lambda e: toggle(bool(e.value))).props("dense color=amber").classes("text-white").mark(
            "use-points")
        ui.label(t("New total {total}", total=format_money(discounted.total, price.currency))).classes(
            "text-amber-300 text-sm").mark("points-new-total")
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
    # Short: the field is narrow, and a longer hint ran into the demo note below it.
    return None if re.fullmatch(r"\d{3,4}", (value or "").strip()) else t("3 or 4 digits")


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
