"""Paying at the kiosk: the order, an optional e-ticket address on the on-screen keyboard, and the card
terminal ("tap or insert card"). Declined or no card: retry or cancel; cancelling releases the seats."""

from __future__ import annotations

from nicegui import background_tasks, ui

from components.kiosk.keypads import EmailKeyboard
from components.service_call import call
from pages.kiosk.controller import KioskController
from pages.kiosk.screens_browse import _movie_header, _reach
from services.booking.bookings import quote_hold
from services.booking.payments import CardPayment
from services.booking.pricing import Quote
from services.errors import HoldExpired, InvalidRequest, NotFound, PaymentDeclined, ShowClosed
from services.formatting import format_money
from services.i18n import t
from services.notify.messages import seat_groups

POLL_SECONDS = 0.4


async def pay(ctx: KioskController) -> None:
    visit = ctx.visit
    if visit is None or visit.hold_id is None or visit.showtime is None or visit.movie is None:
        return
    services = ctx.services
    try:
        hold = await ctx.run(services.inventory.get_hold, visit.hold_id, visit.checkout_id)
    except (NotFound, HoldExpired) as exc:
        ui.notify(exc.message, type="warning")
        return
    if not hold.is_live(services.clock.now()):
        ui.notify(t("Your hold on these seats has expired. Please choose your seats again."), type="warning")
        return
    # The one way a hold is priced (seats at the show's prices, standing tickets as held); may read DynamoDB.
    quote = await ctx.run(quote_hold, services.catalog, services.pricing, hold)
    PayScreen(ctx, quote).ask_for_card()


class PayScreen:
    """The order on one side, the terminal's state on the other: waiting, processing, or a problem."""

    def __init__(self, ctx: KioskController, quote: Quote) -> None:
        self.ctx = ctx
        self.quote = quote
        visit = ctx.visit
        assert visit is not None and visit.movie is not None
        self.session = visit.checkout_id
        main, foot = ctx.show("pay")
        _reach(main)
        with main:
            _movie_header(visit.movie, visit.showtime)
            with ui.element("div").classes("k-split k-top-auto"):
                with ui.column().classes("k-card flex-1 p-6 gap-3 min-w-0"):
                    _order(quote)
                    self.email_label = ui.label().classes("k-muted").mark("email-shown")
                    ui.button(t("Email me the ticket (optional)"), icon="mail",
                              on_click=ctx.act(lambda: _ask_email(ctx, self.show_email))).props(
                        "outline no-caps").classes("text-white w-full").mark("ask-email")
                self.box = ui.column().classes(
                    "k-side k-card k-terminal p-6 gap-4 items-center text-center min-h-0 overflow-y-auto").mark(
                    "terminal")
            # Outside the terminal box, which is rebuilt while this timer's poll runs.
            self.poller = ui.timer(POLL_SECONDS, ctx.act(self.poll), active=False)
        with foot:
            ui.button(t("Back"), icon="arrow_back", on_click=ctx.act(self.back)).props("outline no-caps").classes(
                "k-big text-white").mark("kiosk-back")
            ui.space()
            ui.button(t("Cancel"), icon="close", on_click=ctx.act(lambda: ctx.end_visit("cancel"))).props(
                "flat no-caps").classes("k-big text-white").mark("kiosk-start-over")
        self.show_email()

    def show_email(self) -> None:
        email = self.ctx.visit.email if self.ctx.visit else ""
        self.email_label.set_text(t("E-ticket to {email}", email=email) if email
                                  else t("No e-ticket: print it or take a photo."))

    def stop_polling(self) -> None:
        self.ctx.busy_until_touch = False
        self.poller.active = False  # not cancelled: that would also end the poll that calls this

    def ask_for_card(self) -> None:
        services, price = self.ctx.services, self.quote.price
        services.terminal.request(self.session, price.total, price.currency)
        self.box.clear()
        with self.box:
            ui.icon("contactless", size="96px").classes("text-accent k-pulse rounded-full mt-2")
            ui.label(t("Tap, insert or swipe your card")).classes("text-[1.4em] font-bold text-white")
            ui.label(t("Pay {total} on the card terminal below this screen.",
                       total=format_money(price.total, price.currency))).classes("k-sub")
            self.countdown = ui.label().classes("k-muted").mark("terminal-countdown")
            if services.terminal.is_demo:
                _demo_cards(self.ctx, self.session)
        self.ctx.busy_until_touch = True  # looking for a card is not walking away
        self.poller.active = True

    async def poll(self) -> None:
        reading = await call(self.ctx.services.terminal.poll, self.session)
        if reading.state == "waiting":
            self.countdown.set_text(t("Waiting for your card… {n} s", n=reading.seconds_left))
        elif reading.state == "card" and reading.payment is not None:
            self.stop_polling()
            await self.charge(reading.payment)
        else:  # timed out, or cancelled elsewhere
            self.stop_polling()
            self.problem(t("No card was presented."), t("Try again when your card is ready."), retry=True)

    async def charge(self, payment: CardPayment) -> None:
        self.box.clear()
        with self.box:
            ui.spinner(size="96px", color="accent")
            ui.label(t("Processing your payment…")).classes("text-[1.3em] font-bold text-white").mark("processing")
        ctx, visit = self.ctx, self.ctx.visit
        if visit is None:
            return
        try:
            booking = await ctx.run(ctx.services.kiosk_sales.sell, ctx.kiosk, visit.hold_id or "",
                                    visit.checkout_id, payment, visit.email)
        except PaymentDeclined as exc:
            self.problem(t("Payment not approved"), exc.message, retry=True)
            return
        except (HoldExpired, ShowClosed, NotFound, InvalidRequest) as exc:
            self.problem(t("We could not complete this sale."), exc.message, retry=False)
            return
        visit.booking = booking
        ctx.remember_hold(None)
        from pages.kiosk.screen_ticket import ticket

        # In a task of its own: showing the ticket deletes this screen's poll timer, whose task runs this.
        background_tasks.create(ctx.act(ticket)(ctx), name="kiosk ticket")

    def problem(self, title: str, detail: str, *, retry: bool) -> None:
        ctx = self.ctx
        self.box.clear()
        with self.box:
            ui.icon("credit_card_off", size="96px").classes("text-negative mt-2")
            ui.label(title).classes("text-[1.4em] font-bold text-white").mark("pay-problem")
            ui.label(detail).classes("k-sub")
            if retry:
                ui.button(t("Try again"), icon="refresh", on_click=ctx.act(self.ask_for_card)).props(
                    "unelevated no-caps").classes("k-big w-full").mark("pay-retry")
            else:
                standing = ctx.visit is not None and ctx.visit.showtime is not None and not ctx.visit.showtime.has_seats
                ui.button(t("Choose tickets again") if standing else t("Choose seats again"),
                          on_click=ctx.act(lambda: _choose_again(ctx))).props(
                    "unelevated no-caps").classes("k-big w-full").mark("choose-again")
            ui.button(t("Cancel and release my seats"), icon="close",
                      on_click=ctx.act(lambda: ctx.end_visit("cancel"))).props("outline no-caps").classes(
                "k-big w-full text-white").mark("pay-cancel")

    async def back(self) -> None:
        self.stop_polling()
        self.ctx.services.terminal.cancel(self.session)
        await _choose_again(self.ctx)


