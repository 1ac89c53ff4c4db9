#!/usr/bin/env bash
# Install Movie Magic into .venv and start it on the embedded backend (no AWS account needed).
# Extra arguments go to main.py, e.g. `./run.sh provision`.
set -euo pipefail
cd "$(dirname "$0")"
python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
exec .venv/bin/python main.py "$@"
