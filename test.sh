#!/usr/bin/env bash
# Install everything the tests need (system packages with apt, Python packages into .venv), lint, and test.
# Extra arguments go to pytest, e.g. `./test.sh tests/test_users.py -x`.
set -euo pipefail
cd "$(dirname "$0")"

# System packages: Chromium for the browser tests, poppler for reading PDF tickets,
# the ShellCheck linter and systemd-analyze for the scripts and deploy files, nginx (tests/test_nginx.py
# runs deploy/nginx.conf), git (tests/test_release.py), redis-server (several instances).
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
command -v shellcheck >/dev/null 2>&1 || missing+=(shellcheck)
command -v systemd-analyze >/dev/null 2>&1 || missing+=(systemd)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
command -v git >/dev/null 2>&1 || missing+=(git)
# Redis: the shared live channel and sessions of several app instances (tests/e2e/test_two_instances.py).
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
# Noto Sans Devanagari/Telugu/Tamil: the sources of the PDF ticket's Indic font subsets (tools/make_fonts.py).
[ -f /usr/share/fonts/truetype/noto/NotoSansTelugu-Regular.ttf ] || missing+=(fonts-noto-core)
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
# Browser libraries the app serves itself (package.json: jsQR for the check-in camera), exactly as locked, and
# the Tailwind compiler (devDependencies: tests/test_tailwind_css.py rebuilds the CSS to check it is current).
npm ci --no-audit --no-fund --silent

.venv/bin/ruff check .         # a second: fails fast on the commonest slip
# The other static checks run beside the tests: together they take ~20 s of one core (mypy without its cache,
# checkov), and the tests leave a core idle now and then (apps starting, waits). Their output is shown after
# the tests; either one failing fails the run.
checks_log=$(mktemp)
checks=""
trap 'rm -f "$checks_log"; [ -z "$checks" ] || kill "$checks" 2>/dev/null || true' EXIT
(
  set -e
  .venv/bin/mypy                 # config: [tool.mypy] in pyproject.toml
  .venv/bin/lint-imports         # the import layers: [tool.importlinter] in pyproject.toml
  shellcheck run.sh test.sh .ci/run
  if [ -f deploy/check.sh ]; then
    PATH="$PWD/.venv/bin:$PATH" bash deploy/check.sh
  fi
) >"$checks_log" 2>&1 &
checks=$!
# One worker more than there are cores (pytest-xdist): about a third of the tests' time is waiting (apps
# starting, timers, a browser's next frame), which a third worker on 2 cores fills (measured: 476 s -> 418 s).
# The browser tests are two halves, each on one worker (tests/conftest.py).
# PYTEST_WORKERS=0 runs everything in this process, e.g. for a debugger.
tests_status=0
.venv/bin/python -m pytest -n "${PYTEST_WORKERS:-$(($(nproc) + 1))}" --dist loadgroup "$@" || tests_status=$?
checks_status=0
wait "$checks" || checks_status=$?
echo "--- static checks (mypy, lint-imports, shellcheck, deploy/check.sh) ---"
cat "$checks_log"
if [ "$checks_status" -ne 0 ]; then
  echo "static checks FAILED (exit $checks_status)"
fi
if [ "$tests_status" -ne 0 ]; then
  exit "$tests_status"
fi
exit "$checks_status"
