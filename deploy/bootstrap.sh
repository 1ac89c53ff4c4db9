#!/bin/bash
# Movie Magic on one EC2 instance (Amazon Linux 2023): install or update the app and (re)start it.
#
# deploy/cloudformation.yaml embeds this file, unchanged, in the instance's user data, after a few
# lines that set the variables below from the stack's parameters (a test checks the copy is exact).
# cloud-init runs it as root at every boot, so a stack update with a new GitRef (which stops the
# instance, changes its user data and starts it) deploys that version, and a reboot re-fetches the
# branch. It also installs itself as /usr/local/sbin/moviemagic-deploy to redeploy by hand.
# Every step is idempotent: running it twice changes nothing the second time.
#
# Set by the user data: GIT_URL GIT_REF AWS_REGION STACK_NAME SIGNAL_RESOURCE TABLE_PREFIX
# TOPIC_ARN TOPIC_NAME SECRET_ARN PUBLIC_URL STAFF_EMAIL SEED_DEMO
set -Eeuo pipefail
umask 022

: "${GIT_URL:?}" "${GIT_REF:?}" "${AWS_REGION:?}" "${STACK_NAME:?}" "${SIGNAL_RESOURCE:?}"
: "${TABLE_PREFIX:?}" "${TOPIC_ARN:?}" "${TOPIC_NAME:?}" "${SECRET_ARN:?}" "${PUBLIC_URL:?}"
: "${STAFF_EMAIL=}" "${SEED_DEMO:=true}"

APP_USER=moviemagic
APP_DIR=/opt/moviemagic
DATA_DIR=/var/lib/moviemagic
ENV_DIR=/etc/moviemagic
PYTHON=python3.11

log() { echo "moviemagic-deploy: $*"; }

# Tell CloudFormation how it went. Only stack creation waits for this signal (CreationPolicy);
# at later boots CloudFormation refuses it, which is harmless.
signal() {
    /opt/aws/bin/cfn-signal --exit-code "$1" --stack "$STACK_NAME" --resource "$SIGNAL_RESOURCE" \
        --region "$AWS_REGION" >/dev/null 2>&1 || true
}
on_error() {
    local status=$?
    log "failed (exit $status) at line $1"
    signal 1
    exit "$status"
}
trap 'on_error $LINENO' ERR

install_packages() {
    log "installing packages"
    dnf install -y -q git "$PYTHON" "$PYTHON-pip" nginx awscli-2 aws-cfn-bootstrap
}

create_user() {
    if ! id "$APP_USER" >/dev/null 2>&1; then
        log "creating user $APP_USER"
        useradd --system --home-dir "$DATA_DIR" --no-create-home --shell /sbin/nologin "$APP_USER"
    fi
}

fetch_code() {
    # Code is owned by root and only read by the app: a compromised app cannot rewrite itself.
    if [ ! -d "$APP_DIR/.git" ]; then
        log "cloning $GIT_URL"
        git clone --quiet "$GIT_URL" "$APP_DIR"
    fi
    git -C "$APP_DIR" remote set-url origin "$GIT_URL"
    # A branch, a tag or a commit: fetch exactly that ref and check it out.
    if git -C "$APP_DIR" fetch --quiet --force --tags origin "$GIT_REF"; then
        git -C "$APP_DIR" checkout --quiet --force --detach FETCH_HEAD
    elif [ -f "$APP_DIR/main.py" ]; then
        log "could not fetch $GIT_REF; keeping the version already here"
    else
        log "could not fetch $GIT_REF from $GIT_URL"
        return 1
    fi
    log "code at $(git -C "$APP_DIR" rev-parse --short HEAD) ($GIT_REF)"
}

install_python_packages() {
    if [ ! -x "$APP_DIR/.venv/bin/python" ]; then
        log "creating the virtualenv"
        "$PYTHON" -m venv "$APP_DIR/.venv"
    fi
    log "installing requirements.txt"
    "$APP_DIR/.venv/bin/pip" install --quiet --disable-pip-version-check -r "$APP_DIR/requirements.txt"
    # The service cannot write next to the code, so compile once here for a quick start.
    "$APP_DIR/.venv/bin/python" -m compileall -q "$APP_DIR" -x '/\.venv/' >/dev/null || true
}

write_environment() {
    # The secret is one random 96-character string made by Secrets Manager; each 32-character slice
    # is one of the app's three secrets. It never appears in the template, the user data or a log.
    local secret
    secret=$(aws secretsmanager get-secret-value --region "$AWS_REGION" --secret-id "$SECRET_ARN" \
        --query SecretString --output text)
    if [ "${#secret}" -lt 96 ]; then
        log "the secret in $SECRET_ARN is shorter than 96 characters"
        return 1
    fi
    install -d -m 0700 -o root -g root "$ENV_DIR"
    local temporary="$ENV_DIR/env.new"
    (
        umask 077
        cat >"$temporary" <<EOF
# Written by moviemagic-deploy at every boot; edit the CloudFormation stack, not this file.
MOVIEMAGIC_BACKEND=aws
MOVIEMAGIC_REGION=$AWS_REGION
MOVIEMAGIC_TABLE_PREFIX=$TABLE_PREFIX
MOVIEMAGIC_TOPIC_ARN=$TOPIC_ARN
MOVIEMAGIC_TOPIC_NAME=$TOPIC_NAME
MOVIEMAGIC_HOST=127.0.0.1
# nginx on this host is the only proxy: its X-Forwarded-For names the client (login throttling).
MOVIEMAGIC_TRUSTED_PROXIES=127.0.0.1
MOVIEMAGIC_PORT=8080
MOVIEMAGIC_PUBLIC_URL=$PUBLIC_URL
MOVIEMAGIC_DATA_DIR=$DATA_DIR
MOVIEMAGIC_STAFF_EMAIL=$STAFF_EMAIL
MOVIEMAGIC_SEED_DEMO=$SEED_DEMO
MOVIEMAGIC_STORAGE_SECRET=${secret:0:32}
MOVIEMAGIC_TICKET_SECRET=${secret:32:32}
MOVIEMAGIC_API_SECRET=${secret:64:32}
NICEGUI_STORAGE_PATH=$DATA_DIR/nicegui
EOF
    )
    chown root:root "$temporary"
    chmod 0600 "$temporary"
    mv -f "$temporary" "$ENV_DIR/env"
}

install_services() {
    install -m 0644 "$APP_DIR/deploy/moviemagic.service" /etc/systemd/system/moviemagic.service
    install -m 0644 "$APP_DIR/deploy/nginx.conf" /etc/nginx/nginx.conf
    if [ "$(readlink -f "$0")" != /usr/local/sbin/moviemagic-deploy ]; then
        install -m 0700 "$0" /usr/local/sbin/moviemagic-deploy
    fi
    systemctl daemon-reload
    systemctl enable --quiet nginx moviemagic
    nginx -t -q
    systemctl restart moviemagic
    systemctl reload-or-restart nginx
}

wait_until_healthy() {
    # Through nginx, so the whole path a visitor takes is checked.
    local attempt
    for attempt in $(seq 1 60); do
        if curl -fsS --max-time 5 http://127.0.0.1/healthz >/dev/null 2>&1; then
            log "healthy after $attempt checks"
            return 0
        fi
        sleep 3
    done
    log "not healthy after 3 minutes: journalctl -u moviemagic"
    return 1
}

main() {
    install_packages
    create_user
    fetch_code
    install_python_packages
    write_environment
    install_services
    wait_until_healthy
    signal 0
    log "done: $PUBLIC_URL"
}

main "$@"
