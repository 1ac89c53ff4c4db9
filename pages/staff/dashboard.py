"""The console's home: the member's theaters with today's shows, and where to go next."""

from __future__ import annotations

from nicegui import ui

from components.heading import heading
from components.page import page
from components.service_call import call
from components.staff_frame import nav_items, staff_frame
from services.catalog.catalog import Showtime, Theater
from services.container import Services
from services.formatting import show_clock
from services.i18n import t
from services.staff.access import StaffMember


def register(services: Services) -> None:
    @page("/staff")
    async def dashboard_page() -> None:
        async with staff_frame(services, "/staff", "checkin") as member:
            if member is None:
                return
            await _dashboard(services, member)


def _todays_shows(services: Services, theaters: list[Theater]) -> dict[str, list[Showtime]]:
    """Today's (local) shows and event performances per theater or venue: one cached city Query per city, never
    a walk over the table."""
    shows: dict[str, list[Showtime]] = {theater.theater_id: [] for theater in theaters}
    now = services.clock.now()
    for city in sorted({theater.city for theater in theaters}):
        for showtime in [*services.catalog.upcoming_in_city(city), *services.catalog.upcoming_in_city(city, "event")]:
            if showtime.theater_id in shows and showtime.local_date() == now.astimezone(
                    showtime.local_start().tzinfo).date():
                shows[showtime.theater_id].append(showtime)
    return shows


async def _dashboard(services: Services, member: StaffMember) -> None:
    heading(t("Good to see you, {name}", name=member.name)).classes("mm-title text-2xl text-white").mark(
        "page-title")
    with ui.row().classes("w-full gap-3"):
        for item in nav_items()[1:]:
            if member.may(item.permission):
                with ui.link(target=item.path).classes("mm-link mm-surface flex items-center gap-3 px-4 py-3"):
                    ui.icon(item.icon, size="24px").classes("text-accent")
                    ui.label(item.label).classes("text-white")
    everything = await call(services.catalog.theaters)
    mine = [theater for theater in everything if member.is_admin or theater.theater_id in member.theaters]
    shows = await call(_todays_shows, services, mine)
    movie_ids = {showtime.movie_id for todays in shows.values() for showtime in todays}
    titles = {movie_id: movie.title for movie_id, movie in (await call(services.catalog.movies, movie_ids)).items()}
    ui.label(t("Today at your theaters")).classes("text-lg text-white mt-2")
    with ui.element("div").classes("w-full grid gap-4 grid-cols-1 md:grid-cols-2 xl:grid-cols-3"):
        for theater in mine:
            todays = sorted(shows[theater.theater_id], key=lambda s: s.starts_at)
            with ui.column().classes("mm-surface p-4 gap-2").mark("staff-theater"):
                ui.label(theater.name).classes("text-white font-bold")
                count = len(theater.screens)
                screens_text = t("1 screen") if count == 1 else t("{n} screens", n=count)
                if theater.kind == "venue":  # an event venue: its halls, if any, are not cinema screens
                    screens_text = t("Event venue")
                ui.label(f"{theater.city} · {screens_text}").classes("mm-muted text-sm")
                if not todays:
                    ui.label(t("No more shows today.")).classes("mm-muted text-sm")
                screens = {screen.screen_id: screen.name for screen in theater.screens}
                for showtime in todays[:6]:
                    movie = titles.get(showtime.movie_id, showtime.movie_id)
                    # A performance without a hall (general admission) says so where a film names its screen.
                    room = screens.get(showtime.screen_id, showtime.screen_id) if showtime.has_seats else t(
                        "General admission")
                    with ui.row().classes("items-center gap-1 flex-nowrap"):
                        if showtime.listing == "event":
                            ui.icon("celebration", size="16px").classes("text-accent").props(
                                f'aria-label="{t("Live event")}"')
                        ui.label(f"{show_clock(showtime)} · {movie} · {room} · {showtime.language}").classes(
                            "text-sm").mark("staff-event-show" if showtime.listing == "event" else "staff-show")
                if len(todays) > 6:
                    ui.label(t("and {n} more", n=len(todays) - 6)).classes("mm-muted text-sm")
