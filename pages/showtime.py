"""A showtime: which show this is, the other shows of the film here, and the live seat map with its summary."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import suppress
from itertools import groupby
from urllib.parse import quote

from nicegui import app, background_tasks, ui

from components.booking_summary import BookingSummary
from components.frame import frame
from components.heading import page_title
from components.movie_card import poster_img
from components.page import page
from components.seat_grid import SeatGrid
from components.seat_selection import SeatSelection, Selection
from components.service_call import call
from components.session import current_user
from components.ticket_picker import TicketPicker, parse_tickets_query
from pages.waitlist_panel import waitlist_panel
from services.booking.models import SeatMap
from services.booking.rules import on_sale
from services.catalog.models import Movie, Screen, Showtime, Theater
from services.container import Services
from services.errors import DomainError, ShowClosed
from services.formatting import day_month, day_name, format_money, show_clock, show_time
from services.i18n import t, tn

PICK_KEY = "pick_before_login"
LEAVE_KEY = "seat_page:"  # + holder:showtime: the newest page of that customer showing that show (client id)


def register(services: Services) -> None:
    @page("/showtime/{showtime_id}")
    async def showtime_page(showtime_id: str, tickets: str = "") -> None:
        user = current_user()
        async with frame(services.catalog, services.mailbox, wide=True):
            try:
                showtime = await call(services.catalog.showtime, showtime_id)
                movie = await call(services.catalog.movie, showtime.movie_id)
                theater = await call(services.catalog.theater, showtime.theater_id)
            except DomainError:
                _message(t("We could not find that show."), t("See what's playing"), "/")
                return
            screen = theater.screen(showtime.screen_id)
            _header(movie, theater, screen, showtime)
            others = await call(services.catalog.upcoming_for_movie, movie.movie_id, theater.city)
            _show_strip(services, showtime, [s for s in others if s.theater_id == theater.theater_id])
            try:
                services.inventory.ensure_on_sale(showtime)
            except ShowClosed as exc:
                _message(exc.message, t("Pick another show"), f"/movie/{movie.movie_id}")
                return
            holder = user.user_id if user else None
            seat_map = await call(services.inventory.seat_map, showtime_id, holder)
            await waitlist_panel(services, showtime, seat_map, user)
            start = parse_tickets_query(tickets)
            if not start and holder and seat_map.my_hold_id and showtime.has_ticket_types:
                # Back from checkout with a mixed order: its standing tickets are shown as chosen.
                with suppress(DomainError):
                    mine = await call(services.inventory.get_hold, seat_map.my_hold_id, holder)
                    start = {line.type_id: line.quantity for line in mine.tickets}
            await _seat_picker(services, showtime, seat_map, holder, start)


async def _seat_picker(services: Services, showtime: Showtime, seat_map: SeatMap, holder: str | None,
                       start_tickets: dict[str, int]) -> None:
    currency = services.settings.currency
    layout = seat_map.layout
    prices = [(c.name, showtime.prices[c.code]) for c in layout.categories if c.code in showtime.prices]

    async def reload() -> SeatMap:
        return await call(services.inventory.seat_map, showtime.showtime_id, holder)

    # The grid and the summary call the selection, which needs both: late-bound through these.
    async def pick(seat_id: str, code: str) -> None:
        await selection.pick(seat_id, code)

    async def clear() -> None:
        await selection.clear()

    async def expired() -> None:
        await selection.refresh()

    async def extend() -> None:
        if await selection.extend():
            summary.extended()

    async def to_checkout() -> None:  # seats alone, or with standing tickets (a mixed performance)
        wanted = standing.wanted if standing is not None else {}
        if not wanted:
            _to_checkout(selection, leaving)
            return
        if holder is None:
            _ask_to_log_in(showtime.showtime_id, [])
            return
        seats = list(selection.hold.seat_ids) if selection.hold else []
        try:  # the seats on the map and the standing tickets become one hold: one checkout, one booking
            placed = await call(services.events.quotas.hold, showtime.showtime_id, wanted, holder, seats)
        except DomainError as exc:
            ui.notify(exc.message, type="warning", multi_line=True)
            return
        leaving["to_checkout"] = True
        ui.navigate.to(f"/checkout/{placed.hold_id}")

    with ui.row().classes("w-full gap-6 items-start flex-nowrap max-lg:flex-col max-lg:pb-28"):
        with ui.column().classes("mm-surface flex-1 min-w-0 w-full p-2 sm:p-5 gap-3"):
            grid = SeatGrid(
                seat_map, currency=currency, hub=services.live, reload=reload,
                on_pick=pick,
            ).classes("w-full")
            # A mixed performance (events): standing tickets beside the map, in the same order as the seats.
            standing = await _standing(services, showtime, start_tickets, to_checkout,
                                       lambda text: summary.set_extra(text),  # noqa: PLW0108 (built below)
                                       ) if showtime.has_ticket_types else None
        summary = BookingSummary(
            currency, prices, max_seats=services.settings.max_seats_per_booking,
            on_continue=to_checkout, on_clear=clear, on_expired=expired,
            on_extend=extend, warn_seconds=services.settings.hold_extend_window_seconds,
            extension_minutes=services.settings.hold_extension_minutes,
        )
    if standing is not None:  # standing tickets chosen on the event page already
        summary.set_extra(_standing_text(standing, currency, added=True))

    def changed(current: Selection) -> None:
        # A mixed order (standing tickets too) is not kept longer: InventoryService.extend says why.
        summary.allow_extension(current.hold is None or not (current.hold.extended or current.hold.tickets))
        summary.show(current.quote, current.seconds_left(services.clock.now().timestamp()))

    selection = SeatSelection(
        services.inventory, services.pricing, services.clock, showtime, holder, grid, on_change=changed,
        on_login_needed=lambda seat_id: _ask_to_log_in(showtime.showtime_id, [seat_id]),
        # A mixed order's release gives its standing tickets back too (QuotaService.release does both).
        release=services.events.quotas.release if showtime.has_ticket_types else None,
    )
    with grid:
        _best_seats(selection)
    leaving = _release_on_leave(services, showtime.showtime_id, selection)
    await selection.resume()
    picked = _take_pick(showtime.showtime_id) if holder else None
    if picked:
        await selection.choose(picked)


async def _standing(services: Services, showtime: Showtime, start: dict[str, int],
                    go: Callable[[], Awaitable[None]], tell: Callable[[str], None]) -> TicketPicker:
    """The standing (general-admission) ticket types of a mixed performance, with their own way to checkout
    (the summary beside the map prices only seats, and is hidden on phones until a seat is picked); ``tell``
    hands the summary what the seats' order will also hold."""
    types = await call(services.events.quotas.ticket_types, showtime.showtime_id)
    currency = services.settings.currency
    with ui.column().classes("w-full gap-2 border-t border-white/10 pt-3").mark("standing-tickets"):
        ui.label(t("Standing tickets")).classes("text-white font-bold")
        ui.label(t("Add standing tickets to your seats: one order, one payment.")).classes("mm-muted text-sm")
        picker = TicketPicker(types, services.clock.now(), currency, start=start,
                              on_change=lambda: refresh())  # noqa: PLW0108 (refresh is defined below)
        with ui.row().classes("w-full items-center justify-between gap-3"):
            total = ui.label().classes("text-white font-bold").mark("standing-total")
            button = ui.button(t("Continue"), icon="arrow_forward", on_click=go).props(
                "unelevated no-caps").mark("standing-continue")

    def refresh(initial: bool = False) -> None:
        total.set_text(_standing_text(picker, currency))
        button.set_visibility(picker.count > 0)
        if not initial:  # the summary is built after this panel: the page tells it first (_seat_picker)
            tell(_standing_text(picker, currency, added=True))

    refresh(initial=True)
    return picker


