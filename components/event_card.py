"""An event in a grid: poster, kind, title, performers, the first date and venue, and how many dates."""

from __future__ import annotations

from components.movie_card import card, line
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
    overlay = line("absolute top-2 left-2 text-xs font-bold px-2 py-0.5 rounded-full text-white bg-primary",
                   kind_label(event.kind))
    body = "".join((
        line("font-bold text-base leading-tight text-white line-clamp-2", event.title),
        line("mm-muted text-xs line-clamp-1", ", ".join(event.cast[:2])),
        line("text-accent text-sm font-semibold", when),
        line("mm-muted text-xs line-clamp-1", venue.name if venue is not None else ""),
        line("mm-muted text-xs", tn("{n} date", "{n} dates", len(listing.performances))
             if len(listing.performances) > 1 else ""),
    ))
    card(href, event, "event-card", overlay=overlay, body=body)
