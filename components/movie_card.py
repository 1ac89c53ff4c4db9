"""A movie in a grid: poster, rating, certificate, languages and the lowest price in this city."""

from __future__ import annotations

from nicegui import ui

from services.catalog.models import Listing, Movie
from services.engage.reviews import RatingSummary
from services.formatting import format_money
from services.i18n import t


def poster_url(movie: Movie, size: str = "card") -> str:
    if movie.poster_key:  # an uploaded poster, served from S3 by the app (api/posters.py)
        return f"/posters/{movie.poster_key}-{size}.webp"
    return f"/assets/{movie.poster}" if movie.poster else "/assets/favicon.svg"


def audience_text(audience: RatingSummary | None) -> str:
    """The audience rating as people read it: "4.3/5 (12)", or "" with no reviews yet."""
    if audience is None or audience.average is None:
        return ""
    return t("{average}/5 ({n})", average=f"{audience.average:.1f}", n=audience.count)


def movie_card(listing: Listing, href: str, currency: str, audience: RatingSummary | None = None) -> None:
    """``audience``: the customers' own rating (1–5 stars, issue 15) beside the catalog's critics' score."""
    movie = listing.movie
    # No aria-label: the card's name is what it shows (axe: label-content-name-mismatch), the poster is
    # decorative beside the title, and the bare figures get a word for a screen reader.
    with ui.link(target=href).classes("mm-link mm-card flex flex-col gap-2 no-underline").mark("movie-card"):
        with ui.element("div").classes("relative"):
            # A plain <img>: the browser sizes it by aspect-ratio and loads it lazily, no Quasar wrapper.
            ui.element("img").classes("mm-poster block w-full").props(
                f'src="{poster_url(movie)}" loading="lazy" alt=""'
            )
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