def _standing_text(picker: TicketPicker, currency: str, *, added: bool = False) -> str:
    """"2 standing tickets · ₹2,998" ("+ ..." beside the seats in the summary); "" when none are chosen."""
    if not picker.count:
        return ""
    text = tn("{n} standing ticket · {amount}", "{n} standing tickets · {amount}", picker.count,
              amount=format_money(picker.amount, currency))
    return f"+ {text}" if added else text


def _best_seats(selection: SeatSelection) -> None:
    """"Best N seats together": chips on wide screens, one menu button on phones (room for the zoom)."""
    with ui.row().classes("items-center gap-1.5 flex-nowrap max-sm:hidden").props(
        f'role="group" aria-label="{t("Best seats together")}"'
    ):
        ui.label(t("Best seats for")).classes("mm-muted text-sm mr-1 whitespace-nowrap")
        for count in range(1, 7):
            ui.button(str(count), on_click=lambda n=count: selection.suggest(n)).props(
                f'outline round dense no-caps aria-label="{t("Pick the best {n} seats together", n=count)}"'
            ).classes("w-9 h-9 text-white").mark(f"best-{count}")
    with ui.button(t("Best seats"), icon="auto_awesome").props("outline rounded no-caps").classes(
        "sm:hidden text-white h-10"
    ).mark("best-menu"), ui.menu().props("dark").classes("bg-grey-10"):
        for count in range(1, 7):
            ui.menu_item(t("{n} seats together", n=count) if count > 1 else t("1 seat"),
                         on_click=lambda n=count: selection.suggest(n))


