"""Poster upload through the JSON API (``PUT /api/v1/staff/movies/{id}/poster``, the image as the body):
admins only; a bad type is 415, too big 413, bad dimensions 422, and nothing is stored; the app's body
limit lets this route (and only it) take a poster-sized body; the OpenAPI document says all of it."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from nicegui.testing import User as SimulatedUser
from PIL import Image

from services.catalog import posters
from services.container import Services
from services.staff.audit import GLOBAL
from tests.conftest import api_client
from tests.staff_helpers import PASSWORD, admin, customer, staff


def image(kind: str = "PNG", width: int = 600, height: int = 900) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (30, 90, 200)).save(buffer, format=kind)
    return buffer.getvalue()


@pytest.fixture
def client(small: Services) -> Iterator[TestClient]:
    admin(small)
    with api_client(small) as test_client:
        yield test_client


def bearer(client: TestClient, email: str) -> dict[str, str]:
    answer = client.post("/auth/login", json={"email": email, "password": PASSWORD}).json()
    return {"Authorization": f"Bearer {answer['access_token']}"}


def stored_keys(services: Services) -> list[str]:
    listed = services.aws.s3.list_objects_v2(Bucket=services.aws.posters_bucket)
    return [item["Key"] for item in listed.get("Contents", [])]


def test_an_admin_replaces_a_poster_through_the_api(client: TestClient, small: Services) -> None:
    answer = client.put("/staff/movies/tiny-movie/poster", content=image("JPEG"),
                        headers=bearer(client, "boss@example.com") | {"Content-Type": "image/jpeg"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    stem = small.catalog.movie("tiny-movie").poster_key
    assert body == {"movie_id": "tiny-movie", "poster_url": f"/posters/{stem}-page.webp",
                    "card_url": f"/posters/{stem}-card.webp"}
    assert sorted(stored_keys(small)) == [f"{stem}-card.webp", f"{stem}-page.webp"]
    entry = small.staff.audit.recent([GLOBAL])[0]
    assert (entry.action, entry.target, entry.actor_email) == ("movie.poster", "tiny-movie", "boss@example.com")


# What a poster route refuses, with the status and code (the event route's test uses the same list).
BAD_IMAGES = [
    (b"<svg xmlns='http://www.w3.org/2000/svg'/>", 415, "unsupported_media_type"),
    (image("GIF"), 415, "unsupported_media_type"),
    (b"\x89PNG\r\n\x1a\n" + b"truncated" * 20, 415, "unsupported_media_type"),
    (image("PNG", 120, 180), 422, "invalid_request"),
    (b"", 422, "invalid_request"),
]


@pytest.mark.parametrize(("data", "status", "code"), BAD_IMAGES)
def test_bad_images_are_refused_and_nothing_is_stored(client: TestClient, small: Services, data: bytes,
                                                       status: int, code: str) -> None:
    answer = client.put("/staff/movies/tiny-movie/poster", content=data,
                        headers=bearer(client, "boss@example.com") | {"Content-Type": "image/png"})
    assert answer.status_code == status and answer.json()["error"]["code"] == code
    assert small.catalog.movie("tiny-movie").poster_key == "" and stored_keys(small) == []


def test_an_image_over_5_mb_is_413(client: TestClient, small: Services) -> None:
    """The service's own check (the app's middleware stops larger bodies earlier; see below)."""
    answer = client.put("/staff/movies/tiny-movie/poster", content=b"\x00" * (posters.MAX_BYTES + 1),
                        headers=bearer(client, "boss@example.com"))
    assert answer.status_code == 413 and answer.json()["error"]["code"] == "payload_too_large"
    assert stored_keys(small) == []


def test_only_admins_upload_posters(client: TestClient, small: Services) -> None:
    manager = staff(small, "maya", "manager", ["tiny-theater"]).user
    shopper = customer(small, "carl")
    data = image()
    assert client.put("/staff/movies/tiny-movie/poster", content=data).status_code == 401
    for someone in (manager, shopper):
        token = {"Authorization": f"Bearer {small.tokens.issue(someone).access_token}"}
        refused = client.put("/staff/movies/tiny-movie/poster", content=data, headers=token)
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    missing = client.put("/staff/movies/no-such-movie/poster", content=data, headers=bearer(client, "boss@example.com"))
    assert missing.status_code == 404
    assert stored_keys(small) == []


def test_the_openapi_document_describes_the_upload(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/staff/movies/{movie_id}/poster"]["put"]
    assert set(operation["requestBody"]["content"]) == {"image/png", "image/jpeg", "image/webp"}
    assert {"200", "401", "403", "404", "413", "415", "422"} <= set(operation["responses"])


@pytest.mark.usefixtures("mailbox_env")  # before ``user``: the app starts on the test's tables
async def test_the_app_lets_only_the_poster_route_take_a_large_body(user: SimulatedUser,
                                                                    app_services: Services) -> None:
    """The app's body limit (1 MB pages, 64 KB JSON) gives the poster route 5 MB, and over that a clear 413."""
    boss = app_services.users.register("Root", "root@example.com", "password123", role="admin")
    token = {"Authorization": f"Bearer {app_services.tokens.issue(boss).access_token}"}
    movie_id = app_services.catalog.all_movies()[0].movie_id
    # Noise does not compress: a real photo-sized PNG between the page limit (1 MB) and the poster's (5 MB).
    noisy = Image.effect_noise((1000, 1500), 80).convert("RGB")
    buffer = io.BytesIO()
    noisy.save(buffer, format="PNG")
    big = buffer.getvalue()
    assert 1024 * 1024 < len(big) < posters.MAX_BYTES
    accepted = await user.http_client.put(f"/api/v1/staff/movies/{movie_id}/poster", content=big,
                                          headers=token | {"Content-Type": "image/png"})
    assert accepted.status_code == 200, accepted.text
    served = await user.http_client.get(accepted.json()["poster_url"])
    assert served.status_code == 200 and Image.open(io.BytesIO(served.content)).format == "WEBP"

    too_big = await user.http_client.put(f"/api/v1/staff/movies/{movie_id}/poster",
                                         content=b"\x00" * (posters.MAX_BYTES + 128 * 1024), headers=token)
    assert too_big.status_code == 413 and too_big.json()["error"]["code"] == "payload_too_large"
    elsewhere = await user.http_client.put(f"/api/v1/staff/movies/{movie_id}", content=big, headers=token)
    assert elsewhere.status_code == 413  # other routes keep the JSON API's small limit
