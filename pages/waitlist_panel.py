"""The showtime page's waiting list (issue 15): when a show has fewer free seats than a group may need,
join its list with how many seats; see your place, your offer's claim link, or leave."""

from __future__ import annotations

from nicegui import ui

from components.service_call import call
from services.accounts.users import User
from services.booking.models import SeatMap, SeatState
from services.catalog.models import Showtime
from services.container import Services
from services.engage.waitlist import offer_expires
from services.errors import DomainError
from services.formatting import clock_time
from services.i18n import t


async def waitlist_panel(services: Services, showtime: Showtime, seat_map: SeatMap, user: User | None) -> None:
    free = sum(1 for seat in seat_map.seats if seat.status == SeatState.AVAILABLE)
    most = services.settings.max_seats_per_booking
    if free >= most:
        return  # any group fits: nothing to wait for
    waitlist = services.engage.waitlist

    @ui.refreshable
    async def panel() -> None:
        with ui.column().classes("mm-surface w-full p-4 gap-2").mark("waitlist"):
            ui.label(t("Sold out") if free == 0 else t("Only {n} seats left", n=free)).classes(
                "font-bold text-white text-lg")
            if user is None:
                ui.link(t("Log in to join the waiting list"),
                        f"/login?next=/showtime/{showtime.showtime_id}").classes("text-accent")
                return
            mine = await call(waitlist.mine, user, showtime.showtime_id)
            if mine is not None and mine.status == "offered":
                until = offer_expires(mine)
                ui.label(t("Seats are waiting for you until {time}.", time=clock_time(until, showtime.timezone)
                           if until else "")).classes("text-positive").mark("waitlist-offer")
                ui.button(t("Claim your seats"), on_click=lambda: ui.navigate.to(f"/checkout/{mine.hold_id}")).props(
                    "unelevated no-caps").mark("waitlist-claim")
                return
            if mine is not None:
                seats = t("1 seat") if mine.seats == 1 else t("{n} seats", n=mine.seats)
                ui.label(t("You are number {n} on the waiting list ({seats}). We email you when seats free up.",
                           n=mine.position, seats=seats)).classes("text-white").mark("waitlist-place")
                ui.button(t("Leave the waiting list"), on_click=leave).props("flat no-caps").mark("waitlist-leave")
                return
            ui.label(t("Join the waiting list: when seats free up, the first in line whose group fits gets them "
                       "held, with an email to claim them.")).classes("mm-muted text-sm")
            with ui.row().classes("items-center gap-3"):
                count = ui.select({n: t("{n} seats", n=n) if n > 1 else t("1 seat") for n in range(free + 1, most + 1)},
                                  value=free + 1).props(f'dense outlined dark aria-label="{t("Seats")}"').classes(
                    "w-32").mark("waitlist-seats")
                ui.button(t("Join the waiting list"), on_click=lambda: join(int(count.value))).props(
                    "unelevated no-caps").mark("waitlist-join")

    async def join(seats: int) -> None:
        assert user is not None
        try:
            await call(waitlist.join, user, showtime.showtime_id, seats)
        except DomainError as exc:
            ui.notify(exc.message, type="negative")
            return
        panel.refresh()

    async def leave() -> None:
        assert user is not None
        try:
            await call(waitlist.leave, user, showtime.showtime_id)
        except DomainError as exc:
            ui.notify(exc.message, type="negative")
        panel.refresh()

    await panel()
