"""An event in a grid: poster, kind, title, performers, the first date and venue, and how many dates."""

from __future__ import annotations

from nicegui import ui

from components.movie_card import poster_img
from services.catalog.models import Theater
from services.events.catalog import EventListing
from services.formatting import day_month, day_name, show_clock
from services.i18n import N_, t, tn

# N_: marked for extraction, so the catalogs carry them (the label is translated when shown).
_KINDS = {"concert": N_("Concert"), "comedy": N_("Comedy"), "theatre": N_("Theatre"),
          "sport screening": N_("Sport screening"), "workshop": N_("Workshop"), "festival": N_("Festival")}


def kind_label(kind: str) -> str:
    return t(_KINDS.get(kind, kind.title()))


def event_card(listing: EventListing, venues: dict[str, Theater], href: str) -> None:
    event, first = listing.event, listing.first
    venue = venues.get(first.theater_id)
    when = f"{day_name(first.local_date())} {day_month(first.local_date())} · {show_clock(first)}"
    # No aria-label: the card's name is what it shows (axe: label-content-name-mismatch); the poster is decorative.
    with ui.link(target=href).classes("mm-link mm-card flex flex-col gap-2 no-underline").mark("event-card"):
        with ui.element("div").classes("relative"):
            poster_img(event, lazy=True).classes("mm-poster block w-full h-auto")
            ui.label(kind_label(event.kind)).classes(
                "absolute top-2 left-2 text-xs font-bold px-2 py-0.5 rounded-full text-white bg-primary")
        ui.label(event.title).classes("font-bold text-base leading-tight text-white line-clamp-2")
        if event.cast:
            ui.label(", ".join(event.cast[:2])).classes("mm-muted text-xs line-clamp-1")
        ui.label(when).classes("text-accent text-sm font-semibold")
        if venue is not None:
            ui.label(venue.name).classes("mm-muted text-xs line-clamp-1")
        if len(listing.performances) > 1:
            ui.label(tn("{n} date", "{n} dates", len(listing.performances))).classes("mm-muted text-xs")
