"""Request and response models of the coming-back routes (issue 15): reviews, ratings, loyalty points."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, StrictInt, StrictStr

from services.engage.loyalty import LoyaltyEntry
from services.engage.reviews import RatingSummary, Review
from services.engage.waitlist import WaitEntry


class RatingOut(BaseModel):
    movie_id: str
    count: int = Field(description="visible reviews")
    average: float | None = Field(description="mean stars (1–5) of the visible reviews, one decimal; null: none yet")


class ReviewRequest(BaseModel):
    rating: StrictInt = Field(ge=1, le=5, examples=[4])
    text: StrictStr = Field(default="", max_length=4000, examples=["Great score, slow middle."],
                            description="plain text, at most 2000 characters after trimming")


class ReviewOut(BaseModel):
    movie_id: str
    author_id: str = Field(description="use it to vote the review helpful")
    author: str
    rating: int
    text: str = Field(description="plain text: show it as text, never as HTML")
    created_at: str
    edited_at: str | None
    helpful: int
    hidden_reason: str | None = Field(default=None, description="set when staff hid it (only its author sees it)")

    @classmethod
    def of(cls, review: Review) -> ReviewOut:
        return cls(movie_id=review.movie_id, author_id=review.user_id, author=review.author, rating=review.rating,
                   text=review.text, created_at=review.created_at, edited_at=review.edited_at or None,
                   helpful=review.helpful, hidden_reason=review.hidden_reason or None)


class HideRequest(BaseModel):
    reason: StrictStr = Field(min_length=1, max_length=300, examples=["Spoils the ending"])


class LoyaltyEntryOut(BaseModel):
    at: str
    kind: Literal["earned", "redeemed", "returned", "reversed"]
    points: int = Field(description="signed: what it did to the balance")
    booking_id: str
    movie_title: str

    @classmethod
    def of(cls, entry: LoyaltyEntry) -> LoyaltyEntryOut:
        return cls(at=entry.at, kind=entry.kind, points=entry.points,  # type: ignore[arg-type]
                   booking_id=entry.booking_id, movie_title=entry.movie_title)


class LoyaltyOut(BaseModel):
    balance: int
    point_value: int = Field(description="what one point takes off at checkout, in minor units")
    history: list[LoyaltyEntryOut] = Field(description="newest first")


class WaitlistRequest(BaseModel):
    seats: StrictInt = Field(ge=1, le=50, examples=[2],
                             description="how many seats you need (1 to the booking maximum)")


class WaitlistOut(BaseModel):
    showtime_id: str
    seats: int
    joined_at: str
    status: Literal["waiting", "offered"]
    position: int = Field(description="1 = next in line; 0 once seats are offered to you")
    hold_id: str | None = Field(default=None, description="offered: pay for this hold (POST /bookings) to claim")
    offer_expires_at: str | None = Field(default=None, description="offered: claim before this (UTC)")

    @classmethod
    def of(cls, entry: WaitEntry) -> WaitlistOut:
        return cls(showtime_id=entry.showtime_id, seats=entry.seats, joined_at=entry.joined_at,
                   status=entry.status, position=entry.position,  # type: ignore[arg-type]
                   hold_id=entry.hold_id or None, offer_expires_at=entry.offer_expires_at or None)


def rating_out(summary: RatingSummary) -> RatingOut:
    return RatingOut(movie_id=summary.movie_id, count=summary.count, average=summary.average)


Sort = Literal["helpful", "newest"]
