"""The AWS deployment as code: deploy/cloudformation.yaml lints, matches services/platform/schema.py, carries the
release and bootstrap scripts verbatim, and deploys into moto's CloudFormation (with and without CloudFront and a
custom domain), where the app then books a ticket.

What moto cannot show (it runs no instance, no user data, no IAM evaluation) is listed in docs/DEPLOY.md.
"""

from __future__ import annotations

import ast
import base64
import contextlib
import json
import re
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from cfnlint.api import lint_file

from deploy.embed_bootstrap import with_all_scripts
from main import build_services
from services.booking.payments import CardPayment
from services.catalog.demo import DemoCatalog
from services.clock import FakeClock
from services.notify.ses_sender import SesSender
from services.platform import health
from services.platform.aws import connect
from services.platform.schema import ALL_TABLES, Table
from services.settings import Settings, load_settings
from tests.conftest import CATALOG_DIR, make_settings
from tests.test_iam import _as_list, called_actions, called_table_actions, load_template, record_actions

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
TEMPLATE = DEPLOY / "cloudformation.yaml"
BOOTSTRAP = DEPLOY / "bootstrap.sh"
RELEASE = DEPLOY / "release.sh"
UNIT = DEPLOY / "moviemagic.service"
NGINX = DEPLOY / "nginx.conf"
REGION = "us-east-1"

# moto 5.2's CloudFormation has no model for these types (it skips them with a warning, and a Ref or GetAtt to
# them then fails); template_for_moto swaps them for fixed values: Ref -> the first, GetAtt X.Attr -> Attr's.
MOTO_UNSUPPORTED: dict[str, tuple[str, dict[str, str]]] = {
    "AWS::SecretsManager::Secret": (f"arn:aws:secretsmanager:{REGION}:123456789012:secret:moto-stand-in-AbCdEf", {}),
    "AWS::EC2::EIPAssociation": ("eipassoc-moto-stand-in", {}),
    "AWS::CloudFront::Distribution": ("E2MOTOSTANDIN", {"DomainName": "d111111abcdef8.cloudfront.net"}),
    "AWS::Logs::MetricFilter": ("moto-stand-in-metric-filter", {}),
    "AWS::CloudWatch::Alarm": ("moto-stand-in-alarm", {}),
    # The SES sender's subscription and queue policy: the test subscribes the queue as CloudFormation would.
    "AWS::SNS::Subscription": ("moto-stand-in-subscription", {}),
    "AWS::SQS::QueuePolicy": ("moto-stand-in-queue-policy", {}),
}


# --- The template as text ------------------------------------------------------------------------------
def test_cfn_lint_passes() -> None:
    problems = lint_file(TEMPLATE)
    assert not problems, "\n".join(str(problem) for problem in problems)


