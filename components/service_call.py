"""The one way pages and components call a service: in a worker thread, typed, never ``None`` by surprise.

boto3 blocks, so UI handlers run service calls through NiceGUI's ``run.io_bound``. That returns ``None``
instead of the result when the app is stopping or the call was cancelled, which a page would then use as
if it were the answer (a ``TypeError`` far from the cause). ``call`` keeps the result's type and raises
``asyncio.CancelledError`` in that case, which NiceGUI treats as "this handler is over".
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from nicegui import run

from services.i18n import current_language, language

P = ParamSpec("P")
R = TypeVar("R")


async def call(function: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """``function(*args, **kwargs)`` in a worker thread; its exceptions propagate unchanged."""
    results: list[R] = []
    speaking = language()  # the worker thread has no page: its messages speak the caller's language

    def run_and_keep() -> None:
        token = current_language.set(speaking)
        try:
            results.append(function(*args, **kwargs))
        finally:
            current_language.reset(token)

    await run.io_bound(run_and_keep)
    if not results:  # run.io_bound skipped or abandoned the call: the app is stopping
        raise asyncio.CancelledError
    return results[0]
