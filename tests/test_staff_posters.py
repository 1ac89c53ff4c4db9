"""Poster upload (over moto's S3): a real PNG is checked, resized, stored and served with caching headers;
a file that only claims to be an image, an oversized one and a tiny one are refused and change nothing."""

from __future__ import annotations

import io

import pytest
from nicegui.testing import User as SimulatedUser
from PIL import Image

from components.movie_card import poster_url
from services.catalog import posters
from services.container import Services
from services.errors import Forbidden, InvalidRequest, NotFound
from services.staff.audit import GLOBAL
from tests.staff_helpers import admin, staff


def png(width: int = 600, height: int = 900) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 60)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_an_admin_uploads_a_png_poster(small: Services) -> None:
    stem = small.staff.movies.upload_poster(admin(small), "tiny-movie", png())
    movie = small.catalog.movie("tiny-movie")
    assert movie.poster_key == stem and poster_url(movie) == f"/posters/{stem}-card.webp"
    widths = {}
    for size in posters.SIZES:
        image = small.staff.posters.read(posters.poster_key(stem, size))
        assert image.content_type == "image/webp"
        decoded = Image.open(io.BytesIO(image.body))
        assert decoded.format == "WEBP"
        widths[size] = decoded.size
    assert widths == {"card": (400, 600), "page": (600, 900)}  # scaled down, never enlarged
    entry = small.staff.audit.recent([GLOBAL])[0]
    assert (entry.action, entry.target, entry.after) == ("movie.poster", "tiny-movie", {"poster_key": stem})


@pytest.mark.parametrize(("data", "problem"), [
    (b"\x89PNG\r\n\x1a\n" + b"not really a png" * 10, "PNG, JPEG or WebP"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "PNG, JPEG or WebP"),
    (b"", "Choose an image"),
    (b"\x00" * (posters.MAX_BYTES + 1), "at most 5 MB"),
    (png(100, 150), "200 to 6000 pixels"),
])
def test_bad_uploads_are_refused_and_change_nothing(small: Services, data: bytes, problem: str) -> None:
    with pytest.raises(InvalidRequest, match=problem):
        small.staff.movies.upload_poster(admin(small), "tiny-movie", data)
    assert small.catalog.movie("tiny-movie").poster_key == ""
    listed = small.aws.s3.list_objects_v2(Bucket=small.aws.posters_bucket)
    assert listed["KeyCount"] == 0


def test_a_gif_is_refused_by_content(small: Services) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 400)).save(buffer, format="GIF")
    with pytest.raises(InvalidRequest, match="PNG, JPEG or WebP"):
        small.staff.movies.upload_poster(admin(small), "tiny-movie", buffer.getvalue())


def test_only_admins_upload_and_unknown_keys_are_not_found(small: Services) -> None:
    manager = staff(small, "maya", "manager", ["tiny-theater"]).user
    with pytest.raises(Forbidden):
        small.staff.movies.upload_poster(manager, "tiny-movie", png())
    with pytest.raises(NotFound):
        small.staff.movies.upload_poster(admin(small), "no-such-movie", png())
    for key in ("../secrets", "tiny-movie/0123456789abcdef-card.webp", "tiny-movie/x.png"):
        with pytest.raises(NotFound):
            small.staff.posters.read(key)


@pytest.mark.usefixtures("mailbox_env")  # before ``user``: the app starts on the test's tables
async def test_the_app_serves_an_uploaded_poster_with_caching_headers(user: SimulatedUser,
                                                                      app_services: Services) -> None:
    boss = app_services.users.register("Root", "root@example.com", "password123", role="admin")
    movie_id = app_services.catalog.all_movies()[0].movie_id
    stem = app_services.staff.movies.upload_poster(boss, movie_id, png())
    url = poster_url(app_services.catalog.movie(movie_id), "page")
    response = await user.http_client.get(url)
    assert response.status_code == 200 and response.headers["content-type"] == "image/webp"
    assert "immutable" in response.headers["cache-control"]
    assert Image.open(io.BytesIO(response.content)).size == (600, 900)
    again = await user.http_client.get(url, headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304
    missing = await user.http_client.get(f"/posters/{stem}-huge.webp")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
