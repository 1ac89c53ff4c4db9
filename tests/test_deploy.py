"""The AWS deployment as code: deploy/cloudformation.yaml lints, matches services/platform/schema.py, carries the
bootstrap script verbatim, and deploys into moto's CloudFormation, where the app then books a ticket.

What moto cannot show (it runs no instance, no user data, no IAM evaluation) is listed in docs/DEPLOY.md.
"""

from __future__ import annotations

import ast
import base64
import email
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
import yaml
from botocore.exceptions import ClientError
from cfnlint.api import lint_file

from deploy.embed_bootstrap import embedded
from main import build_services
from services.booking.payments import CardPayment
from services.catalog.demo import DemoCatalog
from services.clock import FakeClock
from services.platform import health
from services.platform.aws import connect
from services.platform.schema import ALL_TABLES, Table
from services.settings import Settings, load_settings
from tests.conftest import CATALOG_DIR, make_settings
from tests.test_iam import called_actions, load_template, record_actions

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
TEMPLATE = DEPLOY / "cloudformation.yaml"
BOOTSTRAP = DEPLOY / "bootstrap.sh"
UNIT = DEPLOY / "moviemagic.service"
NGINX = DEPLOY / "nginx.conf"
REGION = "us-east-1"

# moto's CloudFormation has no model for these; test_stack_deploys... swaps them for fixed values.
MOTO_UNSUPPORTED = {
    "AWS::SecretsManager::Secret": f"arn:aws:secretsmanager:{REGION}:123456789012:secret:moto-stand-in-AbCdEf",
    "AWS::EC2::EIPAssociation": "eipassoc-moto-stand-in",
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
    assert {"AppUrl", "TopicArn", "TablePrefix"} <= outputs.keys()
    assert {f"{table.logical_name}TableName" for table in ALL_TABLES} <= outputs.keys()


def test_ssh_is_closed_unless_a_cidr_is_given() -> None:
    resources = load_template()["Resources"]
    ingress = resources["AppSecurityGroup"]["Properties"]["SecurityGroupIngress"]
    assert sorted((rule["FromPort"], rule["CidrIp"]) for rule in ingress) == [(80, "0.0.0.0/0"), (443, "0.0.0.0/0")]
    ssh = resources["SshIngress"]
    assert ssh["Condition"] == "HasSsh" and ssh["Properties"]["CidrIp"] == {"Ref": "SshCidr"}
    assert resources["AppInstance"]["Properties"]["MetadataOptions"]["HttpTokens"] == "required"


# --- User data, unit, nginx ---------------------------------------------------------------------------
def _user_data_parts() -> list[Any]:
    return load_template()["Resources"]["AppInstance"]["Properties"]["UserData"]["Fn::Base64"]["Fn::Join"][1]


def test_user_data_carries_bootstrap_sh_verbatim() -> None:
    assert BOOTSTRAP.read_text() in _user_data_parts(), "run: python deploy/embed_bootstrap.py"
    assert embedded(TEMPLATE.read_text(), BOOTSTRAP.read_text()) == TEMPLATE.read_text()


SAMPLE = {
    "AWS::StackName": "moviemagic", "AWS::Region": REGION, "GitUrl": "https://github.com/example/movie-magic.git",
    "GitRef": "main", "TablePrefix": "moviemagic-", "StaffEmail": "staff@example.com", "SeedDemoCatalog": "true",
    "BookingsTopic": f"arn:aws:sns:{REGION}:123456789012:moviemagic-BookingsTopic-ABC123",
    "BookingsTopic.TopicName": "moviemagic-BookingsTopic-ABC123",
    "AppSecret": f"arn:aws:secretsmanager:{REGION}:123456789012:secret:AppSecret-xyz-AbCdEf",
    "AppAddress": "203.0.113.10",
}


def render_user_data(values: dict[str, str]) -> str:
    def render(part: str | dict[str, str]) -> str:
        if isinstance(part, str):
            return part
        return re.sub(r"\$\{([^}!]+)\}", lambda m: values[m.group(1)], part["Fn::Sub"])

    return "".join(render(part) for part in _user_data_parts())


def _shell_part(user_data: str) -> str:
    message = email.message_from_string(user_data)
    parts = {part.get_content_type(): part.get_payload() for part in message.walk() if not part.is_multipart()}
    config = yaml.safe_load(parts["text/cloud-config"])
    assert ["scripts-user", "always"] in config["cloud_final_modules"]  # runs at every boot
    script = parts["text/x-shellscript"]
    assert isinstance(script, str)
    return script


def test_user_data_is_a_cloud_init_multipart_with_the_settings_first() -> None:
    user_data = render_user_data(SAMPLE)
    assert len(user_data.encode()) < 16 * 1024  # EC2's limit for user data
    script = _shell_part(user_data)
    assert script.startswith("#!/bin/bash\n") and script.endswith(BOOTSTRAP.read_text())
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
    body = text[text.index('cat >"$temporary" <<EOF\n') :].split("\n", 1)[1].split("\nEOF\n", 1)[0]
    variables = {"AWS_REGION": values["AWS::Region"], "TABLE_PREFIX": values["TablePrefix"],
                 "TOPIC_ARN": values["BookingsTopic"], "TOPIC_NAME": values["BookingsTopic.TopicName"],
                 "PUBLIC_URL": f"http://{values['AppAddress']}", "DATA_DIR": "/var/lib/moviemagic",
                 "STAFF_EMAIL": values["StaffEmail"], "SEED_DEMO": values["SeedDemoCatalog"]}

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
        "User": "moviemagic", "WorkingDirectory": "/opt/moviemagic", "EnvironmentFile": "/etc/moviemagic/env",
        "Restart": "on-failure", "WantedBy": "multi-user.target", "NoNewPrivileges": "yes",
        "ProtectSystem": "strict", "ProtectHome": "yes", "PrivateTmp": "yes", "StateDirectory": "moviemagic",
        "ReadWritePaths": "/var/lib/moviemagic", "ExecStart": "/opt/moviemagic/.venv/bin/python main.py",
    }
    assert {key: unit.get(key, [None])[0] for key in expected} == expected
    assert unit["CapabilityBoundingSet"] == [""]
    # The bootstrap installs exactly these files from the checkout.
    text = BOOTSTRAP.read_text()
    assert "deploy/moviemagic.service" in text and "deploy/nginx.conf" in text


