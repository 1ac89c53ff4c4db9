"""Home: what plays in the chosen city, movies and live events, filtered by date, kind, genre and language,
searchable by title (and an event's performers)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from nicegui import ui

from components.event_card import event_card, kind_label
from components.frame import frame
from components.heading import heading
from components.movie_card import movie_card
from components.page import page
from components.service_call import call
from components.session import choose_city, current_city
from pages.home_recommendations import load_recommendations, recommendation_rows
from services.catalog.models import Listing, Theater
from services.container import Services
from services.engage.reviews import RatingSummary
from services.events.catalog import EventListing
from services.formatting import day_month, day_name
from services.i18n import t, tn

ALL = ""
MOVIES = "movies"  # the kind filter's value for films only (an event's kind otherwise)
FIRST_ROW = 5  # cards in the first screenful at 1440 px (lg:grid-cols-5): their posters load at once


def register(services: Services) -> None:
    @page("/")
    async def home(city: str = "", date: str = "", genre: str = "", language: str = "", q: str = "",
                   kind: str = "") -> None:
        cities = await call(services.catalog.cities)
        if city in cities:
            choose_city(city)
        async with frame(services.catalog, services.mailbox, wide=True):
            chosen_city = current_city(cities)
            filters = {"date": date, "genre": genre, "language": language, "q": q, "kind": kind}
            day = _parse_day(date)
            everything = await call(services.catalog.now_showing, chosen_city)
            all_events = await call(services.events.catalog.events_in, chosen_city)
            listings = [] if kind and kind != MOVIES else await call(
                lambda: services.catalog.now_showing(
                    chosen_city, on=day, genre=genre or None, language=language or None, query=q or None
                )
            )
            events = [] if kind == MOVIES else await call(
                lambda: services.events.catalog.events_in(
                    chosen_city, on=day, kind=kind or None, genre=genre or None, language=language or None,
                    query=q or None,
                )
            )
            audience = await call(services.engage.reviews.summaries, [listing.movie.movie_id for listing in listings])
            plain = not any(filters.values())  # recommendations on the plain home page, not in filtered results
            recs = await load_recommendations(services, chosen_city) if plain else None
            # Everything is read: the page builds at once from here.
            _hero(chosen_city, q)
            _date_strip(services, chosen_city, filters)
            if recs is not None:
                recommendation_rows(services, chosen_city, *recs)
            _filters(everything, all_events, filters)
            if events:
                venues = {theater.theater_id: theater for theater in await call(services.catalog.theaters)}
                _events(events, venues, chosen_city, filters)
            if listings or not events:  # "nothing matches" only when neither films nor events do
                _grid(listings, chosen_city, services.settings.currency, filters, audience)
            if q:  # a search looks in every city; the chosen city's results come first, the others after
                here = {listing.movie.movie_id for listing in listings}
                others_box = ui.column().classes("w-full gap-4")
        if q:
            # Reading every city can take a moment: the page shows the chosen city's results first.
            await ui.context.client.connected()
            others = await call(lambda: services.catalog.playing_elsewhere(
                chosen_city, here, on=day, genre=genre or None, language=language or None, query=q))
            with others_box:
                _elsewhere_grid(others, services.settings.currency, filters)


def _elsewhere_grid(found: list[tuple[str, Listing]], currency: str, filters: dict[str, str]) -> None:
    if not found:
        return
    ui.label(t("Playing in other cities")).classes("mm-title text-xl sm:text-2xl text-white mt-4")
    with (
        ui.element("div")
        .classes("grid w-full gap-4 sm:gap-6 grid-cols-2 sm:grid-cols-3 md:grid-cols-4 lg:grid-cols-5")
        .mark("elsewhere-grid")
    ):
        for city, listing in found:
            query = {"city": city} | ({"date": filters["date"]} if filters["date"] else {})
            with ui.column().classes("gap-1 min-w-0"):
                movie_card(listing, f"/movie/{listing.movie.movie_id}?{urlencode(query)}", currency)
                with ui.row().classes("items-center gap-1 mm-muted text-sm flex-nowrap"):
                    ui.icon("place", size="16px").classes("text-accent")
                    ui.label(t("in {city}", city=city))



def _parse_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _link(filters: dict[str, str], **changes: str) -> str:
    merged = {key: value for key, value in (filters | changes).items() if value}
    return "/?" + urlencode(merged) if merged else "/"


def _hero(city: str, query: str) -> None:
    with ui.column().classes("gap-1"):
        title = t("Results for “{q}” in {city}", q=query, city=city) if query else t("Now showing in {city}", city=city)
        heading(title).classes("mm-title text-2xl sm:text-4xl text-white").mark("page-title")
        ui.label(t("Pick a movie, choose a show, grab the best seats.")).classes("mm-muted")


def _date_strip(services: Services, city: str, filters: dict[str, str]) -> None:
    theaters = services.catalog.theaters_in(city)
    zone = ZoneInfo(theaters[0].timezone) if theaters else ZoneInfo("UTC")
    today = datetime.now(zone).date()
    with (
        ui.row()  # p-1: room inside the scroller for the chips' focus rings (overflow clips what sticks out)
        .classes("gap-2 flex-nowrap overflow-x-auto w-full p-1")
        .props(f'role="tablist" aria-label="{t("Date")}"')
    ):
        _date_chip(t("Any day"), "", filters)
        for offset in range(7):
            day = today + timedelta(days=offset)
            name = t("Today") if offset == 0 else t("Tomorrow") if offset == 1 else day_name(day)
            _date_chip(f"{name} {day_month(day)}", day.isoformat(), filters)


def _date_chip(label: str, value: str, filters: dict[str, str]) -> None:
    selected = filters["date"] == value
    (
        ui.link(label, _link(filters, date=value))
        .classes("mm-link mm-chip no-underline shrink-0 whitespace-nowrap "
                 + ("bg-primary text-white border-transparent" if selected else "text-white"))
        .props(f'role="tab" aria-selected="{str(selected).lower()}"')
    )


def _filters(everything: list[Listing], events: list[EventListing], filters: dict[str, str]) -> None:
    genres = sorted({genre for listing in everything for genre in listing.movie.genres}
                    | {genre for listing in events for genre in listing.event.genres})
    languages = sorted({language for listing in everything for language in listing.languages}
                       | {show.language for listing in events for show in listing.performances})
    kinds = sorted({listing.event.kind for listing in events})
    with ui.row().classes("gap-3 items-center w-full"):
        if kinds:
            ui.select(
                {ALL: t("Movies and events"), MOVIES: t("Movies")} | {kind: kind_label(kind) for kind in kinds},
                value=filters["kind"] if filters["kind"] in (MOVIES, *kinds) else ALL,
                on_change=lambda e: ui.navigate.to(_link(filters, kind=e.value or "")),
            ).props(f'dense outlined dark options-dark aria-label="{t("What")}"').classes(
                "w-full sm:w-52"
            ).mark("kind-filter")
        ui.select(
            {ALL: t("All genres")} | {g: g for g in genres},
            value=filters["genre"] if filters["genre"] in genres else ALL,
            on_change=lambda e: ui.navigate.to(_link(filters, genre=e.value or "")),
        ).props(f'dense outlined dark options-dark aria-label="{t("Genre")}"').classes(
            "w-full min-[420px]:w-[calc(50%_-_6px)] sm:w-56"  # full width on phones: translations run long
        ).mark("genre-filter")
        ui.select(
            {ALL: t("All languages")} | {lang: lang for lang in languages},
            value=filters["language"] if filters["language"] in languages else ALL,
            on_change=lambda e: ui.navigate.to(_link(filters, language=e.value or "")),
        ).props(f'dense outlined dark options-dark aria-label="{t("Language")}"').classes(
            "w-full min-[420px]:w-[calc(50%_-_6px)] sm:w-56").mark(
            "language-filter"
        )
        if any(filters.values()):
            ui.button(t("Clear filters"), icon="filter_alt_off", on_click=lambda: ui.navigate.to("/")).props(
                "flat no-caps dense"
            )


def _events(events: list[EventListing], venues: dict[str, Theater], city: str, filters: dict[str, str]) -> None:
    """Live events of the city: a strip that scrolls sideways on a phone, beside the films below it."""
    with ui.row().classes("w-full items-baseline justify-between -mb-2"):
        ui.label(t("Live events in {city}", city=city)).classes("mm-title text-xl sm:text-2xl text-white").mark(
            "events-title")
        ui.label(tn("{n} event", "{n} events", len(events))).classes("mm-muted text-sm")
    with ui.row().classes("w-full gap-4 flex-nowrap overflow-x-auto pb-2").mark("event-strip"):
        for listing in events:
            query = {"city": city} | ({"date": filters["date"]} if filters["date"] else {})
            with ui.element("div").classes("shrink-0 w-36 sm:w-44"):
                event_card(listing, venues, f"/event/{listing.event.movie_id}?{urlencode(query)}")


def _grid(listings: list[Listing], city: str, currency: str, filters: dict[str, str],
          audience: dict[str, RatingSummary]) -> None:
    if not listings:
        with ui.column().classes("mm-surface w-full items-center py-12 gap-2").mark("no-results"):
            ui.icon("theaters", size="48px").classes("mm-muted")
            ui.label(t("Nothing matches in {city}.", city=city)).classes("text-lg text-white")
            ui.label(t("Try another spelling, date, genre or language.") if filters["q"] else
                     t("Try another date, genre or language.")).classes("mm-muted")
        return
    ui.label(tn("{n} movie", "{n} movies", len(listings))).classes("mm-muted text-sm -mb-2").mark("result-count")
    with (
        ui.element("div")
        .classes("grid w-full gap-4 sm:gap-6 grid-cols-2 sm:grid-cols-3 md:grid-cols-4 lg:grid-cols-5")
        .mark("movie-grid")
    ):
        for index, listing in enumerate(listings):
            query = {"city": city} | ({"date": filters["date"]} if filters["date"] else {})
            movie_card(listing, f"/movie/{listing.movie.movie_id}?{urlencode(query)}", currency,
                       audience.get(listing.movie.movie_id), first_row=index < FIRST_ROW)
