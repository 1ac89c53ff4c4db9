"""Fault hooks: the public seam for making AWS misbehave in tests. A botocore event hook on the app's own
DynamoDB client raises an injected error (or runs an action) before a request or after its answer, so the
code under test meets exactly what a throttled, failing or racing DynamoDB would show it."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any

from botocore.exceptions import ClientError, EndpointConnectionError, ReadTimeoutError

from services.container import Services
from services.platform.aws import Aws

Params = Mapping[str, Any]


def server_error(operation: str) -> Exception:
    return ClientError({"Error": {"Code": "InternalServerError", "Message": "injected"},
                        "ResponseMetadata": {"HTTPStatusCode": 500}}, operation)


def throttled(operation: str) -> Exception:
    return ClientError({"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "injected"},
                        "ResponseMetadata": {"HTTPStatusCode": 400}}, operation)


def unreachable(_operation: str) -> Exception:
    return EndpointConnectionError(endpoint_url="http://injected")


def timed_out(_operation: str) -> Exception:
    return ReadTimeoutError(endpoint_url="http://injected")


class Faults:
    """Raise an injected error on chosen DynamoDB operations, before the request or after its answer."""

    def __init__(self, target: Services | Aws) -> None:
        aws = target.aws if isinstance(target, Services) else target
        self._events = aws.ddb.meta.events
        self._hooks: list[tuple[str, Callable[..., Any]]] = []

    def fail(self, operation: str, make_error: Callable[[str], Exception], *, after: bool = False,
             times: int = 1, then: Callable[[], None] | None = None,
             when: Callable[[Params], bool] | None = None) -> None:
        """Fail the next ``times`` calls of ``operation`` (those whose request ``when`` accepts);
        ``then`` runs when one fails (to chain faults)."""

        def action() -> None:
            if then is not None:
                then()
            raise make_error(operation)

        self.on(operation, action, after=after, times=times, when=when)

    def on(self, operation: str, action: Callable[[], object], *, after: bool = False, times: int = 1,
           when: Callable[[Params], bool] | None = None) -> None:
        """Run ``action`` at the next ``times`` calls of ``operation`` (from any thread), before the
        request is sent or after its answer arrived; ``when`` picks calls by their request parameters."""
        remaining = [times]
        lock = threading.Lock()

        def hook(params: Params | None = None, **_kwargs: Any) -> None:
            if when is not None and (params is None or not when(params)):
                return
            with lock:
                if remaining[0] <= 0:
                    return
                remaining[0] -= 1
            action()

        # Before: the request's own parameters are at hand (to choose calls by them); after: the answer is in.
        event = f"after-call.dynamodb.{operation}" if after else f"before-parameter-build.dynamodb.{operation}"
        self._events.register(event, hook)
        self._hooks.append((event, hook))

    def clear(self) -> None:
        for event, hook in self._hooks:
            self._events.unregister(event, hook)
        self._hooks.clear()
