"""Coming back (issue 15): ratings and reviews of movies, helpful votes, staff hiding, loyalty points."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from api.v1.deps import ServicesDep, UserDep
from api.v1.engage_schemas import (
    HideRequest,
    LoyaltyEntryOut,
    LoyaltyOut,
    RatingOut,
    ReviewOut,
    ReviewRequest,
    Sort,
    WaitlistOut,
    WaitlistRequest,
    rating_out,
)
from api.v1.errors import LoggedRoute
from api.v1.schemas import ErrorResponse
from services.errors import NotFound
from services.i18n import t

router = APIRouter(tags=["reviews and loyalty"], route_class=LoggedRoute)
_AUTH: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorResponse, "description": "missing, invalid or expired token"}
}
_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorResponse}}


@router.get("/movies/{movie_id}/rating", response_model=RatingOut)
def rating(movie_id: str, services: ServicesDep) -> RatingOut:
    """The audience rating: how many visible reviews and their mean stars (1–5)."""
    return rating_out(services.engage.reviews.summary(movie_id))


@router.get("/movies/{movie_id}/reviews", response_model=list[ReviewOut])
def reviews(movie_id: str, services: ServicesDep, sort: Sort = "helpful",
            limit: Annotated[int, Query(ge=1, le=100)] = 50) -> list[ReviewOut]:
    """Visible reviews, most helpful first (then newest), or newest first."""
    return [ReviewOut.of(review) for review in services.engage.reviews.reviews(movie_id, sort, limit)]


@router.get("/movies/{movie_id}/reviews/mine", response_model=ReviewOut, responses={**_AUTH, **_NOT_FOUND})
def my_review(movie_id: str, services: ServicesDep, user: UserDep) -> ReviewOut:
    """Your review of this movie (also when staff hid it: ``hidden_reason`` says why)."""
    review = services.engage.reviews.mine(user, movie_id)
    if review is None:
        raise NotFound(t("You have not reviewed this movie."))
    return ReviewOut.of(review)


@router.put("/movies/{movie_id}/reviews/mine", response_model=ReviewOut,
            responses={**_AUTH, **_NOT_FOUND,
                       403: {"model": ErrorResponse, "description": "not_attended, or hidden by staff"}})
def write_review(movie_id: str, body: ReviewRequest, services: ServicesDep, user: UserDep) -> ReviewOut:
    """Rate and review a movie you saw (admitted at the door, or a confirmed booking whose show has ended).
    One review per movie: sending again edits it."""
    return ReviewOut.of(services.engage.reviews.write(user, movie_id, body.rating, body.text))


@router.delete("/movies/{movie_id}/reviews/mine", status_code=204, response_class=Response, responses=_AUTH)
def delete_review(movie_id: str, services: ServicesDep, user: UserDep) -> Response:
    services.engage.reviews.delete(user, movie_id)
    return Response(status_code=204)


@router.post("/movies/{movie_id}/reviews/{author_id}/helpful", response_model=ReviewOut,
             responses={**_AUTH, **_NOT_FOUND, 409: {"model": ErrorResponse, "description": "already_exists"}})
def vote_helpful(movie_id: str, author_id: str, services: ServicesDep, user: UserDep) -> ReviewOut:
    """Mark a review helpful: once per customer and review, never your own."""
    return ReviewOut.of(services.engage.reviews.vote_helpful(user, movie_id, author_id))


@router.post("/staff/movies/{movie_id}/reviews/{author_id}/hide", response_model=ReviewOut, tags=["staff"],
             responses={**_AUTH, **_NOT_FOUND, 403: {"model": ErrorResponse, "description": "managers and admins"}})
def hide_review(movie_id: str, author_id: str, body: HideRequest, services: ServicesDep, user: UserDep) -> ReviewOut:
    """Hide a review with a reason (audited): it leaves the lists and the average."""
    return ReviewOut.of(services.engage.reviews.hide(user, movie_id, author_id, body.reason))


@router.get("/loyalty", response_model=LoyaltyOut, responses=_AUTH)
def loyalty(services: ServicesDep, user: UserDep) -> LoyaltyOut:
    """Your points and their history. Spend them with ``redeem_points`` in POST /bookings."""
    points = services.engage.loyalty
    return LoyaltyOut(balance=points.balance(user.user_id), point_value=points.value_of(1),
                      history=[LoyaltyEntryOut.of(entry) for entry in points.history(user.user_id)])


@router.post("/showtimes/{showtime_id}/waitlist", status_code=201, response_model=WaitlistOut,
             responses={**_AUTH, **_NOT_FOUND,
                        409: {"model": ErrorResponse, "description": "already_exists, or show_closed"}})
def join_waitlist(showtime_id: str, body: WaitlistRequest, services: ServicesDep, user: UserDep) -> WaitlistOut:
    """Join a show's waiting list (only while fewer seats than you need are free). When seats free up, the
    first in line whose count fits gets them held and an email with the claim link."""
    return WaitlistOut.of(services.engage.waitlist.join(user, showtime_id, body.seats))


@router.get("/showtimes/{showtime_id}/waitlist/mine", response_model=WaitlistOut, responses={**_AUTH, **_NOT_FOUND})
def my_waitlist(showtime_id: str, services: ServicesDep, user: UserDep) -> WaitlistOut:
    """Your place on the list, or your offer (``hold_id``) once seats are held for you."""
    entry = services.engage.waitlist.mine(user, showtime_id)
    if entry is None:
        raise NotFound(t("You are not on the waiting list for this show."))
    return WaitlistOut.of(entry)


@router.delete("/showtimes/{showtime_id}/waitlist/mine", status_code=204, response_class=Response,
               responses={**_AUTH, **_NOT_FOUND})
def leave_waitlist(showtime_id: str, services: ServicesDep, user: UserDep) -> Response:
    services.engage.waitlist.leave(user, showtime_id)
    return Response(status_code=204)
