"""Events in the staff console (issue 17): the upcoming performances of the member's venues with their ticket
types and quotas (managers edit price, limit and capacity); admins add events, venues and performances.
Every change goes through ``services.events.editor`` (access check, audit, conditional writes)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, time
from typing import Any

from nicegui import ui

from components.event_card import kind_label
from components.heading import heading
from components.service_call import call
from components.session import current_user
from components.staff_frame import staff_frame
from services.catalog.models import Movie, Showtime, Theater
from services.container import Services
from services.errors import DomainError
from services.events.editor import ADMISSIONS, EVENT_KINDS, PerformanceDraft, slug
from services.events.models import TicketType
from services.formatting import format_money, show_time
from services.i18n import t
from services.staff.access import StaffMember


def register(services: Services) -> None:
    @ui.page("/staff/events")
    async def events_page() -> None:
        async with staff_frame(services, "/staff/events", "manage") as member:
            if member is None:
                return
            await _events(services, member)


async def _events(services: Services, member: StaffMember) -> None:
    heading(t("Events")).classes("mm-title text-2xl text-white").mark("page-title")
    places = {theater.theater_id: theater for theater in await call(services.catalog.theaters)}
    scope = set(member.theater_scope(list(places)))

    @ui.refreshable
    async def performances() -> None:
        cities = await call(services.catalog.cities)
        shows = [show for city in cities for show in await call(services.catalog.upcoming_in_city, city, "event")
                 if show.theater_id in scope]
        events = await call(services.catalog.movies, {show.movie_id for show in shows})
        if not shows:
            ui.label(t("No upcoming performances at your venues.")).classes("mm-muted").mark("no-performances")
        for show in sorted(shows, key=lambda s: (s.starts_at, s.showtime_id)):
            event = events.get(show.movie_id)
            if event is not None:
                await _performance_card(services, event, show, places[show.theater_id], performances.refresh)

    if member.is_admin:
        with ui.row().classes("w-full gap-4 items-start max-md:flex-col"):
            _event_form(services)
            _venue_form(services, places)
        await _performance_form(services, places, performances.refresh)
    with ui.column().classes("w-full gap-3").mark("staff-performances"):
        await performances()


async def _performance_card(services: Services, event: Movie, show: Showtime, venue: Theater,
                            refresh: Callable[[], Any]) -> None:
    currency = services.settings.currency
    with ui.column().classes("mm-surface w-full p-4 gap-2").mark("staff-performance"):
        with ui.row().classes("w-full items-baseline justify-between gap-2"):
            ui.label(f"{event.title} · {kind_label(event.kind)}").classes("text-white font-bold")
            ui.label(show.admission).classes("mm-chip text-white text-xs")
        ui.label(f"{show_time(show)} · {venue.name}, {venue.city}").classes("mm-muted text-sm")
        if not show.has_ticket_types:
            ui.label(t("Numbered seats only (the seat map).")).classes("mm-muted text-sm")
            return
        for ticket in await call(services.events.quotas.ticket_types, show.showtime_id):
            with ui.row().classes("w-full items-center gap-3 border-t border-white/10 pt-2 flex-wrap").mark(
                    f"staff-ticket-{ticket.type_id}"):
                ui.label(ticket.name).classes("text-white font-medium w-32")
                ui.label(format_money(ticket.price, currency)).classes("text-accent w-24")
                ui.label(t("{sold} sold · {held} held · {free} free of {capacity}", sold=ticket.sold,
                           held=ticket.held, free=ticket.free, capacity=ticket.capacity)).classes(
                    "mm-muted text-sm grow")
                ui.button(t("Edit"), icon="edit",
                          on_click=lambda _, ticket=ticket: _edit_dialog(services, show, ticket, refresh)).props(
                    "flat dense no-caps").classes("text-white").mark(f"edit-{show.showtime_id}-{ticket.type_id}")


def _edit_dialog(services: Services, show: Showtime, ticket: TicketType, refresh: Callable[[], Any]) -> None:
    with ui.dialog() as dialog, ui.card().classes("mm-surface p-5 gap-3 w-96 max-w-full").mark("ticket-dialog"):
        ui.label(t("{name} tickets", name=ticket.name)).classes("text-white font-bold text-lg")
        name = ui.input(t("Name"), value=ticket.name).props("outlined dark dense").classes("w-full")
        capacity = ui.number(t("Capacity"), value=ticket.capacity, min=0, precision=0).props(
            "outlined dark dense").classes("w-full").mark("ticket-capacity")
        price = ui.number(t("Price (minor units)"), value=ticket.price, min=0, precision=0).props(
            "outlined dark dense").classes("w-full")
        limit = ui.number(t("Limit per order"), value=ticket.per_order_limit, min=1, precision=0).props(
            "outlined dark dense").classes("w-full")
        error = ui.label().classes("text-negative text-sm").mark("ticket-error")

        async def save() -> None:
            changed = replace(ticket, name=name.value or "", capacity=int(capacity.value or 0),
                              price=int(price.value or 0), per_order_limit=int(limit.value or 1))
            try:
                await call(services.events.editor.save_ticket_type, current_user(), show.showtime_id, changed)
            except DomainError as exc:
                error.set_text(exc.message)
                return
            dialog.close()
            refresh()

        with ui.row().classes("w-full justify-end gap-2"):
            ui.button(t("Cancel"), on_click=dialog.close).props("flat no-caps").classes("text-white")
            ui.button(t("Save"), on_click=save).props("unelevated no-caps").mark("ticket-save")
    dialog.open()


def _event_form(services: Services) -> None:
    with ui.column().classes("mm-surface flex-1 w-full p-4 gap-2").mark("event-form"):
        ui.label(t("New event")).classes("text-white font-bold")
        title = ui.input(t("Title")).props("outlined dark dense").classes("w-full").mark("event-title")
        kind = ui.select({k: kind_label(k) for k in EVENT_KINDS}, value="concert", label=t("Kind")).props(
            "outlined dark dense options-dark").classes("w-full")
        performers = ui.input(t("Performers (comma separated)")).props("outlined dark dense").classes("w-full")
        description = ui.textarea(t("Description")).props("outlined dark dense").classes("w-full")
        genres = ui.input(t("Genres (comma separated)")).props("outlined dark dense").classes("w-full")
        languages = ui.input(t("Languages (comma separated)")).props("outlined dark dense").classes("w-full")
        with ui.row().classes("w-full gap-2 flex-nowrap"):
            rating = ui.input(t("Age rating"), value="U").props("outlined dark dense").classes("flex-1")
            duration = ui.number(t("Minutes"), value=90, min=0, precision=0).props("outlined dark dense").classes(
                "flex-1")
        error = ui.label().classes("text-negative text-sm")

        async def save() -> None:
            event = Movie(movie_id=slug(title.value or ""), title=title.value or "", tagline="",
                          genres=_list(genres.value), languages=_list(languages.value),
                          certificate=rating.value or "", runtime_min=int(duration.value or 0), rating=0.0, votes=0,
                          release_date="", director="", cast=_list(performers.value),
                          synopsis=description.value or "", poster="", kind=kind.value)
            try:
                await call(services.events.editor.save_event, current_user(), event)
            except DomainError as exc:
                error.set_text(exc.message)
                return
            ui.notify(t("{title} saved.", title=event.title), type="positive")
            ui.navigate.to("/staff/events")

        ui.button(t("Save event"), on_click=save).props("unelevated no-caps").mark("event-save")


def _venue_form(services: Services, places: dict[str, Theater]) -> None:
    with ui.column().classes("mm-surface flex-1 w-full p-4 gap-2").mark("venue-form"):
        ui.label(t("New venue")).classes("text-white font-bold")
        name = ui.input(t("Name")).props("outlined dark dense").classes("w-full")
        city = ui.input(t("City")).props("outlined dark dense").classes("w-full")
        address = ui.input(t("Address")).props("outlined dark dense").classes("w-full")
        zone = ui.input(t("Time zone"), value="Asia/Kolkata").props("outlined dark dense").classes("w-full")
        map_url = ui.input(t("Map link")).props("outlined dark dense").classes("w-full")
        error = ui.label().classes("text-negative text-sm")

        async def save() -> None:
            venue = Theater(theater_id=slug(f"{name.value} {city.value}"), name=name.value or "",
                            city=city.value or "", address=address.value or "", timezone=zone.value or "",
                            screens=(), kind="venue", map_url=map_url.value or "")
            try:
                await call(services.events.editor.save_venue, current_user(), venue)
            except DomainError as exc:
                error.set_text(exc.message)
                return
            ui.navigate.to("/staff/events")

        ui.button(t("Save venue"), on_click=save).props("unelevated no-caps").mark("venue-save")


async def _performance_form(services: Services, places: dict[str, Theater], refresh: Callable[[], Any]) -> None:
    events = {event.movie_id: event.title for event in await call(services.catalog.all_events)}
    venues = {place.theater_id: f"{place.name}, {place.city}" for place in places.values() if place.kind == "venue"}
    with ui.column().classes("mm-surface w-full p-4 gap-2").mark("performance-form"):
        ui.label(t("Add a performance")).classes("text-white font-bold")
        with ui.element("div").classes("w-full grid gap-2 grid-cols-1 md:grid-cols-3"):
            event = ui.select(events, label=t("Event")).props("outlined dark dense options-dark")
            venue = ui.select(venues, label=t("Venue")).props("outlined dark dense options-dark")
            admission = ui.select({a: a for a in ADMISSIONS}, value="general", label=t("Admission")).props(
                "outlined dark dense options-dark")
            day = ui.input(t("Date (YYYY-MM-DD)")).props("outlined dark dense")
            start = ui.input(t("Time (HH:MM)"), value="20:00").props("outlined dark dense")
            ticket_name = ui.input(t("Ticket type"), value="General").props("outlined dark dense")
            capacity = ui.number(t("Capacity"), value=100, min=0, precision=0).props("outlined dark dense")
            price = ui.number(t("Price (minor units)"), value=50000, min=0, precision=0).props("outlined dark dense")
            limit = ui.number(t("Limit per order"), value=6, min=1, precision=0).props("outlined dark dense")
        error = ui.label().classes("text-negative text-sm").mark("performance-error")

        async def save() -> None:
            place = places.get(venue.value or "")
            try:
                if place is None or not event.value:
                    raise ValueError
                local = datetime.combine(datetime.fromisoformat(day.value or "").date(),
                                         time.fromisoformat(start.value or ""), tzinfo=place.tz)
            except ValueError:
                error.set_text(t("Please choose an event and a venue, and give a date and a time."))
                return
            hall = place.screens[0] if place.screens and admission.value != "general" else None
            ticket = TicketType(slug(ticket_name.value or "general") or "general", ticket_name.value or "",
                                int(capacity.value or 0), int(price.value or 0), int(limit.value or 1))
            draft = PerformanceDraft(event_id=event.value, venue_id=place.theater_id, starts_at=local,
                                     admission=admission.value, screen_id=hall.screen_id if hall else "",
                                     prices=dict(hall.prices) if hall else {},
                                     ticket_types=(ticket,) if admission.value != "seated" else ())
            try:
                await call(services.events.editor.add_performance, current_user(), draft)
            except DomainError as exc:
                error.set_text(exc.message)
                return
            error.set_text("")
            ui.notify(t("Performance added."), type="positive")
            refresh()

        ui.button(t("Add performance"), on_click=save).props("unelevated no-caps").mark("performance-save")


def _list(text: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (text or "").split(",") if part.strip())
