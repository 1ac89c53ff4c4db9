#!/usr/bin/env bash
# Install Movie Magic into .venv and start it on the embedded backend (no AWS account needed).
# Extra arguments go to main.py, e.g. `./run.sh provision`.
set -euo pipefail
cd "$(dirname "$0")"
python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
# Browser libraries the app serves itself (jsQR for the check-in camera); without npm the door takes typed codes.
if command -v npm >/dev/null 2>&1; then
  npm ci --omit=dev --no-audit --no-fund --silent
else
  echo "npm not found: the check-in page will accept typed or USB-scanner codes only (apt-get install npm)" >&2
fi
exec .venv/bin/python main.py "$@"
