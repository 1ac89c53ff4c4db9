"""The app as the README runs it (``python main.py`` on the embedded backend) in a subprocess, and the
Chromium flags for this machine: shared by the end-to-end tests and the benches."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("MOVIEMAGIC_CHROMIUM", "/usr/bin/chromium")
# Without these, Chromium keeps dialling Google's services, which this closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass
class RunningApp:
    url: str
    process: subprocess.Popen[str]
    data_dir: Path
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text()

    def admin_password(self) -> str:
        match = re.search(r"Admin account created: \S+ / (\S+)", self.log())
        assert match, "the first start prints the admin password"
        return match.group(1)

    def rss_kb(self) -> int:
        """The app process's resident memory."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        return int(re.search(r"VmRSS:\s+(\d+)", status).group(1))  # type: ignore[union-attr]

    def kill(self) -> None:
        """kill -9: no shutdown handler runs, nothing is flushed or saved."""
        self.process.kill()
        self.process.wait(timeout=15)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()


# How long a start may take before it counts as failed. ~4 s on an idle 2-core machine; a first start seeds the
# demo catalog and staff, which took over 60 s while other test suites ran beside (load average 30). An app
# that exits is reported at once; this only bounds a hang.
START_SECONDS = 240


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _environment(data_dir: Path, settings: dict[str, str]) -> dict[str, str]:
    # NiceGUI treats a process with PYTEST_* variables as a test run; the app must run as a user runs it.
    env = {key: value for key, value in os.environ.items() if not key.startswith(("MOVIEMAGIC_", "PYTEST_"))}
    env |= {"MOVIEMAGIC_DATA_DIR": str(data_dir), "MOVIEMAGIC_BCRYPT_ROUNDS": "4"}
    env |= {f"MOVIEMAGIC_{key.upper()}": value for key, value in settings.items()}
    env.pop("NICEGUI_USER_SIMULATION", None)
    return env


def _launch(command: list[str], data_dir: Path, port: int, settings: dict[str, str], url: str,
            root: Path = ROOT) -> RunningApp:
    data_dir.mkdir(parents=True, exist_ok=True)
    log_path = data_dir.parent / f"{data_dir.name}-{command[-1]}-{port}.log"  # beside the data, not in it
    log_file = log_path.open("w")
    process = subprocess.Popen(
        [sys.executable, *command], cwd=root, env=_environment(data_dir, settings), stdout=log_file,
        stderr=subprocess.STDOUT, text=True,
    )
    return RunningApp(url, process, data_dir, log_path)


def start_app(data_dir: Path, **settings: str) -> RunningApp:
    """Run ``python main.py`` with MOVIEMAGIC_* settings; returns once /healthz answers."""
    return start_app_at(ROOT, data_dir, **settings)


def start_app_at(root: Path, data_dir: Path, **settings: str) -> RunningApp:
    """``start_app`` for the checkout at ``root`` (benches compare another checkout's code). A ``port``
    setting puts it at that port (an instance restarted where its browsers were); else a free one."""
    port = int(settings.pop("port", 0)) or free_port()
    app = _launch(["main.py"], data_dir, port, {"port": str(port)} | settings, f"http://127.0.0.1:{port}", root)
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if app.process.poll() is not None:
            raise RuntimeError(f"the app exited early:\n{app.log()}")
        try:
            if requests.get(f"{app.url}/healthz", timeout=5).status_code == 200:
                return app
        except (requests.ConnectionError, requests.Timeout):  # not listening yet, or a busy machine
            pass
        time.sleep(0.2)
    app.stop()
    raise RuntimeError(f"the app did not start within {START_SECONDS} s:\n{app.log()}")


def start_backend(data_dir: Path, **settings: str) -> RunningApp:
    """Run ``python main.py backend`` (the shared embedded server); returns once it accepts requests."""
    port = free_port()
    backend = _launch(["main.py", "backend"], data_dir, port, {"backend_port": str(port)} | settings,
                      f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if backend.process.poll() is not None:
            raise RuntimeError(f"the backend exited early:\n{backend.log()}")
        if "embedded backend is ready" in backend.log():
            return backend
        time.sleep(0.1)
    backend.stop()
    raise RuntimeError(f"the backend did not start within {START_SECONDS} s:\n{backend.log()}")
