"""Small pure pieces of issue 11: the client address behind proxies, the trusted-proxy setting, the one
redirect check, and the body-limit and header middlewares on a bare ASGI app."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from nicegui import ui

from api.body_limit import BodyLimitMiddleware
from api.security_headers import SecurityHeadersMiddleware
from components.session import safe_next
from services.accounts.client_address import client_address
from services.settings import SettingsError, load_settings

PROXIES = load_settings(trusted_proxies="10.0.0.0/8, 127.0.0.1").trusted_proxy_networks


@pytest.mark.parametrize(("peer", "forwarded", "expected"), [
    ("203.0.113.5", None, "203.0.113.5"),
    ("203.0.113.5", "1.2.3.4", "203.0.113.5"),  # not from a trusted proxy: the header is a claim, ignored
    ("127.0.0.1", "198.51.100.7", "198.51.100.7"),
    ("127.0.0.1", "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # the client cannot prepend its way out
    ("127.0.0.1", "198.51.100.7, 10.1.2.3", "198.51.100.7"),  # proxies' own hops are skipped
    ("127.0.0.1", "garbage, 198.51.100.7", "198.51.100.7"),
    ("127.0.0.1", "198.51.100.7, garbage", "127.0.0.1"),
    ("testclient", None, "unknown"),
    (None, "1.2.3.4", "unknown"),
])
def test_client_address(peer: str | None, forwarded: str | None, expected: str) -> None:
    assert client_address(peer, forwarded, PROXIES) == expected


def test_trusted_proxies_setting_is_checked() -> None:
    with pytest.raises(SettingsError, match="MOVIEMAGIC_TRUSTED_PROXIES"):
        load_settings(trusted_proxies="10.0.0.0/8, not-an-ip")
    assert load_settings().trusted_proxy_networks == ()
    assert not load_settings().https and load_settings(public_url="https://x.example").https


def test_safe_next_allows_only_the_apps_own_pages() -> None:
    @ui.page("/movie/{movie_id}")
    def _movie(movie_id: str) -> None: ...

    @ui.page("/login")
    def _login() -> None: ...

    for evil in ("/\\evil.example", "/\t/evil.example", "/\n/evil.example", "/\r/evil.example", "//evil.example",
                 "///evil.example", "https://evil.example", "javascript:alert(1)", "evil.example", "/\x00/x",
                 "/nowhere", "/login", "", None, "/movie/a/../../x", "/" + "a" * 3000):
        assert safe_next(evil) == "/", evil
    assert safe_next("/movie/m-1") == "/movie/m-1"
    assert safe_next("/movie/m-1?date=2026-12-01#x") == "/movie/m-1?date=2026-12-01"


def bare_app(https: bool = False) -> TestClient:
    app = FastAPI()

    @app.post("/api/v1/echo")
    async def echo(body: dict[str, str]) -> dict[str, int]:
        return {"keys": len(body)}

    app.add_middleware(BodyLimitMiddleware, json_limit=1024, other_limit=4096)
    app.add_middleware(SecurityHeadersMiddleware, https=https)
    return TestClient(app)


def test_body_limit_declared_and_streamed() -> None:
    client = bare_app()
    assert client.post("/api/v1/echo", json={"a": "b"}).json() == {"keys": 1}
    too_big = client.post("/api/v1/echo", json={"a": "x" * 2000})
    assert too_big.status_code == 413 and too_big.json()["error"]["code"] == "payload_too_large"
    streamed = client.post("/api/v1/echo", content=iter([b'{"a": "', b"x" * 800, b"x" * 800, b'"}']),
                           headers={"content-type": "application/json"})
    assert streamed.status_code == 413 and streamed.json()["error"]["code"] == "payload_too_large"


def test_headers_and_hsts_only_over_https() -> None:
    plain = bare_app().post("/api/v1/echo", json={}).headers
    assert "frame-ancestors 'none'" in plain["content-security-policy"]
    assert plain["x-content-type-options"] == "nosniff" and "strict-transport-security" not in plain
    assert "max-age=" in bare_app(https=True).post("/api/v1/echo", json={}).headers["strict-transport-security"]
