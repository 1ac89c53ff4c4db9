"""Bad settings stop start-up with one clear line naming the setting; good ones are read from the env."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from services.platform.local_secrets import with_local_secrets
from services.settings import Settings, SettingsError, load_settings

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("MOVIEMAGIC_PORT", "eighty"),
        ("MOVIEMAGIC_PORT", "70000"),
        ("MOVIEMAGIC_BACKEND", "oracle"),
        ("MOVIEMAGIC_HOLD_MINUTES", "0"),
        ("MOVIEMAGIC_TAX_PERCENT", "-5"),
        ("MOVIEMAGIC_CURRENCY", "rupees"),
        ("MOVIEMAGIC_REGION", "mars"),
        ("MOVIEMAGIC_STORAGE_SECRET", "short"),
    ],
)
def test_a_bad_value_names_the_setting(monkeypatch: pytest.MonkeyPatch, variable: str, value: str) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError, match=f"Invalid setting {variable}:"):
        load_settings()


def test_aws_backend_requires_real_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOVIEMAGIC_BACKEND", "aws")
    with pytest.raises(SettingsError, match="MOVIEMAGIC_STORAGE_SECRET: required"):
        load_settings()


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOVIEMAGIC_PORT", "9001")
    monkeypatch.setenv("MOVIEMAGIC_HOLD_MINUTES", "5")
    settings = load_settings()
    assert (settings.port, settings.hold_minutes, settings.backend) == (9001, 5, "embedded")


def test_the_app_refuses_to_start_with_one_clear_line(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "MOVIEMAGIC_PORT": "not-a-port", "MOVIEMAGIC_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "main.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "Invalid setting MOVIEMAGIC_PORT: Input should be a valid integer, unable to parse string as an integer "
        "(got 'not-a-port')"
    ]
    assert not (tmp_path / "embedded.snapshot").exists()


def test_embedded_secrets_are_generated_once_and_private(tmp_path: Path) -> None:
    first = with_local_secrets(Settings(data_dir=tmp_path))
    second = with_local_secrets(Settings(data_dir=tmp_path))
    assert len(first.storage_secret) >= 32
    assert first.storage_secret == second.storage_secret != first.ticket_secret
    assert (tmp_path / "secrets.json").stat().st_mode & 0o777 == 0o600


def test_the_readme_lists_every_setting() -> None:
    readme = (ROOT / "README.md").read_text()
    missing = [name for name in Settings.model_fields if f"`MOVIEMAGIC_{name.upper()}`" not in readme]
    assert not missing, f"README.md does not list: {missing}"
