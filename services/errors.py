"""Domain exceptions. Each carries a message fit for a person; pages show it, the API maps it to a status."""

from __future__ import annotations


class DomainError(Exception):
    code = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidRequest(DomainError):
    code = "invalid_request"


class NotFound(DomainError):
    code = "not_found"


class Forbidden(DomainError):
    code = "forbidden"


class Unauthorized(DomainError):
    """No valid credentials (a missing, forged or expired API token)."""

    code = "unauthorized"


class EmailTaken(DomainError):
    code = "email_taken"


class InvalidCredentials(DomainError):
    code = "invalid_credentials"


class TooManyAttempts(DomainError):
    """Too many failed logins from this client or for this account: wait before the next attempt.
    The same answer whether or not the email has an account."""

    code = "too_many_attempts"

    def __init__(self, message: str, retry_after_seconds: int) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds


class LimitReached(DomainError):
    """A cap was hit (seats held by one account, a request changing the same seats at once)."""

    code = "limit_reached"


class SeatUnavailable(DomainError):
    code = "seat_unavailable"

    def __init__(self, message: str, seats: list[str]) -> None:
        super().__init__(message)
        self.seats = seats


class SeatRuleBroken(SeatUnavailable):
    """The seats are free, but holding them would break a fair seat rule (``services/booking/seat_rules.py``):
    a single empty seat left on its own, or a companion seat without its wheelchair space. ``seats``: the
    seats the message names."""

    code = "seat_rule"


class HoldExpired(DomainError):
    code = "hold_expired"


class ShowClosed(DomainError):
    code = "show_closed"


class PaymentDeclined(DomainError):
    code = "payment_declined"


class PaymentTimedOut(PaymentDeclined):
    """A UPI collect request was not approved in time (nothing was charged)."""

    code = "payment_timed_out"


class TooLateToCancel(DomainError):
    code = "too_late_to_cancel"


class ServiceUnavailable(DomainError):
    """AWS had a bad moment; nothing was changed and the user may try again."""

    code = "service_unavailable"


class SoldOut(DomainError):
    """A general-admission ticket type has fewer tickets left than asked for (events, issue 17)."""

    code = "sold_out"


class OverLimit(InvalidRequest):
    """More tickets of one type than one order may have (a client mistake: 422)."""

    code = "over_limit"