def _table_resources(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Logical table name (Users, ...) -> the resource's properties."""
    found = {}
    for resource in template["Resources"].values():
        if resource["Type"] == "AWS::DynamoDB::Table":
            name = resource["Properties"]["TableName"]["Fn::Sub"]
            assert name.startswith("${TablePrefix}"), name
            found[name.removeprefix("${TablePrefix}")] = resource
    return found


def _normalized(args: dict[str, Any]) -> dict[str, Any]:
    return {
        "BillingMode": args["BillingMode"],
        "KeySchema": args["KeySchema"],
        "AttributeDefinitions": sorted(args["AttributeDefinitions"], key=lambda a: a["AttributeName"]),
        "GlobalSecondaryIndexes": sorted(args.get("GlobalSecondaryIndexes", []), key=lambda i: i["IndexName"]),
    }


@pytest.mark.parametrize("table", ALL_TABLES, ids=lambda table: table.logical_name)
def test_template_table_matches_the_schema(table: Table) -> None:
    resource = _table_resources(load_template())[table.logical_name]
    properties = resource["Properties"]
    assert _normalized(properties) == _normalized(table.create_table_args("ignored"))
    ttl = properties.get("TimeToLiveSpecification")
    assert ttl == ({"AttributeName": table.ttl_attribute, "Enabled": True} if table.ttl_attribute else None)
    assert properties["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert resource["DeletionPolicy"] == "Delete"  # docs/DEPLOY.md explains the choice


def test_template_has_no_table_the_schema_lacks() -> None:
    assert set(_table_resources(load_template())) == {table.logical_name for table in ALL_TABLES}


def test_outputs_name_the_url_tables_and_topic() -> None:
    outputs = load_template()["Outputs"]
    assert {"PublicUrl", "HealthUrl", "DeployedRef", "LogGroup", "TopicArn", "TablePrefix"} <= outputs.keys()
    assert {f"{table.logical_name}TableName" for table in ALL_TABLES} <= outputs.keys()


def test_port_80_only_from_cloudfront_and_ssh_closed_unless_a_cidr_is_given() -> None:
    resources = load_template()["Resources"]
    [ingress] = resources["AppSecurityGroup"]["Properties"]["SecurityGroupIngress"]
    condition, with_cloudfront, without = ingress["Fn::If"]
    assert condition == "UseCloudFront" and with_cloudfront["FromPort"] == without["FromPort"] == 80
    assert "CidrIp" not in with_cloudfront and "SourcePrefixListId" in with_cloudfront
    assert without["CidrIp"] == {"Ref": "WebCidr"}  # no port 443: nothing listens there
    ssh = resources["SshIngress"]
    assert ssh["Condition"] == "HasSsh" and ssh["Properties"]["CidrIp"] == {"Ref": "SshCidr"}
    metadata = resources["AppLaunchTemplate"]["Properties"]["LaunchTemplateData"]["MetadataOptions"]
    assert metadata["HttpTokens"] == "required"  # IMDSv2 only


def test_cloudfront_passes_everything_to_the_server_and_caches_nothing() -> None:
    resources = load_template()["Resources"]
    distribution = resources["AppDistribution"]
    assert distribution["Condition"] == "UseCloudFront"
    config = distribution["Properties"]["DistributionConfig"]
    behavior = config["DefaultCacheBehavior"]
    assert set(behavior["AllowedMethods"]) == {"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"}
    assert behavior["ViewerProtocolPolicy"] == "redirect-to-https"
    assert behavior["CachePolicyId"] == "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"  # Managed-CachingDisabled
    # Managed-AllViewerAndCloudFrontHeaders-2022-06: all headers (websocket upgrade), cookies, query strings.
    assert behavior["OriginRequestPolicyId"] == "33f36d7e-f396-46d9-90e0-52428a34d9dc"
    [origin] = config["Origins"]
    assert origin["CustomOriginConfig"]["OriginProtocolPolicy"] == "http-only" and origin["Id"] == behavior[
        "TargetOriginId"]
    assert config["ViewerCertificate"]["Fn::If"][0] == "HasCustomDomain"


def test_updates_replace_the_server_and_wait_for_its_signal() -> None:
    """The user data sits in a launch template: a new GitRef makes a new version, which replaces the instance,
    and the replacement's CreationPolicy makes the update wait for (and fail on) the health signal."""
    instance = load_template()["Resources"]["AppInstance"]
    assert instance["Properties"]["LaunchTemplate"]["Version"] == {
        "Fn::GetAtt": ["AppLaunchTemplate", "LatestVersionNumber"]}
    assert "UserData" not in instance["Properties"]
    assert instance["CreationPolicy"]["ResourceSignal"]["Count"] == 1
    assert instance["Properties"]["CreditSpecification"] == {"CPUCredits": "standard"}


@pytest.mark.parametrize("ref", ["0123456789abcdef0123456789abcdef01234567", "v1.0", "v2.3.1-rc1"])
def test_git_ref_accepts_full_commits_and_tags(ref: str) -> None:
    assert re.fullmatch(load_template()["Parameters"]["GitRef"]["AllowedPattern"], ref)


@pytest.mark.parametrize("ref", ["main", "0123456", "0123456789ABCDEF0123456789ABCDEF01234567", "v1 .0", "", "1.0"])
def test_git_ref_refuses_branches_and_short_commits(ref: str) -> None:
    assert not re.fullmatch(load_template()["Parameters"]["GitRef"]["AllowedPattern"], ref)


# --- User data, unit, nginx ---------------------------------------------------------------------------
def _user_data_parts() -> list[Any]:
    data = load_template()["Resources"]["AppLaunchTemplate"]["Properties"]["LaunchTemplateData"]
    return data["UserData"]["Fn::Base64"]["Fn::Join"][1]


def test_user_data_carries_release_and_bootstrap_sh_verbatim() -> None:
    parts = _user_data_parts()
    assert BOOTSTRAP.read_text() in parts and RELEASE.read_text() in parts, "run: python deploy/embed_bootstrap.py"
    assert with_all_scripts(TEMPLATE.read_text()) == TEMPLATE.read_text()


SAMPLE = {
    "AWS::StackName": "moviemagic", "AWS::Region": REGION, "GitUrl": "https://github.com/example/movie-magic.git",
    "GitRef": "v1.0", "TablePrefix": "moviemagic-", "StaffEmail": "staff@example.com", "SeedDemoCatalog": "true",
    "BookingsTopic": f"arn:aws:sns:{REGION}:123456789012:moviemagic-BookingsTopic-ABC123",
    "BookingsTopic.TopicName": "moviemagic-BookingsTopic-ABC123",
    "AppSecret": f"arn:aws:secretsmanager:{REGION}:123456789012:secret:AppSecret-xyz-AbCdEf",
    "AppAddress": "203.0.113.10", "PublicUrl": "https://d111111abcdef8.cloudfront.net",
    "AppLogGroup": "/moviemagic/moviemagic", "PostersBucket": "moviemagic-postersbucket-1a2b3c4d5e6f",
    "SesSender": "", "SesQueueName": "", "Edge": "cloudfront",
}


def test_nginx_believes_cloudfront_headers_only_when_cloudfront_is_in_front() -> None:
    """UseCloudFront=false opens port 80 to WebCidr: then no forwarded header may name the visitor."""
    variables = _user_data_parts()[0]["Fn::Sub"][1]
    assert variables["Edge"] == {"Fn::If": ["UseCloudFront", "cloudfront", "direct"]}
    for edge in ("cloudfront", "direct"):
        assert (ROOT / "deploy" / f"nginx-edge-{edge}.conf").exists()


def render_user_data(values: dict[str, str]) -> str:
    def render(part: str | dict[str, Any]) -> str:
        if isinstance(part, str):
            return part
        text = part["Fn::Sub"] if isinstance(part["Fn::Sub"], str) else part["Fn::Sub"][0]  # [text, variables]
        return re.sub(r"\$\{([^}!]+)\}", lambda m: values[m.group(1)], text)

    return "".join(render(part) for part in _user_data_parts())


def _shell_part(user_data: str) -> str:
    """The user data is one shell script (cloud-init runs it once, at the new server's first boot)."""
    assert user_data.startswith("#!/bin/bash\n")
    return user_data


def test_user_data_is_one_script_with_the_settings_first() -> None:
    user_data = render_user_data(SAMPLE)
    assert len(user_data.encode()) < 16 * 1024  # EC2's limit for user data
    script = _shell_part(user_data)
    assert script.startswith("#!/bin/bash\n") and script.endswith(BOOTSTRAP.read_text())
    # release.sh is written to the path bootstrap.sh calls, as a quoted here-document (no expansion).
    heredoc = ("cat >/usr/local/sbin/moviemagic-release <<'MOVIEMAGIC_RELEASE'\n"
               f"{RELEASE.read_text()}MOVIEMAGIC_RELEASE\n")
    assert heredoc in script and 'moviemagic-release "$GIT_URL" "$GIT_REF"' in BOOTSTRAP.read_text()
    required = set(re.findall(r'"\$\{([A-Z_]+):[?=]', BOOTSTRAP.read_text()))
    assigned = set(re.findall(r"^([A-Z_]+)=", script.removesuffix(BOOTSTRAP.read_text()), re.MULTILINE))
    assert required and required <= assigned


@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="shellcheck not installed (apt-get install shellcheck)")
def test_rendered_user_data_passes_shellcheck(tmp_path: Path) -> None:
    script = tmp_path / "user-data.sh"
    script.write_text(_shell_part(render_user_data(SAMPLE)))
    result = subprocess.run(["shellcheck", "--shell=bash", str(script)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def _environment_file(values: dict[str, str], secret: str) -> dict[str, str]:
    """The /etc/moviemagic/env bootstrap.sh writes, with its shell variables filled in."""
    text = BOOTSTRAP.read_text()
    body = text[text.index('cat >"$ENV_DIR/env" <<EOF\n') :].split("\n", 1)[1].split("\nEOF\n", 1)[0]
    variables = {"AWS_REGION": values["AWS::Region"], "TABLE_PREFIX": values["TablePrefix"],
                 "TOPIC_ARN": values["BookingsTopic"], "TOPIC_NAME": values["BookingsTopic.TopicName"],
                 "PUBLIC_URL": values["PublicUrl"], "DATA_DIR": "/var/lib/moviemagic",
                 "STAFF_EMAIL": values["StaffEmail"], "SEED_DEMO": values["SeedDemoCatalog"],
                 "POSTERS_BUCKET": values["PostersBucket"],
                 "SES_SENDER": values["SesSender"], "SES_QUEUE_NAME": values["SesQueueName"] or "moviemagic-ses",
                 "REDIS_URL": values.get("RedisUrl", "")}  # set by deploy/cloudformation-scale.yaml only

    def expand(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        if name.startswith("secret:"):
            start, length = map(int, name.removeprefix("secret:").split(":"))
            return secret[start : start + length]
        return variables[name]

    lines = [line for line in body.splitlines() if line and not line.startswith("#")]
    return dict(re.sub(r"\$\{([a-z]+:\d+:\d+)\}|\$([A-Z_]+)", expand, line).split("=", 1) for line in lines)


def test_environment_file_is_valid_aws_mode_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    secret = "".join(f"{i % 10}" for i in range(96))
    environment = _environment_file(SAMPLE, secret)
    for name in environment:
        assert name.startswith("NICEGUI_") or name.removeprefix("MOVIEMAGIC_").lower() in Settings.model_fields, name
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    settings = load_settings()  # refuses aws mode without every secret, or with a malformed value
    assert (settings.backend, settings.host, settings.port) == ("aws", "127.0.0.1", 8080)
    assert settings.topic_arn == SAMPLE["BookingsTopic"] and settings.should_seed_demo
    assert settings.posters_bucket == SAMPLE["PostersBucket"]
    secrets = [settings.storage_secret, settings.ticket_secret, settings.api_secret]
    assert "".join(secrets) == secret and len(set(secrets)) == 3


def _unit() -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for line in UNIT.read_text().splitlines():
        if "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            directives.setdefault(key, []).append(value)
    return directives


def test_systemd_unit_runs_unprivileged_restarts_and_is_locked_down() -> None:
    unit = _unit()
    expected = {
        "User": "moviemagic", "WorkingDirectory": "/opt/moviemagic/current", "EnvironmentFile": "/etc/moviemagic/env",
        "Restart": "on-failure", "WantedBy": "multi-user.target", "NoNewPrivileges": "yes",
        "ProtectSystem": "strict", "ProtectHome": "yes", "PrivateTmp": "yes", "StateDirectory": "moviemagic",
        "ReadWritePaths": "/var/lib/moviemagic", "ExecStart": "/opt/moviemagic/current/.venv/bin/python main.py",
    }
    assert {key: unit.get(key, [None])[0] for key in expected} == expected
    assert unit["CapabilityBoundingSet"] == [""]
    # The release script installs exactly these files from the release it switches to.
    text = RELEASE.read_text()
    assert '"$ROOT/current/deploy/moviemagic.service"' in text and '"$ROOT/current/deploy/nginx.conf"' in text


def test_nginx_forwards_websockets_to_the_app_port() -> None:
    conf = NGINX.read_text()
    environment = _environment_file(SAMPLE, "x" * 96)
    assert f"server {environment['MOVIEMAGIC_HOST']}:{environment['MOVIEMAGIC_PORT']};" in conf
    for needed in ("listen 80 default_server;", "proxy_http_version 1.1;", "proxy_set_header Upgrade $http_upgrade;",
                   "proxy_set_header Connection $connection_upgrade;", "proxy_read_timeout 1h;",
                   "proxy_set_header X-Forwarded-Proto $forwarded_proto;", "limit_req zone=auth",
                   "add_header Strict-Transport-Security $hsts always;", "location = /healthz/deep"):
        assert needed in conf, needed


# --- Deployed into moto ---------------------------------------------------------------------------------
def template_for_moto() -> str:
    """The template with the resource types moto's CloudFormation lacks swapped for fixed values."""
    return with_stand_ins(load_template(), MOTO_UNSUPPORTED)


def with_stand_ins(template: dict[str, Any], unsupported: dict[str, tuple[str, dict[str, str]]]) -> str:
    """``template`` as JSON without the resources of the ``unsupported`` types: every Ref, GetAtt and ${...} of
    one becomes its fixed stand-in (Ref -> the first value, X.Attr -> the attribute's). Both templates' moto
    deploy tests use it."""
    stand_ins = {name: unsupported[r["Type"]] for name, r in template["Resources"].items()
                 if r["Type"] in unsupported}
    for name in stand_ins:
        del template["Resources"][name]

    def replace(node: Any) -> Any:
        if isinstance(node, dict):
            if node.keys() == {"Ref"} and node["Ref"] in stand_ins:
                return stand_ins[node["Ref"]][0]
            if node.keys() == {"Fn::GetAtt"} and node["Fn::GetAtt"][0] in stand_ins:
                name, attribute = node["Fn::GetAtt"][0], ".".join(node["Fn::GetAtt"][1:])
                return stand_ins[name][1][attribute]
            if node.keys() == {"Fn::Sub"}:
                text, variables = (node["Fn::Sub"], None) if isinstance(node["Fn::Sub"], str) else node["Fn::Sub"]
                for name, (ref, attributes) in stand_ins.items():
                    text = text.replace("${" + name + "}", ref)
                    for attribute, value in attributes.items():
                        text = text.replace("${" + name + "." + attribute + "}", value)
                return {"Fn::Sub": text if variables is None else [text, replace(variables)]}
            return {key: replace(value) for key, value in node.items()}
        return [replace(value) for value in node] if isinstance(node, list) else node

    return json.dumps(replace(template))


# The three ways a class deploys: CloudFront (the default), CloudFront with a custom domain, plain HTTP.
VARIANTS = {
    "cloudfront": {},
    "custom-domain": {"CustomDomain": "shop.example.com",
                      "CertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/"
                                        "0123abcd-0123-4567-89ab-0123456789ab"},
    "plain-http": {"UseCloudFront": "false", "WebCidr": "198.51.100.0/24"},
    # A class sandbox that may not create IAM roles: an administrator's instance profile instead.
    "sandbox-profile": {"ExistingInstanceProfile": "class-sandbox-profile"},
    # Customers mailed by SES: a queue subscribed to the topic, and the role may read it and send from the sender.
    "ses-sender": {"SesSender": "tickets@example.com"},
}


@pytest.fixture(params=sorted(VARIANTS))
def stack(request: pytest.FixtureRequest, moto_endpoint: str) -> Iterator[dict[str, str]]:
    """A stack of the template on the session's moto server; deleted afterwards (checked)."""
    clients = {name: boto3.client(name, endpoint_url=moto_endpoint, region_name=REGION, aws_access_key_id="moto",
                                  aws_secret_access_key="moto") for name in ("cloudformation", "dynamodb")}
    name, prefix = f"mm{uuid.uuid4().hex[:8]}", f"d{uuid.uuid4().hex[:8]}-"
    parameters = {"GitUrl": "https://github.com/example/movie-magic.git", "GitRef": "v1.0", "TablePrefix": prefix,
                  "StaffEmail": "staff@example.com", "SshCidr": "203.0.113.7/32"} | VARIANTS[request.param]
    if "ExistingInstanceProfile" in parameters:
        iam = boto3.client("iam", endpoint_url=moto_endpoint, region_name=REGION, aws_access_key_id="moto",
                           aws_secret_access_key="moto")
        with contextlib.suppress(iam.exceptions.EntityAlreadyExistsException):
            iam.create_instance_profile(InstanceProfileName=parameters["ExistingInstanceProfile"])
    clients["cloudformation"].create_stack(
        StackName=name, TemplateBody=template_for_moto(), Capabilities=["CAPABILITY_IAM"],
        Parameters=[{"ParameterKey": key, "ParameterValue": value} for key, value in parameters.items()],
    )
    described = clients["cloudformation"].describe_stacks(StackName=name)["Stacks"][0]
    assert described["StackStatus"] == "CREATE_COMPLETE", described.get("StackStatusReason")
    outputs = {output["OutputKey"]: output["OutputValue"] for output in described["Outputs"]}
    yield outputs | {"StackName": name, "Variant": request.param}
    clients["cloudformation"].delete_stack(StackName=name)
    with pytest.raises(ClientError, match="ResourceNotFoundException"):
        clients["dynamodb"].describe_table(TableName=outputs["UsersTableName"])


def _subscribe_like_the_template(moto_endpoint: str, stack: dict[str, str]) -> None:
    """What SesSubscription does on AWS (moto's CloudFormation lacks AWS::SNS::Subscription)."""
    sqs, sns = (boto3.client(name, endpoint_url=moto_endpoint, region_name=REGION, aws_access_key_id="moto",
                             aws_secret_access_key="moto") for name in ("sqs", "sns"))
    url = sqs.get_queue_url(QueueName=stack["SesQueueName"])["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=stack["TopicArn"], Protocol="sqs", Endpoint=arn)


def _physical(moto_endpoint: str, stack_name: str) -> dict[str, str]:
    cloudformation = boto3.client("cloudformation", endpoint_url=moto_endpoint, region_name=REGION,
                                  aws_access_key_id="moto", aws_secret_access_key="moto")
    summaries = cloudformation.list_stack_resources(StackName=stack_name)["StackResourceSummaries"]
    return {summary["LogicalResourceId"]: summary["PhysicalResourceId"] for summary in summaries}


def test_stack_deploys_into_moto_and_the_app_books_a_ticket(moto_endpoint: str, stack: dict[str, str]) -> None:
    ses = {"ses_sender": "tickets@example.com", "ses_queue_name": stack["SesQueueName"]} if "SesQueueName" in stack \
        else {}
    assert ("SesQueueName" in stack) == (stack["Variant"] == "ses-sender")
    settings = make_settings(moto_endpoint, table_prefix=stack["TablePrefix"], topic_arn=stack["TopicArn"],
                             topic_name=stack["TopicArn"].rsplit(":", 1)[1], staff_email="staff@example.com", **ses)
    assert {table.logical_name: settings.table_name(table.logical_name) for table in ALL_TABLES} == {
        table.logical_name: stack[f"{table.logical_name}TableName"] for table in ALL_TABLES}
    aws = connect(settings)
    clock = FakeClock(FakeClock().now().replace(hour=3, minute=0, second=0, microsecond=0))

    with record_actions(aws) as recorded:
        services = build_services(settings, aws, clock)
        DemoCatalog(aws, clock, CATALOG_DIR).load(days=2)  # what MOVIEMAGIC_SEED_DEMO=true does at start
        assert health.check(aws)["status"] == "ok"
        assert health.HealthCheck(aws).summary() == {"status": "ok", "dynamodb": "ok", "commit": None}
        user = services.users.register("Student", "student@example.com", "correct horse battery")
        assert services.users.authenticate("student@example.com", "correct horse battery") == user
        showtime = services.catalog.upcoming_in_city(services.catalog.cities()[0])[0]
        free = [seat.seat_id for seat in services.inventory.seat_map(showtime.showtime_id, user.user_id).seats
                if seat.status == "available"][:2]
        hold = services.inventory.hold(showtime.showtime_id, free, user.user_id)
        booking = services.bookings.checkout(hold.hold_id, user, CardPayment("4242 4242 4242 4242"))
        assert booking.status == "confirmed" and booking.seat_ids == free
        assert [b.booking_id for b in services.bookings.my_bookings(user.user_id)] == [booking.booking_id]
        assert services.inventory.seat_map(showtime.showtime_id, user.user_id).counts()["sold"] == 2
        if services.ses_sender is not None:  # the confirmation reaches SES through the stack's queue
            _subscribe_like_the_template(moto_endpoint, stack)
            assert services.notifications.run_once().published == 1
            sender = SesSender(aws, clock, services.subscriptions, retry_seconds=0)
            assert sender.run_once().failed == 1  # the sender address is not verified yet: SES refuses
            boto3.client("ses", endpoint_url=moto_endpoint, region_name=REGION, aws_access_key_id="moto",
                         aws_secret_access_key="moto").verify_email_identity(EmailAddress="tickets@example.com")
            assert sender.run_once().sent == 1  # the same message, back from the queue
    if stack["Variant"] == "ses-sender":
        assert {"ses:SendEmail", "sqs:ReceiveMessage", "sqs:DeleteMessage"} <= {action for action, _ in recorded}

    # Everything the round trip did is allowed by the role the stack created, and seen by the static scan.
    physical = _physical(moto_endpoint, stack["StackName"])
    if stack["Variant"] == "sandbox-profile":  # the stack made no role: the sandbox's administrator owns it
        assert "AppRole" not in physical and "AppInstanceProfile" not in physical
        return
    iam = boto3.client("iam", endpoint_url=moto_endpoint, region_name=REGION, aws_access_key_id="moto",
                       aws_secret_access_key="moto")
    document = iam.get_role_policy(RoleName=physical["AppRole"], PolicyName="moviemagic-app")["PolicyDocument"]
    if isinstance(document, str):  # moto keeps a policy given by CloudFormation as Python's repr of it
        document = ast.literal_eval(document)
    statements = [statement for statement in document["Statement"] if statement]  # moto: !Ref AWS::NoValue -> None
    granted = {action for statement in statements for action in _as_list(statement["Action"])}
    actions = {action for action, _ in recorded}
    assert actions - granted == set(), f"the round trip needed actions the role lacks: {actions - granted}"
    assert actions - called_actions().keys() == set(), "the static scan in tests/test_iam.py missed a call"
    # Action x table: every DynamoDB call went to a table whose own statement (by its real ARN) allows it.
    arns = {aws.table_name(table): aws.ddb.describe_table(TableName=aws.table_name(table))["Table"]["TableArn"]
            for table in ALL_TABLES}
    on_tables = {(action, table) for action, table in recorded if action.startswith("dynamodb:")}
    assert on_tables and all(table for _, table in on_tables), on_tables
    for action, table in on_tables:
        arn = arns[settings.table_name(table)]  # type: ignore[arg-type]
        assert any(action in _as_list(s["Action"]) and arn in _as_list(s["Resource"]) for s in statements), (
            f"{action} on {table}: no statement of the deployed role allows it on {arn}")
    assert {(table, action) for action, table in on_tables} <= called_table_actions().keys(), "the scan missed one"


def test_deployed_security_group_instance_and_urls(moto_endpoint: str, stack: dict[str, str]) -> None:
    physical = _physical(moto_endpoint, stack["StackName"])
    ec2 = boto3.client("ec2", endpoint_url=moto_endpoint, region_name=REGION, aws_access_key_id="moto",
                       aws_secret_access_key="moto")
    group = ec2.describe_security_groups(GroupIds=[physical["AppSecurityGroup"]])["SecurityGroups"][0]
    rules = sorted((p["FromPort"], r["CidrIp"]) for p in group["IpPermissions"] for r in p["IpRanges"])
    instance = ec2.describe_instances(InstanceIds=[stack["InstanceId"]])["Reservations"][0]["Instances"][0]
    assert instance["InstanceType"] == "t3.small"
    profile = instance["IamInstanceProfile"]["Arn"].rsplit("/", 1)[1]
    assert profile == ("class-sandbox-profile" if stack["Variant"] == "sandbox-profile"
                       else physical["AppInstanceProfile"])
    versions = ec2.describe_launch_template_versions(LaunchTemplateId=physical["AppLaunchTemplate"])
    user_data = versions["LaunchTemplateVersions"][0]["LaunchTemplateData"]["UserData"]
    script = _shell_part(base64.b64decode(user_data).decode())
    assert f"TOPIC_ARN='{stack['TopicArn']}'" in script and "GIT_REF='v1.0'" in script
    assert f"TABLE_PREFIX='{stack['TablePrefix']}'" in script and f"LOG_GROUP='{stack['LogGroup']}'" in script
    assert f"PUBLIC_URL='{stack['PublicUrl']}'" in script and stack["HealthUrl"] == stack["PublicUrl"] + "/healthz"
    assert stack["DeployedRef"] == "v1.0"
    if stack["Variant"] == "plain-http":
        assert rules == [(22, "203.0.113.7/32"), (80, "198.51.100.0/24")]
        assert stack["PublicUrl"].startswith("http://") and "DistributionDomain" not in stack
        assert "AppDistribution" not in physical
    else:
        # moto keeps no prefix-list rules, so only SSH shows here: port 80 has no CIDR (no 0.0.0.0/0).
        assert rules == [(22, "203.0.113.7/32")]
        expected = "https://shop.example.com" if stack["Variant"] == "custom-domain" else (
            "https://d111111abcdef8.cloudfront.net")
        assert stack["PublicUrl"] == expected and stack["DistributionDomain"] == "d111111abcdef8.cloudfront.net"
