"""Home: what plays in the chosen city, filtered by date, genre and language, searchable by title."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from nicegui import ui

from components.frame import frame
from components.movie_card import movie_card
from components.service_call import call
from components.session import choose_city, current_city
from pages.home_recommendations import load_recommendations, recommendation_rows
from services.catalog.models import Listing
from services.container import Services
from services.engage.reviews import RatingSummary
from services.formatting import day_month, day_name
from services.i18n import t

ALL = ""


def register(services: Services) -> None:
    @ui.page("/")
    async def home(city: str = "", date: str = "", genre: str = "", language: str = "", q: str = "") -> None:
        cities = await call(services.catalog.cities)
        if city in cities:
            choose_city(city)
        async with frame(services.catalog, services.mailbox, wide=True):
            chosen_city = current_city(cities)
            filters = {"date": date, "genre": genre, "language": language, "q": q}
            day = _parse_day(date)
            everything = await call(services.catalog.now_showing, chosen_city)
            listings = await call(
                lambda: services.catalog.now_showing(
                    chosen_city, on=day, genre=genre or None, language=language or None, query=q or None
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
            _filters(everything, filters)
            _grid(listings, chosen_city, services.settings.currency, filters, audience)


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
        ui.label(title).classes("mm-title text-2xl sm:text-4xl text-white").mark("page-title")
        ui.label(t("Pick a movie, choose a show, grab the best seats.")).classes("mm-muted")


def _date_strip(services: Services, city: str, filters: dict[str, str]) -> None:
    theaters = services.catalog.theaters_in(city)
    zone = ZoneInfo(theaters[0].timezone) if theaters else ZoneInfo("UTC")
    today = datetime.now(zone).date()
    with (
        ui.row()
        .classes("gap-2 flex-nowrap overflow-x-auto w-full pb-1")
        .props(f'role="tablist" aria-label="{t("Date")}"')
    ):
        _date_chip(t("Any day"), "", filters)
        for offset in range(7):
            day = today + timedelta(days=offset)
            name = t("Today") if offset == 0 else t("Tomorrow") if offset == 1 else day_name(day)
            _date_chip(f"{name} {day_month(day)}", day.isoformat(), filters)


def _date_chip(label: str, value: str, filters: dict[str, str]) -> None:
    selected = filters["date"] == value
    with (
        ui.link(target=_link(filters, date=value))
        .classes("mm-link no-underline shrink-0")
        .props(f'role="tab" aria-selected="{str(selected).lower()}"')
    ):
        ui.label(label).classes(
            "mm-chip whitespace-nowrap " + ("bg-primary text-white border-transparent" if selected else "text-white")
        )


def _filters(everything: list[Listing], filters: dict[str, str]) -> None:
    genres = sorted({genre for listing in everything for genre in listing.movie.genres})
    languages = sorted({language for listing in everything for language in listing.languages})
    with ui.row().classes("gap-3 items-center w-full"):
        ui.select(
            {ALL: t("All genres")} | {g: g for g in genres},
            value=filters["genre"] if filters["genre"] in genres else ALL,
            on_change=lambda e: ui.navigate.to(_link(filters, genre=e.value or "")),
        ).props(f'dense outlined dark options-dark aria-label="{t("Genre")}"').classes(
            "w-[calc(50%_-_6px)] sm:w-44"
        ).mark("genre-filter")
        ui.select(
            {ALL: t("All languages")} | {lang: lang for lang in languages},
            value=filters["language"] if filters["language"] in languages else ALL,
            on_change=lambda e: ui.navigate.to(_link(filters, language=e.value or "")),
        ).props(f'dense outlined dark options-dark aria-label="{t("Language")}"').classes("w-44").mark(
            "language-filter"
        )
        if any(filters.values()):
            ui.button(t("Clear filters"), icon="filter_alt_off", on_click=lambda: ui.navigate.to("/")).props(
                "flat no-caps dense"
            )


def _grid(listings: list[Listing], city: str, currency: str, filters: dict[str, str],
          audience: dict[str, RatingSummary]) -> None:
    if not listings:
        with ui.column().classes("mm-surface w-full items-center py-12 gap-2").mark("no-results"):
            ui.icon("theaters", size="48px").classes("mm-muted")
            ui.label(t("Nothing matches in {city}.", city=city)).classes("text-lg text-white")
            ui.label(t("Try another date, genre or language.")).classes("mm-muted")
        return
    ui.label(t("{n} movies", n=len(listings))).classes("mm-muted text-sm -mb-2")
    with (
        ui.element("div")
        .classes("grid w-full gap-4 sm:gap-6 grid-cols-2 sm:grid-cols-3 md:grid-cols-4 lg:grid-cols-5")
        .mark("movie-grid")
    ):
        for listing in listings:
            query = {"city": city} | ({"date": filters["date"]} if filters["date"] else {})
            movie_card(listing, f"/movie/{listing.movie.movie_id}?{urlencode(query)}", currency,
                       audience.get(listing.movie.movie_id))
