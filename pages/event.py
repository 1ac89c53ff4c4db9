"""An event: poster, facts, performers and description; its dates (performances) in the city; the chosen
performance's venue and how it sells: numbered seats (the seat map, as for a film), general-admission ticket
types with their availability and a quantity each, or both (mixed)."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from nicegui import ui

from components.event_card import kind_label
from components.frame import frame
from components.heading import heading
from components.movie_card import poster_img
from components.page import page
from components.service_call import call
from components.session import choose_city, current_city, current_user
from components.ticket_picker import TicketPicker, tickets_query
from services.catalog.models import Movie, Showtime, Theater
from services.container import Services
from services.errors import DomainError, NotFound
from services.events.models import Availability, TicketType
from services.formatting import day_month, day_name, format_money, show_clock, show_time
from services.i18n import t, tn

_BADGES = {
    Availability.FEW_LEFT: ("Few left", "bg-amber-500/20 text-amber-300"),
    Availability.SOLD_OUT: ("Sold out", "bg-white/10 text-white/60"),
    Availability.NOT_YET: ("Not on sale yet", "bg-white/10 text-white/60"),
    Availability.ENDED: ("Sales ended", "bg-white/10 text-white/60"),
}


def register(services: Services) -> None:
    @page("/event/{event_id}")
    async def event_page(event_id: str, city: str = "", show: str = "") -> None:
        cities = await call(services.catalog.cities)
        if city in cities:
            choose_city(city)
        async with frame(services.catalog, services.mailbox):
            chosen_city = current_city(cities)
            try:
                event = await call(services.events.catalog.event, event_id)
            except NotFound:
                _not_found()
                return
            performances = await call(services.events.catalog.performances, event_id, chosen_city)
            elsewhere = not performances
            if elsewhere:  # not in this city: every city's dates, so the page is never a dead end
                performances = await call(services.events.catalog.performances, event_id)
            _hero(event)
            if not performances:
                with ui.column().classes("mm-surface w-full items-center py-10 gap-2").mark("no-performances"):
                    ui.label(t("No upcoming dates for {title}.", title=event.title)).classes("text-white")
                return
            chosen = next((p for p in performances if p.showtime_id == show), performances[0])
            title = t("Dates in other cities") if elsewhere else t("Dates in {city}", city=chosen_city)
            ui.label(title).classes("mm-title text-2xl text-white mt-4")
            _dates(event, performances, chosen, chosen_city)
            venue = await call(services.events.catalog.venue, chosen)
            await _performance(services, event, chosen, venue)


def _not_found() -> None:
    with ui.column().classes("mm-surface w-full items-center py-12 gap-3").mark("not-found"):
        ui.icon("celebration", size="48px").classes("mm-muted")
        ui.label(t("We could not find that event.")).classes("text-lg text-white")
        ui.button(t("See what's on"), on_click=lambda: ui.navigate.to("/")).props("unelevated no-caps")


def _hero(event: Movie) -> None:
    with ui.row().classes("w-full gap-6 flex-nowrap max-sm:flex-col"):
        poster_img(event, "page", alt=t("Poster of {title}", title=event.title), priority="high").classes(
            "mm-poster w-48 sm:w-64 h-auto shrink-0 self-center sm:self-start")
        with ui.column().classes("gap-3 min-w-0"):
            ui.label(kind_label(event.kind)).classes("text-accent text-xs font-bold uppercase tracking-widest")
            heading(event.title).classes("mm-title text-3xl sm:text-5xl text-white").mark("page-title")
            if event.tagline:
                ui.label(event.tagline).classes("text-accent italic")
            with ui.row().classes("items-center gap-2 flex-wrap"):
                duration = f"{event.runtime_min // 60}h {event.runtime_min % 60:02d}m" if event.runtime_min else ""
                for fact in (event.certificate, duration, *event.genres):
                    if fact:
                        ui.label(fact).classes("mm-chip text-white")
            if event.languages:
                ui.label(t("Languages: {languages}", languages=", ".join(event.languages))).classes("mm-muted")
            if event.cast:
                ui.label(t("Performers: {names}", names=", ".join(event.cast))).classes(
                    "text-white text-sm").mark("performers")
            ui.label(event.synopsis).classes("text-base leading-relaxed max-w-3xl text-gray-200")


def _dates(event: Movie, performances: list[Showtime], chosen: Showtime, city: str) -> None:
    with ui.row().classes("gap-2 flex-nowrap overflow-x-auto w-full pb-1").props(
            f'aria-label="{t("Dates")}"').mark("performances"):
        for show in performances:
            selected = show.showtime_id == chosen.showtime_id
            href = f"/event/{event.movie_id}?{urlencode({'city': city, 'show': show.showtime_id})}"
            day = show.local_date()
            with ui.link(target=href).classes("mm-link no-underline shrink-0").props(
                    f'aria-current="{"true" if selected else "false"}"').mark("performance"), ui.column().classes(
                    "items-center gap-0 px-4 py-2 rounded-xl "
                    + ("bg-primary text-white" if selected else "mm-surface text-white")):
                ui.label(day_name(day)).classes("text-xs uppercase")
                ui.label(day_month(day)).classes("text-base font-bold whitespace-nowrap")
                ui.label(show_clock(show)).classes("text-xs")


async def _performance(services: Services, event: Movie, show: Showtime, venue: Theater) -> None:
    with ui.column().classes("mm-surface w-full p-4 sm:p-5 gap-4").mark("performance-panel"):
        with ui.column().classes("gap-1"):
            ui.label(show_time(show, zone_name=True)).classes("text-accent font-medium").mark("performance-time")
            with ui.row().classes("items-center gap-1 flex-nowrap"):
                ui.icon("place", size="18px").classes("mm-muted")
                ui.label(venue.name).classes("font-bold text-white text-lg").mark("venue-name")
            ui.label(venue.address).classes("mm-muted text-sm")
            if venue.map_url:
                ui.link(t("Open map"), venue.map_url, new_tab=True).classes("text-accent text-sm")
        try:
            services.inventory.ensure_on_sale(show)
        except DomainError as exc:
            ui.label(exc.message).classes("text-white").mark("sales-closed")
            return
        if show.has_ticket_types:
            types = await call(services.events.quotas.ticket_types, show.showtime_id)
            _ticket_types(services, event, show, types)
        if show.has_seats:
            with ui.row().classes("w-full items-center justify-between gap-3 border-t border-white/10 pt-3"):
                with ui.column().classes("gap-0"):
                    ui.label(t("Numbered seats")).classes("text-white font-bold")
                    ui.label(t("Pick your seats on the hall's map.")).classes("mm-muted text-sm")
                ui.button(t("Choose seats"), icon="event_seat",
                          on_click=lambda: ui.navigate.to(f"/showtime/{show.showtime_id}")).props(
                    "unelevated no-caps").mark("choose-seats")


def _ticket_types(services: Services, event: Movie, show: Showtime, types: list[TicketType]) -> None:
    currency = services.settings.currency

    with ui.column().classes("w-full gap-2").mark("ticket-types"):
        ui.label(t("General admission") if show.admission == "general" else t("Standing and general admission")
                 ).classes("text-white font-bold")
        # refresh_total is defined below, once the total and the button it updates exist: bound late.
        picker = TicketPicker(types, services.clock.now(), currency,
                              on_change=lambda: refresh_total())  # noqa: PLW0108
        with ui.row().classes("w-full items-center justify-between gap-3 pt-2"):
            total = ui.label().classes("text-white text-lg font-bold").mark("ga-total")
            # A mixed performance: the standing tickets go with the seats picked on the map, one order.
            button = ui.button(t("Continue to seats") if show.has_seats else t("Continue"),
                               icon="arrow_forward").props("unelevated no-caps size=lg").mark("ga-continue")
        error = ui.label().classes("text-negative text-sm font-medium").props('role="alert"').mark("ga-error")
        error.set_visibility(False)

    def refresh_total() -> None:
        count = picker.count
        total.set_text(tn("{n} ticket · {amount}", "{n} tickets · {amount}", count,
                          amount=format_money(picker.amount, currency)) if count else t("Choose how many tickets"))
        button.set_enabled(count > 0)

    async def hold() -> None:
        if show.has_seats:
            ui.navigate.to(f"/showtime/{show.showtime_id}?{urlencode({'tickets': tickets_query(picker.wanted)})}")
            return
        user = current_user()
        back = f"/event/{event.movie_id}?show={quote(show.showtime_id)}"
        if user is None:
            ui.navigate.to(f"/login?next={quote(back, safe='')}")
            return
        button.props("loading")
        try:
            placed = await call(services.events.quotas.hold, show.showtime_id, picker.wanted, user.user_id)
        except DomainError as exc:
            error.set_text(exc.message)
            error.set_visibility(True)
            button.props(remove="loading")
            return
        ui.navigate.to(f"/checkout/{placed.hold_id}")

    button.on_click(hold)
    refresh_total()
