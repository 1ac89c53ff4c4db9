"""A movie: poster, facts, synopsis, and its upcoming shows in the city grouped by date and theater."""

from __future__ import annotations

from datetime import date, datetime
from itertools import groupby

from nicegui import ui

from components.frame import frame
from components.heading import heading
from components.movie_card import audience_text, poster_img
from components.page import page
from components.service_call import call
from components.session import choose_city, current_city
from pages.movie_reviews import reviews_section
from services.booking.availability import Fullness, ShowAvailability
from services.booking.rules import on_sale
from services.catalog.models import Movie, Showtime, Theater
from services.container import Services
from services.engage.reviews import RatingSummary
from services.formatting import day_name, format_money, month_name, show_clock
from services.i18n import t


def register(services: Services) -> None:
    @page("/movie/{movie_id}")
    async def movie_page(movie_id: str, city: str = "", date: str = "") -> None:
        cities = await call(services.catalog.cities)
        if city in cities:
            choose_city(city)
        async with frame(services.catalog, services.mailbox):
            chosen_city = current_city(cities)
            try:
                movie = await call(services.catalog.movie, movie_id)
            except Exception:
                _not_found()
                return
            if movie.is_event:  # an event's listing has its own page (dates, venues, ticket types)
                ui.navigate.to(f"/event/{movie_id}")
                return
            showtimes = await call(services.catalog.upcoming_for_movie, movie_id, chosen_city)
            theaters = {theater.theater_id: theater for theater in services.catalog.theaters_in(chosen_city)}
            audience = await call(services.engage.reviews.summary, movie_id)
            _hero(movie, audience)
            await _schedule(services, movie, showtimes, theaters, chosen_city, date)
            await reviews_section(services, movie)


def _not_found() -> None:
    with ui.column().classes("mm-surface w-full items-center py-12 gap-3").mark("not-found"):
        ui.icon("movie", size="48px").classes("mm-muted")
        ui.label(t("We could not find that movie.")).classes("text-lg text-white")
        ui.button(t("See what's playing"), on_click=lambda: ui.navigate.to("/")).props("unelevated no-caps")


def _hero(movie: Movie, audience: RatingSummary) -> None:
    with ui.row().classes("w-full gap-6 flex-nowrap max-sm:flex-col"):
        poster_img(movie, "page", alt=t("Poster of {title}", title=movie.title), priority="high").classes(
            "mm-poster w-48 sm:w-64 h-auto shrink-0 self-center sm:self-start")
        with ui.column().classes("gap-3 min-w-0"):
            heading(movie.title).classes("mm-title text-3xl sm:text-5xl text-white").mark("page-title")
            if movie.tagline:
                ui.label(movie.tagline).classes("text-accent italic")
            with ui.row().classes("items-center gap-2 flex-wrap"):
                with ui.row().classes("items-center gap-1").mark("critics-rating"):
                    ui.icon("star", size="20px").classes("text-accent")
                    ui.label(t("Critics")).classes("mm-muted text-sm")
                    ui.label(f"{movie.rating:.1f}/10").classes("font-bold text-white")
                    ui.label(t("({votes} votes)", votes=f"{movie.votes:,}")).classes("mm-muted text-sm")
                if audience_text(audience):
                    with ui.row().classes("items-center gap-1").mark("audience-rating"):
                        ui.icon("groups", size="20px").classes("text-accent")
                        ui.label(t("Audience")).classes("mm-muted text-sm")
                        ui.label(audience_text(audience)).classes("font-bold text-white")
                for fact in (movie.certificate, _runtime(movie.runtime_min), *movie.genres):
                    ui.label(fact).classes("mm-chip text-white")
            ui.label(t("Languages: {languages}", languages=", ".join(movie.languages))).classes("mm-muted")
            ui.label(movie.synopsis).classes("text-base leading-relaxed max-w-3xl text-gray-200")
            if movie.director:
                ui.label(t("Director: {name}", name=movie.director)).classes("mm-muted text-sm")
            if movie.cast:
                ui.label(t("Cast: {names}", names=", ".join(movie.cast))).classes("mm-muted text-sm")


def _runtime(minutes: int) -> str:
    return f"{minutes // 60}h {minutes % 60:02d}m"


