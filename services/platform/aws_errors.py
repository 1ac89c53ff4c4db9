"""One translation of AWS failures for every service: a ``ClientError``/``BotoCoreError`` from DynamoDB,
SNS or SQS becomes ``ServiceUnavailable`` with a message for a person (DESIGN §8: boto errors never
leave ``services/``). Expected answers (a failed condition, a cancelled transaction) are handled in
``services.platform.dynamo`` before they get here."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from botocore.exceptions import BotoCoreError, ClientError

from services.errors import ServiceUnavailable
from services.i18n import t
from services.platform.logs import log_event

AWS_ERRORS = (ClientError, BotoCoreError)


def error_code(exc: BaseException) -> str:
    """AWS's error code (e.g. ``ThrottlingException``) or the botocore exception's name, for logs."""
    if isinstance(exc, ClientError):
        return str(exc.response.get("Error", {}).get("Code", "ClientError"))
    return type(exc).__name__


def busy_message() -> str:
    return t("We could not reach the booking system just now. Nothing was changed; please try again.")


def unavailable(exc: BaseException, operation: str, message: str | None = None,
                kind: type[ServiceUnavailable] = ServiceUnavailable) -> ServiceUnavailable:
    """The domain error for an AWS failure (logged once here, with the operation that failed)."""
    log_event("aws.unavailable", operation=operation, code=error_code(exc))
    return kind(message or busy_message())


@contextmanager
def aws_call(operation: str, message: str | None = None) -> Iterator[None]:
    """Run AWS calls; any AWS failure inside raises ServiceUnavailable (chained to the original)."""
    try:
        yield
    except AWS_ERRORS as exc:
        raise unavailable(exc, operation, message) from exc
