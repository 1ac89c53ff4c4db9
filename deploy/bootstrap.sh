#!/bin/bash
# Movie Magic on a new EC2 instance (Amazon Linux 2023): set the server up, deploy GIT_REF with
# deploy/release.sh (installed just before this runs, as /usr/local/sbin/moviemagic-release), and tell
# CloudFormation whether it answers healthy.
#
# deploy/cloudformation.yaml embeds this file, unchanged, in the launch template's user data, after the
# lines that set the variables below from the stack's parameters (a test checks the copy is exact).
# cloud-init runs it once, at the first boot of each new server; every stack update that changes the
# user data (a new GitRef) starts a new server, and CloudFormation keeps it only if this signals success.
#
# Set by the user data: GIT_URL GIT_REF AWS_REGION STACK_NAME SIGNAL_RESOURCE TABLE_PREFIX
# TOPIC_ARN TOPIC_NAME SECRET_ARN PUBLIC_URL STAFF_EMAIL SEED_DEMO LOG_GROUP POSTERS_BUCKET
# (SES_SENDER SES_QUEUE_NAME optional; REDIS_URL: several instances, deploy/cloudformation-scale.yaml;
# EDGE: what visitors pass through before nginx, cloudfront (default), direct or alb)
set -Eeuo pipefail
umask 022

: "${GIT_URL:?}" "${GIT_REF:?}" "${AWS_REGION:?}" "${STACK_NAME:?}" "${SIGNAL_RESOURCE:?}"
: "${TABLE_PREFIX:?}" "${POSTERS_BUCKET:?}" "${TOPIC_ARN:?}" "${TOPIC_NAME:?}" "${SECRET_ARN:?}" "${PUBLIC_URL:?}"
: "${LOG_GROUP:?}" "${STAFF_EMAIL=}" "${SEED_DEMO:=true}" "${SES_SENDER=}" "${SES_QUEUE_NAME:=moviemagic-ses}"
: "${REDIS_URL=}" "${EDGE:=cloudfront}"
case $EDGE in cloudfront | direct | alb) ;; *) echo "EDGE must be cloudfront, direct or alb" >&2; exit 1 ;; esac

APP_USER=moviemagic
DATA_DIR=/var/lib/moviemagic
ENV_DIR=/etc/moviemagic
LOG_DIR=${MOVIEMAGIC_LOG_DIR:-/var/log/moviemagic}
CFN_SIGNAL=${MOVIEMAGIC_CFN_SIGNAL:-/opt/aws/bin/cfn-signal}

log() { echo "moviemagic-bootstrap: $*"; }

# Tell CloudFormation how it went. A resource signal carries no message, only a unique id, and the stack's
# events show that id ("Received FAILURE signal with UniqueId release-unhealthy-see-CloudWatch-logs"): a
# failure's id says what failed (at most 64 characters); the details are in the log group.
signal() {
    local id=()
    [ -z "${2:-}" ] || id=(--id "${2:0:64}")  # success: the default id, the instance's
    "$CFN_SIGNAL" --exit-code "$1" "${id[@]}" --stack "$STACK_NAME" \
        --resource "$SIGNAL_RESOURCE" --region "$AWS_REGION" >/dev/null 2>&1 || true
}
on_error() {
    local status=$?
    log "failed (exit $status) at line $1"
    signal 1 "server-setup-failed-at-bootstrap-line-$1"
    exit "$status"
}
trap 'on_error $LINENO' ERR

install_packages() {
    log "installing packages"
    dnf install -y -q git python3.11 python3.11-pip nginx rsyslog awscli-2 aws-cfn-bootstrap \
        amazon-cloudwatch-agent
}

