"""Domain errors of the engagement features; the API maps them (api/v1/errors.py)."""

from __future__ import annotations

from services.errors import DomainError, Forbidden


class NotAttended(Forbidden):
    """Only someone who saw the movie may rate it."""

    code = "not_attended"


class AlreadyExists(DomainError):
    """A second review of the same movie, a second helpful vote: one per customer."""

    code = "already_exists"


class NotEnoughPoints(DomainError):
    """A redemption asked for more points than the balance holds (perhaps spent meanwhile elsewhere)."""

    code = "not_enough_points"
