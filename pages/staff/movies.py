"""The catalogue's movies (admins): add one, edit every field of one, replace its poster, retire it and bring
it back. Rules and validation live in services.staff.movies; this page shows the service's messages."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from nicegui import ui
from nicegui.awaitable_response import AwaitableResponse

from components.heading import heading
from components.movie_card import poster_url
from components.page import page
from components.poster_picker import poster_picker
from components.service_call import call
from components.session import current_user
from components.staff_frame import staff_frame
from services.accounts.users import User
from services.catalog.models import Movie
from services.container import Services
from services.errors import DomainError
from services.i18n import t
from services.staff.movies import CERTIFICATES, MovieDraft

Refresh = Callable[[], AwaitableResponse]


def register(services: Services) -> None:
    @page("/staff/movies")
    async def movies_page() -> None:
        async with staff_frame(services, "/staff/movies", "admin") as member:
            if member is None:
                return
            await _movies(services)


class _MovieForm:
    """The movie's fields as inputs (``prefix`` keeps the new-movie and edit forms' markers apart)."""

    def __init__(self, prefix: str, movie: Movie | None = None) -> None:
        dense = "outlined dark dense"
        with ui.element("div").classes("w-full grid gap-3 grid-cols-1 md:grid-cols-2"):
            self.title = ui.input(t("Title"), value=movie.title if movie else "").props(dense).mark(f"{prefix}-title")
            self.genres = ui.input(t("Genres, comma separated"), value=", ".join(movie.genres) if movie else "").props(
                dense).mark(f"{prefix}-genres")
            self.languages = ui.input(t("Languages, comma separated"),
                                      value=", ".join(movie.languages) if movie else "").props(dense).mark(
                f"{prefix}-languages")
            choices = list(CERTIFICATES) + ([movie.certificate] if movie and movie.certificate not in CERTIFICATES
                                            else [])
            self.certificate = ui.select(choices, value=movie.certificate if movie else "UA",
                                         label=t("Certificate")).props(f"{dense} options-dark").mark(
                f"{prefix}-certificate")
            self.runtime = ui.number(t("Runtime (minutes)"), value=movie.runtime_min if movie else 120, min=1, max=600,
                                     precision=0).props(dense).mark(f"{prefix}-runtime")
            self.release = ui.input(t("Release date (YYYY-MM-DD)"), value=movie.release_date if movie else "").props(
                dense).mark(f"{prefix}-release")
        self.synopsis = ui.textarea(t("Synopsis"), value=movie.synopsis if movie else "").props(
            "outlined dark").classes("w-full").mark(f"{prefix}-synopsis")
        self.error = ui.label().classes("text-negative text-sm").mark(f"{prefix}-error")

    def draft(self) -> MovieDraft:
        return MovieDraft(self.title.value or "", self.synopsis.value or "", _split(self.genres.value),
                          _split(self.languages.value), self.certificate.value or "", int(self.runtime.value or 0),
                          self.release.value or "")

    async def attempt(self, action: Callable[[], Awaitable[object]]) -> bool:
        """Run the service call; show its message under the form when it refuses."""
        try:
            await action()
        except DomainError as exc:
            self.error.set_text(exc.message)
            return False
        self.error.set_text("")
        return True


async def _movies(services: Services) -> None:
    admin = current_user()
    assert admin is not None  # staff_frame admitted this session
    heading(t("Movies")).classes("mm-title text-2xl text-white").mark("page-title")

    with ui.column().classes("mm-surface w-full p-4 gap-3").mark("movie-create"):
        ui.label(t("New movie")).classes("text-white font-bold")
        movie_id = ui.input(t("Id (e.g. the-long-reel)")).props("outlined dark dense").classes(
            "w-full md:w-1/2").mark("movie-id")
        form = _MovieForm("movie")

        async def create() -> None:
            new_id = (movie_id.value or "").strip()
            if await form.attempt(lambda: call(services.staff.movies.create, admin, new_id, form.draft())):
                ui.notify(t("Movie added."), type="positive")
                await listing.refresh()

        ui.button(t("Add movie"), on_click=create).props("unelevated no-caps").mark("movie-submit")

    @ui.refreshable
    async def listing() -> None:
        movies = await call(services.catalog.all_movies)
        ui.label(t("In the catalogue ({n})", n=len(movies))).classes("text-white font-bold mt-2")
        for movie in movies:
            _row(services, admin, movie, listing.refresh)
        retired = await call(services.staff.movies.retired, admin)
        if retired:
            ui.label(t("Retired ({n})", n=len(retired))).classes("text-white font-bold mt-2")
        for movie in retired:
            _retired_row(services, admin, movie, listing.refresh)

    await listing()


def _row(services: Services, admin: User, movie: Movie, refresh: Refresh) -> None:
    with ui.row().classes("mm-surface w-full px-4 py-3 items-center gap-3 flex-wrap").mark("movie-row"):
        ui.image(poster_url(movie)).classes("w-16 shrink-0").props(f'alt="{t("Poster of {title}", title=movie.title)}"')
        with ui.column().classes("gap-0 min-w-[12rem] flex-1"):
            ui.label(movie.title).classes("text-white font-bold")
            ui.label(f"{movie.movie_id} · {movie.certificate} · {movie.runtime_min} min · "
                     f"{', '.join(movie.languages)}").classes("mm-muted text-sm [overflow-wrap:anywhere]")
        ui.button(t("Edit"), on_click=lambda: _edit_dialog(services, admin, movie, refresh)).props(
            "unelevated no-caps").mark("movie-edit", f"edit-{movie.movie_id}")

        async def retire() -> None:
            try:
                await call(services.staff.movies.retire, admin, movie.movie_id)
            except DomainError as exc:
                ui.notify(exc.message, type="negative")
                return
            ui.notify(t("{title} is retired.", title=movie.title))
            await refresh()

        ui.button(t("Retire"), on_click=retire).props("outline no-caps").mark(
            "movie-retire", f"retire-{movie.movie_id}")


def _retired_row(services: Services, admin: User, movie: Movie, refresh: Refresh) -> None:
    with ui.row().classes("mm-surface w-full px-4 py-2 items-center gap-3 flex-wrap opacity-80").mark("retired-row"):
        with ui.column().classes("gap-0 min-w-[12rem] flex-1"):
            ui.label(movie.title).classes("text-white")
            ui.label(movie.movie_id).classes("mm-muted text-sm [overflow-wrap:anywhere]")

        async def unretire() -> None:
            try:
                await call(services.staff.movies.unretire, admin, movie.movie_id)
            except DomainError as exc:
                ui.notify(exc.message, type="negative")
                return
            ui.notify(t("{title} is back in the catalogue.", title=movie.title), type="positive")
            await refresh()

        ui.button(t("Bring back"), on_click=unretire).props("outline no-caps").mark(
            "movie-unretire", f"unretire-{movie.movie_id}")


def _edit_dialog(services: Services, admin: User, movie: Movie, refresh: Refresh) -> None:
    """Every field of the movie, prefilled, and its poster; saving writes only if nobody changed it meanwhile."""
    with ui.dialog() as dialog, ui.card().classes("mm-surface w-full max-w-3xl gap-3").mark("movie-editor"):
        ui.label(t("Edit {title}", title=movie.title)).classes("text-white text-lg font-bold")
        form = _MovieForm("edit", movie)
        replaced: list[str] = []  # posters uploaded here: the list behind shows the new one on close
        with ui.row().classes("w-full items-center gap-3 flex-wrap"):
            async def upload(data: bytes) -> Movie:
                await call(services.staff.movies.upload_poster, admin, movie.movie_id, data)
                return await call(services.catalog.movie, movie.movie_id)

            poster_picker(movie, upload, refused=form.error.set_text,
                          saved=lambda fresh: replaced.append(fresh.poster_key), marker="movie-poster")

        async def save() -> None:
            if await form.attempt(lambda: call(services.staff.movies.update, admin, movie.movie_id, form.draft())):
                ui.notify(t("Saved."), type="positive")
                dialog.close()
                await refresh()

        async def close() -> None:
            dialog.close()
            if replaced:
                await refresh()

        with ui.row().classes("gap-2"):
            ui.button(t("Save changes"), on_click=save).props("unelevated no-caps").mark("edit-save")
            ui.button(t("Close"), on_click=close).props("flat no-caps").mark("edit-close")
    dialog.open()


def _split(text: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (text or "").split(",") if part.strip())