async def _choose_again(ctx: KioskController) -> None:
    """Back to where the order was chosen: the seat map, or the standing tickets' quantities."""
    show = ctx.visit.showtime if ctx.visit is not None else None
    if show is not None and not show.has_seats:
        from pages.kiosk.screen_standing import standing

        await standing(ctx, show)
        return
    from pages.kiosk.screen_seats import seats

    await seats(ctx)


def _order(quote: Quote) -> None:
    money = lambda minor: format_money(minor, quote.price.currency)  # noqa: E731
    with ui.column().classes("w-full gap-2").mark("kiosk-order"):
        numbered = [s.seat_id for s in quote.seats if s.is_seat]
        if numbered:
            ui.label(t("Seats {seats}", seats=", ".join(numbered))).classes("text-[1.3em] font-bold text-accent")
        for name, ids, _price in seat_groups(s for s in quote.seats if not s.is_seat):  # standing tickets
            ui.label(f"{len(ids)} × {name}").classes("text-[1.3em] font-bold text-accent").mark("order-standing")
        for name, amount in ((t("Tickets"), quote.price.subtotal), (t("Convenience fee"), quote.price.fee),
                             (t("Taxes"), quote.price.tax)):
            with ui.row().classes("w-full justify-between"):
                ui.label(name).classes("k-muted")
                ui.label(money(amount)).classes("text-white")
        with ui.row().classes("w-full justify-between items-baseline border-t border-white/10 pt-2"):
            ui.label(t("Total")).classes("text-[1.3em] font-bold text-white")
            ui.label(money(quote.price.total)).classes("text-[1.3em] font-bold text-white").mark("kiosk-total")


def _demo_cards(ctx: KioskController, session: str) -> None:
    """The demo terminal has no hardware: these stand for the customer's card on its reader."""
    terminal = ctx.services.terminal
    with ui.column().classes("w-full gap-2 border border-dashed border-white/25 rounded-2xl p-3 mt-auto"):
        ui.label(t("Demo terminal")).classes("k-muted text-[.8em] uppercase tracking-widest")
        with ui.element("div").classes("w-full grid grid-cols-2 gap-2"):
            ui.button(t("Tap card"), icon="contactless", color="positive",
                      on_click=ctx.act(lambda: terminal.present(session, "approve"))).props(  # type: ignore[attr-defined]
                "unelevated no-caps").mark("demo-approve")
            ui.button(t("Tap declined card"), icon="block", color=None,
                      on_click=ctx.act(lambda: terminal.present(session, "decline"))).props(  # type: ignore[attr-defined]
                "unelevated no-caps").classes("k-soft-red").mark("demo-decline")


def _ask_email(ctx: KioskController, refresh: object) -> None:
    if ctx.visit is None:
        return
    with ctx.root, ui.dialog() as dialog, ui.card().classes("k-dialog w-[92vw] max-w-[1100px] p-6 gap-4").mark(
        "email-dialog"
    ):
        ui.label(t("Your email for the e-ticket")).classes("text-[1.3em] font-bold text-white")
        error = ui.label().classes("text-negative").mark("email-error")

        async def done(value: str) -> None:
            try:
                email = ctx.services.kiosk_sales.check_email(value)
            except InvalidRequest as exc:
                error.set_text(exc.message)
                return
            if ctx.visit is not None:
                ctx.visit.email = email
            refresh()  # type: ignore[operator]
            dialog.close()

        EmailKeyboard(ctx.visit.email, ctx.act(done), on_key=ctx.touch)
        ui.button(t("No e-ticket"), on_click=ctx.act(lambda: done(""))).props("flat no-caps").classes(
            "text-white self-end").mark("no-email")
    dialog.open()
