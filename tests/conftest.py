"""Shared fixtures: one locked moto server per test session (boto3 talks to it over HTTP, exactly as to
AWS); every test gets its own table prefix, so tests never see each other's data."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from main import build_services
from services.aws import Aws, connect
from services.clock import FakeClock
from services.container import Services
from services.demo_catalog import DemoCatalog
from services.embedded import EmbeddedServer
from services.provisioning import provision
from services.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
CATALOG_DIR = ROOT / "assets" / "catalog"
TEST_SECRET = "test-secret-0123456789abcdef"


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    server = EmbeddedServer()
    yield server.start()
    server.stop()


def make_settings(endpoint: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "backend": "aws",
        "endpoint_url": endpoint,
        "table_prefix": f"t{uuid.uuid4().hex[:10]}-",
        "topic_name": f"t{uuid.uuid4().hex[:10]}",
        "storage_secret": TEST_SECRET,
        "ticket_secret": TEST_SECRET + "-ticket",
        "api_secret": TEST_SECRET + "-api",
        "bcrypt_rounds": 4,
    }
    return Settings(**(values | overrides))  # type: ignore[arg-type]


@pytest.fixture
def settings(moto_endpoint: str) -> Settings:
    return make_settings(moto_endpoint)


@pytest.fixture
def aws(settings: Settings) -> Aws:
    aws = connect(settings)
    provision(aws)
    return aws


@pytest.fixture
def clock() -> FakeClock:
    # Mid-morning in India, so the day's demo shows are still ahead.
    return FakeClock(datetime.now(UTC).replace(hour=3, minute=0, second=0, microsecond=0))


@pytest.fixture
def services(settings: Settings, aws: Aws, clock: FakeClock) -> Services:
    return build_services(settings, aws, clock)


@pytest.fixture
def seeded(services: Services) -> Services:
    DemoCatalog(services.aws, services.clock, CATALOG_DIR).load(days=3)
    return services


@pytest.fixture
def app_env(monkeypatch: pytest.MonkeyPatch, moto_endpoint: str, tmp_path: Path) -> Settings:
    """Settings for main.py under NiceGUI's `user` fixture: fresh, seeded tables on the test server."""
    settings = make_settings(moto_endpoint, data_dir=tmp_path)
    for name, value in settings.model_dump(exclude_none=True).items():
        monkeypatch.setenv(f"MOVIEMAGIC_{name.upper()}", str(value))
    aws = connect(settings)
    provision(aws)
    DemoCatalog(aws, FakeClock(), CATALOG_DIR).load(days=3)
    return settings