async def _schedule(
    services: Services, movie: Movie, showtimes: list[Showtime], theaters: dict[str, Theater], city: str, chosen: str
) -> None:
    ui.label(t("Showtimes in {city}", city=city)).classes("mm-title text-2xl text-white mt-4")
    if not showtimes:
        with ui.column().classes("mm-surface w-full items-center py-10 gap-2").mark("no-shows"):
            ui.label(t("No upcoming shows of {title} in {city}.", title=movie.title, city=city)).classes("text-white")
            ui.label(t("Try another city from the menu at the top.")).classes("mm-muted")
        return
    days = sorted({showtime.local_date() for showtime in showtimes})
    selected = _selected_day(chosen, days)
    with ui.row().classes("gap-2 flex-nowrap overflow-x-auto w-full pb-1").props(f'aria-label="{t("Date")}"'):
        for day in days:
            href = f"/movie/{movie.movie_id}?city={city}&date={day.isoformat()}"
            with (
                ui.link(target=href)
                .classes("mm-link no-underline shrink-0")
                .props(f'aria-current="{"date" if day == selected else "false"}"'), ui.column().classes(
                "items-center gap-0 px-4 py-2 rounded-xl "
                + ("bg-primary text-white" if day == selected else "mm-surface text-white")
            )
            ):
                ui.label(day_name(day)).classes("text-xs uppercase")
                ui.label(str(day.day)).classes("text-xl font-bold")
                ui.label(month_name(day)).classes("text-xs")
    todays = [showtime for showtime in showtimes if showtime.local_date() == selected]
    now = services.clock.now()
    availability = await call(services.availability.for_shows, todays)
    with ui.column().classes("w-full gap-3").mark("showtimes"):
        for theater_id, group in groupby(
            sorted(todays, key=lambda s: (s.theater_id, s.starts_at)), lambda s: s.theater_id
        ):
            theater = theaters.get(theater_id)
            if theater is not None:
                _theater_row(services, theater, list(group), now, availability)


def _selected_day(chosen: str, days: list[date]) -> date:
    try:
        wanted = date.fromisoformat(chosen)
    except ValueError:
        return days[0]
    return wanted if wanted in days else days[0]


def _theater_row(services: Services, theater: Theater, shows: list[Showtime], now: datetime,
                 availability: dict[str, ShowAvailability]) -> None:
    with ui.column().classes("mm-surface w-full p-4 gap-3"):
        with ui.column().classes("gap-0"):
            ui.label(theater.name).classes("font-bold text-white text-lg")
            ui.label(theater.address).classes("mm-muted text-sm")
        with ui.row().classes("gap-2 flex-wrap"):
            for showtime in shows:
                _show_chip(services, theater, showtime, availability[showtime.showtime_id],
                           open_for_sale=on_sale(showtime, now, services.settings))


# What a chip says about how full its show is, and the colour it says it in.
FULLNESS = {
    Fullness.FILLING_FAST: ("Filling fast", "text-amber-300"),
    Fullness.ALMOST_FULL: ("Almost full", "text-orange-400"),
    Fullness.SOLD_OUT: ("Sold out", "text-red-300"),
}


def _show_chip(services: Services, theater: Theater, showtime: Showtime, seats: ShowAvailability, *,
               open_for_sale: bool) -> None:
    screen = theater.screen(showtime.screen_id)
    time_text = show_clock(showtime)
    details = f"{showtime.language} · {screen.format}"
    price = t("from {price}", price=format_money(seats.from_price, services.settings.currency))
    sold_out = seats.fullness == Fullness.SOLD_OUT
    open_for_sale = open_for_sale and not sold_out
    state = FULLNESS.get(seats.fullness)
    classes = "flex flex-col items-center px-4 py-2 rounded-lg border no-underline "
    with (
        ui.link(target=f"/showtime/{showtime.showtime_id}" if open_for_sale else "#")
        .classes(
            classes
            + (
                "border-green-500/60 hover:bg-green-500/10 text-white"
                if open_for_sale
                else "border-white/10 text-white/40 pointer-events-none"
            )
        )
        .props("" if open_for_sale else 'aria-disabled="true" tabindex="-1"')
        .mark("showtime" if open_for_sale else "showtime-closed")
    ):
        # The chip's name is what it shows (axe: label-content-name-mismatch), plus the screen for a screen reader.
        ui.label(time_text).classes("font-bold")
        ui.label(details).classes("text-[11px] opacity-70")
        ui.label(screen.name).classes("sr-only")
        ui.label(price).classes("text-[11px] opacity-90").mark("from-price")
        if not open_for_sale and not sold_out:
            ui.label(t("booking closed")).classes("sr-only")
        if state is not None:
            ui.label(t(state[0])).classes(f"text-[11px] font-bold {state[1]}").mark("fullness")
