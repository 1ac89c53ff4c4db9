"""Reviews and ratings of movies: one per customer who attended, editable and deletable, with helpful
votes and staff hiding; the average and count kept as an aggregate in the same transaction as each change.

Items (Reviews table, partition = movie):
- ``review#<user_id>``: the review; while visible it carries ``helpful_rank`` and ``listed_at``, the sort
  keys of the two sparse indexes (most helpful, newest). Hiding removes them.
- ``summary``: ``n`` (visible reviews) and ``stars`` (their sum). Every create, edit, delete and hide is one
  transaction with a condition on the review as it was read plus an ``ADD`` on the summary, so the summary
  always equals a recount of the visible reviews, without ever recounting (no Scan).
- ``vote#<review_id>#<voter_id>``: one helpful vote, put only if absent, in the same transaction as the
  review's counter (conditional on the count read): one vote per customer, none lost under racing votes.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any, Literal

from boto3.dynamodb.conditions import Key

from services.accounts.users import User
from services.catalog.catalog import CatalogService
from services.clock import Clock, iso
from services.engage.attendance import Attendance
from services.engage.errors import AlreadyExists, NotAttended
from services.engage.profanity import flagged_words
from services.errors import Forbidden, InvalidRequest, NotFound, ServiceUnavailable
from services.i18n import t
from services.platform import dynamo
from services.platform.aws import Aws
from services.platform.dynamo import TransactionCancelled, TransactionOutcomeUnknown
from services.platform.logs import log_event
from services.platform.schema import REVIEWS
from services.staff.access import AccessService
from services.staff.audit import GLOBAL, AuditLog

MAX_TEXT = 2000
MAX_REASON = 300
SUMMARY = "summary"
ATTEMPTS = 5  # a review changed by a racing request is read again and the change retried this often
# Votes race each other on the review's counter: each round one wins, so N voters at once need up to N rounds.
VOTE_ATTEMPTS = 25
Sort = Literal["helpful", "newest"]
# The review read is still there, the same one (not deleted and written anew), and still visible.
_SAME_VISIBLE = "review_id = :id AND attribute_not_exists(hidden_reason)"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class Review:
    movie_id: str
    user_id: str
    review_id: str  # new on every (re)creation, so votes on a deleted review do not carry over
    author: str
    rating: int
    text: str
    created_at: str
    edited_at: str
    helpful: int
    hidden_reason: str = ""

    @property
    def hidden(self) -> bool:
        return bool(self.hidden_reason)


@dataclass(frozen=True)
class RatingSummary:
    movie_id: str
    count: int
    total: int

    @property
    def average(self) -> float | None:
        return round(self.total / self.count, 1) if self.count else None


def review_key(user_id: str) -> str:
    return f"review#{user_id}"


class ReviewService:
    def __init__(self, aws: Aws, clock: Clock, catalog: CatalogService, attendance: Attendance,
                 access: AccessService, audit: AuditLog) -> None:
        self._aws = aws
        self._clock = clock
        self._catalog = catalog
        self._attendance = attendance
        self._access = access
        self._audit = audit
        self._table = aws.table(REVIEWS)
        self._table_name = aws.table_name(REVIEWS)

    # Reading --------------------------------------------------------------------------------------
    def summary(self, movie_id: str) -> RatingSummary:
        item = dynamo.get_item(self._table, {"movie_id": movie_id, "review_key": SUMMARY}, message=_unavailable())
        return _summary(movie_id, item)

    def summaries(self, movie_ids: list[str]) -> dict[str, RatingSummary]:
        """Every movie's summary in one batch (movie cards); movies without reviews get a zero summary."""
        keys = [{"movie_id": movie_id, "review_key": SUMMARY} for movie_id in dict.fromkeys(movie_ids)]
        found = {item["movie_id"]: item for item in dynamo.batch_get_all(self._aws, self._table_name, keys)}
        return {movie_id: _summary(movie_id, found.get(movie_id)) for movie_id in movie_ids}

    def reviews(self, movie_id: str, sort: Sort = "helpful", limit: int = 50) -> list[Review]:
        """The visible reviews, most helpful (then newest) or newest first: one page of a sparse index."""
        index = "by-helpful" if sort == "helpful" else "by-newest"
        page = next(dynamo.query_pages(self._table, message=_unavailable(), IndexName=index,
                                       KeyConditionExpression=Key("movie_id").eq(movie_id),
                                       ScanIndexForward=False, Limit=max(1, min(limit, 100))))
        return [_review(item) for item in page["Items"]]

    def mine(self, user: User, movie_id: str) -> Review | None:
        item = self._get(movie_id, user.user_id)
        return _review(item) if item else None

    def may_review(self, user: User, movie_id: str) -> bool:
        return self._attendance.attended(user.user_id, movie_id)

    # Writing --------------------------------------------------------------------------------------
    def write(self, user: User, movie_id: str, rating: int, text: str) -> Review:
        """Create or edit the customer's review of ``movie_id``."""
        self._catalog.movie(movie_id)  # NotFound for a movie that does not exist
        rating, text = _valid_rating(rating), _valid_text(text)
        if not self._attendance.attended(user.user_id, movie_id):
            raise NotAttended(t("Only customers who saw this movie can rate it."))
        for _attempt in range(ATTEMPTS):
            current = self._get(movie_id, user.user_id)
            now = iso(self._clock.now())
            try:
                if current is None:
                    review = self._create(user, movie_id, rating, text, now)
                else:
                    review = self._edit(_review(current), rating, text, now)
            except TransactionCancelled:
                continue  # the review changed between the read and the write: read it again
            log_event("review.written", movie_id=movie_id, user_id=user.user_id, rating=rating)
            return review
        raise ServiceUnavailable(t("Your review could not be saved just now. Please try again."))

    def _create(self, user: User, movie_id: str, rating: int, text: str, now: str) -> Review:
        review = Review(movie_id, user.user_id, uuid.uuid4().hex, user.name, rating, text, now, "", 0)
        item = {"movie_id": movie_id, "review_key": review_key(user.user_id), "user_id": user.user_id,
                "review_id": review.review_id, "author": user.name, "rating": rating, "text": text,
                "created_at": now, "helpful": 0, **_listing(review)}
        self._transact([{"Put": {"TableName": self._table_name, "Item": item,
                                 "ConditionExpression": "attribute_not_exists(review_key)"}},
                        self._summary_add(movie_id, 1, rating)])
        return review

    def _edit(self, review: Review, rating: int, text: str, now: str) -> Review:
        if review.hidden:
            raise Forbidden(t("This review was hidden by our staff and can no longer be edited."))
        self._transact([{"Update": {
            "TableName": self._table_name, "Key": self._key(review.movie_id, review.user_id),
            "UpdateExpression": "SET rating = :rating, #text = :text, edited_at = :now",
            "ConditionExpression": "review_id = :id AND rating = :old AND attribute_not_exists(hidden_reason)",
            "ExpressionAttributeNames": {"#text": "text"},
            "ExpressionAttributeValues": {":rating": rating, ":text": text, ":now": now, ":id": review.review_id,
                                          ":old": review.rating},
        }}, self._summary_add(review.movie_id, 0, rating - review.rating)])
        return Review(review.movie_id, review.user_id, review.review_id, review.author, rating, text,
                      review.created_at, now, review.helpful)

    def delete(self, user: User, movie_id: str) -> None:
        """The customer deletes their review (a hidden one too); deleting nothing is not an error."""
        for _attempt in range(ATTEMPTS):
            current = self._get(movie_id, user.user_id)
            if current is None:
                return
            review = _review(current)
            condition = "review_id = :id AND " + (
                "attribute_exists(hidden_reason)" if review.hidden
                else "rating = :old AND attribute_not_exists(hidden_reason)")
            values: dict[str, Any] = {":id": review.review_id} | ({} if review.hidden else {":old": review.rating})
            actions: list[dict[str, Any]] = [{"Delete": {
                "TableName": self._table_name, "Key": self._key(movie_id, user.user_id),
                "ConditionExpression": condition, "ExpressionAttributeValues": values}}]
            if not review.hidden:  # a hidden review already left the summary
                actions.append(self._summary_add(movie_id, -1, -review.rating))
            try:
                self._transact(actions)
            except TransactionCancelled:
                continue
            log_event("review.deleted", movie_id=movie_id, user_id=user.user_id)
            return
        raise ServiceUnavailable(t("Your review could not be deleted just now. Please try again."))

    def vote_helpful(self, user: User, movie_id: str, author_id: str) -> Review:
        """One "helpful" vote per customer and review; never on one's own review."""
        if author_id == user.user_id:
            raise InvalidRequest(t("You cannot vote for your own review."))
        for _attempt in range(VOTE_ATTEMPTS):
            current = self._get(movie_id, author_id)
            if current is None or current.get("hidden_reason"):
                raise NotFound(t("That review does not exist."))
            review = _review(current)
            votes = review.helpful + 1
            counted = Review(**{**review.__dict__, "helpful": votes})
            try:
                self._transact([
                    {"Put": {"TableName": self._table_name,
                             "Item": {"movie_id": movie_id, "review_key": f"vote#{review.review_id}#{user.user_id}",
                                      "voter_id": user.user_id, "at": iso(self._clock.now())},
                             "ConditionExpression": "attribute_not_exists(review_key)"}},
                    {"Update": {
                        "TableName": self._table_name, "Key": self._key(movie_id, author_id),
                        "UpdateExpression": "SET helpful = :votes, helpful_rank = :rank",
                        "ConditionExpression": f"helpful = :old AND {_SAME_VISIBLE}",
                        "ExpressionAttributeValues": {":votes": votes, ":rank": _listing(counted)["helpful_rank"],
                                                      ":id": review.review_id, ":old": review.helpful},
                    }},
                ])
            except TransactionCancelled as exc:
                if exc.codes[0] == "ConditionalCheckFailed":
                    raise AlreadyExists(t("You already marked this review as helpful.")) from exc
                continue  # another vote counted meanwhile: read the count again
            return counted
        raise ServiceUnavailable(t("Your vote could not be counted just now. Please try again."))

    def hide(self, staff_user: User | None, movie_id: str, author_id: str, reason: str) -> Review:
        """Staff hide a review with a reason: out of the lists and the average, audited in the same transaction."""
        member = self._access.require(staff_user, "manage")
        reason = _CONTROL.sub("", reason or "").strip()
        if not reason or len(reason) > MAX_REASON:
            raise InvalidRequest(t("Give a reason of 1 to {n} characters.", n=MAX_REASON))
        for _attempt in range(ATTEMPTS):
            current = self._get(movie_id, author_id)
            if current is None:
                raise NotFound(t("That review does not exist."))
            review = _review(current)
            if review.hidden:
                return review
            now = self._clock.now().replace(microsecond=0)
            try:
                self._transact([
                    {"Update": {
                        "TableName": self._table_name, "Key": self._key(movie_id, author_id),
                        "UpdateExpression": "SET hidden_reason = :reason, hidden_by = :by, hidden_at = :now "
                                            "REMOVE helpful_rank, listed_at",
                        "ConditionExpression": f"rating = :old AND {_SAME_VISIBLE}",
                        "ExpressionAttributeValues": {":reason": reason, ":by": member.user_id, ":now": iso(now),
                                                      ":id": review.review_id, ":old": review.rating},
                    }},
                    self._summary_add(movie_id, -1, -review.rating),
                    self._audit.put_action(GLOBAL, member, "review.hidden", f"{movie_id}/{author_id}", now,
                                           before={"rating": review.rating, "text": review.text}, reason=reason),
                ])
            except TransactionCancelled:
                continue
            log_event("review.hidden", movie_id=movie_id, author_id=author_id, by=member.user_id)
            return Review(**{**review.__dict__, "hidden_reason": reason})
        raise ServiceUnavailable(t("The review could not be hidden just now. Please try again."))

    # Helpers --------------------------------------------------------------------------------------
    def _key(self, movie_id: str, user_id: str) -> dict[str, str]:
        return {"movie_id": movie_id, "review_key": review_key(user_id)}

    def _get(self, movie_id: str, user_id: str) -> dict[str, Any] | None:
        return dynamo.get_item(self._table, self._key(movie_id, user_id), consistent=True, message=_unavailable())

    def _summary_add(self, movie_id: str, count: int, stars: int) -> dict[str, Any]:
        # "n"/"stars" rather than count/total: short, and not DynamoDB reserved words.
        return {"Update": {"TableName": self._table_name, "Key": {"movie_id": movie_id, "review_key": SUMMARY},
                           "UpdateExpression": "ADD n :n, stars :stars",
                           "ExpressionAttributeValues": {":n": count, ":stars": stars}}}

    def _transact(self, actions: list[dict[str, Any]]) -> None:
        try:
            dynamo.transact_write(self._aws, actions)
        except TransactionOutcomeUnknown as exc:
            raise ServiceUnavailable(t("Reviews cannot be saved just now. Please try again.")) from exc


