"""Editing events and venues in the staff console's services (issue 17): every field of an event, its poster
through the movies' pipeline (kept when the fields are saved again), a venue's fields (its city and time zone
fixed while it has upcoming performances); admins only, every change audited."""

from __future__ import annotations

from dataclasses import replace

import pytest

from components.movie_card import poster_url
from services.catalog.models import Theater
from services.container import Services
from services.errors import Forbidden, InvalidRequest, NotFound
from services.staff.audit import GLOBAL
from tests.events_helpers import add_event
from tests.staff_helpers import admin, staff
from tests.test_staff_posters import png
from tests.test_venue_schedule import draft


def test_an_admin_edits_every_field_of_an_event_and_its_poster_stays(small: Services) -> None:
    boss = admin(small)
    add_event(small)
    event = small.events.catalog.event("tiny-gig")
    stem = small.events.editor.upload_poster(boss, "tiny-gig", png())
    assert poster_url(small.events.catalog.event("tiny-gig")) == f"/posters/{stem}-card.webp"
    changed = replace(event, title="Tiny Gig Live", kind="festival", tagline="Louder", cast=("The Tiny Band", "Ola"),
                      genres=("Rock",), languages=("Hindi",), certificate="UA", runtime_min=120,
                      synopsis="A bigger loud night.")
    small.events.editor.save_event(boss, changed)
    saved = small.events.catalog.event("tiny-gig")
    assert (saved.title, saved.kind, saved.tagline, saved.cast, saved.genres, saved.languages, saved.certificate,
            saved.runtime_min, saved.synopsis) == ("Tiny Gig Live", "festival", "Louder", ("The Tiny Band", "Ola"),
                                                   ("Rock",), ("Hindi",), "UA", 120, "A bigger loud night.")
    assert saved.poster_key == stem  # the form does not carry the poster: saving the fields keeps it
    entries = small.staff.audit.recent([GLOBAL])
    assert [(e.action, e.target) for e in entries[:2]] == [("event.saved", "tiny-gig"), ("event.poster", "tiny-gig")]
    before, after = entries[0].before or {}, entries[0].after or {}
    assert before["title"] == "Tiny Gig" and after["title"] == "Tiny Gig Live"


def test_a_poster_uploaded_meanwhile_is_not_dropped_by_an_older_form(small: Services) -> None:
    boss = admin(small)
    add_event(small)
    event = small.events.catalog.event("tiny-gig")
    small.events.editor.save_event(boss, replace(event, title="First"))  # the stored item has no poster yet
    stem = small.events.editor.upload_poster(boss, "tiny-gig", png())
    # A form read before the upload saves again: the editor reads the item afresh, so the poster stays.
    small.events.editor.save_event(boss, replace(event, title="Second"))
    assert small.events.catalog.event("tiny-gig").poster_key == stem


def test_event_edits_are_for_admins_and_never_touch_a_movie(small: Services) -> None:
    add_event(small)
    event = small.events.catalog.event("tiny-gig")
    manager = staff(small, "mona", "manager", ["tiny-theater"]).user
    with pytest.raises(Forbidden):
        small.events.editor.save_event(manager, replace(event, title="Mine now"))
    with pytest.raises(Forbidden):
        small.events.editor.upload_poster(manager, "tiny-gig", png())
    with pytest.raises(NotFound):
        small.events.editor.upload_poster(admin(small), "tiny-movie", png())  # a movie, not an event
    with pytest.raises(InvalidRequest):
        small.events.editor.save_event(admin(small), replace(event, movie_id="tiny-movie"))
    assert small.catalog.movie("tiny-movie").kind == "movie"
    assert small.events.catalog.event("tiny-gig").title == "Tiny Gig"


def test_an_admin_edits_a_venue_whose_city_stays_while_it_has_performances(small: Services) -> None:
    boss = admin(small)
    editor = small.events.editor
    club = Theater("tiny-club", "Tiny Club", "Testville", "2 Test Road", "Asia/Kolkata", (), kind="venue")
    editor.save_venue(boss, club)
    editor.save_venue(boss, replace(club, name="The Tiny Club", address="4 Test Road", map_url="https://x.test/m"))
    saved = small.catalog.theater("tiny-club")
    assert (saved.name, saved.address, saved.map_url) == ("The Tiny Club", "4 Test Road", "https://x.test/m")
    editor.save_venue(boss, replace(club, city="Otherville"))  # nothing on yet: it may move
    assert small.catalog.theater("tiny-club").city == "Otherville"
    add_event(small)
    editor.add_performance(boss, replace(draft(small, 0), venue_id="tiny-club"))
    with pytest.raises(InvalidRequest, match="city and time zone cannot change"):
        editor.save_venue(boss, replace(club, city="Testville"))
    with pytest.raises(InvalidRequest):
        editor.save_venue(boss, replace(club, city="Otherville", timezone="Asia/Kathmandu"))
    editor.save_venue(boss, replace(club, city="Otherville", name="Renamed"))  # the rest may change
    assert small.catalog.theater("tiny-club").name == "Renamed"
    entry = small.staff.audit.recent([GLOBAL])[0]
    assert (entry.action, (entry.before or {})["name"], (entry.after or {})["name"]) == (
        "venue.saved", "Tiny Club", "Renamed")
