"""Least privilege: the instance role grants exactly the DynamoDB and SNS actions the app calls.

Two independent views of "what the app calls":
- a static scan of ``services/`` (every boto3 operation written in the code, whether or not a test
  happens to run it), which must EQUAL what deploy/cloudformation.yaml grants;
- a recorded run (``record_actions``, a botocore hook used by tests/test_deploy.py's round trip
  against the deployed stack), which must be a SUBSET of both.

Code that never runs with the instance role is left out of the scan: the embedded moto server and its
snapshots (local only), and provisioning (``python main.py provision`` runs with an administrator's
credentials; on EC2 CloudFormation creates the tables and topic). The mailbox (services/notify/mailbox.py, with
its SQS inboxes) serves only the embedded backend, so the role grants no SQS at all. The topic lookup
by name (services/platform/topic.py, ListTopics) runs only without MOVIEMAGIC_TOPIC_ARN, which the
template always sets on the instance.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from cfnlint.decode import decode_str

from services.platform.aws import Aws

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "deploy" / "cloudformation.yaml"
SERVICES = ROOT / "services"
ROLE = "AppRole"
# Never run with the instance role (see the module docstring).
NOT_ON_THE_INSTANCE = {"embedded.py", "snapshot.py", "provisioning.py", "mailbox.py", "topic.py"}

# boto3 method (client, Table resource or batch writer) -> IAM action.
DYNAMODB_METHODS = {
    "get_item": "dynamodb:GetItem",
    "put_item": "dynamodb:PutItem",
    "update_item": "dynamodb:UpdateItem",
    "delete_item": "dynamodb:DeleteItem",
    "query": "dynamodb:Query",
    "scan": "dynamodb:Scan",
    "batch_get_item": "dynamodb:BatchGetItem",
    "batch_write_item": "dynamodb:BatchWriteItem",
    "batch_writer": "dynamodb:BatchWriteItem",
    "transact_get_items": "dynamodb:GetItem",  # IAM authorizes each item's read as GetItem
    "describe_table": "dynamodb:DescribeTable",
    "describe_time_to_live": "dynamodb:DescribeTimeToLive",
    "create_table": "dynamodb:CreateTable",
    "update_table": "dynamodb:UpdateTable",
    "update_time_to_live": "dynamodb:UpdateTimeToLive",
    "delete_table": "dynamodb:DeleteTable",
}
# TransactWriteItems has no IAM action of its own: each entry is authorized as its item action.
TRANSACT_ENTRIES = {
    "Put": "dynamodb:PutItem",
    "Update": "dynamodb:UpdateItem",
    "Delete": "dynamodb:DeleteItem",
    "ConditionCheck": "dynamodb:ConditionCheckItem",
}
SNS_METHODS = {
    "publish": "sns:Publish",
    "publish_batch": "sns:Publish",
    "subscribe": "sns:Subscribe",
    "unsubscribe": "sns:Unsubscribe",
    "confirm_subscription": "sns:ConfirmSubscription",
    "get_subscription_attributes": "sns:GetSubscriptionAttributes",
    "set_subscription_attributes": "sns:SetSubscriptionAttributes",
    "list_subscriptions_by_topic": "sns:ListSubscriptionsByTopic",
    "list_subscriptions": "sns:ListSubscriptions",
    "get_topic_attributes": "sns:GetTopicAttributes",
    "set_topic_attributes": "sns:SetTopicAttributes",
    "create_topic": "sns:CreateTopic",
    "list_topics": "sns:ListTopics",
    "delete_topic": "sns:DeleteTopic",
}
# Act on a subscription ARN, which IAM cannot scope (SNS's only resource type is the topic): Resource "*".
SUBSCRIPTION_LEVEL_ACTIONS = {"sns:GetSubscriptionAttributes", "sns:SetSubscriptionAttributes", "sns:Unsubscribe"}
SESSION_MANAGER_ACTIONS = {
    "ssm:UpdateInstanceInformation",
    "ssmmessages:CreateControlChannel",
    "ssmmessages:CreateDataChannel",
    "ssmmessages:OpenControlChannel",
    "ssmmessages:OpenDataChannel",
}


# --- The template ------------------------------------------------------------------------------------
def load_template() -> dict[str, Any]:
    template, errors = decode_str(TEMPLATE.read_text())
    assert not errors, errors
    return template


def role_statements(template: dict[str, Any]) -> list[dict[str, Any]]:
    role = template["Resources"][ROLE]["Properties"]
    assert "ManagedPolicyArns" not in role, "the role must carry only its own inline policy"
    return [statement for policy in role["Policies"] for statement in policy["PolicyDocument"]["Statement"]]


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def granted_actions(statements: list[dict[str, Any]], prefix: str) -> set[str]:
    return {action for s in statements if s["Effect"] == "Allow" for action in _as_list(s["Action"])
            if action.startswith(prefix + ":")}


# --- What the code calls -------------------------------------------------------------------------------
def _scanned_files() -> list[Path]:
    return sorted(path for path in SERVICES.rglob("*.py") if path.name not in NOT_ON_THE_INSTANCE)


def called_actions() -> dict[str, list[str]]:
    """IAM action -> where in services/ it is called (``file:line``)."""
    found: dict[str, list[str]] = defaultdict(list)
    for path in _scanned_files():
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            for action in _actions_of(node):
                found[action].append(f"{path.relative_to(SERVICES.parent)}:{node.lineno}")  # type: ignore[attr-defined]
    return dict(found)


def _actions_of(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        method, receiver = node.func.attr, ast.unparse(node.func.value).lower()
        if method == "get_paginator" and node.args and isinstance(node.args[0], ast.Constant):
            method = str(node.args[0].value)
        if method in SNS_METHODS and "sns" in receiver:  # LiveHub.publish and friends are not SNS
            return [SNS_METHODS[method]]
        if method in DYNAMODB_METHODS and "sns" not in receiver and "sqs" not in receiver:
            return [DYNAMODB_METHODS[method]]
    if isinstance(node, ast.Dict):  # an entry of a TransactWriteItems request: {"Put": {"TableName": ...}}
        for key, value in zip(node.keys, node.values, strict=True):
            if (isinstance(key, ast.Constant) and key.value in TRANSACT_ENTRIES and isinstance(value, ast.Dict)
                    and any(isinstance(k, ast.Constant) and k.value == "TableName" for k in value.keys)):
                return [TRANSACT_ENTRIES[key.value]]
    return []


@contextmanager
def record_actions(aws: Aws) -> Iterator[set[str]]:
    """Every IAM action the app's DynamoDB and SNS clients perform inside the block."""
    recorded: set[str] = set()

    def on_call(params: dict[str, Any], model: Any, **_: Any) -> None:
        service = model.service_model.endpoint_prefix
        if model.name == "TransactWriteItems":
            recorded.update(TRANSACT_ENTRIES[kind] for entry in params["TransactItems"] for kind in entry)
        elif model.name == "TransactGetItems":
            recorded.add("dynamodb:GetItem")
        else:
            recorded.add(f"{service}:{model.name}")

    # The clients that exist, and (through the session) those services create later, e.g. a quick SNS client.
    emitters = [aws.ddb.meta.events, aws.sns.meta.events, aws.session.events]
    for events in emitters:
        events.register("before-parameter-build.*.*", on_call, unique_id="record-actions")
    try:
        yield recorded
    finally:
        for events in emitters:
            events.unregister("before-parameter-build.*.*", unique_id="record-actions")


