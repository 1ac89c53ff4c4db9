"""Files in the data directory: private to the user who runs the app (directory 0700, files 0600), written
so a crash never leaves a half-written file under the real name, and one clear error for a bad file."""

from __future__ import annotations

import os
from pathlib import Path

DIRECTORY_MODE = 0o700
FILE_MODE = 0o600


class DataFileError(Exception):
    """A data file cannot be used. Start-up stops with this one line; the file is left exactly as it is."""

    def __init__(self, path: Path, problem: str, advice: str = "") -> None:
        self.path = path
        advice = advice or (f"move it out of {path.parent} (the app then starts without what it held) or "
                            "put back a backup, then start again")
        super().__init__(f"Data file {path} {problem}. Nothing was changed: {advice}.")


def ensure_private_directory(directory: Path) -> None:
    """Create ``directory`` (0700), or tighten an existing one to 0700."""
    directory.mkdir(mode=DIRECTORY_MODE, parents=True, exist_ok=True)
    if directory.stat().st_mode & 0o777 != DIRECTORY_MODE:
        os.chmod(directory, DIRECTORY_MODE)


def open_private(path: Path, flags: int) -> int:
    """``os.open`` with mode 0600 from the first moment (never readable by others, not even briefly)."""
    descriptor = os.open(path, flags, FILE_MODE)
    os.fchmod(descriptor, FILE_MODE)  # an existing file made by an older version keeps no looser mode
    return descriptor


def write_private(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically and durably (temporary file, fsync, rename, fsync dir)."""
    ensure_private_directory(path.parent)
    temporary = path.with_name(path.name + ".tmp")
    descriptor = open_private(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view) :]
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    os.replace(temporary, path)
    fsync_directory(path.parent)


def fsync_directory(directory: Path) -> None:
    """Make a file's creation, rename or removal in ``directory`` durable."""
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
