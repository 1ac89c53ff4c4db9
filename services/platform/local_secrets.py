"""Secrets for the embedded backend: generated once and kept in a 0600 file under ``data_dir``.

On AWS every secret must come from the environment (``load_settings`` refuses to start without them).
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from services.settings import Settings

SECRET_FIELDS = ("storage_secret", "ticket_secret", "api_secret")


def with_local_secrets(settings: Settings) -> Settings:
    """Fill empty secrets from ``data_dir/secrets.json``, creating it (mode 0600) when missing."""
    missing = [name for name in SECRET_FIELDS if not getattr(settings, name)]
    if not missing:
        return settings
    path = settings.data_dir / "secrets.json"
    stored: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    if any(name not in stored for name in missing):
        stored |= {name: secrets.token_urlsafe(32) for name in missing if name not in stored}
        _write_private(path, json.dumps(stored, indent=2))
    return settings.model_copy(update={name: stored[name] for name in missing})


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Created with 0600 from the start, so the secret is never readable by others, not even briefly.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(text)
    os.chmod(path, 0o600)
