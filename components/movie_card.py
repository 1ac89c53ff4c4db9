"""A movie in a grid: poster, rating, certificate, languages and the lowest price in this city."""

from __future__ import annotations

from html import escape
from typing import Literal

from nicegui import ui

from services.catalog.models import Listing, Movie
from services.engage.reviews import RatingSummary
from services.formatting import format_money
from services.i18n import t


def poster_url(movie: Movie, size: str = "card") -> str:
    if movie.poster_key:  # an uploaded poster, served from S3 by the app (api/posters.py)
        return f"/posters/{movie.poster_key}-{size}.webp"
    return f"/assets/{movie.poster}" if movie.poster else "/assets/favicon.svg"


def poster_img(movie: Movie, size: str = "card", *, alt: str = "", lazy: bool = False,
               priority: Literal["high", "low", "auto"] = "auto") -> ui.element:
    """The poster as a plain ``<img>`` (no Quasar image: its wrapper, spinner and fade-in made the poster the
    page's largest paint ~1 s after everything else). Width and height (2:3, as every poster) reserve its
    box before it arrives; ``decoding="async"`` keeps the decode off the main thread; ``priority`` is the
    fetch priority (high for the one above the fold that matters, low for a thumbnail); ``lazy`` for the
    ones further down. ``alt=""`` marks a decorative copy (the title is written beside it)."""
    attrs = (f'src="{poster_url(movie, size)}" width="400" height="600" decoding="async" '
             f'fetchpriority="{priority}" alt="{escape(alt)}"' + (' loading="lazy"' if lazy else ""))
    return ui.element("img").props(attrs)


def audience_text(audience: RatingSummary | None) -> str:
    """The audience rating as people read it: "4.3/5 (12)", or "" with no reviews yet."""
    if audience is None or audience.average is None:
        return ""
    return t("{average}/5 ({n})", average=f"{audience.average:.1f}", n=audience.count)


def movie_card(listing: Listing, href: str, currency: str, audience: RatingSummary | None = None, *,
               first_row: bool = False) -> None:
    """``audience``: the customers' own rating (1–5 stars, issue 15) beside the catalog's critics' score.
    ``first_row``: the card is in the first screenful, so its poster loads at once (lazy loading waits for
    layout, which made the home page's largest paint late); the others load as they scroll into view."""
    movie = listing.movie
    # No aria-label: the card's name is what it shows (axe: label-content-name-mismatch), the poster is
    # decorative beside the title, and the bare figures get a word for a screen reader.
    with ui.link(target=href).classes("mm-link mm-card flex flex-col gap-2 no-underline").mark("movie-card"):
        with ui.element("div").classes("relative"):
            # Decorative (alt=""): the title is written beside it.
            poster_img(movie, lazy=not first_row,
                       priority="high" if first_row else "auto").classes("mm-poster block w-full h-auto")
            with ui.row().classes("absolute bottom-2 left-2 right-2 justify-between items-center"):
                with ui.row().classes("items-center gap-1 px-2 py-0.5 rounded-full").style("background:rgba(0,0,0,.7)"):
                    ui.icon("star", size="16px").classes("text-accent").props('aria-hidden="true"')
                    ui.label(t("Rated")).classes("sr-only")
                    ui.label(f"{movie.rating:.1f}").classes("text-sm font-bold text-white")
                ui.label(movie.certificate).classes("text-xs font-bold px-2 py-0.5 rounded text-white").style(
                    "background:rgba(0,0,0,.7); border:1px solid rgba(255,255,255,.3)"
                )
        ui.label(movie.title).classes("font-bold text-base leading-tight text-white line-clamp-2")
        if audience_text(audience):
            with ui.row().classes("items-center gap-1 -mt-1").mark("audience-rating"):
                ui.icon("groups", size="14px").classes("text-accent").props('aria-hidden="true"')
                ui.label(t("Audience {rating}", rating=audience_text(audience))).classes("text-xs text-white")
        ui.label(" · ".join(movie.genres[:2])).classes("mm-muted text-xs")
        ui.label(" · ".join(listing.languages)).classes("mm-muted text-xs")
        ui.label(t("from {price}", price=format_money(listing.from_price, currency))).classes(
            "text-accent text-sm font-semibold"
        )
