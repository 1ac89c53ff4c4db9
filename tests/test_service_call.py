"""``call()``: how pages and components reach services. Typed results, exceptions unchanged, and a call
abandoned midway ends the handler (CancelledError) instead of handing it a ``None`` to trip over."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable

import pytest
from nicegui import run

from components.service_call import call
from services.errors import NotFound
from tests.conftest import ROOT


def refuse(what: str) -> str:
    raise NotFound(f"No {what} here.")


async def test_the_result_comes_back_and_domain_errors_propagate() -> None:
    assert await call(divmod, 7, 2) == (3, 1)
    assert await call(sorted, [3, 1, 2], reverse=True) == [3, 2, 1]
    with pytest.raises(NotFound, match=r"No seat here\."):
        await call(refuse, "seat")


async def abandon_midway(start: Callable[[Callable[[], str]], Awaitable[str | None]]) -> asyncio.Task[str | None]:
    """Start a slow call, cancel its task once the worker thread runs it (a page closing, or shutdown)."""
    started, finish = threading.Event(), threading.Event()

    def slow() -> str:
        started.set()
        finish.wait(5)
        return "too late"

    async def run_it() -> str | None:
        return await start(slow)

    task = asyncio.create_task(run_it())
    await asyncio.to_thread(started.wait, 5)
    task.cancel()
    await asyncio.wait([task])
    finish.set()
    return task


async def test_an_abandoned_call_is_cancelled_where_io_bound_would_return_none() -> None:
    through_call = await abandon_midway(call)
    assert through_call.cancelled()
    through_io_bound = await abandon_midway(run.io_bound)
    assert not through_io_bound.cancelled() and through_io_bound.result() is None  # what frame() used to get


def test_pages_components_api_and_main_never_use_io_bound_directly() -> None:
    sources = [ROOT / "main.py"]
    for folder in ("pages", "components", "api"):
        sources += ROOT.glob(f"{folder}/**/*.py")
    offenders = [str(path.relative_to(ROOT)) for path in sources
                 if path.name != "service_call.py" and "io_bound(" in path.read_text()]
    assert offenders == []
