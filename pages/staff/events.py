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
from components.movie_card import poster_img
from components.page import page
from components.poster_picker import poster_picker
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
    @page("/staff/events")
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
        await _catalog_lists(services, places)
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
    """A ticket type's settings: name, capacity (the service refuses less than is sold or held), price, limit per
    order, an early-bird price until a moment, and the sales window (moments in the venue's local time)."""
    with ui.dialog() as dialog, ui.card().classes("mm-surface p-5 gap-3 w-96 max-w-full").mark("ticket-dialog"):
        ui.label(t("{name} tickets", name=ticket.name)).classes("text-white font-bold text-lg")
        name = ui.input(t("Name"), value=ticket.name).props("outlined dark dense").classes("w-full")
        capacity = ui.number(t("Capacity"), value=ticket.capacity, min=0, precision=0).props(
            "outlined dark dense").classes("w-full").mark("ticket-capacity")
        ui.label(t("{sold} sold · {held} held · {free} free of {capacity}", sold=ticket.sold, held=ticket.held,
                   free=ticket.free, capacity=ticket.capacity)).classes("mm-muted text-xs")
        price = ui.number(t("Price (minor units)"), value=ticket.price, min=0, precision=0).props(
            "outlined dark dense").classes("w-full")
        limit = ui.number(t("Limit per order"), value=ticket.per_order_limit, min=1, precision=0).props(
            "outlined dark dense").classes("w-full")
        with ui.row().classes("w-full gap-2 flex-nowrap"):
            early_price = ui.number(t("Early-bird price"), value=ticket.early_price, min=0, precision=0).props(
                "outlined dark dense clearable").classes("flex-1").mark("ticket-early-price")
            early_until = ui.input(t("Early bird until"), value=_local(ticket.early_until, show),
                                   placeholder="YYYY-MM-DD HH:MM").props("outlined dark dense").classes(
                "flex-1").mark("ticket-early-until")
        with ui.row().classes("w-full gap-2 flex-nowrap"):
            on_sale = ui.input(t("On sale from"), value=_local(ticket.on_sale_at, show),
                               placeholder="YYYY-MM-DD HH:MM").props("outlined dark dense").classes("flex-1").mark(
                "ticket-on-sale")
            off_sale = ui.input(t("Off sale at"), value=_local(ticket.off_sale_at, show),
                                placeholder="YYYY-MM-DD HH:MM").props("outlined dark dense").classes("flex-1").mark(
                "ticket-off-sale")
        ui.label(t("Times are the venue's local time; leave empty for none.")).classes("mm-muted text-xs")
        error = ui.label().classes("text-negative text-sm").mark("ticket-error")

        async def save() -> None:
            try:
                moments = [_moment(field.value, show) for field in (early_until, on_sale, off_sale)]
            except ValueError:
                error.set_text(t("Please write times as YYYY-MM-DD HH:MM."))
                return
            early = None if early_price.value in (None, "") else int(early_price.value)
            changed = replace(ticket, name=name.value or "", capacity=int(capacity.value or 0),
                              price=int(price.value or 0), per_order_limit=int(limit.value or 1),
                              early_price=early, early_until=moments[0], on_sale_at=moments[1],
                              off_sale_at=moments[2])
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


def _local(moment: datetime | None, show: Showtime) -> str:
    """A stored UTC moment as the venue's local "YYYY-MM-DD HH:MM" ("" for none)."""
    return moment.astimezone(show.local_start().tzinfo).strftime("%Y-%m-%d %H:%M") if moment else ""


def _moment(text: str | None, show: Showtime) -> datetime | None:
    """The venue's local "YYYY-MM-DD HH:MM" as an aware moment; None when empty; ValueError when garbled."""
    text = (text or "").strip()
    if not text:
        return None
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=show.local_start().tzinfo)


