"""The real app (every page, the real services on moto) under NiceGUI's simulated user, but built with a
fake clock, so kiosk tests can jump past idle timeouts and terminal waits instead of sleeping."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime

import httpx
from nicegui import app, core, ui
from nicegui.functions.download import download
from nicegui.functions.navigate import Navigate
from nicegui.functions.notify import notify
from nicegui.testing import User
from nicegui.testing.general import nicegui_reset_globals, prepare_simulation

import api
import pages
from main import ASSETS, build_services
from services.accounts.users import User as Account
from services.clock import FakeClock
from services.container import Services
from services.platform.aws import connect
from services.settings import Settings
from tests.conftest import store_account

ADMIN = Account("u-admin", "admin@example.com", "Admin", "admin", "")  # creates and revokes the kiosks


def kiosk_clock() -> FakeClock:
    """Now, to the second: the clock the kiosk tests move past timeouts."""
    return FakeClock(datetime.now(UTC).replace(microsecond=0))


def kiosk_services(settings: Settings, clock: FakeClock) -> Services:
    """The app's services on the test's tables with ``clock``, and the admin who manages the kiosks."""
    services = build_services(settings, connect(settings), clock)
    store_account(services.aws, ADMIN)
    return services


@asynccontextmanager
async def app_with(services: Services) -> AsyncIterator[Callable[[], User]]:
    """Yields a factory of simulated users (each its own browser) of the app built on ``services``."""
    with nicegui_reset_globals():
        os.environ["NICEGUI_USER_SIMULATION"] = "true"
        try:
            prepare_simulation()
            app.add_static_files("/assets", ASSETS)
            pages.register(services)
            api.register(services)
            ui.run(storage_secret=services.settings.storage_secret)
            clients: list[httpx.AsyncClient] = []

            def new_user() -> User:
                client = httpx.AsyncClient(transport=httpx.ASGITransport(core.app), base_url="http://test")
                clients.append(client)
                return User(client)

            async with core.app.router.lifespan_context(core.app):
                yield new_user
            for client in clients:
                await client.aclose()
        finally:
            os.environ.pop("NICEGUI_USER_SIMULATION", None)
            ui.navigate = Navigate()
            ui.notify = notify
            ui.download = download


async def until(condition: Callable[[], bool], timeout: float = 8.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "condition not met in time"
        await asyncio.sleep(0.05)
