"""Admins edit the catalogue's movies (over moto): validated, audited in the same write, admins only,
and what customers see changes at once (the catalog's cache is invalidated)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.v1 import PREFIX, create_app
from services.container import Services
from services.errors import Forbidden, InvalidRequest, NotFound
from services.staff.audit import GLOBAL
from services.staff.movies import MovieDraft
from tests.staff_helpers import PASSWORD, admin, staff

DRAFT = MovieDraft(title="  The Long Reel ", synopsis="A projectionist's last night.", genres=("Drama", "Drama"),
                   languages=("English", "Hindi"), certificate="UA", runtime_min=128, release_date="2026-12-25")


def test_an_admin_adds_edits_and_retires_a_movie(small: Services) -> None:
    boss = admin(small)
    assert [m.movie_id for m in small.catalog.all_movies()] == ["tiny-movie"]  # read once: now cached

    small.staff.movies.create(boss, "long-reel", DRAFT)
    movie = small.catalog.movie("long-reel")
    assert (movie.title, movie.genres, movie.languages, movie.runtime_min) == (
        "The Long Reel", ("Drama",), ("English", "Hindi"), 128)
    assert "long-reel" in {m.movie_id for m in small.catalog.find_movies(query="long reel")}

    small.staff.movies.update(boss, "long-reel", replace(DRAFT, title="The Longest Reel", runtime_min=131))
    assert small.catalog.movie("long-reel").title == "The Longest Reel"

    small.staff.movies.retire(boss, "long-reel")
    assert "long-reel" not in {m.movie_id for m in small.catalog.all_movies()}
    assert small.catalog.movie("long-reel").title == "The Longest Reel"  # bookings still read it by id

    entries = small.staff.audit.recent([GLOBAL])
    assert [e.action for e in entries if e.target == "long-reel"] == ["movie.retired", "movie.updated",
                                                                     "movie.created"]
    updated = next(e for e in entries if e.action == "movie.updated")
    assert updated.before["title"] == "The Long Reel" and updated.after["runtime_min"] == 131  # type: ignore[index]
    assert updated.actor_email == "boss@example.com"


@pytest.mark.parametrize(("change", "problem"), [
    ({"title": "   "}, "title"),
    ({"genres": ()}, "genres"),
    ({"languages": (" ",)}, "languages"),
    ({"certificate": "XXX"}, "certificate"),
    ({"runtime_min": 0}, "runtime"),
    ({"release_date": "25/12/2026"}, "release date"),
    ({"synopsis": "x" * 2001}, "synopsis"),
])
def test_bad_movies_are_refused_and_change_nothing(small: Services, change: dict[str, object], problem: str) -> None:
    with pytest.raises(InvalidRequest, match=f"(?i){problem}"):
        small.staff.movies.create(admin(small), "bad-movie", replace(DRAFT, **change))  # type: ignore[arg-type]
    with pytest.raises(NotFound):
        small.catalog.movie("bad-movie")
    assert not [e for e in small.staff.audit.recent([GLOBAL]) if e.target == "bad-movie"]


def test_ids_are_unique_and_well_formed(small: Services) -> None:
    boss = admin(small)
    with pytest.raises(InvalidRequest, match="exists already"):
        small.staff.movies.create(boss, "tiny-movie", DRAFT)
    assert small.catalog.movie("tiny-movie").title != "The Long Reel"
    with pytest.raises(InvalidRequest, match="lowercase"):
        small.staff.movies.create(boss, "Bad Id!", DRAFT)
    with pytest.raises(NotFound):
        small.staff.movies.update(boss, "no-such-movie", DRAFT)


def test_only_admins_edit_movies(small: Services) -> None:
    manager = staff(small, "maya", "manager", ["tiny-theater"]).user
    with pytest.raises(Forbidden):
        small.staff.movies.create(manager, "long-reel", DRAFT)
    with pytest.raises(Forbidden):
        small.staff.movies.retire(manager, "tiny-movie")
    assert "tiny-movie" in {m.movie_id for m in small.catalog.all_movies()}


def test_the_api_edits_movies_for_admins_only(small: Services) -> None:
    admin(small)
    parent = FastAPI()
    parent.mount(PREFIX, create_app(small))
    body = {"movie_id": "long-reel", "title": "The Long Reel", "synopsis": "", "genres": ["Drama"],
            "languages": ["English"], "certificate": "UA", "runtime_min": 128, "release_date": "2026-12-25"}
    with TestClient(parent, base_url="http://testserver" + PREFIX) as client:
        def token(email: str) -> dict[str, str]:
            answer = client.post("/auth/login", json={"email": email, "password": PASSWORD}).json()
            return {"Authorization": f"Bearer {answer['access_token']}"}

        assert client.post("/staff/movies", json=body).status_code == 401
        client.post("/auth/register", json={"name": "Carl", "email": "carl@example.com", "password": PASSWORD})
        refused = client.post("/staff/movies", json=body, headers=token("carl@example.com"))
        assert refused.status_code == 403 and refused.json()["error"]["code"]
        boss = token("boss@example.com")
        assert client.post("/staff/movies", json=body, headers=boss).json() == {"movie_id": "long-reel"}
        bad = client.post("/staff/movies", json={**body, "movie_id": "other", "runtime_min": 0}, headers=boss)
        assert bad.status_code == 422 and "runtime" in bad.json()["error"]["message"]
        changed = {k: v for k, v in body.items() if k != "movie_id"} | {"title": "Reel Two"}
        assert client.put("/staff/movies/long-reel", json=changed, headers=boss).status_code == 204
        assert client.put("/staff/movies/nope", json=changed, headers=boss).status_code == 404
        assert client.post("/staff/movies/long-reel/retire", headers=boss).status_code == 204
    assert small.catalog.movie("long-reel").title == "Reel Two"
    assert "long-reel" not in {m.movie_id for m in small.catalog.all_movies()}


def test_a_retired_movie_is_listed_for_admins_and_comes_back(small: Services) -> None:
    boss = admin(small)
    small.staff.movies.retire(boss, "tiny-movie")
    assert [m.movie_id for m in small.staff.movies.retired(boss)] == ["tiny-movie"]
    assert small.catalog.all_movies() == []
    with pytest.raises(InvalidRequest, match="retired already"):
        small.staff.movies.retire(boss, "tiny-movie")
    with pytest.raises(Forbidden):
        small.staff.movies.retired(staff(small, "maya", "manager", ["tiny-theater"]).user)

    small.staff.movies.unretire(boss, "tiny-movie")
    assert [m.movie_id for m in small.catalog.all_movies()] == ["tiny-movie"]
    assert small.staff.movies.retired(boss) == []
    with pytest.raises(InvalidRequest, match="catalogue already"):
        small.staff.movies.unretire(boss, "tiny-movie")
    actions = [e.action for e in small.staff.audit.recent([GLOBAL]) if e.target == "tiny-movie"]
    assert actions == ["movie.unretired", "movie.retired"]
