"""The kiosk's first screens: attract (what's on, cycling; touch to start; language), movie, time, tickets."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from components.heading import heading
from components.kiosk.chrome import enter_fullscreen
from components.movie_card import poster_url
from components.ticket_picker import availability_label
from pages.kiosk.controller import KioskController
from services.catalog.catalog import Movie, Showtime
from services.formatting import clock_time, format_money, show_clock
from services.i18n import language_name, languages, t, tn
from services.kiosk.sales import MovieShows

FEATURE_SECONDS = 6.0  # how long the attract screen features each film
MAX_TICKETS = 8


def bar(ctx: KioskController) -> None:
    """The top bar (the bottom one in wheelchair mode): theater, clock, high contrast, larger text, wheelchair mode."""
    ctx.bar.clear()
    with ctx.bar:
        from pages.kiosk.staff_corner import staff_corner

        staff_corner(ctx)
        ui.icon("movie_filter", size="52px").classes("text-primary")
        with ui.column().classes("gap-0"):
            ui.label("Movie Magic").classes("font-extrabold text-[1.15em] leading-tight")
            ui.label(ctx.theater.name).classes("k-muted text-[.8em]").mark("kiosk-theater")
        ui.space()
        now = ui.label().classes("font-bold text-[1.1em] tabular-nums")

        def tick() -> None:
            now.set_text(clock_time(ctx.services.clock.now(), ctx.theater.timezone))

        tick()
        ui.timer(20, tick)
        _switch(ctx, "contrast", t("High contrast"), lambda: ctx.high_contrast,
                lambda: ctx.set_display(not ctx.high_contrast, ctx.large_text), "kiosk-contrast")
        _switch(ctx, "text_increase", t("Larger text"), lambda: ctx.large_text,
                lambda: ctx.set_display(ctx.high_contrast, not ctx.large_text), "kiosk-large-text")
        _switch(ctx, "accessible", t("Wheelchair mode: controls lower on the screen"), lambda: ctx.low,
                lambda: ctx.set_low(not ctx.low), "wheelchair")


def _switch(ctx: KioskController, icon: str, label: str, pressed: Callable[[], bool], flip: Callable[[], None],
            marker: str) -> None:
    """A round 72 px toggle of the bar; ``aria-pressed`` and its colour say whether it is on. The bar is built
    again for every visit (``attract``), so a reset visit shows them off."""
    button = ui.button(icon=icon).props(f'round unelevated size=lg aria-label="{label}"').classes(
        "text-white w-[72px] h-[72px]").mark(marker)

    def show() -> None:
        on = pressed()
        button.props(f'aria-pressed="{str(on).lower()}" color="{"primary" if on else "blue-grey-9"}"')

    def tapped() -> None:
        flip()
        show()

    button.on_click(ctx.act(tapped))
    show()


def _foot_nav(ctx: KioskController, back: object | None) -> None:
    with ctx.foot:
        if back is not None:
            ui.button(t("Back"), icon="arrow_back", on_click=ctx.act(back)).props(  # type: ignore[arg-type]
                "outline no-caps").classes("k-big text-white").mark("kiosk-back")
        ui.space()
        ui.button(t("Start over"), icon="restart_alt", on_click=ctx.act(lambda: ctx.end_visit("cancel"))).props(
            "flat no-caps").classes("k-big text-white").mark("kiosk-start-over")


def _reach(main: ui.element) -> None:
    """In wheelchair mode the top of the screen only shows; this spacer keeps controls below it."""
    with main, ui.element("div").classes("k-reach"):
        ui.icon("accessible", size="72px").classes("text-[#5b8fd6] opacity-60")


# Attract ------------------------------------------------------------------------------------------
async def attract(ctx: KioskController) -> None:
    main, foot = ctx.show("attract")
    bar(ctx)
    films = await ctx.run(ctx.services.kiosk_sales.shows, ctx.kiosk)
    if ctx.screen != "attract":
        return
    if ctx.paused:
        from pages.kiosk.staff_corner import paused_screen

        paused_screen(ctx)
        return
    state = {"i": 0}
    with main:
        heading(t("Now showing")).classes("k-title text-white").mark("attract-title")
        if not films:
            with ui.column().classes("flex-1 w-full items-center justify-center gap-6 text-center").mark("no-shows"):
                ui.icon("nights_stay", size="120px").classes("text-accent")
                ui.label(t("No more shows today. See you tomorrow!")).classes("k-title text-white")
            return
        feature = ui.element("div").classes("flex-1 min-h-0 w-full cursor-pointer").mark("attract")
        feature.on("click", ctx.act(lambda: start(ctx)))

        def render() -> None:
            feature.clear()
            with feature:
                _featured(ctx, films[state["i"] % len(films)])

        def advance() -> None:
            state["i"] += 1
            render()

        render()
        ui.timer(FEATURE_SECONDS, advance)
    with foot, ui.column().classes("w-full items-center gap-5"):
        ui.button(t("Touch to buy tickets"), icon="confirmation_number", on_click=ctx.act(lambda: start(ctx))).props(
            "unelevated no-caps").classes("k-big k-pulse w-full max-w-[900px] min-h-[120px] text-[1.4em]").mark(
            "touch-to-start")
        with ui.row().classes("items-center gap-3").props(f'role="group" aria-label="{t("Language")}"'):
            ui.icon("translate", size="36px").classes("k-muted")
            for code in languages():
                chosen = code == ctx.language
                ui.button(language_name(code), on_click=ctx.act(lambda c=code: _choose_language(ctx, c))).props(
                    f'{"unelevated" if chosen else "outline"} no-caps aria-pressed="{str(chosen).lower()}"'
                ).classes("min-w-[160px] text-white").mark(f"language-{code}")


def _featured(ctx: KioskController, film: MovieShows) -> None:
    movie = film.movie
    with ui.element("div").classes("k-feature k-fade w-full"):
        poster(movie, "")
        with ui.column().classes("gap-4 min-w-0 items-stretch"):
            ui.label(movie.title).classes("k-title text-[2.6em] text-white").mark("featured-title")
            if movie.tagline:
                ui.label(movie.tagline).classes("k-sub italic")
            facts = " · ".join(x for x in (movie.certificate, _runtime(movie), ", ".join(movie.genres[:2])) if x)
            ui.label(facts).classes("k-muted")
            with ui.row().classes("k-chips gap-3"):
                for show in film.shows[:4]:
                    ui.label(show_clock(show)).classes("k-chip text-white text-[1.1em]")


def poster(movie: Movie, classes: str) -> ui.element:
    """A plain <img>: sized by CSS (aspect ratio, grid), without Quasar's image wrapper."""
    return ui.element("img").props(f'src="{poster_url(movie)}" alt="" draggable="false"').classes(classes)


