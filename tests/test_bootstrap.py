"""deploy/bootstrap.sh's last step for real (sourced, with the release script and cfn-signal stood in): what
CloudFormation is told when a release fails. A resource signal carries no message, only a unique id, which the
stack's events show ("Received FAILURE signal with UniqueId ..."), so the id must name the cause."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

BOOTSTRAP = Path(__file__).resolve().parent.parent / "deploy" / "bootstrap.sh"

RELEASE_STUB = """#!/bin/bash
echo "moviemagic-release: building release abc" >&2
echo "$STUB_REASON" >&2
[ "$STUB_STATUS" = 0 ] && echo "0123456789abcdef0123456789abcdef01234567"
exit "$STUB_STATUS"
"""
SIGNAL_STUB = """#!/bin/bash
echo "$*" >>"$SIGNALS"
"""


def run_deploy(tmp_path: Path, status: int, reason: str) -> tuple[int, list[str]]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    for name, text in {"moviemagic-release": RELEASE_STUB, "cfn-signal": SIGNAL_STUB}.items():
        (bin_dir / name).write_text(text)
        (bin_dir / name).chmod(0o755)
    signals = tmp_path / "signals"
    signals.unlink(missing_ok=True)
    environment = os.environ | {
        "PATH": f"{bin_dir}:{os.environ['PATH']}", "MOVIEMAGIC_CFN_SIGNAL": str(bin_dir / "cfn-signal"),
        "MOVIEMAGIC_LOG_DIR": str(tmp_path), "SIGNALS": str(signals), "STUB_STATUS": str(status),
        "STUB_REASON": reason, "GIT_URL": "https://github.com/example/movie-magic.git", "GIT_REF": "v1.2",
        "AWS_REGION": "us-east-1", "STACK_NAME": "moviemagic", "SIGNAL_RESOURCE": "AppInstance",
        "TABLE_PREFIX": "moviemagic-", "TOPIC_ARN": "arn:aws:sns:us-east-1:1:t", "TOPIC_NAME": "t",
        "SECRET_ARN": "arn:aws:secretsmanager:us-east-1:1:secret:s", "PUBLIC_URL": "https://d1.cloudfront.net",
        "LOG_GROUP": "/moviemagic/moviemagic", "POSTERS_BUCKET": "moviemagic-postersbucket-1a2b3c",
    }
    result = subprocess.run(["bash", "-c", f'source "{BOOTSTRAP}" && deploy && signal 0'], env=environment,
                            capture_output=True, text=True, check=False, timeout=30)
    return result.returncode, signals.read_text().splitlines() if signals.exists() else []


@pytest.mark.parametrize(("status", "reason", "unique_id"), [
    (1, "moviemagic-release: could not fetch v1.2 from https://github.com/example/movie-magic.git (...)",
     "GitRef-not-found-in-GitUrl"),
    (1, "moviemagic-release: could not install the packages of abc (deploy/requirements-aws.lock)",
     "packages-did-not-install"),
    (2, "moviemagic-release: release abc (v1.2) did not become healthy; rolled back to def (...)",
     "release-unhealthy-see-CloudWatch-logs"),
    (3, "moviemagic-release: release abc (v1.2) did not become healthy and there is no earlier release (...)",
     "release-unhealthy-see-CloudWatch-logs"),
])
def test_a_failed_release_signals_failure_with_its_cause(tmp_path: Path, status: int, reason: str,
                                                         unique_id: str) -> None:
    code, signals = run_deploy(tmp_path, status, reason)
    assert code == status
    assert signals == [f"--exit-code 1 --id {unique_id} --stack moviemagic --resource AppInstance --region us-east-1"]
    assert len(unique_id) <= 64  # SignalResource's limit


def test_a_healthy_release_signals_success_with_the_default_id(tmp_path: Path) -> None:
    code, signals = run_deploy(tmp_path, 0, "moviemagic-release: running abc (v1.2)")
    assert code == 0
    assert signals == ["--exit-code 0 --stack moviemagic --resource AppInstance --region us-east-1"]
