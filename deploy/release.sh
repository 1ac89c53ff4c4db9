#!/bin/bash
# Deploy one exact version of Movie Magic next to the running one, switch to it, and keep it only if it
# is healthy; otherwise switch back. Installed on the instance as /usr/local/sbin/moviemagic-release.
#
#   moviemagic-release GIT_URL REF     REF: a full 40-character commit id or a tag
#
# Layout under $MOVIEMAGIC_ROOT (/opt/moviemagic):
#   repo.git/              a bare clone, fetched again at every release
#   releases/<commit>/     the code of one commit, its own .venv, REVISION; ".built" once complete
#   current -> releases/<commit>     what systemd runs; replaced by one rename (atomic)
#
# Exit status: 0 healthy (new release kept), 1 the ref could not be fetched or built (nothing changed),
# 2 the new release was unhealthy and the previous one is running again, 3 unhealthy and nothing to
# return to. The last line on stderr is the reason (deploy/bootstrap.sh passes it to cfn-signal).
#
# The commands that touch the system can be replaced (tests/test_release.py runs this in a temp dir):
#   MOVIEMAGIC_INSTALL  builds a release's .venv; run in the release directory
#   MOVIEMAGIC_RESTART  restarts the app on `current`
#   MOVIEMAGIC_HEALTHY  exits 0 when the app on `current` answers healthy with commit $1
set -Eeuo pipefail
umask 022

ROOT=${MOVIEMAGIC_ROOT:-/opt/moviemagic}
PYTHON=${MOVIEMAGIC_PYTHON:-python3.11}
KEEP=${MOVIEMAGIC_KEEP_RELEASES:-3}
HEALTH_TRIES=${MOVIEMAGIC_HEALTH_TRIES:-40}
HEALTH_PAUSE=${MOVIEMAGIC_HEALTH_PAUSE:-3}

log() { echo "moviemagic-release: $*" >&2; }
fail() {
    log "$2"
    exit "$1"
}

install_release() {
    # Hash-pinned: a file on PyPI that changed or was swapped fails the install (the lock lists every
    # package with its sha256), and nothing outside the lock is installed.
    "$PYTHON" -m venv .venv
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes \
        -r deploy/requirements-aws.lock
    # The service cannot write next to the code, so compile once here for a quick start.
    .venv/bin/python -m compileall -q . -x '/\.venv/' >/dev/null || true
}

edge() {
    local edge
    edge=$(cat /etc/moviemagic/edge 2>/dev/null || echo cloudfront)
    case $edge in
        cloudfront | direct | alb) echo "$edge" ;;
        *) fail 1 "unknown edge '$edge' in /etc/moviemagic/edge (cloudfront, direct or alb)" ;;
    esac
}

restart_app() {
    # The release brings its own systemd unit and nginx config: a rollback restores those too.
    install -m 0644 "$ROOT/current/deploy/moviemagic.service" /etc/systemd/system/moviemagic.service
    install -m 0644 "$ROOT/current/deploy/nginx.conf" /etc/nginx/nginx.conf
    # What stands in front of this server (cloudfront, direct or alb), written by deploy/bootstrap.sh.
    install -m 0644 "$ROOT/current/deploy/nginx-edge-$(edge).conf" /etc/nginx/moviemagic-edge.conf
    systemctl daemon-reload
    systemctl enable --quiet nginx moviemagic
    nginx -t -q
    systemctl restart moviemagic
    systemctl reload-or-restart nginx
}

is_healthy() {
    # Through nginx, so the whole path a visitor takes is checked, and the answer must come from the
    # new code (its commit), not from an old process still running.
    curl -fsS --max-time 5 http://127.0.0.1/healthz 2>/dev/null | grep -q "\"commit\":\"$1\""
}

fetch() {
    local url=$1 ref=$2 refspec
    if [[ $ref =~ ^[0-9a-f]{40}$ ]]; then
        refspec=$ref
    else
        refspec="refs/tags/$ref:refs/tags/$ref"
    fi
    [ -d "$ROOT/repo.git" ] || git init --quiet --bare "$ROOT/repo.git"
    if ! git --git-dir="$ROOT/repo.git" fetch --quiet --force --no-tags "$url" "$refspec" 2>/dev/null; then
        fail 1 "could not fetch $ref from $url (a full 40-character commit id or a tag that exists there)"
    fi
    git --git-dir="$ROOT/repo.git" rev-parse --verify --quiet "FETCH_HEAD^{commit}" ||
        fail 1 "$ref in $url is not a commit"
}

build() {
    local commit=$1 directory="$ROOT/releases/$1"
    if [ -f "$directory/.built" ]; then
        log "release $commit already built"
        return 0
    fi
    log "building release $commit"
    rm -rf "$directory"
    mkdir -p "$directory"
    git --git-dir="$ROOT/repo.git" archive "$commit" | tar -x -C "$directory"
    echo "$commit" >"$directory/REVISION"
    if ! (cd "$directory" && ${MOVIEMAGIC_INSTALL:-install_release}); then
        rm -rf "$directory"
        fail 1 "could not install the packages of $commit (deploy/requirements-aws.lock)"
    fi
    touch "$directory/.built"
}

switch_to() {
    # A new symlink renamed over the old one: `current` is always one whole release, never half.
    ln -sfn "releases/$1" "$ROOT/current.new"
    mv -T "$ROOT/current.new" "$ROOT/current"
}

wait_healthy() {
    local attempt
    for attempt in $(seq 1 "$HEALTH_TRIES"); do
        if ${MOVIEMAGIC_HEALTHY:-is_healthy} "$1"; then
            log "$1 healthy after $attempt checks"
            return 0
        fi
        sleep "$HEALTH_PAUSE"
    done
    return 1
}

prune() {
    # Keep the newest $KEEP releases (by build time) and always the running one.
    local running=$1 directory
    while read -r directory; do
        [ "$(basename "$directory")" = "$running" ] || rm -rf "$directory"
    done < <(find "$ROOT/releases" -mindepth 1 -maxdepth 1 -type d -printf '%T@ %p\n' | sort -rn |
        tail -n "+$((KEEP + 1))" | cut -d' ' -f2-)
}

main() {
    [ $# -eq 2 ] || fail 1 "usage: moviemagic-release GIT_URL REF"
    local url=$1 ref=$2 commit previous=""
    mkdir -p "$ROOT/releases"
    commit=$(fetch "$url" "$ref")
    build "$commit"
    if [ -L "$ROOT/current" ]; then
        previous=$(basename "$(readlink "$ROOT/current")")
    fi
    switch_to "$commit"
    ${MOVIEMAGIC_RESTART:-restart_app}
    if wait_healthy "$commit"; then
        prune "$commit"
        log "running $commit ($ref)"
        echo "$commit"
        return 0
    fi
    if [ -n "$previous" ] && [ "$previous" != "$commit" ]; then
        log "$commit is unhealthy: switching back to $previous"
        switch_to "$previous"
        ${MOVIEMAGIC_RESTART:-restart_app}
        wait_healthy "$previous" || log "$previous is not healthy either"
        fail 2 "release $commit ($ref) did not become healthy; rolled back to $previous (journalctl -u moviemagic)"
    fi
    fail 3 "release $commit ($ref) did not become healthy and there is no earlier release (journalctl -u moviemagic)"
}

main "$@"
