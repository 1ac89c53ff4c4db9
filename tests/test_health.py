"""/healthz: cheap (DynamoDB read at most once per window), names the running commit; the deep check answers
loopback only. The service is tested against moto; the two routes on the real app (python main.py)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from services.platform.aws import Aws
from services.platform.health import HealthCheck, deployed_commit
from tests.e2e.app_process import RunningApp, start_app


class Ticks:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _count_reads(aws: Aws) -> list[str]:
    reads: list[str] = []
    aws.dynamodb.meta.client.meta.events.register(
        "before-call.dynamodb.GetItem", lambda **_: reads.append("GetItem"), unique_id="count-health-reads")
    return reads


def test_the_public_answer_reads_dynamodb_once_per_window(aws: Aws, tmp_path: Path) -> None:
    (tmp_path / "REVISION").write_text("a" * 40 + "\n")
    ticks = Ticks()
    checker = HealthCheck(aws, max_age=10, monotonic=ticks, root=tmp_path)
    reads = _count_reads(aws)
    answers = [checker.summary() for _ in range(50)]
    assert answers[0] == {"status": "ok", "dynamodb": "ok", "commit": "a" * 40}
    assert len(reads) == 1 and all(answer == answers[0] for answer in answers)
    ticks.now += 9.9
    checker.summary()
    assert len(reads) == 1
    ticks.now += 0.1
    checker.summary()
    assert len(reads) == 2
    assert checker.deep()["latency_ms"] >= 0 and len(reads) == 3  # the deep check is always fresh


def test_an_unreachable_table_is_reported_and_rechecked(aws: Aws, tmp_path: Path) -> None:
    ticks = Ticks()
    broken = Aws(settings=aws.settings.model_copy(update={"table_prefix": "missing-"}), session=aws.session,
                 dynamodb=aws.dynamodb, sns=aws.sns, sqs=aws.sqs, s3=aws.s3)
    checker = HealthCheck(broken, max_age=10, monotonic=ticks, root=tmp_path)
    assert checker.summary() == {"status": "unavailable", "dynamodb": "unreachable", "commit": None}
    assert checker.deep()["code"] == "ResourceNotFoundException"


def test_the_commit_comes_from_the_release_revision_file(tmp_path: Path) -> None:
    assert deployed_commit(tmp_path) is None  # a development checkout has none
    (tmp_path / "REVISION").write_text("0123456789abcdef0123456789abcdef01234567\n")
    assert deployed_commit(tmp_path) == "0123456789abcdef0123456789abcdef01234567"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApp]:
    # As on the instance (deploy/bootstrap.sh): nginx on loopback is the one trusted proxy.
    running = start_app(tmp_path_factory.mktemp("health-app"), trusted_proxies="127.0.0.1")
    yield running
    running.stop()


def test_the_routes_on_the_running_app(app: RunningApp) -> None:
    public = requests.get(f"{app.url}/healthz", timeout=5)
    assert public.status_code == 200 and public.json() == {"status": "ok", "dynamodb": "ok", "commit": None}
    deep = requests.get(f"{app.url}/healthz/deep", timeout=5)  # from loopback: allowed
    assert deep.status_code == 200 and deep.json()["dynamodb"] == "ok" and "latency_ms" in deep.json()
    # A visitor's request as nginx forwards it (uvicorn trusts the proxy on 127.0.0.1 for the client address).
    outside = requests.get(f"{app.url}/healthz/deep", headers={"X-Forwarded-For": "203.0.113.9"}, timeout=5)
    assert outside.status_code == 404 and outside.json()["error"]["code"] == "not_found"


def test_auth_requests_log_the_visitor_address(app: RunningApp) -> None:
    """Behind nginx (which sets X-Forwarded-For to the visitor), sign-in attempts are logged with their origin."""
    response = requests.post(f"{app.url}/api/v1/auth/login", json={"email": "x@example.com", "password": "wrong-pass"},
                             headers={"X-Forwarded-For": "203.0.113.77"}, timeout=10)
    assert response.status_code == 401
    deadline = time.monotonic() + 5
    while "client=203.0.113.77" not in app.log() and time.monotonic() < deadline:
        time.sleep(0.1)
    [line] = [line for line in app.log().splitlines() if "client=203.0.113.77" in line]
    assert "event=api.request method=POST path=/api/v1/auth/login status=401" in line
