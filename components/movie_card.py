"""A movie in a grid: poster, rating, certificate, languages and the lowest price in this city."""

from __future__ import annotations

import functools
from html import escape
from pathlib import Path
from typing import Literal

from nicegui import ui

from services.catalog.models import Listing, Movie
from services.engage.reviews import RatingSummary
from services.formatting import format_money
from services.i18n import t

ASSETS = Path(__file__).resolve().parents[1] / "assets"


def poster_url(movie: Movie, size: str = "card") -> str:
    if movie.poster_key:  # an uploaded poster, served from S3 by the app (api/posters.py)
        return f"/posters/{movie.poster_key}-{size}.webp"
    if not movie.poster:
        return "/assets/favicon.svg"
    if size == "card" and (card := _card_copy(movie.poster)):
        return f"/assets/{card}"
    return f"/assets/{movie.poster}"


@functools.cache
def _card_copy(poster: str) -> str | None:
    """A demo SVG poster's raster card copy (tools/poster_cards.py: decoded off the main thread, unlike an SVG),
    if it has one. Looked up once per poster: the assets do not change while the app runs, and a grid asks for
    twenty of them per page."""
    card = poster.removesuffix(".svg") + "-card.webp"
    return card if poster.endswith(".svg") and (ASSETS / card).is_file() else None


def _poster_attrs(movie: Movie, size: str, alt: str, lazy: bool, priority: str) -> str:
    return (f'src="{escape(poster_url(movie, size))}" width="400" height="600" decoding="async" '
            f'fetchpriority="{priority}" alt="{escape(alt)}"' + (' loading="lazy"' if lazy else ""))


def poster_img(movie: Movie, size: str = "card", *, alt: str = "", lazy: bool = False,
               priority: Literal["high", "low", "auto"] = "auto") -> ui.element:
    """The poster as a plain ``<img>`` (no Quasar image: its wrapper, spinner and fade-in made the poster the
    page's largest paint ~1 s after everything else). Width and height (2:3, as every poster) reserve its
    box before it arrives; ``decoding="async"`` keeps the decode off the main thread; ``priority`` is the
    fetch priority (high for the one above the fold that matters, low for a thumbnail); ``lazy`` for the
    ones further down. ``alt=""`` marks a decorative copy (the title is written beside it)."""
    return ui.element("img").props(_poster_attrs(movie, size, alt, lazy, priority))


def line(classes: str, text: str) -> str:
    """A line of a card's text, escaped; nothing for no text."""
    return f'<div class="{classes}">{escape(text)}</div>' if text else ""


def icon_markup(name: str, size: int, classes: str = "") -> str:
    """A Material icon as Quasar draws one, decorative (``aria-hidden``)."""
    return (f'<i class="q-icon notranslate material-icons {classes}" aria-hidden="true" '
            f'style="font-size:{size}px">{escape(name)}</i>')


def card(href: str, movie: Movie, marker: str, *, overlay: str, body: str, lazy: bool = True,
         priority: Literal["high", "low", "auto"] = "auto") -> None:
    """A grid card: the poster with ``overlay`` on it and ``body`` below, as one link holding one HTML
    element (``overlay`` and ``body`` are markup whose texts the caller escaped: ``line``, ``icon_markup``).

    Built of NiceGUI elements a card was ~13 of them, and the home page's 20-40 cards delayed its first
    paint by ~100 ms (bench/bench_seatmap.py, home.*); nothing in a card changes or answers clicks of its own.
    No aria-label: the card's name is what it shows (axe: label-content-name-mismatch); the poster is
    decorative beside the title."""
    poster = f'<img class="mm-poster block w-full h-auto" {_poster_attrs(movie, "card", "", lazy, priority)}>'
    with ui.link(target=href).classes("mm-link mm-card block no-underline").mark(marker):
        ui.html(f'<div class="relative">{poster}{overlay}</div>{body}', sanitize=False).classes(
            "flex flex-col gap-2")


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
    dark = "background:rgba(0,0,0,.7)"
    overlay = (  # the critics' score (with a word for a screen reader) and the certificate
        '<div class="absolute bottom-2 left-2 right-2 flex justify-between items-center">'
        f'<div class="flex items-center gap-1 px-2 py-0.5 rounded-full" style="{dark}">'
        f'{icon_markup("star", 16, "text-accent")}<span class="sr-only">{escape(t("Rated"))}</span>'
        f'<span class="text-sm font-bold text-white">{movie.rating:.1f}</span></div>'
        f'<span class="text-xs font-bold px-2 py-0.5 rounded text-white" '
        f'style="{dark}; border:1px solid rgba(255,255,255,.3)">{escape(movie.certificate)}</span></div>'
    )
    rating = audience_text(audience)
    body = "".join((
        line("font-bold text-base leading-tight text-white line-clamp-2", movie.title),
        f'<div class="flex items-center gap-1 -mt-1">{icon_markup("groups", 14, "text-accent")}'
        f'{line("text-xs text-white", t("Audience {rating}", rating=rating))}</div>' if rating else "",
        line("mm-muted text-xs", " · ".join(movie.genres[:2])),
        line("mm-muted text-xs", " · ".join(listing.languages)),
        line("text-accent text-sm font-semibold", t("from {price}", price=format_money(listing.from_price, currency))),
    ))
    card(href, movie, "movie-card", overlay=overlay, body=body, lazy=not first_row,
         priority="high" if first_row else "auto")
