"""The Catalog page (/staff/movies) through NiceGUI's simulated user: admins add movies there (a refused
one shows the service's message); managers see "not found"."""

from __future__ import annotations

import pytest
from nicegui import ui
from nicegui.elements.upload_files import SmallFileUpload
from nicegui.testing import User as SimulatedUser

from services.container import Services
from tests.test_staff_pages import HOME, admin_opens, log_in, make_staff
from tests.test_staff_posters import png

pytestmark = pytest.mark.usefixtures("mailbox_env")


async def test_an_admin_adds_a_movie(user: SimulatedUser, app_services: Services) -> None:
    await admin_opens(user, app_services, "/staff/movies", "movie-create")
    await user.should_see("Catalog")  # the menu entry
    user.find(marker="movie-id").type("long-reel")
    user.find(marker="movie-title").type("The Long Reel")
    user.find(marker="movie-genres").type("Drama, Mystery")
    user.find(marker="movie-languages").type("English")
    user.find(marker="movie-release").type("2026-12-25")
    user.find(marker="movie-submit").click()
    await user.should_see("Movie added.", retries=100)
    movie = app_services.catalog.movie("long-reel")
    assert movie.genres == ("Drama", "Mystery") and movie.runtime_min == 120

    user.find(marker="movie-id").type("-two")  # typing appends: long-reel-two
    user.find(marker="movie-release").type("x")  # 2026-12-25x
    user.find(marker="movie-submit").click()
    await user.should_see("The release date is a date like 2026-12-25.", retries=100)  # the service's message
    assert "long-reel-two" not in {m.movie_id for m in app_services.catalog.movies_in("movie")}


async def test_managers_do_not_see_the_catalog_page(user: SimulatedUser, app_services: Services) -> None:
    manager = make_staff(app_services, "maya", "manager", [HOME])
    await log_in(user, manager.user.email, manager.password)
    await user.open("/staff/movies")
    await user.should_see(marker="not-found", retries=50)


async def test_an_admin_edits_every_field_retires_and_brings_back(user: SimulatedUser,
                                                                   app_services: Services) -> None:
    movie = app_services.catalog.all_movies()[0]
    await admin_opens(user, app_services, "/staff/movies", f"edit-{movie.movie_id}")
    user.find(marker=f"edit-{movie.movie_id}").click()
    await user.should_see(marker="movie-editor", retries=50)
    for field, text in [("title", "The Recut"), ("genres", "Noir, Drama"), ("languages", "Tamil"),
                        ("release", "2027-01-15"), ("synopsis", "A new cut.")]:
        user.find(marker=f"edit-{field}").clear().type(text)
    user.find(marker="edit-certificate").trigger("update:model-value", {"value": "A", "label": "A"})
    user.find(marker="edit-runtime").clear().type("99")
    user.find(marker="edit-save").click()
    await user.should_see("Saved.", retries=100)
    edited = app_services.catalog.movie(movie.movie_id)
    assert (edited.title, edited.genres, edited.languages, edited.release_date, edited.synopsis,
            edited.runtime_min) == ("The Recut", ("Noir", "Drama"), ("Tamil",), "2027-01-15", "A new cut.", 99)
    entry = app_services.staff.audit.recent(["global"])[0]
    assert (entry.action, entry.target, entry.before["title"]) == (  # type: ignore[index]
        "movie.updated", movie.movie_id, movie.title)
    await user.should_see("The Recut", retries=100)  # the list shows the new title

    user.find(marker=f"edit-{movie.movie_id}").click()
    await user.should_see(marker="movie-editor", retries=50)
    user.find(marker="edit-runtime").clear().type("0")
    user.find(marker="edit-save").click()
    await user.should_see("The runtime is 1 to 600 minutes.", retries=100)  # the service's message; nothing saved
    assert app_services.catalog.movie(movie.movie_id).runtime_min == 99

    user.find(marker="edit-close").click()
    user.find(marker=f"retire-{movie.movie_id}").click()
    await user.should_see(marker=f"unretire-{movie.movie_id}", retries=100)
    assert movie.movie_id not in {m.movie_id for m in app_services.catalog.movies_in("movie")}
    user.find(marker=f"unretire-{movie.movie_id}").click()
    await user.should_see(marker=f"retire-{movie.movie_id}", retries=100)
    assert movie.movie_id in {m.movie_id for m in app_services.catalog.movies_in("movie")}


async def test_an_admin_replaces_a_poster_and_a_refused_file_says_why(user: SimulatedUser,
                                                                      app_services: Services) -> None:
    movie = app_services.catalog.all_movies()[0]
    await admin_opens(user, app_services, "/staff/movies", f"edit-{movie.movie_id}")
    user.find(marker=f"edit-{movie.movie_id}").click()
    await user.should_see(marker="movie-editor", retries=50)
    upload = next(iter(user.find(marker="movie-poster").elements))
    assert isinstance(upload, ui.upload)
    await upload.handle_uploads([SmallFileUpload("notes.txt", "text/plain", b"not an image")])
    await user.should_see("PNG, JPEG or WebP", retries=50)  # the poster service's own message
    app_services.catalog.invalidate()
    assert not app_services.catalog.movie(movie.movie_id).poster_key
    await upload.handle_uploads([SmallFileUpload("poster.png", "image/png", png())])
    await user.should_see("Poster saved.", retries=50)
    app_services.catalog.invalidate()  # the app wrote; the test's services cached what they read
    stem = app_services.catalog.movie(movie.movie_id).poster_key
    assert stem.startswith(f"{movie.movie_id}/")
    thumbnail = next(iter(user.find(marker="movie-poster-image").elements))
    assert isinstance(thumbnail, ui.image) and thumbnail.source == f"/posters/{stem}-card.webp"
