"""The request log journald keeps on EC2: one greppable line per request, no query strings."""

from __future__ import annotations

import logging

import httpx
import pytest
from fastapi import FastAPI
from fastapi.responses import JSONResponse

from api.request_log import RequestLogMiddleware


@pytest.fixture
def client() -> httpx.AsyncClient:
    app = FastAPI()
    app.add_middleware(RequestLogMiddleware)

    @app.get("/healthz")
    def healthz() -> JSONResponse:
        return JSONResponse({"status": "unavailable"}, status_code=503)

    @app.get("/movie/{movie_id}")
    def movie(movie_id: str) -> str:
        return movie_id

    @app.get("/api/v1/movies")
    def api_movies() -> list[str]:
        return []  # the API logs its own event=api.request line

    @app.get("/assets/posters/{name}")
    def poster(name: str) -> str:
        return name

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("boom")

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://test")


def lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == "moviemagic"]


async def test_one_line_per_request_without_the_query_string(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="moviemagic")
    await client.get("/movie/m-1?token=secret-token&email=someone@example.com")
    await client.get("/api/v1/movies")
    await client.get("/healthz")
    first, second = lines(caplog)
    assert first.startswith("event=http.request method=GET path=/movie/m-1 status=200 ms=")
    assert "secret" not in first and "someone" not in first
    assert second.startswith("event=http.request method=GET path=/healthz status=503 ms=")


async def test_static_files_are_quiet_unless_they_fail(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="moviemagic")
    await client.get("/assets/posters/a.svg")
    await client.get("/assets/missing/nothing.svg")
    assert [line.split(" ms=")[0] for line in lines(caplog)] == [
        "event=http.request method=GET path=/assets/missing/nothing.svg status=404"]


async def test_an_exception_is_logged_as_a_500(client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="moviemagic")
    assert (await client.get("/boom")).status_code == 500
    records = [record for record in caplog.records if record.name == "moviemagic"]
    assert records[-1].levelno == logging.ERROR and "path=/boom status=500" in records[-1].getMessage()
