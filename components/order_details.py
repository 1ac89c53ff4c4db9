"""The facts of a show and the lines of an order, shared by checkout, confirmation and My bookings."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import groupby

from nicegui import ui

from components.movie_card import poster_url
from services.booking.pricing import Price, PricedSeat
from services.catalog.models import Movie, Showtime, Theater
from services.formatting import format_money, show_time
from services.i18n import t


def show_facts(movie: Movie, theater: Theater, showtime: Showtime) -> None:
    # A general-admission performance at a venue has no screen.
    hall = theater.screen(showtime.screen_id).name if showtime.has_seats else t("General admission")
    extra = " · ".join(x for x in (movie.certificate, showtime.language, showtime.format) if x)
    facts(movie.title, poster_url(movie), f"{theater.name} · {hall}", theater.address,
          show_time(showtime), extra)


def facts(title: str, poster: str | None, place: str, address: str, time_text: str, extra: str = "") -> None:
    with ui.row().classes("w-full gap-4 flex-nowrap items-start"):
        if poster:
            ui.image(poster).classes("mm-poster w-16 sm:w-20 shrink-0").props('alt="" aria-hidden="true"')
        with ui.column().classes("gap-1 min-w-0"):
            ui.label(title).classes("mm-title text-xl sm:text-2xl text-white")
            if extra:
                ui.label(extra).classes("mm-muted text-sm")
            with ui.row().classes("items-center gap-1 flex-nowrap"):
                ui.icon("event", size="16px").classes("text-accent")
                ui.label(time_text).classes("text-accent font-medium")
            with ui.row().classes("items-center gap-1 flex-nowrap"):
                ui.icon("place", size="16px").classes("mm-muted")
                ui.label(place).classes("text-white text-sm")
            if address:
                ui.label(address).classes("mm-muted text-xs")


def order_lines(seats: Iterable[PricedSeat], price: Price, *, refund: int | None = None) -> None:
    """Seats by category, then subtotal, fee, tax and total (and a refund, once cancelled)."""
    currency = price.currency
    with ui.column().classes("w-full gap-2").mark("order-lines"):
        ordered = sorted(seats, key=lambda s: (s.price, s.row, s.number))
        for name, group in groupby(ordered, key=lambda s: s.category_name):
            seats_here = list(group)
            with ui.row().classes("w-full justify-between items-start flex-nowrap gap-3"):
                with ui.column().classes("gap-1 min-w-0"):
                    ui.label(f"{name} × {len(seats_here)}").classes("text-white font-medium")
                    with ui.row().classes("gap-1 flex-wrap"):
                        for seat in seats_here:
                            ui.label(seat.seat_id).classes(
                                "px-2 py-0.5 rounded-md bg-white/10 text-white text-xs font-bold"
                            )
                ui.label(format_money(sum(seat.price for seat in seats_here), currency)).classes("text-white shrink-0")
        ui.separator().classes("opacity-20")
        _line(t("Tickets"), format_money(price.subtotal, currency))
        _line(t("Convenience fee"), format_money(price.fee, currency))
        _line(t("Taxes"), format_money(price.tax, currency))
        if price.discount:
            _line(t("Loyalty points"), "−" + format_money(price.discount, currency))
        ui.separator().classes("opacity-20")
        with ui.row().classes("w-full justify-between items-baseline"):
            ui.label(t("Total")).classes("text-white font-bold text-lg")
            ui.label(format_money(price.total, currency)).classes("text-white font-bold text-lg").mark("order-total")
        if refund is not None:
            with ui.row().classes("w-full justify-between items-baseline"):
                ui.label(t("Refunded")).classes("text-positive font-medium")
                ui.label(format_money(refund, currency)).classes("text-positive font-medium").mark("order-refund")


def _line(name: str, amount: str) -> None:
    with ui.row().classes("w-full justify-between"):
        ui.label(name).classes("mm-muted text-sm")
        ui.label(amount).classes("text-white text-sm")
