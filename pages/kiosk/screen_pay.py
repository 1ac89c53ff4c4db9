"""Paying at the kiosk: the order, an optional e-ticket address on the on-screen keyboard, and the card
terminal ("tap or insert card"). Declined or no card: retry or cancel; cancelling releases the seats."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from nicegui import background_tasks, ui

from components.kiosk.keypads import EmailKeyboard
from components.service_call import call
from pages.kiosk.controller import KioskController
from pages.kiosk.screens_browse import _movie_header, _reach
from services.booking.pricing import Quote
from services.errors import HoldExpired, InvalidRequest, NotFound, PaymentDeclined, ShowClosed
from services.i18n import t
from services.money import format_money

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
    quote = services.pricing.quote(visit.showtime, services.catalog.layout_of(visit.showtime), hold.seat_ids)
    main, foot = ctx.show("pay")
    _reach(main)
    with main:
        _movie_header(visit.movie, visit.showtime)
        with ui.element("div").classes("k-split flex flex-1 min-h-0 w-full gap-6"):
            with ui.column().classes("k-card flex-1 p-6 gap-3 min-w-0"):
                _order(quote)
                email_label = ui.label().classes("k-muted").mark("email-shown")
                ui.button(t("Email me the ticket (optional)"), icon="mail",
                          on_click=ctx.act(lambda: _ask_email(ctx, refresh_email))).props(
                    "outline no-caps").classes("text-white w-full").mark("ask-email")
            terminal_box = ui.column().classes("k-side k-card p-6 gap-5 items-center text-center shrink-0").mark(
                "terminal")

    def refresh_email() -> None:
        email = ctx.visit.email if ctx.visit else ""
        email_label.set_text(t("E-ticket to {email}", email=email) if email else t("No e-ticket: print it or take a photo."))

    refresh_email()
    session = visit.checkout_id
    state: dict[str, Callable[[], Awaitable[None]]] = {}

    async def tick() -> None:
        if "poll" in state:
            await state["poll"]()

    with main:  # outside the terminal box, which is rebuilt while this timer's poll runs
        poller = ui.timer(POLL_SECONDS, ctx.act(tick), active=False)

    def stop_polling() -> None:
        ctx.busy_until_touch = False
        poller.active = False  # not cancelled: that would also end the poll that calls this

    def ask_for_card() -> None:
        services.terminal.request(session, quote.price.total, quote.price.currency)
        ctx.busy_until_touch = True
        terminal_box.clear()
        with terminal_box:
            ui.icon("contactless", size="120px").classes("text-accent k-pulse rounded-full")
            ui.label(t("Tap, insert or swipe your card")).classes("text-[1.4em] font-bold text-white")
            ui.label(t("Pay {total} on the card terminal below this screen.",
                       total=format_money(quote.price.total, quote.price.currency))).classes("k-sub")
            countdown = ui.label().classes("k-muted").mark("terminal-countdown")
            if services.terminal.is_demo:
                _demo_cards(ctx, session)
        stop_polling()
        ctx.busy_until_touch = True

        async def poll() -> None:
            reading = await call(services.terminal.poll, session)
            if reading.state == "waiting":
                countdown.set_text(t("Waiting for your card… {n} s", n=reading.seconds_left))
            elif reading.state == "card" and reading.payment is not None:
                stop_polling()
                await charge(reading.payment)
            elif reading.state in ("timed_out", "cancelled", "idle"):
                stop_polling()
                problem(t("No card was presented."), t("Try again when your card is ready."), retry=True)

        state["poll"] = poll
        poller.active = True

    async def charge(payment: object) -> None:
        terminal_box.clear()
        with terminal_box:
            ui.spinner(size="96px", color="accent")
            ui.label(t("Processing your payment…")).classes("text-[1.3em] font-bold text-white").mark("processing")
        v = ctx.visit
        if v is None:
            return
        try:
            booking = await ctx.run(services.kiosk_sales.sell, ctx.kiosk, v.hold_id or "", v.checkout_id,
                                    payment, v.email)  # type: ignore[arg-type]
        except PaymentDeclined as exc:
            problem(t("Your card was declined."), exc.message, retry=True)
            return
        except (HoldExpired, ShowClosed, NotFound, InvalidRequest) as exc:
            problem(t("We could not complete this sale."), exc.message, retry=False)
            return
        v.booking = booking
        ctx.remember_hold(None)
        from pages.kiosk.screen_ticket import ticket

        # In a task of its own: showing the ticket deletes this screen's poll timer, whose task runs this.
        background_tasks.create(ctx.act(ticket)(ctx), name="kiosk ticket")

    def problem(title: str, detail: str, *, retry: bool) -> None:
        terminal_box.clear()
        with terminal_box:
            ui.icon("credit_card_off", size="110px").classes("text-negative")
            ui.label(title).classes("text-[1.4em] font-bold text-white").mark("pay-problem")
            ui.label(detail).classes("k-sub")
            if retry:
                ui.button(t("Try again"), icon="refresh", on_click=ctx.act(ask_for_card)).props(
                    "unelevated no-caps").classes("k-big w-full").mark("pay-retry")
            else:
                from pages.kiosk.screen_seats import seats

                ui.button(t("Choose seats again"), on_click=ctx.act(lambda: seats(ctx))).props(
                    "unelevated no-caps").classes("k-big w-full").mark("choose-again")
            ui.button(t("Cancel and release my seats"), icon="close",
                      on_click=ctx.act(lambda: ctx.end_visit("cancel"))).props("outline no-caps").classes(
                "k-big w-full text-white").mark("pay-cancel")

    async def back() -> None:
        stop_polling()
        services.terminal.cancel(session)
        from pages.kiosk.screen_seats import seats

        await seats(ctx)

    with foot:
        ui.button(t("Back"), icon="arrow_back", on_click=ctx.act(back)).props("outline no-caps").classes(
            "k-big text-white").mark("kiosk-back")
        ui.space()
        ui.button(t("Cancel"), icon="close", on_click=ctx.act(lambda: ctx.end_visit("cancel"))).props(
            "flat no-caps").classes("k-big text-white").mark("kiosk-start-over")
    ask_for_card()


def _order(quote: Quote) -> None:
    money = lambda minor: format_money(minor, quote.price.currency)  # noqa: E731
    with ui.column().classes("w-full gap-2").mark("kiosk-order"):
        ui.label(t("Seats {seats}", seats=", ".join(s.seat_id for s in quote.seats))).classes(
            "text-[1.3em] font-bold text-accent")
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
    with ui.column().classes("w-full gap-2 border border-dashed border-white/25 rounded-2xl p-3 mt-2"):
        ui.label(t("Demo terminal")).classes("k-muted text-[.8em] uppercase tracking-widest")
        with ui.row().classes("w-full gap-2 flex-nowrap"):
            ui.button(t("Tap card"), icon="contactless",
                      on_click=ctx.act(lambda: terminal.present(session, "approve"))).props(  # type: ignore[attr-defined]
                "unelevated no-caps").classes("flex-1 bg-positive text-white").mark("demo-approve")
            ui.button(t("Tap declined card"), icon="block",
                      on_click=ctx.act(lambda: terminal.present(session, "decline"))).props(  # type: ignore[attr-defined]
                "unelevated no-caps").classes("flex-1 bg-[#3a2a38] text-white").mark("demo-decline")


def _ask_email(ctx: KioskController, refresh: object) -> None:
    if ctx.visit is None:
        return
    with ctx.root, ui.dialog() as dialog, ui.card().classes("k-card w-[92vw] max-w-[1100px] p-6 gap-4").mark(
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
