"""Admins edit the catalogue's movies: add, change, retire. Validated, audited in the same transaction.

Retiring moves the movie's ``catalog`` attribute from "movie" to "retired": it leaves the catalogue's
partition of the ``all-movies`` index (the catalogue and the search) and joins the retired one (the staff
page lists it there to bring it back, one Query, no Scan), while its item stays readable by id: bookings
and shows already made still show it.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from services.accounts.users import User
from services.catalog.catalog import CatalogService
from services.catalog.models import Movie
from services.catalog.posters import PosterStore
from services.clock import Clock
from services.errors import InvalidRequest, NotFound
from services.i18n import t
from services.platform import dynamo
from services.platform.aws import Aws
from services.platform.schema import MOVIES
from services.staff.access import AccessService
from services.staff.audit import GLOBAL, AuditLog
from services.staff.catalog_change import write_change

CERTIFICATES = ("U", "UA", "UA 7+", "UA 13+", "UA 16+", "A", "S", "G", "PG", "PG-13", "R", "NC-17")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
MAX_TITLE, MAX_SYNOPSIS, MAX_LIST = 120, 2000, 10
LISTED, RETIRED = "movie", "retired"  # the movie's partition of the all-movies index


@dataclass(frozen=True)
class MovieDraft:
    """What an admin types in the movie form (the poster is uploaded separately)."""

    title: str
    synopsis: str
    genres: tuple[str, ...]
    languages: tuple[str, ...]
    certificate: str
    runtime_min: int
    release_date: str  # ISO date, YYYY-MM-DD


def validate_draft(draft: MovieDraft) -> MovieDraft:
    """The draft with whitespace trimmed, or InvalidRequest naming the first problem."""
    title = draft.title.strip()
    if not 1 <= len(title) <= MAX_TITLE:
        raise InvalidRequest(t("A title has 1 to {n} characters.", n=MAX_TITLE))
    synopsis = draft.synopsis.strip()
    if len(synopsis) > MAX_SYNOPSIS:
        raise InvalidRequest(t("A synopsis has at most {n} characters.", n=MAX_SYNOPSIS))
    genres = tuple(dict.fromkeys(g.strip() for g in draft.genres if g.strip()))
    languages = tuple(dict.fromkeys(lang.strip() for lang in draft.languages if lang.strip()))
    if not genres or len(genres) > MAX_LIST:
        raise InvalidRequest(t("Give 1 to {n} genres.", n=MAX_LIST))
    if not languages or len(languages) > MAX_LIST:
        raise InvalidRequest(t("Give 1 to {n} languages.", n=MAX_LIST))
    if draft.certificate not in CERTIFICATES:
        raise InvalidRequest(t("The certificate is one of {choices}.", choices=", ".join(CERTIFICATES)))
    if isinstance(draft.runtime_min, bool) or not isinstance(draft.runtime_min, int) \
            or not 1 <= draft.runtime_min <= 600:
        raise InvalidRequest(t("The runtime is 1 to 600 minutes."))
    try:
        date.fromisoformat(draft.release_date)
    except (TypeError, ValueError) as exc:
        raise InvalidRequest(t("The release date is a date like 2026-12-25.")) from exc
    return MovieDraft(title, synopsis, genres, languages, draft.certificate, draft.runtime_min, draft.release_date)


class MovieEditor:
    def __init__(self, aws: Aws, clock: Clock, catalog: CatalogService, access: AccessService,
                 audit: AuditLog, posters: PosterStore) -> None:
        self._aws = aws
        self._posters = posters
        self._clock = clock
        self._catalog = catalog
        self._access = access
        self._audit = audit
        self._movies = aws.table(MOVIES)

    def create(self, user: User | None, movie_id: str, draft: MovieDraft) -> str:
        """Add a movie under ``movie_id`` (lowercase letters, digits, hyphens); InvalidRequest if it exists."""
        member = self._access.require(user, "admin")
        if not _ID.match(movie_id):
            raise InvalidRequest(t("A movie id is 2 to 63 lowercase letters, digits and hyphens."))
        clean = validate_draft(draft)
        item = {"movie_id": movie_id, "catalog": LISTED, **_fields(clean), "rating": 0, "votes": 0}
        self._write([
            {"Put": {"TableName": self._aws.table_name(MOVIES), "Item": item,
                     "ConditionExpression": "attribute_not_exists(movie_id)"}},
            self._audit.put_action(GLOBAL, member, "movie.created", movie_id, self._clock.now(), None, _fields(clean)),
        ], t("A movie with that id exists already."))
        return movie_id

    def update(self, user: User | None, movie_id: str, draft: MovieDraft) -> None:
        """Change a movie's facts; conditional on nobody having changed them since they were read."""
        member = self._access.require(user, "admin")
        clean = validate_draft(draft)
        before = self._read(movie_id)
        after = _fields(clean)
        names = {f"#{key}": key for key in after}
        values: dict[str, Any] = {f":{key}": value for key, value in after.items()}
        # The condition compares what was read: a concurrent edit makes this one fail instead of overwriting it.
        condition = " AND ".join(f"#{key} = :old_{key}" for key in after if key in before)
        values |= {f":old_{key}": before[key] for key in after if key in before}
        update: dict[str, Any] = {
            "TableName": self._aws.table_name(MOVIES), "Key": {"movie_id": movie_id},
            "UpdateExpression": "SET " + ", ".join(f"#{key} = :{key}" for key in after),
            "ConditionExpression": "attribute_exists(movie_id)" + (f" AND {condition}" if condition else ""),
            "ExpressionAttributeNames": names, "ExpressionAttributeValues": values,
        }
        self._write([{"Update": update}, self._audit.put_action(
            GLOBAL, member, "movie.updated", movie_id, self._clock.now(),
            {key: before.get(key) for key in after}, after)],
            t("Someone changed this movie meanwhile. Reload and edit again."))

    def retire(self, user: User | None, movie_id: str) -> None:
        """Take a movie out of the catalogue (its shows and bookings keep reading it by id)."""
        self._move(user, movie_id, LISTED, RETIRED, "movie.retired", t("This movie is retired already."))

    def unretire(self, user: User | None, movie_id: str) -> None:
        """Bring a retired movie back into the catalogue."""
        self._move(user, movie_id, RETIRED, LISTED, "movie.unretired", t("This movie is in the catalogue already."))

    def retired(self, user: User | None) -> list[Movie]:
        """The retired movies, by title (admins): one Query of the index's retired partition."""
        self._access.require(user, "admin")
        return self._catalog.movies_in(RETIRED)

    def _move(self, user: User | None, movie_id: str, source: str, target: str, action: str, already: str) -> None:
        member = self._access.require(user, "admin")
        before = self._read(movie_id)
        if before.get("catalog") != source:
            raise InvalidRequest(already)
        self._write([
            {"Update": {"TableName": self._aws.table_name(MOVIES), "Key": {"movie_id": movie_id},
                        "UpdateExpression": "SET #catalog = :target, retired = :retired",
                        "ConditionExpression": "#catalog = :source",
                        # CATALOG is a DynamoDB reserved word.
                        "ExpressionAttributeNames": {"#catalog": "catalog"},
                        "ExpressionAttributeValues": {":target": target, ":source": source,
                                                      ":retired": target == RETIRED}}},
            self._audit.put_action(GLOBAL, member, action, movie_id, self._clock.now(),
                                   {"title": before.get("title"), "catalog": source}, {"catalog": target}),
        ], already)

    def upload_poster(self, user: User | None, movie_id: str, data: bytes) -> str:
        """Check, resize and store an uploaded image as the movie's poster; returns its S3 stem."""
        member = self._access.require(user, "admin")
        before = self._read(movie_id)
        # Stored before the item points at it: a failed write leaves an unused image, never a broken poster.
        stem = self._posters.store(movie_id, data)
        self._write([
            {"Update": {"TableName": self._aws.table_name(MOVIES), "Key": {"movie_id": movie_id},
                        "UpdateExpression": "SET poster_key = :key",
                        "ConditionExpression": "attribute_exists(movie_id)",
                        "ExpressionAttributeValues": {":key": stem}}},
            self._audit.put_action(GLOBAL, member, "movie.poster", movie_id, self._clock.now(),
                                   {"poster_key": before.get("poster_key", "")}, {"poster_key": stem}),
        ], t("That movie does not exist."))
        return stem

    def _read(self, movie_id: str) -> dict[str, Any]:
        item = dynamo.get_item(self._movies, {"movie_id": movie_id}, consistent=True)
        if item is None:
            raise NotFound(t("That movie does not exist."))
        return item

    def _write(self, actions: list[dict[str, Any]], conflict: str) -> None:
        write_change(self._aws, self._catalog, actions, conflict=conflict,
                     unavailable=t("The movie could not be saved just now. Please try again."))


def _fields(draft: MovieDraft) -> dict[str, Any]:
    values = asdict(draft)
    return {**values, "genres": list(draft.genres), "languages": list(draft.languages)}