class _EventForm:
    """Every field of an event listing (new, or prefilled to edit one)."""

    def __init__(self, event: Movie | None = None) -> None:
        self.event = event
        self.title = ui.input(t("Title"), value=event.title if event else "").props("outlined dark dense").classes(
            "w-full").mark("event-title")
        self.kind = ui.select({k: kind_label(k) for k in EVENT_KINDS}, value=event.kind if event else "concert",
                              label=t("Kind")).props("outlined dark dense options-dark").classes("w-full").mark(
            "event-kind")
        self.tagline = ui.input(t("Tagline"), value=event.tagline if event else "").props(
            "outlined dark dense").classes("w-full")
        self.performers = ui.input(t("Performers (comma separated)"), value=", ".join(event.cast) if event else ""
                                   ).props("outlined dark dense").classes("w-full").mark("event-performers")
        self.description = ui.textarea(t("Description"), value=event.synopsis if event else "").props(
            "outlined dark dense").classes("w-full")
        self.genres = ui.input(t("Genres (comma separated)"), value=", ".join(event.genres) if event else "").props(
            "outlined dark dense").classes("w-full")
        self.languages = ui.input(t("Languages (comma separated)"), value=", ".join(event.languages) if event else ""
                                  ).props("outlined dark dense").classes("w-full")
        with ui.row().classes("w-full gap-2 flex-nowrap"):
            self.rating = ui.input(t("Age rating"), value=event.certificate if event else "U").props(
                "outlined dark dense").classes("flex-1")
            self.duration = ui.number(t("Minutes"), value=event.runtime_min if event else 90, min=0, precision=0
                                      ).props("outlined dark dense").classes("flex-1").mark("event-minutes")
        self.error = ui.label().classes("text-negative text-sm").mark("event-error")

    def listing(self) -> Movie:
        event = self.event
        return Movie(movie_id=event.movie_id if event else slug(self.title.value or ""), title=self.title.value or "",
                     tagline=self.tagline.value or "", genres=_list(self.genres.value),
                     languages=_list(self.languages.value), certificate=self.rating.value or "",
                     runtime_min=int(self.duration.value or 0), rating=0.0, votes=0,
                     release_date=event.release_date if event else "", director=event.director if event else "",
                     cast=_list(self.performers.value), synopsis=self.description.value or "",
                     poster=event.poster if event else "", kind=self.kind.value)

    async def save(self, services: Services) -> Movie | None:
        event = self.listing()
        try:
            await call(services.events.editor.save_event, current_user(), event)
        except DomainError as exc:
            self.error.set_text(exc.message)
            return None
        ui.notify(t("{title} saved.", title=event.title), type="positive")
        return event


def _event_form(services: Services) -> None:
    with ui.column().classes("mm-surface flex-1 w-full p-4 gap-2").mark("event-form"):
        ui.label(t("New event")).classes("text-white font-bold")
        form = _EventForm()

        async def save() -> None:
            if await form.save(services):
                ui.navigate.to("/staff/events")

        ui.button(t("Save event"), on_click=save).props("unelevated no-caps").mark("event-save")


def _edit_event(services: Services, event: Movie) -> None:
    """Every field of an existing event, prefilled, and its poster (the movies' upload pipeline)."""
    with ui.dialog() as dialog, ui.card().classes("mm-surface w-full max-w-3xl gap-3").mark("event-editor"):
        ui.label(t("Edit {title}", title=event.title)).classes("text-white text-lg font-bold")
        with ui.row().classes("w-full items-center gap-3 flex-wrap"):
            async def upload(data: bytes) -> Movie:
                await call(services.events.editor.upload_poster, current_user(), event.movie_id, data)
                return await call(services.events.catalog.event, event.movie_id)

            # The form is built below the poster row: these read it when a poster arrives.
            def refused(message: str) -> None:
                form.error.set_text(message)

            def saved(fresh: Movie) -> None:
                form.event = fresh  # saving the fields next keeps this poster

            poster_picker(event, upload, refused=refused, saved=saved, marker="event-poster")
        form = _EventForm(event)
        _save_or_close(services, dialog, form, "event")
    dialog.open()


def _save_or_close(services: Services, dialog: ui.dialog, form: _EventForm | _VenueForm, marker: str,
                   saved: Callable[[], str] | None = None) -> None:
    """An edit dialog's buttons: Save (the form's own checks; back to the list when it saved) and Close."""
    async def save() -> None:
        if await form.save(services):
            if saved is not None:
                ui.notify(saved(), type="positive")
            dialog.close()
            ui.navigate.to("/staff/events")

    with ui.row().classes("gap-2"):
        ui.button(t("Save changes"), on_click=save).props("unelevated no-caps").mark(f"{marker}-edit-save")
        ui.button(t("Close"), on_click=dialog.close).props("flat no-caps").mark(f"{marker}-edit-close")


