"""Performances never overlap in one room (issue 17): a venue's stage, a hall, its standing floor, or a cinema's
screen shared with films. Each new performance claims its rooms' versioned Schedule day items in its own
transaction, so two managers racing for one evening get one performance and one clear conflict."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from services.catalog.models import Movie, Theater
from services.container import Services
from services.errors import DomainError
from services.events.editor import PerformanceDraft
from services.events.models import TicketType
from services.staff.schedule import ScheduleConflict, ShowRequest
from tests.conftest import SMALL_PRICES
from tests.events_helpers import add_event
from tests.staff_helpers import admin

STANDING = (TicketType("standing", "Standing", 50, 50000, 4, position=1),)


@pytest.fixture
def club(small: Services) -> Services:
    boss = admin(small)
    small.events.editor.save_venue(boss, Theater("tiny-club", "Tiny Club", "Testville", "2 Test Road",
                                                 "Asia/Kolkata", (), kind="venue"))
    add_event(small)
    add_event(small, "tiny-talk", "Tiny Talk", "comedy", ("Kiki",))
    small.catalog.invalidate()
    return small


def draft(services: Services, hours: float, event_id: str = "tiny-gig", venue: str = "tiny-club",
          admission: str = "general", hall: str = "") -> PerformanceDraft:
    starts = services.clock.now().replace(minute=0, second=0, microsecond=0) + timedelta(days=2, hours=hours)
    return PerformanceDraft(event_id, venue, starts, admission, screen_id=hall,
                            prices=SMALL_PRICES if admission != "general" else {},
                            ticket_types=STANDING if admission != "seated" else ())


def test_two_performances_at_one_venue_cannot_overlap(club: Services) -> None:
    boss = admin(club)
    editor = club.events.editor
    first = editor.add_performance(boss, draft(club, 0))  # 90 minutes: until 1:30
    with pytest.raises(ScheduleConflict) as clash:
        editor.add_performance(boss, draft(club, 1, "tiny-talk"))
    assert clash.value.conflicts == [first] and "The venue is busy then" in clash.value.message
    editor.add_performance(boss, draft(club, 1.5, "tiny-talk"))  # right after: fine
    # Another venue the same evening is another room.
    club.events.editor.save_venue(boss, Theater("tiny-bar", "Tiny Bar", "Testville", "3 Test Road",
                                                "Asia/Kolkata", (), kind="venue"))
    editor.add_performance(boss, draft(club, 0, venue="tiny-bar"))


def test_racing_managers_get_one_performance_and_one_conflict(club: Services) -> None:
    boss = admin(club)

    def create(index: int) -> str:
        try:
            event = "tiny-talk" if index % 2 else "tiny-gig"
            club.events.editor.add_performance(boss, draft(club, index * 0.25, event))
            return "created"
        except ScheduleConflict:
            return "conflict"
        except DomainError as exc:
            return exc.code

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(create, range(4)))  # all four start within the first one's 90 minutes
    assert sorted(outcomes) == ["conflict", "conflict", "conflict", "created"], outcomes
    performances = club.events.catalog.performances("tiny-gig") + club.events.catalog.performances("tiny-talk")
    assert len([p for p in performances if p.theater_id == "tiny-club"]) == 1


def test_an_event_at_a_cinema_screen_cannot_overlap_its_films(small: Services) -> None:
    boss = admin(small)
    add_event(small)
    movie: Movie = small.catalog.movie(small.catalog.showtime("tiny-show").movie_id)
    starts = small.clock.now().replace(minute=0, second=0, microsecond=0) + timedelta(days=3)
    film = small.staff.schedule.schedule(boss, ShowRequest(movie.movie_id, "tiny-theater.tiny-1", starts, {}))
    small.catalog.invalidate()
    seated = PerformanceDraft("tiny-gig", "tiny-theater", starts + timedelta(minutes=30), "seated",
                              screen_id="tiny-1", prices=SMALL_PRICES)
    with pytest.raises(ScheduleConflict) as clash:
        small.events.editor.add_performance(boss, seated)
    assert clash.value.conflicts == [film.showtime_id]


def test_a_cancelled_performance_frees_its_room(club: Services) -> None:
    boss = admin(club)
    first = club.events.editor.add_performance(boss, draft(club, 0))
    club.staff.cancellation.cancel(boss, first)
    assert club.catalog.showtime(first).status == "cancelled"
    club.events.editor.add_performance(boss, draft(club, 0.5, "tiny-talk"))  # the evening is free again
