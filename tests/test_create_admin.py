"""The first admin on AWS: ``python main.py create-admin EMAIL`` (run on the instance, see docs/DEPLOY.md)."""

from __future__ import annotations

import re

import pytest

from main import build_services, main
from services.clock import SystemClock
from services.platform.aws import connect
from services.settings import Settings


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch, moto_endpoint: str, aws: object, settings: Settings) -> Settings:
    for name, value in {"BACKEND": "aws", "ENDPOINT_URL": moto_endpoint, "TABLE_PREFIX": settings.table_prefix,
                        "TOPIC_NAME": settings.topic_name, "STORAGE_SECRET": settings.storage_secret,
                        "TICKET_SECRET": settings.ticket_secret, "API_SECRET": settings.api_secret,
                        "BCRYPT_ROUNDS": "4"}.items():
        monkeypatch.setenv(f"MOVIEMAGIC_{name}", value)
    return settings


def test_create_admin_prints_a_password_that_signs_in(aws_env: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["create-admin", "Boss@Example.com"]) == 0
    match = re.fullmatch(r"Admin account created: Boss@Example.com / (\S+)\n", capsys.readouterr().out)
    assert match
    users = build_services(aws_env, connect(aws_env), SystemClock()).users
    assert users.authenticate("boss@example.com", match.group(1)).role == "admin"
    assert main(["create-admin", "boss@example.com"]) == 0  # a second run changes nothing
    assert capsys.readouterr().out == "boss@example.com already has an account.\n"


def test_create_admin_needs_an_email(aws_env: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["create-admin"]) == 2 and "usage" in capsys.readouterr().err
