"""The catalogue's movies (admins): add one, retire one, upload a poster. Rules live in services.staff.movies."""

from __future__ import annotations

from nicegui import events, ui

from components.movie_card import poster_url
from components.service_call import call
from components.session import current_user
from components.staff_frame import staff_frame
from services.accounts.users import User
from services.catalog.models import Movie
from services.container import Services
from services.errors import DomainError
from services.i18n import t
from services.staff.movies import CERTIFICATES, MovieDraft


def register(services: Services) -> None:
    @ui.page("/staff/movies")
    async def movies_page() -> None:
        async with staff_frame(services, "/staff/movies", "admin") as member:
            if member is None:
                return
            await _movies(services)


async def _movies(services: Services) -> None:
    admin = current_user()
    assert admin is not None  # staff_frame admitted this session
    ui.label(t("Movies")).classes("mm-title text-2xl text-white").mark("page-title")

    with ui.column().classes("mm-surface w-full p-4 gap-3").mark("movie-create"):
        ui.label(t("New movie")).classes("text-white font-bold")
        with ui.element("div").classes("w-full grid gap-3 grid-cols-1 md:grid-cols-2"):
            movie_id = ui.input(t("Id (e.g. the-long-reel)")).props("outlined dark dense").mark("movie-id")
            title = ui.input(t("Title")).props("outlined dark dense").mark("movie-title")
            genres = ui.input(t("Genres, comma separated")).props("outlined dark dense").mark("movie-genres")
            languages = ui.input(t("Languages, comma separated")).props("outlined dark dense").mark("movie-languages")
            certificate = ui.select(list(CERTIFICATES), value="UA", label=t("Certificate")).props(
                "outlined dark dense options-dark").mark("movie-certificate")
            runtime = ui.number(t("Runtime (minutes)"), value=120, min=1, max=600, precision=0).props(
                "outlined dark dense").mark("movie-runtime")
            release = ui.input(t("Release date (YYYY-MM-DD)")).props("outlined dark dense").mark("movie-release")
        synopsis = ui.textarea(t("Synopsis")).props("outlined dark").classes("w-full").mark("movie-synopsis")
        error = ui.label().classes("text-negative text-sm").mark("movie-error")

        async def create() -> None:
            draft = MovieDraft(title.value or "", synopsis.value or "", _split(genres.value), _split(languages.value),
                               certificate.value or "", int(runtime.value or 0), release.value or "")
            try:
                await call(services.staff.movies.create, admin, (movie_id.value or "").strip(), draft)
            except DomainError as exc:
                error.set_text(exc.message)
                return
            error.set_text("")
            ui.notify(t("Movie added."), type="positive")
            listing.refresh()

        ui.button(t("Add movie"), on_click=create).props("unelevated no-caps").mark("movie-submit")

    @ui.refreshable
    async def listing() -> None:
        for movie in await call(services.catalog.all_movies):
            _row(services, admin, movie, listing.refresh)

    await listing()


def _row(services: Services, admin: User, movie: Movie, refresh: object) -> None:
    with ui.row().classes("mm-surface w-full px-4 py-3 items-center gap-3 flex-wrap").mark("movie-row"):
        ui.image(poster_url(movie)).classes("w-16 shrink-0").props(f'alt="{t("Poster of {title}", title=movie.title)}"')
        with ui.column().classes("gap-0 min-w-[12rem] flex-1"):
            ui.label(movie.title).classes("text-white font-bold")
            ui.label(f"{movie.movie_id} · {movie.certificate} · {', '.join(movie.languages)}").classes(
                "mm-muted text-sm break-all")

        async def uploaded(event: events.UploadEventArguments, movie_id: str = movie.movie_id) -> None:
            data = await event.file.read()
            try:
                await call(services.staff.movies.upload_poster, admin, movie_id, data)
            except DomainError as exc:
                ui.notify(exc.message, type="negative")
                return
            ui.notify(t("Poster saved."), type="positive")
            refresh()  # type: ignore[operator]

        ui.upload(label=t("Poster (PNG, JPEG, WebP)"), on_upload=uploaded, auto_upload=True,
                  max_file_size=5 * 1024 * 1024).props('accept="image/png,image/jpeg,image/webp" dark flat').classes(
            "max-w-[16rem]").mark("movie-poster")

        async def retire(movie_id: str = movie.movie_id) -> None:
            try:
                await call(services.staff.movies.retire, admin, movie_id)
            except DomainError as exc:
                ui.notify(exc.message, type="negative")
                return
            refresh()  # type: ignore[operator]

        ui.button(t("Retire"), on_click=retire).props("outline no-caps").mark("movie-retire")


def _split(text: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (text or "").split(",") if part.strip())