def test_nginx_forwards_websockets_to_the_app_port() -> None:
    conf = NGINX.read_text()
    environment = _environment_file(SAMPLE, "x" * 96)
    assert f"server {environment['MOVIEMAGIC_HOST']}:{environment['MOVIEMAGIC_PORT']};" in conf
    for needed in ("listen 80 default_server;", "proxy_http_version 1.1;", "proxy_set_header Upgrade $http_upgrade;",
                   "proxy_set_header Connection $connection_upgrade;", "proxy_read_timeout 1h;",
                   "proxy_set_header X-Forwarded-Proto $scheme;"):
        assert needed in conf, needed


# --- Deployed into moto ---------------------------------------------------------------------------------
def template_for_moto() -> str:
    """The template with the resource types moto's CloudFormation lacks swapped for fixed values."""
    template = load_template()
    stand_ins = {name: MOTO_UNSUPPORTED[r["Type"]] for name, r in template["Resources"].items()
                 if r["Type"] in MOTO_UNSUPPORTED}
    for name in stand_ins:
        del template["Resources"][name]

    def replace(node: Any) -> Any:
        if isinstance(node, dict):
            if node.keys() == {"Ref"} and node["Ref"] in stand_ins:
                return stand_ins[node["Ref"]]
            if node.keys() == {"Fn::Sub"} and isinstance(node["Fn::Sub"], str):
                text = node["Fn::Sub"]
                for name, value in stand_ins.items():
                    text = text.replace("${" + name + "}", value)
                return {"Fn::Sub": text}
            return {key: replace(value) for key, value in node.items()}
        return [replace(value) for value in node] if isinstance(node, list) else node

    return json.dumps(replace(template))


@pytest.fixture
def stack(moto_endpoint: str) -> Iterator[dict[str, str]]:
    """A stack of the template on the session's moto server; deleted afterwards (checked)."""
    clients = {name: boto3.client(name, endpoint_url=moto_endpoint, region_name=REGION, aws_access_key_id="moto",
                                  aws_secret_access_key="moto") for name in ("cloudformation", "dynamodb")}
    name, prefix = f"mm{uuid.uuid4().hex[:8]}", f"d{uuid.uuid4().hex[:8]}-"
    clients["cloudformation"].create_stack(
        StackName=name, TemplateBody=template_for_moto(), Capabilities=["CAPABILITY_IAM"],
        Parameters=[{"ParameterKey": key, "ParameterValue": value} for key, value in {
            "GitUrl": "https://github.com/example/movie-magic.git", "GitRef": "v1.0", "TablePrefix": prefix,
            "StaffEmail": "staff@example.com", "SshCidr": "203.0.113.7/32"}.items()],
    )
    described = clients["cloudformation"].describe_stacks(StackName=name)["Stacks"][0]
    assert described["StackStatus"] == "CREATE_COMPLETE", described.get("StackStatusReason")
    outputs = {output["OutputKey"]: output["OutputValue"] for output in described["Outputs"]}
    yield outputs | {"StackName": name}
    clients["cloudformation"].delete_stack(StackName=name)
    with pytest.raises(ClientError, match="ResourceNotFoundException"):
        clients["dynamodb"].describe_table(TableName=outputs["UsersTableName"])