def _runtime(movie: Movie) -> str:
    hours, minutes = divmod(movie.runtime_min, 60)
    return f"{hours}h {minutes:02d}m" if movie.runtime_min else ""


async def _choose_language(ctx: KioskController, code: str) -> None:
    ctx.language = code
    await attract(ctx)


async def start(ctx: KioskController) -> None:
    """The first touch: full screen (a user gesture allows it) and a fresh visit."""
    if ctx.screen != "attract":
        return
    enter_fullscreen()
    ctx.start_visit()
    await movies(ctx)


# Movie --------------------------------------------------------------------------------------------
async def movies(ctx: KioskController) -> None:
    films = await ctx.run(ctx.services.kiosk_sales.shows, ctx.kiosk)
    main, _ = ctx.show("movies")
    _reach(main)
    with main:
        # Live events among them (a venue's kiosk, or a play at the cinema): not only movies to pick from.
        live = any(film.movie.is_event for film in films)
        heading(t("Pick a show") if live else t("Pick a movie")).classes("k-title text-white").mark("page-title")
        with ui.element("div").classes("k-scroll w-full"), ui.element("div").classes("k-grid w-full"):
            for film in films:
                with ui.column().classes("k-tile gap-2").on("click", ctx.act(lambda f=film: times(ctx, f))).props(
                    f'role="button" aria-label="{film.movie.title}"').mark(f"movie-tile movie-{film.movie.movie_id}"):
                    poster(film.movie, "k-poster")
                    ui.label(film.movie.title).classes("font-bold text-white leading-tight")
                    ui.label(" · ".join(show_clock(s) for s in film.shows[:3])).classes(
                        "k-muted text-[.85em]")
    _foot_nav(ctx, None)


