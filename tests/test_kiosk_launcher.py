"""deploy/kiosk-launcher.sh: lints clean, refuses a wrong URL, and starts Chromium in kiosk mode on a
persistent profile (a stand-in browser records its arguments, then stops the launcher's loop)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

LAUNCHER = Path(__file__).resolve().parent.parent / "deploy" / "kiosk-launcher.sh"


@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="shellcheck not installed (apt-get install shellcheck)")
def test_the_launcher_passes_shellcheck() -> None:
    result = subprocess.run(["shellcheck", str(LAUNCHER)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout


def test_the_launcher_wants_a_kiosk_url() -> None:
    result = subprocess.run(["bash", str(LAUNCHER), "https://example.com/"], capture_output=True, text=True,
                            check=False, timeout=10)
    assert result.returncode == 2 and "usage" in result.stderr


def test_the_launcher_starts_chromium_in_kiosk_mode(tmp_path: Path) -> None:
    browser = tmp_path / "fake-chromium"
    record = tmp_path / "args"
    browser.write_text(f'#!/usr/bin/env bash\nprintf "%s\\n" "$@" > "{record}"\nkill "$PPID"\n')
    browser.chmod(0o755)
    env = {**os.environ, "MOVIEMAGIC_CHROMIUM": str(browser), "MOVIEMAGIC_KIOSK_PROFILE": str(tmp_path / "profile"),
           "DISPLAY": ""}
    subprocess.run(["bash", str(LAUNCHER), "https://tickets.example.com/kiosk/pair/ABCD-EFGH"], env=env,
                   capture_output=True, text=True, check=False, timeout=10)
    args = record.read_text().split("\n")
    assert "--kiosk" in args and "--kiosk-printing" in args and "--incognito" not in args
    assert f"--user-data-dir={tmp_path / 'profile'}" in args
    assert args[-2] == "https://tickets.example.com/kiosk/pair/ABCD-EFGH"
