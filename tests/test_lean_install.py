"""The AWS install is lean and exact: no moto on the instance, and every package pinned and hashed.

requirements-aws.txt is what the app needs on AWS; deploy/requirements-aws.lock is that resolved (all
dependencies, sha256 of every file) and is what deploy/bootstrap.sh installs with --require-hashes.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AWS_REQUIREMENTS = ROOT / "requirements-aws.txt"
LOCK = ROOT / "deploy" / "requirements-aws.lock"
# What moto[server] used to bring onto the server (a few of its 38 packages).
TEST_STACK = {"moto", "flask", "docker", "cfn-lint", "sympy", "werkzeug", "responses", "openapi-spec-validator"}


def _pins(text: str) -> dict[str, str]:
    found = {}
    for line in text.splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==([^\s;\\]+)", line)
        if match:
            found[_canonical(match.group(1))] = match.group(2)
    return found


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_the_lock_pins_what_requirements_aws_asks_for() -> None:
    wanted, locked = _pins(AWS_REQUIREMENTS.read_text()), _pins(LOCK.read_text())
    assert wanted and {name: locked.get(name) for name in wanted} == wanted, (
        "requirements-aws.txt changed: run .venv/bin/python deploy/lock_requirements.py")


def test_the_lock_has_no_test_stack_and_a_hash_for_every_package() -> None:
    text = LOCK.read_text()
    locked = _pins(text)
    assert not TEST_STACK & locked.keys()
    entries = re.split(r"\n(?=[A-Za-z])", text.split("\n", 2)[2])  # after the two header lines
    assert len(entries) == len(locked)
    for entry in entries:
        assert "--hash=sha256:" in entry, entry.splitlines()[0]


def test_the_lock_installs_what_the_tests_ran_with() -> None:
    """Deployed = tested: each locked version is the one installed here (for the packages this machine has)."""
    different = {}
    for name, version in _pins(LOCK.read_text()).items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue  # a platform-only package (e.g. for ARM or another OS)
        if installed != version:
            different[name] = (version, installed)
    assert not different, f"lock vs installed: {different}"


def test_requirements_txt_is_the_aws_runtime_plus_moto() -> None:
    lines = [line for line in (ROOT / "requirements.txt").read_text().splitlines() if line and line[0] != "#"]
    assert lines[0] == "-r requirements-aws.txt"
    assert [_canonical(line.split("[")[0]) for line in lines[1:]] == ["moto"], (
        "the app's packages belong in requirements-aws.txt (then run deploy/lock_requirements.py); "
        "requirements.txt adds only the embedded backend")
    assert "moto" not in _pins(AWS_REQUIREMENTS.read_text())


BLOCK_MOTO = """
import importlib.abc, sys

class NoMoto(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "moto" or name.startswith("moto."):
            raise ImportError("moto is not installed on the instance")
        return None

sys.meta_path.insert(0, NoMoto())
import main  # every page, component and API module the server imports
from services.clock import FakeClock
from services.platform.backend import start_backend
from services.settings import load_settings

settings = load_settings()
backend = start_backend(settings)
services = main.build_services(settings, backend.aws, FakeClock())
loaded = sorted(name for name in sys.modules if name.split(".")[0] in {"moto", "flask", "docker"})
print("loaded:", loaded)
assert services.mailbox is None and backend.server is None
"""


def test_aws_mode_starts_without_moto(tmp_path: Path) -> None:
    """Imports the whole app and builds its services in aws mode with moto made unimportable (as on EC2)."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("MOVIEMAGIC_")} | {
        "MOVIEMAGIC_BACKEND": "aws", "MOVIEMAGIC_REGION": "us-east-1",
        "MOVIEMAGIC_TOPIC_ARN": "arn:aws:sns:us-east-1:123456789012:moviemagic-BookingsTopic-ABC",
        "MOVIEMAGIC_STORAGE_SECRET": "s" * 32, "MOVIEMAGIC_TICKET_SECRET": "t" * 32, "MOVIEMAGIC_API_SECRET": "a" * 32,
        "MOVIEMAGIC_DATA_DIR": str(tmp_path), "AWS_ACCESS_KEY_ID": "none", "AWS_SECRET_ACCESS_KEY": "none",
    }
    result = subprocess.run([sys.executable, "-c", BLOCK_MOTO], cwd=ROOT, env=environment, capture_output=True,
                            text=True, check=False, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "loaded: []" in result.stdout