create_user() {
    if ! id "$APP_USER" >/dev/null 2>&1; then
        useradd --system --home-dir "$DATA_DIR" --no-create-home --shell /sbin/nologin "$APP_USER"
    fi
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
    # Read by deploy/release.sh at every release: which nginx-edge-*.conf decides the visitor's address.
    echo "$EDGE" >"$ENV_DIR/edge"
    (
        umask 077
        cat >"$ENV_DIR/env" <<EOF
# Written by deploy/bootstrap.sh when the server was created; update the CloudFormation stack, not this file.
MOVIEMAGIC_BACKEND=aws
MOVIEMAGIC_REGION=$AWS_REGION
MOVIEMAGIC_TABLE_PREFIX=$TABLE_PREFIX
MOVIEMAGIC_TOPIC_ARN=$TOPIC_ARN
MOVIEMAGIC_TOPIC_NAME=$TOPIC_NAME
MOVIEMAGIC_POSTERS_BUCKET=$POSTERS_BUCKET
MOVIEMAGIC_HOST=127.0.0.1
# nginx on this host is the only proxy: its X-Forwarded-For names the client (login throttling).
MOVIEMAGIC_TRUSTED_PROXIES=127.0.0.1
MOVIEMAGIC_PORT=8080
MOVIEMAGIC_PUBLIC_URL=$PUBLIC_URL
MOVIEMAGIC_DATA_DIR=$DATA_DIR
MOVIEMAGIC_STAFF_EMAIL=$STAFF_EMAIL
MOVIEMAGIC_SES_SENDER=$SES_SENDER
MOVIEMAGIC_SES_QUEUE_NAME=$SES_QUEUE_NAME
MOVIEMAGIC_SEED_DEMO=$SEED_DEMO
MOVIEMAGIC_REDIS_URL=$REDIS_URL
MOVIEMAGIC_STORAGE_SECRET=${secret:0:32}
MOVIEMAGIC_TICKET_SECRET=${secret:32:32}
MOVIEMAGIC_API_SECRET=${secret:64:32}
NICEGUI_STORAGE_PATH=$DATA_DIR/nicegui
EOF
    )
}

ship_logs() {
    # journald keeps the app's lines (journalctl -u moviemagic); rsyslog copies them to a file, and the
    # CloudWatch agent sends that file, nginx's logs and this script's output to the stack's log group.
    install -d -m 0755 "$LOG_DIR"
    # shellcheck disable=SC2016 # rsyslog's syntax, not the shell's
    echo 'if $programname == "moviemagic" then /var/log/moviemagic/app.log' >/etc/rsyslog.d/moviemagic.conf
    systemctl enable --quiet --now rsyslog
    systemctl restart rsyslog
    cat >/opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json <<EOF
{"agent": {"run_as_user": "root"},
 "logs": {"logs_collected": {"files": {"collect_list": [
   {"file_path": "/var/log/moviemagic/app.log", "log_group_name": "$LOG_GROUP", "log_stream_name": "{instance_id}/app"},
   {"file_path": "/var/log/nginx/access.log", "log_group_name": "$LOG_GROUP", "log_stream_name": "{instance_id}/nginx-access"},
   {"file_path": "/var/log/nginx/error.log", "log_group_name": "$LOG_GROUP", "log_stream_name": "{instance_id}/nginx-error"},
   {"file_path": "/var/log/cloud-init-output.log", "log_group_name": "$LOG_GROUP", "log_stream_name": "{instance_id}/cloud-init"}
 ]}}}}
EOF
    /opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s \
        -c file:/opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json >/dev/null
}

deploy() {
    # Builds the release next to any other, switches to it, installs its systemd unit and nginx config,
    # and keeps it only if /healthz answers with its commit (deploy/release.sh).
    local status=0 reason
    moviemagic-release "$GIT_URL" "$GIT_REF" 2>"$LOG_DIR/release.log" || status=$?
    cat "$LOG_DIR/release.log"
    if [ "$status" -ne 0 ]; then
        reason=$(tail -n 1 "$LOG_DIR/release.log")
        log "$reason"
        trap - ERR
        case "$status:$reason" in
            1:*"could not fetch"*) signal 1 "GitRef-not-found-in-GitUrl" ;;
            1:*"could not install"*) signal 1 "packages-did-not-install" ;;
            1:*) signal 1 "release-could-not-be-built" ;;
            *) signal 1 "release-unhealthy-see-CloudWatch-logs" ;;
        esac
        exit "$status"
    fi
}

main() {
    install_packages
    create_user
    write_environment
    ship_logs
    deploy
    signal 0
    log "done: $PUBLIC_URL"
}

# Sourced by tests/test_bootstrap.py to run single steps; cloud-init runs the whole script.
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    main "$@"
fi
