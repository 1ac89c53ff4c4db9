"""Secrets for the embedded backend: generated once and kept in a 0600 file under ``data_dir``.

On AWS every secret must come from the environment (``load_settings`` refuses to start without them).
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path

from services.platform.private_files import DataFileError, write_private
from services.settings import Settings

SECRET_FIELDS = ("storage_secret", "ticket_secret", "api_secret")


def with_local_secrets(settings: Settings) -> Settings:
    """Fill empty secrets from ``data_dir/secrets.json``, creating it (mode 0600) when missing."""
    missing = [name for name in SECRET_FIELDS if not getattr(settings, name)]
    if not missing:
        return settings
    path = settings.data_dir / "secrets.json"
    stored: dict[str, str] = _read(path) if path.exists() else {}
    if any(name not in stored for name in missing):
        stored |= {name: secrets.token_urlsafe(32) for name in missing if name not in stored}
        write_private(path, json.dumps(stored, indent=2).encode())
    return settings.model_copy(update={name: stored[name] for name in missing})



def _read(path: Path) -> dict[str, str]:
    try:
        stored = json.loads(path.read_text())
    except (OSError, ValueError) as exc:  # never regenerate: new secrets would sign everyone out
        raise DataFileError(path, "cannot be read as the app's secrets") from exc
    if not isinstance(stored, dict):
        raise DataFileError(path, "is not the app's secrets")
    return stored
