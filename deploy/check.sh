#!/bin/bash
# Checks of deploy/ for CI: the template passes cfn-lint and checkov and carries the current scripts, the shell
# scripts pass shellcheck, the systemd unit passes systemd-analyze (verify and security), and the
# nginx config passes nginx -t when nginx is installed. Exits non-zero on the first failure.
#
#   bash deploy/check.sh
#
# Needs: cfn-lint (requirements-dev.txt, used from .venv when present), checkov (installed into
# .venv-checkov from requirements-checkov.txt on first run), and the Debian packages
# the shellcheck and systemd packages (apt-get install -y shellcheck systemd); nginx is optional.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ -x .venv/bin/python ]; then PYTHON=.venv/bin/python; else PYTHON=python3; fi
if [ -x .venv/bin/cfn-lint ]; then CFN_LINT=.venv/bin/cfn-lint; else CFN_LINT=cfn-lint; fi

workdir=$(mktemp -d)
trap 'rm -rf "$workdir"' EXIT

step() { echo "deploy/check.sh: $*"; }

# All rules, informational ones included, but I4010: it asks for machine-readable "Context" metadata on every
# resource, which the comments next to each resource already give people.
step "cfn-lint deploy/cloudformation.yaml (all rules, informational included)"
"$CFN_LINT" --include-checks I --include-experimental --ignore-checks I4010 -- deploy/cloudformation.yaml
step "cfn-lint deploy/cloudformation-scale.yaml (several instances; all rules, informational included)"
"$CFN_LINT" --include-checks I --include-experimental --ignore-checks I4010 -- deploy/cloudformation-scale.yaml

# checkov in its own venv (requirements-checkov.txt explains why); every check the template does not
# pass is skipped in the template itself, next to the resource, with the reason.
step "checkov deploy/cloudformation.yaml and cloudformation-scale.yaml (0 failed; skips justified in the templates)"
if [ ! -x .venv-checkov/bin/checkov ]; then
    python3 -m venv .venv-checkov
    .venv-checkov/bin/pip install --quiet --disable-pip-version-check -r requirements-checkov.txt
fi
for template in deploy/cloudformation.yaml deploy/cloudformation-scale.yaml; do
    .venv-checkov/bin/checkov --file "$template" --framework cloudformation --skip-download --compact --quiet
done

step "the templates carry the current deploy/release.sh and deploy/bootstrap.sh"
"$PYTHON" deploy/embed_bootstrap.py --check

step "shellcheck deploy/*.sh"
shellcheck --shell=bash deploy/*.sh

# systemd-analyze verify checks every directive and that ExecStart exists. It runs against a small
# root that has the system's own units (for the targets the unit names) and a stand-in for the
# app's python, since the real one only exists on the instance. Any message counts as a failure:
# systemd reports unknown or malformed directives as warnings and still exits 0.
step "systemd-analyze verify deploy/moviemagic.service"
root="$workdir/root"
mkdir -p "$root/etc/systemd/system" "$root/usr/lib/systemd" "$root/opt/moviemagic/current/.venv/bin" "$root/etc/moviemagic"
if [ -d /usr/lib/systemd/system ]; then units=/usr/lib/systemd/system; else units=/lib/systemd/system; fi
cp -r "$units" "$root/usr/lib/systemd/system"
printf '#!/bin/sh\n' >"$root/opt/moviemagic/current/.venv/bin/python"
chmod 0755 "$root/opt/moviemagic/current/.venv/bin/python"
: >"$root/etc/moviemagic/env"
cp deploy/moviemagic.service "$root/etc/systemd/system/moviemagic.service"
output=$(systemd-analyze verify --man=no --root="$root" "$root/etc/systemd/system/moviemagic.service" 2>&1) || {
    echo "$output"
    exit 1
}
if [ -n "$output" ]; then
    echo "$output"
    exit 1
fi

step "systemd-analyze security deploy/moviemagic.service (exposure at most 2.0)"
systemd-analyze security --offline=yes --threshold=20 --no-pager deploy/moviemagic.service | tail -1

if command -v nginx >/dev/null 2>&1; then
    # The config is written for Amazon Linux (user nginx); check it as the local user instead.
    # With each edge file deploy/release.sh may install as /etc/nginx/moviemagic-edge.conf.
    for edge in deploy/nginx-edge-*.conf; do
        step "nginx -t deploy/nginx.conf with $edge"
        sed -e "s/^user nginx;/user $(id -un);/" -e "s#^pid /run/nginx.pid;#pid $workdir/nginx.pid;#" \
            -e "s#^error_log [^;]*;#error_log $workdir/error.log;#" \
            -e "s#/etc/nginx/moviemagic-edge.conf#$PWD/$edge#" deploy/nginx.conf >"$workdir/nginx.conf"
        nginx -t -q -c "$workdir/nginx.conf"
    done
else
    step "nginx not installed: skipping nginx -t (apt-get install -y nginx-light to check it)"
fi

step "all deploy checks passed"