# --- The tests -----------------------------------------------------------------------------------------
def _difference_report(service: str, called: dict[str, list[str]], granted: set[str]) -> str:
    wanted = {action for action in called if action.startswith(service + ":")}
    lines = [f"{action} is called ({', '.join(called[action][:3])}) but {ROLE} in deploy/cloudformation.yaml "
             f"does not grant it: add it to the policy" for action in sorted(wanted - granted)]
    lines += [f"{action} is granted by {ROLE} but nothing in services/ calls it: remove it from the policy"
              for action in sorted(granted - wanted)]
    return "\n".join(lines)


def test_the_role_grants_exactly_the_dynamodb_actions_the_code_calls() -> None:
    called, granted = called_actions(), granted_actions(role_statements(load_template()), "dynamodb")
    report = _difference_report("dynamodb", called, granted)
    assert not report, "\n" + report


def test_the_role_grants_exactly_the_sns_actions_the_code_calls() -> None:
    called, granted = called_actions(), granted_actions(role_statements(load_template()), "sns")
    report = _difference_report("sns", called, granted)
    assert not report, "\n" + report


def test_the_app_never_scans_nor_manages_tables_on_the_instance() -> None:
    called = called_actions()
    forbidden = {"dynamodb:Scan", "dynamodb:CreateTable", "dynamodb:UpdateTable", "dynamodb:DeleteTable",
                 "dynamodb:UpdateTimeToLive", "sns:CreateTopic", "sns:DeleteTopic", "sns:ListTopics"}
    assert not {action: called[action] for action in forbidden & called.keys()}


