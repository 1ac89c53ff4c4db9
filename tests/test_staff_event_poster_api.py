"""An event's poster through the JSON API (``PUT /api/v1/staff/events/{id}/poster``, the image as the body), the
movie route's twin: admins only; a bad type is 415, too big 413, bad dimensions 422, no such event 404, and each
refusal leaves the stored event, the bucket and the audit log as they were; the app's body limit (and nginx's)
lets this route take a poster-sized body; the public event page shows the new poster; the OpenAPI document
describes it as it does the movie route."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from nicegui import ui
from nicegui.testing import User as SimulatedUser
from PIL import Image

from api.body_limit import UPLOAD_PATHS
from services.catalog import posters
from services.container import Services
from services.platform.schema import MOVIES
from services.staff.audit import GLOBAL
from tests.conftest import api_client
from tests.events_helpers import add_event
from tests.staff_helpers import admin, customer, staff
from tests.test_staff_poster_api import BAD_IMAGES, bearer, image, stored_keys

NGINX_CONF = Path(__file__).resolve().parent.parent / "deploy" / "nginx.conf"


@pytest.fixture
def client(small: Services) -> Iterator[TestClient]:
    admin(small)
    add_event(small)
    with api_client(small) as test_client:
        yield test_client


def stored(services: Services, item_id: str) -> dict[str, Any]:
    """The catalog item as DynamoDB holds it (not the catalog's cache)."""
    return services.aws.table(MOVIES).get_item(Key={"movie_id": item_id}, ConsistentRead=True)["Item"]


def poster_entries(services: Services) -> list[tuple[str, str]]:
    return [(entry.action, entry.target) for entry in services.staff.audit.recent([GLOBAL])
            if entry.action.endswith(".poster")]


def test_an_admin_replaces_an_event_poster_through_the_api(client: TestClient, small: Services) -> None:
    answer = client.put("/staff/events/tiny-gig/poster", content=image("JPEG"),
                        headers=bearer(client, "boss@example.com") | {"Content-Type": "image/jpeg"})
    assert answer.status_code == 200, answer.text
    stem = small.events.catalog.event("tiny-gig").poster_key
    assert stem.startswith("tiny-gig/")
    assert answer.json() == {"event_id": "tiny-gig", "poster_url": f"/posters/{stem}-page.webp",
                             "card_url": f"/posters/{stem}-card.webp"}
    assert sorted(stored_keys(small)) == [f"{stem}-card.webp", f"{stem}-page.webp"]
    entry = small.staff.audit.recent([GLOBAL])[0]
    assert (entry.action, entry.target, entry.actor_email) == ("event.poster", "tiny-gig", "boss@example.com")
    assert (entry.before, entry.after) == ({"poster_key": ""}, {"poster_key": stem})
    # A second upload replaces it; the movie route's answer has the same shape with its own id.
    again = client.put("/staff/events/tiny-gig/poster", content=image("WEBP", 400, 600),
                       headers=bearer(client, "boss@example.com") | {"Content-Type": "image/webp"})
    assert again.status_code == 200 and again.json()["poster_url"] != answer.json()["poster_url"]
    assert small.events.catalog.event("tiny-gig").poster_key != stem


@pytest.mark.parametrize(("data", "status", "code"), [
    *BAD_IMAGES,
    (b"\x00" * (posters.MAX_BYTES + 1), 413, "payload_too_large"),  # the service's own check (no middleware here)
])
def test_bad_images_are_refused_as_for_a_movie_and_nothing_changes(client: TestClient, small: Services, data: bytes,
                                                                    status: int, code: str) -> None:
    before = stored(small, "tiny-gig")
    answers = [client.put(f"/staff/{kind}/{item}/poster", content=data,
                          headers=bearer(client, "boss@example.com") | {"Content-Type": "image/png"})
               for kind, item in (("events", "tiny-gig"), ("movies", "tiny-movie"))]
    # The same mistake gets the same answer from both routes.
    assert [(a.status_code, a.json()["error"]["code"]) for a in answers] == [(status, code), (status, code)]
    assert answers[0].json()["error"]["message"] == answers[1].json()["error"]["message"]
    assert stored(small, "tiny-gig") == before
    assert stored_keys(small) == [] and poster_entries(small) == []


def test_only_admins_upload_and_only_to_an_event(client: TestClient, small: Services) -> None:
    manager = staff(small, "maya", "manager", ["tiny-theater"]).user
    shopper = customer(small, "carl")
    data = image()
    before, movie_before = stored(small, "tiny-gig"), stored(small, "tiny-movie")
    anonymous = client.put("/staff/events/tiny-gig/poster", content=data)
    assert anonymous.status_code == 401 and anonymous.json()["error"]["code"] == "unauthorized"
    for someone in (manager, shopper):
        token = {"Authorization": f"Bearer {small.tokens.issue(someone).access_token}"}
        refused = client.put("/staff/events/tiny-gig/poster", content=data, headers=token)
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    boss = bearer(client, "boss@example.com")
    for missing in ("no-such-gig", "tiny-movie"):  # a movie's id is no event's
        answer = client.put(f"/staff/events/{missing}/poster", content=data, headers=boss)
        assert answer.status_code == 404 and answer.json()["error"] == {"code": "not_found",
                                                                      "message": "That event does not exist."}
    assert stored(small, "tiny-gig") == before and stored(small, "tiny-movie") == movie_before
    assert stored_keys(small) == [] and poster_entries(small) == []


def test_the_openapi_document_describes_the_upload_as_the_movie_one(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    event = paths["/staff/events/{event_id}/poster"]["put"]
    movie = paths["/staff/movies/{movie_id}/poster"]["put"]
    assert set(event["requestBody"]["content"]) == {"image/png", "image/jpeg", "image/webp"}
    assert event["requestBody"] == movie["requestBody"]
    assert {"200", "401", "403", "404", "413", "415", "422"} <= set(event["responses"])
    assert event["responses"]["404"]["description"] == "no such event"
    assert event["responses"]["413"] == movie["responses"]["413"]
    schema = event["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    properties = client.get("/openapi.json").json()["components"]["schemas"][schema]["properties"]
    assert set(properties) == {"event_id", "poster_url", "card_url"}


def test_nginx_gives_the_same_paths_the_poster_allowance() -> None:
    """deploy/nginx.conf's 6 MB location and the app's UPLOAD_PATHS say the same thing (behind nginx, a path
    only the app allowed would still be cut at nginx's 1 MB)."""
    config = NGINX_CONF.read_text()
    found = re.search(r"location ~ (\S+) \{\s*client_max_body_size 6m;", config)
    assert found, "nginx.conf has no 6 MB location"
    nginx = re.compile(found.group(1))
    paths = ["/api/v1/staff/movies/the-long-reel/poster", "/api/v1/staff/events/laugh-riot/poster",
             "/_nicegui/client/abc-123/upload/140", "/api/v1/staff/events", "/api/v1/staff/events/x/poster/extra",
             "/api/v1/staff/theaters/x/poster", "/api/v1/staff/events/a/b/poster", "/poster"]
    assert [bool(nginx.match(path)) for path in paths] == [bool(UPLOAD_PATHS.match(path)) for path in paths]
    assert [bool(UPLOAD_PATHS.match(path)) for path in paths] == [True, True, True] + [False] * 5


@pytest.fixture
def gig(app_services: Services) -> str:
    """An event in the app's tables before the app starts (it caches its catalog)."""
    return add_event(app_services)


@pytest.mark.usefixtures("mailbox_env", "gig")  # before ``user``: the app starts on the test's tables
async def test_the_app_takes_a_large_event_poster_and_the_event_page_shows_it(user: SimulatedUser,
                                                                               app_services: Services) -> None:
    """The app's body limit (1 MB pages, 64 KB JSON) gives the event poster route 5 MB, over that a clear 413;
    the uploaded poster is served and is the one the public event page shows."""
    boss = app_services.users.register("Root", "root@example.com", "password123", role="admin")
    token = {"Authorization": f"Bearer {app_services.tokens.issue(boss).access_token}"}
    await user.open("/event/tiny-gig")
    await user.should_see(marker="page-title", retries=50)
    shown = [element.props.get("src", "") for element in user.find(kind=ui.element).elements if element.tag == "img"]
    assert not any(src.startswith("/posters/") for src in shown)  # no uploaded poster yet

    # Noise does not compress: a real photo-sized PNG between the page limit (1 MB) and the poster's (5 MB).
    noisy = Image.effect_noise((1000, 1500), 80).convert("RGB")
    buffer = io.BytesIO()
    noisy.save(buffer, format="PNG")
    big = buffer.getvalue()
    assert 1024 * 1024 < len(big) < posters.MAX_BYTES
    accepted = await user.http_client.put("/api/v1/staff/events/tiny-gig/poster", content=big,
                                          headers=token | {"Content-Type": "image/png"})
    assert accepted.status_code == 200, accepted.text
    poster_url = accepted.json()["poster_url"]
    served = await user.http_client.get(poster_url)
    assert served.status_code == 200 and served.headers["content-type"] == "image/webp"
    assert Image.open(io.BytesIO(served.content)).format == "WEBP"
    assert poster_entries(app_services) == [("event.poster", "tiny-gig")]

    await user.open("/event/tiny-gig")
    await user.should_see(marker="page-title", retries=50)
    shown = [element.props.get("src", "") for element in user.find(kind=ui.element).elements if element.tag == "img"]
    assert poster_url in shown

    too_big = await user.http_client.put("/api/v1/staff/events/tiny-gig/poster",
                                         content=b"\x00" * (posters.MAX_BYTES + 128 * 1024), headers=token)
    assert too_big.status_code == 413 and too_big.json()["error"]["code"] == "payload_too_large"
    elsewhere = await user.http_client.post("/api/v1/staff/events", content=big, headers=token)
    assert elsewhere.status_code == 413  # the other event routes keep the JSON API's small limit
    assert stored(app_services, "tiny-gig")["poster_key"] == poster_url.removeprefix("/posters/").removesuffix(
        "-page.webp")
