"""pyproject.toml declares the dependencies; the pinned requirements files must say exactly the same."""

from __future__ import annotations

import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def pins(lines: list[str]) -> dict[str, str]:
    """``{canonical name[extras]: version}`` for each requirement; every one must be an exact ``==`` pin."""
    found: dict[str, str] = {}
    for line in lines:
        requirement = Requirement(line)
        specifiers = list(requirement.specifier)
        assert len(specifiers) == 1 and specifiers[0].operator == "==", f"not an exact pin: {line}"
        key = canonicalize_name(requirement.name) + str(sorted(requirement.extras) or "")
        assert key not in found, f"listed twice: {line}"
        found[key] = specifiers[0].version
    return found


def requirements_file(name: str) -> list[str]:
    lines = [line.split("#")[0].strip() for line in (ROOT / name).read_text().splitlines()]
    return [line for line in lines if line and not line.startswith("-r ")]


def test_requirements_files_match_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert pins(requirements_file("requirements-aws.txt")) == pins(project["dependencies"])
    assert pins(requirements_file("requirements.txt")) == pins(project["optional-dependencies"]["embedded"])
    assert pins(requirements_file("requirements-dev.txt")) == pins(project["optional-dependencies"]["dev"])
    assert "-r requirements-aws.txt" in (ROOT / "requirements.txt").read_text()  # ./run.sh: the app + moto
    assert "-r requirements.txt" in (ROOT / "requirements-dev.txt").read_text()  # dev installs the app too


def test_a_loose_pin_is_refused() -> None:
    for loose in (["boto3>=1.44"], ["boto3"], ["boto3==1.44.5", "boto3==1.44.6"]):
        try:
            pins(loose)
        except AssertionError:
            continue
        raise AssertionError(f"accepted {loose}")