def test_every_statement_names_only_this_stacks_resources() -> None:
    template = load_template()
    tables = {name for name, r in template["Resources"].items() if r["Type"] == "AWS::DynamoDB::Table"}
    for statement in role_statements(template):
        actions = set(_as_list(statement["Action"]))
        resources = _as_list(statement["Resource"])
        assert statement["Effect"] == "Allow" and not any(a.endswith("*") for a in actions), statement
        prefixes = {action.split(":")[0] for action in actions}
        if prefixes == {"dynamodb"}:
            for resource in resources:
                if "Fn::GetAtt" in resource:
                    assert resource["Fn::GetAtt"][0] in tables and resource["Fn::GetAtt"][1] == "Arn", resource
                else:  # an index: Query only
                    table, suffix = resource["Fn::Sub"].removeprefix("${").split(".Arn}")
                    assert table in tables and suffix == "/index/*" and actions == {"dynamodb:Query"}, resource
            assert len(resources) == len({str(r) for r in resources})
        elif prefixes == {"sns"} and resources == ["*"]:  # subscription-level actions have no resource type
            assert actions <= SUBSCRIPTION_LEVEL_ACTIONS, statement
        elif prefixes == {"sns"}:
            assert resources == [{"Ref": "BookingsTopic"}] and not actions & SUBSCRIPTION_LEVEL_ACTIONS, statement
        elif prefixes == {"secretsmanager"}:
            assert actions == {"secretsmanager:GetSecretValue"} and resources == [{"Ref": "AppSecret"}], statement
        else:  # Session Manager's agent: these five actions have no resource to scope them to
            assert actions == SESSION_MANAGER_ACTIONS and resources == ["*"], statement


def test_the_role_covers_every_table_and_grants_no_sqs() -> None:
    template = load_template()
    tables = {name for name, r in template["Resources"].items() if r["Type"] == "AWS::DynamoDB::Table"}
    statements = role_statements(template)
    table_statement = next(s for s in statements if s.get("Sid") == "AppTables")
    assert {r["Fn::GetAtt"][0] for r in table_statement["Resource"]} == tables
    assert not granted_actions(statements, "sqs")


def test_the_scan_sees_calls_in_every_form_the_code_uses() -> None:
    """Guards the scanner itself: a resource Table call, a client call, a transaction entry, SNS vs LiveHub."""
    source = """
table.put_item(Item={})
aws.ddb.transact_write_items(TransactItems=[{"ConditionCheck": {"TableName": "t", "Key": {}}}])
self._sns.publish(TopicArn="a", Message="m")
self._live.publish("showtime", [])
aws.sns.get_paginator("list_subscriptions_by_topic")
"""
    actions = [action for node in ast.walk(ast.parse(source)) for action in _actions_of(node)]
    assert sorted(actions) == ["dynamodb:ConditionCheckItem", "dynamodb:PutItem", "sns:ListSubscriptionsByTopic",
                               "sns:Publish"]


def test_the_instance_is_given_the_topic_arn_so_it_never_lists_topics() -> None:
    """Why topic.py is out of the scan: with the ARN in its settings the app never calls ListTopics."""
    assert "MOVIEMAGIC_TOPIC_ARN=$TOPIC_ARN" in TEMPLATE.read_text()