def _valid_rating(rating: object) -> int:
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise InvalidRequest(t("Choose a rating from 1 to 5 stars."))
    return rating


def _valid_text(text: str) -> str:
    """Plain text (pages show it as text, never as HTML), within the length limit and the word lists."""
    cleaned = _CONTROL.sub("", (text or "").replace("\r\n", "\n")).strip()
    if len(cleaned) > MAX_TEXT:
        raise InvalidRequest(t("Keep your review under {n} characters.", n=MAX_TEXT))
    if flagged_words(cleaned):
        raise InvalidRequest(t("Please keep your review free of abusive words."))
    return cleaned


def _listing(review: Review) -> dict[str, str]:
    """The sparse indexes' sort keys: votes (zero-padded so strings sort as numbers), then newest."""
    return {"helpful_rank": f"{review.helpful:07d}#{review.created_at}#{review.user_id}",
            "listed_at": f"{review.created_at}#{review.user_id}"}


def _review(item: dict[str, Any]) -> Review:
    return Review(
        movie_id=item["movie_id"], user_id=item["user_id"], review_id=item["review_id"], author=item.get("author", ""),
        rating=int(item["rating"]), text=item.get("text", ""), created_at=item["created_at"],
        edited_at=item.get("edited_at", ""), helpful=int(item.get("helpful", 0)),
        hidden_reason=item.get("hidden_reason", ""),
    )


def _summary(movie_id: str, item: dict[str, Any] | None) -> RatingSummary:
    return RatingSummary(movie_id, int(item.get("n", 0)), int(item.get("stars", 0))) if item else \
        RatingSummary(movie_id, 0, 0)


def _unavailable() -> str:
    return t("Reviews cannot be loaded just now. Please try again.")