# Time ---------------------------------------------------------------------------------------------
async def times(ctx: KioskController, film: MovieShows) -> None:
    if ctx.visit is None:
        return
    ctx.visit.movie = film.movie
    # A standing-only performance has no hall prices: its "from" price and sold-out state come from its quotas.
    offers = {show.showtime_id: await ctx.run(ctx.services.kiosk_sales.standing_offer, show.showtime_id)
              for show in film.shows if not show.has_seats}
    main, _ = ctx.show("times")
    currency = ctx.services.settings.currency
    _reach(main)
    with main:
        _movie_header(film.movie)
        ui.label(t("Pick a time")).classes("k-sub text-white text-[1.3em] font-bold")
        with ui.element("div").classes("k-scroll w-full"), ui.element("div").classes("k-times w-full"):
            for show in film.shows:
                offer = offers.get(show.showtime_id)
                where = ctx.theater.screen(show.screen_id).name if offer is None else t("Standing")
                price = show.min_price if offer is None else offer.from_price
                closed = offer.closed if offer is not None else None
                with ui.button(on_click=ctx.act(lambda s=show: _to_show(ctx, s)), color=None).props(
                    "unelevated no-caps").classes("k-time k-soft").mark(
                        f"time-slot time-{show.showtime_id}") as slot, ui.column().classes("items-center gap-1"):
                    ui.label(show_clock(show)).classes("text-[1.6em] font-extrabold")
                    ui.label(f"{where} · {show.format} · {show.language}").classes("k-muted text-[.8em]")
                    if closed is not None:
                        ui.label(availability_label(closed)).classes("text-[.85em] font-bold").mark(
                            f"time-closed time-{closed.value}")
                    elif price is not None:
                        ui.label(t("from {price}", price=format_money(price, currency))).classes(
                            "text-accent text-[.85em]")
                slot.set_enabled(closed is None)
    _foot_nav(ctx, lambda: movies(ctx))


async def _to_show(ctx: KioskController, show: Showtime) -> None:
    """Numbered seats (a film, a seated or mixed performance): how many, then the map; standing only: quantities."""
    if show.has_seats:
        await tickets(ctx, show)
        return
    from pages.kiosk.screen_standing import standing

    await standing(ctx, show)


async def film_of(ctx: KioskController, movie: Movie, show: Showtime) -> MovieShows:
    """The film (or event) with its shows on sale now: what the time screen lists again on "Back"."""
    films = await ctx.run(ctx.services.kiosk_sales.shows, ctx.kiosk)
    return next((f for f in films if f.movie.movie_id == movie.movie_id), MovieShows(movie, (show,)))


def _movie_header(movie: Movie, show: Showtime | None = None) -> None:
    with ui.row().classes("w-full items-center gap-5 flex-nowrap"):
        poster(movie, "k-thumb")
        with ui.column().classes("gap-1 min-w-0"):
            heading(movie.title).classes("k-title text-white").mark("page-title")
            facts = " · ".join(x for x in (movie.certificate, _runtime(movie)) if x)
            if show is not None:
                facts = f"{show_clock(show)} · {show.format} · {show.language} · {facts}"
            ui.label(facts).classes("k-muted")


# Tickets ------------------------------------------------------------------------------------------
async def tickets(ctx: KioskController, show: Showtime) -> None:
    if ctx.visit is None or ctx.visit.movie is None:
        return
    ctx.visit.showtime = show
    movie = ctx.visit.movie
    main, _ = ctx.show("tickets")
    most = min(MAX_TICKETS, ctx.services.settings.max_seats_per_booking)
    _reach(main)
    with main:
        _movie_header(movie, show)
        with ui.column().classes("flex-1 w-full items-center justify-center gap-8"):
            ui.label(t("How many tickets?")).classes("k-title text-white")
            with ui.element("div").classes("grid grid-cols-4 gap-5"):
                for n in range(1, most + 1):
                    ui.button(str(n), on_click=ctx.act(lambda n=n: _to_seats(ctx, n)), color=None).props(
                        f'unelevated aria-label="{tn("{n} ticket", "{n} tickets", n)}"').classes(
                        "k-count k-soft").mark(f"count-{n}")
            ui.label(t("We pick the best seats together; you can move them on the next screen.")).classes(
                "k-muted text-center")
    film = await film_of(ctx, movie, show)
    _foot_nav(ctx, lambda: times(ctx, film))


async def _to_seats(ctx: KioskController, count: int) -> None:
    if ctx.visit is None:
        return
    ctx.visit.count = count
    from pages.kiosk.screen_seats import seats

    await seats(ctx)