def _physical(moto_endpoint: str, stack_name: str) -> dict[str, str]:
    cloudformation = boto3.client("cloudformation", endpoint_url=moto_endpoint, region_name=REGION,
                                  aws_access_key_id="moto", aws_secret_access_key="moto")
    summaries = cloudformation.list_stack_resources(StackName=stack_name)["StackResourceSummaries"]
    return {summary["LogicalResourceId"]: summary["PhysicalResourceId"] for summary in summaries}


def test_stack_deploys_into_moto_and_the_app_books_a_ticket(moto_endpoint: str, stack: dict[str, str]) -> None:
    settings = make_settings(moto_endpoint, table_prefix=stack["TablePrefix"], topic_arn=stack["TopicArn"],
                             topic_name=stack["TopicArn"].rsplit(":", 1)[1], staff_email="staff@example.com")
    assert {table.logical_name: settings.table_name(table.logical_name) for table in ALL_TABLES} == {
        table.logical_name: stack[f"{table.logical_name}TableName"] for table in ALL_TABLES}
    aws = connect(settings)
    clock = FakeClock(FakeClock().now().replace(hour=3, minute=0, second=0, microsecond=0))

    with record_actions(aws) as recorded:
        services = build_services(settings, aws, clock)
        DemoCatalog(aws, clock, CATALOG_DIR).load(days=2)  # what MOVIEMAGIC_SEED_DEMO=true does at start
        assert health.check(aws)["status"] == "ok"
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

    # Everything the round trip did is allowed by the role the stack created, and seen by the static scan.
    physical = _physical(moto_endpoint, stack["StackName"])
    iam = boto3.client("iam", endpoint_url=moto_endpoint, region_name=REGION, aws_access_key_id="moto",
                       aws_secret_access_key="moto")
    document = iam.get_role_policy(RoleName=physical["AppRole"], PolicyName="moviemagic-app")["PolicyDocument"]
    if isinstance(document, str):  # moto keeps a policy given by CloudFormation as Python's repr of it
        document = ast.literal_eval(document)
    statements = document["Statement"]
    granted = {action for statement in statements for action in statement["Action"]}
    assert recorded - granted == set(), f"the round trip needed actions the role lacks: {recorded - granted}"
    assert recorded - called_actions().keys() == set(), "the static scan in tests/test_iam.py missed a call"
    table_arns = {resource for statement in statements if statement["Sid"] == "AppTables"
                  for resource in statement["Resource"]}
    users_arn = aws.ddb.describe_table(TableName=stack["UsersTableName"])["Table"]["TableArn"]
    assert users_arn in table_arns


def test_deployed_security_group_and_instance(moto_endpoint: str, stack: dict[str, str]) -> None:
    physical = _physical(moto_endpoint, stack["StackName"])
    ec2 = boto3.client("ec2", endpoint_url=moto_endpoint, region_name=REGION, aws_access_key_id="moto",
                       aws_secret_access_key="moto")
    group = ec2.describe_security_groups(GroupIds=[physical["AppSecurityGroup"]])["SecurityGroups"][0]
    rules = sorted((p["FromPort"], r["CidrIp"]) for p in group["IpPermissions"] for r in p["IpRanges"])
    assert rules == [(22, "203.0.113.7/32"), (80, "0.0.0.0/0"), (443, "0.0.0.0/0")]
    instance = ec2.describe_instances(InstanceIds=[stack["InstanceId"]])["Reservations"][0]["Instances"][0]
    assert instance["InstanceType"] == "t3.small" and "IamInstanceProfile" in instance
    user_data = ec2.describe_instance_attribute(InstanceId=stack["InstanceId"], Attribute="userData")
    script = _shell_part(base64.b64decode(user_data["UserData"]["Value"]).decode())
    assert f"TOPIC_ARN='{stack['TopicArn']}'" in script and "GIT_REF='v1.0'" in script
    assert f"TABLE_PREFIX='{stack['TablePrefix']}'" in script