class _VenueForm:
    """A venue's fields (new, or prefilled to edit one)."""

    def __init__(self, venue: Theater | None = None) -> None:
        self.venue = venue
        self.name = ui.input(t("Name"), value=venue.name if venue else "").props("outlined dark dense").classes(
            "w-full").mark("venue-name")
        self.city = ui.input(t("City"), value=venue.city if venue else "").props("outlined dark dense").classes(
            "w-full").mark("venue-city")
        self.address = ui.input(t("Address"), value=venue.address if venue else "").props(
            "outlined dark dense").classes("w-full").mark("venue-address")
        self.zone = ui.input(t("Time zone"), value=venue.timezone if venue else "Asia/Kolkata").props(
            "outlined dark dense").classes("w-full")
        self.map_url = ui.input(t("Map link"), value=venue.map_url if venue else "").props(
            "outlined dark dense").classes("w-full")
        self.error = ui.label().classes("text-negative text-sm").mark("venue-error")

    async def save(self, services: Services) -> bool:
        venue_id = self.venue.theater_id if self.venue else slug(f"{self.name.value} {self.city.value}")
        venue = Theater(theater_id=venue_id, name=self.name.value or "", city=self.city.value or "",
                        address=self.address.value or "", timezone=self.zone.value or "", screens=(),
                        kind="venue", map_url=self.map_url.value or "")
        try:
            await call(services.events.editor.save_venue, current_user(), venue)
        except DomainError as exc:
            self.error.set_text(exc.message)
            return False
        return True


def _venue_form(services: Services, places: dict[str, Theater]) -> None:
    with ui.column().classes("mm-surface flex-1 w-full p-4 gap-2").mark("venue-form"):
        ui.label(t("New venue")).classes("text-white font-bold")
        form = _VenueForm()

        async def save() -> None:
            if await form.save(services):
                ui.navigate.to("/staff/events")

        ui.button(t("Save venue"), on_click=save).props("unelevated no-caps").mark("venue-save")


def _edit_venue(services: Services, venue: Theater) -> None:
    with ui.dialog() as dialog, ui.card().classes("mm-surface w-full max-w-xl gap-3").mark("venue-editor"):
        ui.label(t("Edit {name}", name=venue.name)).classes("text-white text-lg font-bold")
        form = _VenueForm(venue)
        _save_or_close(services, dialog, form, "venue",
                       saved=lambda: t("{title} saved.", title=form.name.value))
    dialog.open()


async def _catalog_lists(services: Services, places: dict[str, Theater]) -> None:
    """The events and the venues, each with its edit button (admins)."""
    listed = await call(services.catalog.all_events)
    venues = sorted((p for p in places.values() if p.kind == "venue"), key=lambda p: (p.city, p.name))
    with ui.row().classes("w-full gap-4 items-start max-md:flex-col"):
        with ui.column().classes("mm-surface flex-1 w-full p-4 gap-2").mark("staff-events"):
            ui.label(t("Events")).classes("text-white font-bold")
            for event in sorted(listed, key=lambda e: e.title):
                with ui.row().classes("w-full items-center gap-3 flex-nowrap border-t border-white/10 pt-2"):
                    # Decorative beside the title: a plain <img alt=""> (a Quasar image is role="img" without a name).
                    poster_img(event, lazy=True, priority="low").classes("w-10 h-auto shrink-0")
                    with ui.column().classes("gap-0 grow min-w-0"):
                        ui.label(event.title).classes("text-white font-medium")
                        ui.label(kind_label(event.kind)).classes("mm-muted text-xs")
                    ui.button(t("Edit"), icon="edit", on_click=lambda _, e=event: _edit_event(services, e)).props(
                        "flat dense no-caps").classes("text-white").mark(f"edit-event-{event.movie_id}")
        with ui.column().classes("mm-surface flex-1 w-full p-4 gap-2").mark("staff-venues"):
            ui.label(t("Venues")).classes("text-white font-bold")
            for venue in venues:
                with ui.row().classes("w-full items-center gap-3 flex-nowrap border-t border-white/10 pt-2"):
                    with ui.column().classes("gap-0 grow min-w-0"):
                        ui.label(venue.name).classes("text-white font-medium")
                        ui.label(f"{venue.city} · {venue.address}").classes("mm-muted text-xs")
                    ui.button(t("Edit"), icon="edit", on_click=lambda _, v=venue: _edit_venue(services, v)).props(
                        "flat dense no-caps").classes("text-white").mark(f"edit-venue-{venue.theater_id}")


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
