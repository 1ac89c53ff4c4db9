"""deploy/release.sh, the health-gated switch between releases, run for real against a temp directory.

The git side is real (a local repository with a good and a broken commit, fetched by commit id and by tag);
only the three system commands are stand-ins: installing a release's packages, restarting the service (here:
"the app" runs the current release unless that release contains a file named ``crash``) and the health check
(healthy when the running release's commit is the one asked for). No network, no systemd.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

RELEASE = Path(__file__).resolve().parent.parent / "deploy" / "release.sh"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")

INSTALL = """#!/bin/bash
# Stands in for the venv + pip install: fails for a commit that carries "broken-install".
[ ! -f broken-install ] && mkdir .venv
"""
RESTART = """#!/bin/bash
# Stands in for systemctl restart: the app on `current` starts unless that release has a file "crash".
if [ -f "$MOVIEMAGIC_ROOT/current/crash" ]; then rm -f "$MOVIEMAGIC_ROOT/running"
else cat "$MOVIEMAGIC_ROOT/current/REVISION" >"$MOVIEMAGIC_ROOT/running"; fi
"""
HEALTHY = """#!/bin/bash
[ "$(cat "$MOVIEMAGIC_ROOT/running" 2>/dev/null)" = "$1" ]
"""


@dataclass
class Result:
    status: int
    stdout: str
    reason: str  # the last stderr line: what deploy/bootstrap.sh passes to cfn-signal


class Box:
    """A fake instance: the app's root directory and a git repository to deploy from."""

    def __init__(self, tmp_path: Path) -> None:
        self.root = tmp_path / "opt-moviemagic"
        self.repo = tmp_path / "movie-magic"
        tools = tmp_path / "tools"
        tools.mkdir()
        self.environment = os.environ | {"MOVIEMAGIC_ROOT": str(self.root), "MOVIEMAGIC_HEALTH_TRIES": "2",
                                         "MOVIEMAGIC_HEALTH_PAUSE": "0", "MOVIEMAGIC_KEEP_RELEASES": "2"}
        for name, text in {"INSTALL": INSTALL, "RESTART": RESTART, "HEALTHY": HEALTHY}.items():
            script = tools / name.lower()
            script.write_text(text)
            script.chmod(0o755)
            self.environment[f"MOVIEMAGIC_{name}"] = str(script)
        self.repo.mkdir()
        self.git("init", "--quiet", "--initial-branch=main")

    def git(self, *args: str) -> str:
        identity = ["-c", "user.name=Student", "-c", "user.email=student@example.com"]
        return subprocess.run(["git", *identity, "-C", str(self.repo), *args], check=True, capture_output=True,
                              text=True).stdout.strip()

    def commit(self, message: str, *, crash: bool = False, broken_install: bool = False, tag: str = "") -> str:
        (self.repo / "main.py").write_text(f"print({message!r})\n")
        for name, present in {"crash": crash, "broken-install": broken_install}.items():
            path = self.repo / name
            if present:
                path.write_text("1\n")
            elif path.exists():
                path.unlink()
        self.git("add", "-A")
        self.git("commit", "--quiet", "-m", message)
        if tag:
            self.git("tag", tag)
        return self.git("rev-parse", "HEAD")

    def release(self, ref: str) -> Result:
        result = subprocess.run(["bash", str(RELEASE), str(self.repo), ref], env=self.environment,
                                capture_output=True, text=True, check=False, timeout=60)
        lines = result.stderr.strip().splitlines()
        return Result(result.returncode, result.stdout.strip(), lines[-1] if lines else "")

    @property
    def current(self) -> str:
        return Path(os.readlink(self.root / "current")).name

    @property
    def running(self) -> str:
        return (self.root / "running").read_text().strip()

    def releases(self) -> set[str]:
        return {path.name for path in (self.root / "releases").iterdir()}


@pytest.fixture
def box(tmp_path: Path) -> Box:
    return Box(tmp_path)


def test_a_good_release_is_switched_to_and_stays(box: Box) -> None:
    first = box.commit("first")
    result = box.release(first)
    assert (result.status, result.stdout) == (0, first), result.reason
    assert box.current == box.running == first
    assert (box.root / "current" / "REVISION").read_text().strip() == first  # what /healthz reports
    assert (box.root / "current" / "main.py").read_text() == "print('first')\n"
    assert (box.root / "current" / ".venv").is_dir()


def test_a_broken_release_is_rolled_back_to_the_previous_one(box: Box) -> None:
    good = box.commit("good", tag="v1.0")
    assert box.release("v1.0").status == 0
    broken = box.commit("crashes at start", crash=True, tag="v1.1")
    result = box.release("v1.1")
    assert result.status == 2
    assert result.reason == (f"moviemagic-release: release {broken} (v1.1) did not become healthy; rolled back to "
                             f"{good} (journalctl -u moviemagic)")
    assert box.current == box.running == good
    # The broken release stays built (to look at), and a fixed one after it is kept.
    fixed = box.commit("fixed")
    assert box.release(fixed).status == 0 and box.current == box.running == fixed


def test_a_ref_that_cannot_be_fetched_changes_nothing(box: Box) -> None:
    good = box.commit("good")
    assert box.release(good).status == 0
    for ref in ("v9.9", good[:7], "0" * 40):
        result = box.release(ref)
        assert result.status == 1, ref
        assert "could not fetch" in result.reason and ref in result.reason
        assert box.current == box.running == good


def test_a_release_whose_packages_do_not_install_changes_nothing(box: Box) -> None:
    good = box.commit("good")
    assert box.release(good).status == 0
    bad = box.commit("bad lock", broken_install=True)
    result = box.release(bad)
    assert result.status == 1 and "could not install the packages" in result.reason
    assert box.current == box.running == good and bad not in box.releases()  # no half-built directory


def test_the_first_release_unhealthy_has_nothing_to_return_to(box: Box) -> None:
    broken = box.commit("crashes", crash=True)
    result = box.release(broken)
    assert result.status == 3 and "no earlier release" in result.reason


def test_deploying_the_running_commit_again_reuses_it_and_old_releases_are_pruned(box: Box) -> None:
    commits = [box.commit(f"release {n}") for n in range(4)]
    for commit in commits:
        assert box.release(commit).status == 0
    assert box.releases() == set(commits[-2:])  # MOVIEMAGIC_KEEP_RELEASES=2
    again = box.release(commits[-1])
    assert again.status == 0 and box.current == commits[-1]
    assert "already built" in subprocess.run(["bash", str(RELEASE), str(box.repo), commits[-1]], env=box.environment,
                                             capture_output=True, text=True, check=False).stderr
