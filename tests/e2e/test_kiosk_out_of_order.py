"""The kiosk when the backend is unreachable: the app talks to DynamoDB through a TCP proxy this test
can cut, like a network outage. The kiosk shows "out of order" with a code (never an error), and comes
back by itself when the network does. Screenshots in both orientations under test-artifacts/kiosk/."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from main import build_services
from services.accounts.users import User
from services.catalog.demo import DemoCatalog
from services.clock import SystemClock
from services.platform.aws import connect
from services.platform.provisioning import provision
from tests.conftest import CATALOG_DIR, make_settings, store_account
from tests.e2e.conftest import RunningApp
from tests.e2e.test_kiosk_e2e import LANDSCAPE, PORTRAIT, THEATER, pair

ADMIN = User("u-admin", "admin@example.com", "Admin", "admin", "")


class CuttableProxy:
    """Forwards 127.0.0.1:<port> to ``target``; ``cut()`` drops every connection and refuses new ones."""

    def __init__(self, target: str) -> None:
        host, port = target.removeprefix("http://").split(":")
        self._target = (host, int(port))
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.up = True
        self._open: list[socket.socket] = []
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if not self.up:
                client.close()
                continue
            upstream = socket.create_connection(self._target)
            with self._lock:
                self._open += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                with contextlib.suppress(OSError):
                    s.close()

    def cut(self) -> None:
        self.up = False
        with self._lock:
            for s in self._open:
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
            self._open.clear()

    def restore(self) -> None:
        self.up = True

    def close(self) -> None:
        self._listener.close()


@pytest.fixture(scope="module")
def outage(moto_endpoint: str,
           app_factory: Callable[..., RunningApp]) -> Iterator[tuple[RunningApp, CuttableProxy, str]]:
    settings = make_settings(moto_endpoint)
    aws = connect(settings)
    provision(aws)
    DemoCatalog(aws, SystemClock(), CATALOG_DIR).load(days=2)
    proxy = CuttableProxy(moto_endpoint)
    env = {name: str(value) for name, value in settings.model_dump(exclude_none=True).items()
           if name not in ("endpoint_url", "port", "data_dir", "bcrypt_rounds")}
    app = app_factory(**env, endpoint_url=f"http://127.0.0.1:{proxy.port}", mailbox="false", seed_demo="false")
    services = build_services(settings, aws)
    store_account(aws, ADMIN)
    yield app, proxy, services.kiosks.create(ADMIN, THEATER, "Lobby").pairing_code
    proxy.close()


def test_out_of_order_while_unreachable_then_back_by_itself(
        outage: tuple[RunningApp, CuttableProxy, str], browser: Browser, artifacts: Path) -> None:
    app, proxy, code = outage
    shots = artifacts / "kiosk"
    shots.mkdir(exist_ok=True)
    context = browser.new_context(viewport=PORTRAIT, has_touch=True)
    kiosk = context.new_page()
    pair(kiosk, f"{app.url}/kiosk/pair/{code}")
    proxy.cut()
    try:
        expect(kiosk.get_by_text("Sorry, this kiosk is out of order")).to_be_visible(timeout=40_000)
        expect(kiosk.get_by_text("Code K503-")).to_be_visible()
        expect(kiosk.get_by_role("button", name="Touch to buy tickets")).to_have_count(0)
        kiosk.screenshot(path=str(shots / "15-out-of-order-portrait.png"))
        kiosk.set_viewport_size(LANDSCAPE)
        kiosk.screenshot(path=str(shots / "15-out-of-order-landscape.png"))
        assert "Traceback" not in kiosk.content()
    finally:
        proxy.restore()
    expect(kiosk.get_by_role("button", name="Touch to buy tickets")).to_be_visible(timeout=40_000)
    context.close()