def _to_checkout(selection: SeatSelection, leaving: dict[str, bool]) -> None:
    if selection.hold is None:
        ui.notify(t("Pick at least one seat first."), type="warning")
        return
    leaving["to_checkout"] = True  # the seats go with the customer: not released when this page closes
    ui.navigate.to(f"/checkout/{selection.hold.hold_id}")


def _release_on_leave(services: Services, showtime_id: str, selection: SeatSelection) -> dict[str, bool]:
    """Seats go back on sale when the customer leaves the show page or closes the tab, not 8 minutes later.

    NiceGUI deletes a page's client once its browser has been gone longer than the reconnect timeout (a
    closed tab, another page; a short network drop reconnects and keeps it). Not released: on the way to
    checkout, when a newer page of this browser shows the same show (a reload resumes the hold there), and a
    waiting-list offer (``WaitingList.release_on_leave``: the page resumes it, its claim link still needs it).
    Expiry stays the backstop (a crash, a lost connection to this server)."""
    client = ui.context.client
    leaving = {"to_checkout": False}
    if selection.holder is None:
        return leaving
    # Keyed by the holder (never shared between people); in the app's storage so the handler, which runs
    # outside any request, can read it.
    pages = app.storage.general
    key = f"{LEAVE_KEY}{selection.holder}:{showtime_id}"
    pages[key] = client.id

    def left() -> None:
        hold, holder = selection.hold, selection.holder
        if pages.get(key) != client.id:  # a newer page of this customer shows the show (a reload)
            return
        pages.pop(key, None)
        if leaving["to_checkout"] or hold is None or holder is None:
            return
        background_tasks.create(_release(services, hold.hold_id, holder, showtime_id), name="release on leave")

    client.on_delete(left)
    return leaving


async def _release(services: Services, hold_id: str, holder: str, showtime_id: str) -> None:
    with suppress(DomainError):  # booked meanwhile (another tab) or already gone: nothing to give back
        # Through the waiting list: a waiting-list offer's hold stays for its claim link; any other goes back
        # through the quotas (a mixed order's standing tickets with its seats).
        await call(services.engage.waitlist.release_on_leave, hold_id, holder, showtime_id)


def _ask_to_log_in(showtime_id: str, seat_ids: list[str]) -> None:
    back = quote(f"/showtime/{showtime_id}", safe="")
    with ui.dialog() as dialog, ui.card().classes("mm-surface p-6 gap-4 max-w-sm").mark("login-needed"):
        ui.label(t("Log in to pick seats")).classes("mm-title text-xl text-white")
        ui.label(t("We hold your seats while you pay. Log in or create an account; you'll come right back "
                   "to this show with seat {seat} picked.", seat=", ".join(seat_ids))).classes("mm-muted")

        def go(path: str) -> None:
            app.storage.user[PICK_KEY] = {"showtime": showtime_id, "seats": seat_ids}
            ui.navigate.to(f"{path}?next={back}")

        with ui.row().classes("w-full justify-end gap-2"):
            ui.button(t("Sign up"), on_click=lambda: go("/register")).props("flat no-caps").classes("text-white")
            ui.button(t("Log in"), on_click=lambda: go("/login")).props("unelevated no-caps").mark("login-to-pick")
    dialog.open()


