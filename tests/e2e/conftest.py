"""End-to-end fixtures: the app started as the README starts it (``python main.py``, embedded backend)
in a subprocess, and a real headless Chromium (Debian's package) driven by Playwright."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Browser, Playwright, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("MOVIEMAGIC_CHROMIUM", "/usr/bin/chromium")
# Without these, Chromium keeps dialling Google's services, which this closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass
class RunningApp:
    url: str
    process: subprocess.Popen[str]
    data_dir: Path
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text()

    def admin_password(self) -> str:
        match = re.search(r"Admin account created: \S+ / (\S+)", self.log())
        assert match, "the first start prints the admin password"
        return match.group(1)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_app(data_dir: Path, **settings: str) -> RunningApp:
    """Run ``python main.py`` with MOVIEMAGIC_* settings; returns once /healthz answers."""
    port = free_port()
    # NiceGUI treats a process with PYTEST_* variables as a test run; the app must run as a user runs it.
    env = {key: value for key, value in os.environ.items() if not key.startswith(("MOVIEMAGIC_", "PYTEST_"))}
    env |= {"MOVIEMAGIC_PORT": str(port), "MOVIEMAGIC_DATA_DIR": str(data_dir), "MOVIEMAGIC_BCRYPT_ROUNDS": "4"}
    env |= {f"MOVIEMAGIC_{key.upper()}": value for key, value in settings.items()}
    env.pop("NICEGUI_USER_SIMULATION", None)
    data_dir.mkdir(parents=True, exist_ok=True)
    log_path = data_dir / f"app-{port}.log"
    log_file = log_path.open("w")
    process = subprocess.Popen(
        [sys.executable, "main.py"], cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT, text=True
    )
    app = RunningApp(f"http://127.0.0.1:{port}", process, data_dir, log_path)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app exited early:\n{app.log()}")
        try:
            if requests.get(f"{app.url}/healthz", timeout=1).status_code == 200:
                return app
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    app.stop()
    raise RuntimeError(f"the app did not start within 60 s:\n{app.log()}")


@pytest.fixture(scope="session")
def app_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., RunningApp]]:
    """Start extra apps with their own settings; all are stopped at the end of the session."""
    started: list[RunningApp] = []

    def factory(**settings: str) -> RunningApp:
        app = start_app(tmp_path_factory.mktemp("app-data"), **settings)
        started.append(app)
        return app

    yield factory
    for app in started:
        app.stop()


@pytest.fixture(scope="session")
def app_server(app_factory: Callable[..., RunningApp]) -> RunningApp:
    """One app with default settings, shared by the e2e tests that need nothing special."""
    return app_factory()


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
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
