"""End-to-end fixtures: the app started as the README starts it (``python main.py``, embedded backend)
in a subprocess, and a real headless Chromium (Debian's package) driven by Playwright."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Playwright, expect, sync_playwright

from tests.e2e.app_process import CHROMIUM, CHROMIUM_ARGS, ROOT, RunningApp, start_app

__all__ = ["RunningApp"]
ARTIFACTS = ROOT / "test-artifacts"

# Patience, not a speed limit: an assertion waits up to 15 s for what a user would see (Playwright's 5 s was
# passed by page builds on the loaded 2-core CI machine). How fast pages are is bench/'s business.
expect.set_options(timeout=15_000)


@pytest.fixture(scope="package")
def app_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., RunningApp]]:
    """Start extra apps with their own settings; all are stopped when the e2e tests are done.
    (Package scope, here and below: Playwright and the apps close before the other tests run; see
    tests/conftest.py.)"""
    started: list[RunningApp] = []

    def factory(**settings: str) -> RunningApp:
        # As in tests/conftest.py: the tests written before the single-seat rule pick seats freely; a test
        # of the rule's behaviour starts its app with single_seat_rule="true" (the product's default).
        app = start_app(tmp_path_factory.mktemp("app-data"), **({"single_seat_rule": "false"} | settings))
        started.append(app)
        return app

    yield factory
    for app in started:
        app.stop()


@pytest.fixture(scope="package")
def app_server(app_factory: Callable[..., RunningApp]) -> RunningApp:
    """One app with default settings, shared by the e2e tests that need nothing special."""
    return app_factory()


@pytest.fixture(scope="package")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="package")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; ./test.sh installs Debian's chromium package")
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture
def contexts(browser: Browser) -> Iterator[Callable[..., BrowserContext]]:
    """New desktop-sized browser contexts (any Playwright new_context keyword), closed after the test."""
    made: list[BrowserContext] = []

    def new_context(**options: Any) -> BrowserContext:  # Playwright's new_context keywords
        context = browser.new_context(**({"viewport": {"width": 1440, "height": 900}} | options))
        made.append(context)
        return context

    yield new_context
    for context in made:
        context.close()