def _take_pick(showtime_id: str) -> list[str] | None:
    """Seats picked before logging in (once: a reload or reconnect does not pick them again)."""
    pick = app.storage.user.get(PICK_KEY)
    if not pick:
        return None
    app.storage.user.pop(PICK_KEY, None)
    return list(pick.get("seats", [])) if pick.get("showtime") == showtime_id else None


def _header(movie: Movie, theater: Theater, screen: Screen, showtime: Showtime) -> None:
    with ui.row().classes("w-full items-center gap-4 flex-nowrap"):
        poster_img(movie, priority="low").classes("mm-poster w-14 sm:w-20 h-auto shrink-0").props('aria-hidden="true"')
        with ui.column().classes("gap-1 min-w-0"):
            page_title(movie.title)
            with ui.element("h1").classes("mm-h"):
                ui.link(movie.title, f"/movie/{movie.movie_id}").classes(
                    "mm-title mm-link mm-tap text-2xl sm:text-3xl text-white"
                ).mark("page-title")
            facts = " · ".join(x for x in (movie.certificate, showtime.language, showtime.format) if x)
            ui.label(facts).classes("mm-muted text-sm")
            with ui.row().classes("items-center gap-x-3 gap-y-0 flex-wrap"):
                ui.label(f"{theater.name} · {screen.name}").classes("text-white font-medium")
                ui.label(show_time(showtime)).classes("text-accent font-medium").mark("show-time")


def _show_strip(services: Services, current: Showtime, shows: list[Showtime]) -> None:
    """The film's other shows at this theater: dates, then times of the chosen date."""
    if current.showtime_id not in {s.showtime_id for s in shows}:
        shows = sorted([*shows, current], key=lambda s: s.starts_at)
    now = services.clock.now()
    by_day = {day: list(group) for day, group in groupby(shows, key=lambda s: s.local_date())}
    today = current.local_date()
    # p-1: room inside the scroller for the chips' focus rings (overflow clips what sticks out).
    with ui.row().classes("w-full gap-2 flex-nowrap overflow-x-auto p-1 items-stretch").props(
        f'role="navigation" aria-label="{t("Other shows")}"'
    ).mark("show-strip"):
        for day, day_shows in by_day.items():
            target = next((s for s in day_shows if on_sale(s, now, services.settings)), None)
            selected = day == today
            href = f"/showtime/{target.showtime_id}" if target and not selected else None
            with _chip(href, selected, disabled=target is None and not selected):
                ui.label(day_name(day)).classes("text-[11px] uppercase")
                ui.label(day_month(day)).classes("text-sm font-bold")
        ui.element("div").classes("w-px bg-white/10 mx-1 shrink-0")
        for show in by_day.get(today, []):
            closed = not on_sale(show, now, services.settings)
            selected = show.showtime_id == current.showtime_id
            href = None if closed or selected else f"/showtime/{show.showtime_id}"
            with _chip(href, selected, disabled=closed and not selected):
                ui.label(show_clock(show)).classes("text-sm font-bold")
                ui.label(t("closed") if closed else show.format).classes("text-[11px]")


def _chip(href: str | None, selected: bool, *, disabled: bool) -> ui.element:
    tone = (
        "bg-primary text-white border-primary" if selected
        else "border-white/10 text-white/35" if disabled
        else "border-white/20 text-white hover:bg-white/10"
    )
    classes = f"shrink-0 flex flex-col items-center justify-center px-3 py-1 rounded-xl border no-underline {tone}"
    if href:
        return ui.link(target=href).classes(classes)
    state = 'aria-current="true"' if selected else 'aria-disabled="true"'
    return ui.element("div").classes(classes).props(state)


def _message(text: str, action: str, target: str) -> None:
    with ui.column().classes("mm-surface w-full items-center py-12 gap-3").mark("show-message"):
        ui.icon("event_busy", size="48px").classes("mm-muted")
        ui.label(text).classes("text-lg text-white text-center")
        ui.button(action, on_click=lambda: ui.navigate.to(target)).props("unelevated no-caps")
