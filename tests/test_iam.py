"""Least privilege: the instance role grants exactly the DynamoDB and SNS actions the app calls, and each
DynamoDB action only on the tables the code calls it on (action x table).

Two independent views of "what the app calls":
- a static scan of ``services/`` (every boto3 operation written in the code, whether or not a test
  happens to run it, and the table it names), which must EQUAL what deploy/cloudformation.yaml grants;
- a recorded run (``record_actions``, a botocore hook used by tests/test_deploy.py's round trip
  against the deployed stack), which must be a SUBSET of both.

The scan finds a call's table from what the code binds (``self._seats = aws.table(SEATS)``,
``"TableName": self.holds_table``); a call on a table the code does not name there (a helper that takes the
table as an argument) counts for every table its function names, else for every table its file names.

Code that never runs with the instance role is left out of the scan: the embedded moto server and its
snapshots (local only), and provisioning (``python main.py provision`` runs with an administrator's
credentials; on EC2 CloudFormation creates the tables and topic). The mailbox (services/notify/mailbox.py, with
its SQS inboxes) serves only the embedded backend; the role grants SQS (its own queue) and SES only to the
optional SES sender (the SesSender parameter). The topic lookup
by name (services/platform/topic.py, ListTopics) runs only without MOVIEMAGIC_TOPIC_ARN, which the
template always sets on the instance.
"""

from __future__ import annotations

import ast
import json
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from cfnlint.decode import decode_str

from services.platform import schema
from services.platform.aws import Aws
from services.platform.schema import ALL_TABLES

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
# services/platform/dynamo.py, the one door to DynamoDB: function -> (IAM action, index of the argument that
# names the table). Its own body calls boto3 on whatever table it is given, so per table only the call sites
# count; ``transact_write``'s actions are found as the transaction entries below.
DYNAMO_MODULE = {
    "get_item": ("dynamodb:GetItem", 0),
    "put_item": ("dynamodb:PutItem", 0),
    "update_item": ("dynamodb:UpdateItem", 0),
    "delete_item": ("dynamodb:DeleteItem", 0),
    "query_all": ("dynamodb:Query", 0),
    "query_pages": ("dynamodb:Query", 0),
    "batch_get_all": ("dynamodb:BatchGetItem", 1),
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
# The SES sender (services/notify/ses_sender.py): its queue and SES. Granted only with the SesSender parameter.
SQS_METHODS = {
    "receive_message": "sqs:ReceiveMessage",
    "delete_message": "sqs:DeleteMessage",
    "change_message_visibility": "sqs:ChangeMessageVisibility",
    "get_queue_url": "sqs:GetQueueUrl",
    "send_message": "sqs:SendMessage",
    "create_queue": "sqs:CreateQueue",
    "get_queue_attributes": "sqs:GetQueueAttributes",
    "set_queue_attributes": "sqs:SetQueueAttributes",
}
SES_METHODS = {"send_email": "ses:SendEmail", "send_raw_email": "ses:SendRawEmail"}
# Act on a subscription ARN, which IAM cannot scope (SNS's only resource type is the topic): Resource "*".
SUBSCRIPTION_LEVEL_ACTIONS = {"sns:GetSubscriptionAttributes", "sns:SetSubscriptionAttributes", "sns:Unsubscribe"}
LOG_ACTIONS = {"logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"}
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
    """Every statement, those behind a condition (``!If [HasSesSender, statement, !Ref AWS::NoValue]``) included."""
    role = template["Resources"][ROLE]["Properties"]
    assert "ManagedPolicyArns" not in role, "the role must carry only its own inline policy"
    return [_unconditional(statement) for policy in role["Policies"]
            for statement in policy["PolicyDocument"]["Statement"]]


def _unconditional(statement: dict[str, Any]) -> dict[str, Any]:
    if "Fn::If" in statement:
        _, granted, otherwise = statement["Fn::If"]
        assert otherwise == {"Ref": "AWS::NoValue"}, statement
        return granted
    return statement


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
        if method in SQS_METHODS and "sqs" in receiver:
            return [SQS_METHODS[method]]
        if method in SES_METHODS and "ses" in receiver:
            return [SES_METHODS[method]]
        if receiver == "dynamo" and method in DYNAMO_MODULE:
            return [DYNAMO_MODULE[method][0]]
        if method in DYNAMODB_METHODS and "sns" not in receiver and "sqs" not in receiver:
            return [DYNAMODB_METHODS[method]]
    if isinstance(node, ast.Dict):  # an entry of a TransactWriteItems request: {"Put": {"TableName": ...}}
        for key, value in zip(node.keys, node.values, strict=True):
            if (isinstance(key, ast.Constant) and key.value in TRANSACT_ENTRIES and isinstance(value, ast.Dict)
                    and any(isinstance(k, ast.Constant) and k.value == "TableName" for k in value.keys)):
                return [TRANSACT_ENTRIES[key.value]]
    return []


# Schema constant (USERS, ...) -> logical table name (Users, ...).
TABLE_CONSTANTS = {name: value.logical_name for name, value in vars(schema).items() if value in ALL_TABLES}


def called_table_actions() -> dict[tuple[str, str], list[str]]:
    """(logical table, DynamoDB action) -> where in services/ it is called (``file:line``)."""
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in _scanned_files():
        tree = ast.parse(path.read_text(), str(path))
        bindings, writers = _table_bindings(tree)
        file_tables = _tables_named(tree, bindings)
        functions = [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)]
        for function in functions:
            nested = {id(n) for f in ast.walk(function) if f is not function and isinstance(f, type(function))
                      for n in ast.walk(f)}
            fallback = _tables_named(function, bindings) or file_tables
            for node in ast.walk(function):
                if id(node) in nested or _is_batch_writer_put(node, writers):
                    continue
                for action in (a for a in _actions_of(node) if a.startswith("dynamodb:")):
                    for table in _tables_of(node, bindings) or fallback:
                        found[(table, action)].append(f"{path.relative_to(SERVICES.parent)}:{node.lineno}")  # type: ignore[attr-defined]
    return dict(found)


def _table_of(expression: ast.AST, bindings: dict[str, str]) -> str | None:
    """The table an expression stands for: ``aws.table(SEATS)``, ``aws.table_name(SEATS)`` or a name bound to one."""
    if (isinstance(expression, ast.Call) and isinstance(expression.func, ast.Attribute)
            and expression.func.attr in {"table", "table_name"} and expression.args
            and isinstance(expression.args[0], ast.Name)):
        return TABLE_CONSTANTS.get(expression.args[0].id)
    return bindings.get(ast.unparse(expression))


def _table_bindings(tree: ast.AST) -> tuple[dict[str, str], set[str]]:
    """Names bound to a table (``self._seats = aws.table(SEATS)``) and names of batch writers."""
    bindings: dict[str, str] = {}
    writers: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            table = _table_of(node.value, {})
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets if table else []:
                bindings[ast.unparse(target)] = table  # type: ignore[assignment]
        if (isinstance(node, ast.withitem) and node.optional_vars is not None
                and isinstance(node.context_expr, ast.Call)):
            function = node.context_expr.func
            if isinstance(function, ast.Attribute) and function.attr == "batch_writer":
                writers.add(ast.unparse(node.optional_vars))
    return bindings, writers


def _is_batch_writer_put(node: ast.AST, writers: set[str]) -> bool:
    """``writer.put_item`` inside ``with table.batch_writer() as writer`` is part of the BatchWriteItem."""
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and ast.unparse(node.func.value) in writers)


def _tables_of(node: ast.AST, bindings: dict[str, str]) -> set[str]:
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if ast.unparse(node.func.value) == "dynamo" and node.func.attr in DYNAMO_MODULE:
            position = DYNAMO_MODULE[node.func.attr][1]
            table = _table_of(node.args[position], bindings) if len(node.args) > position else None
        else:
            table = _table_of(node.func.value, bindings)
        return {table} if table else set()
    if isinstance(node, ast.Dict):  # a transaction entry: {"Put": {"TableName": ...}}
        entry = next(v for k, v in zip(node.keys, node.values, strict=True)
                     if isinstance(k, ast.Constant) and k.value in TRANSACT_ENTRIES)
        assert isinstance(entry, ast.Dict)
        name = next(v for k, v in zip(entry.keys, entry.values, strict=True)
                    if isinstance(k, ast.Constant) and k.value == "TableName")
        table = _table_of(name, bindings)
        return {table} if table else set()
    return set()


def _tables_named(tree: ast.AST, bindings: dict[str, str]) -> set[str]:
    """Every table a piece of code names, by schema constant or by a name bound to a table."""
    named = {TABLE_CONSTANTS[node.id] for node in ast.walk(tree) if isinstance(node, ast.Name)
             and node.id in TABLE_CONSTANTS}
    return named | {bindings[text] for node in ast.walk(tree) if isinstance(node, ast.Attribute | ast.Name)
                    and (text := ast.unparse(node)) in bindings}


@contextmanager
def record_actions(aws: Aws) -> Iterator[set[tuple[str, str | None]]]:
    """Every (IAM action, logical table or None) the app's DynamoDB and SNS clients perform inside the block."""
    recorded: set[tuple[str, str | None]] = set()
    logical = {aws.table_name(table): table.logical_name for table in ALL_TABLES}

    def on_call(params: dict[str, Any], model: Any, **_: Any) -> None:
        service = model.service_model.signing_name  # the IAM prefix (SES: "ses", its endpoint is "email")
        if model.name == "TransactWriteItems":
            recorded.update((TRANSACT_ENTRIES[kind], logical.get(body["TableName"]))
                            for entry in params["TransactItems"] for kind, body in entry.items())
        elif model.name == "TransactGetItems":
            recorded.update(("dynamodb:GetItem", logical.get(entry["Get"]["TableName"]))
                            for entry in params["TransactItems"])
        elif "RequestItems" in params:  # BatchGetItem, BatchWriteItem: one request, several tables
            recorded.update((f"{service}:{model.name}", logical.get(name)) for name in params["RequestItems"])
        else:
            recorded.add((f"{service}:{model.name}", logical.get(params.get("TableName", ""))))

    # The clients that exist, and (through the session) those services create later, e.g. a quick SNS client.
    emitters = [aws.ddb.meta.events, aws.sns.meta.events, aws.sqs.meta.events, aws.ses.meta.events,
                aws.session.events]
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


@pytest.mark.parametrize("service", ["sqs", "ses"])
def test_the_role_grants_exactly_the_sqs_and_ses_actions_the_code_calls(service: str) -> None:
    called, granted = called_actions(), granted_actions(role_statements(load_template()), service)
    report = _difference_report(service, called, granted)
    assert not report, "\n" + report


def test_the_app_never_scans_nor_manages_tables_on_the_instance() -> None:
    called = called_actions()
    forbidden = {"dynamodb:Scan", "dynamodb:CreateTable", "dynamodb:UpdateTable", "dynamodb:DeleteTable",
                 "dynamodb:UpdateTimeToLive", "sns:CreateTopic", "sns:DeleteTopic", "sns:ListTopics"}
    assert not {action: called[action] for action in forbidden & called.keys()}


def _table_logical_names(template: dict[str, Any]) -> dict[str, str]:
    """Resource name (UsersTable) -> logical table name of the schema (Users)."""
    return {name: r["Properties"]["TableName"]["Fn::Sub"].removeprefix("${TablePrefix}")
            for name, r in template["Resources"].items() if r["Type"] == "AWS::DynamoDB::Table"}


def granted_table_actions(template: dict[str, Any]) -> set[tuple[str, str]]:
    """(logical table, action) pairs the role allows on tables (not indexes)."""
    tables = _table_logical_names(template)
    return {(tables[resource["Fn::GetAtt"][0]], action) for statement in role_statements(template)
            for resource in _as_list(statement["Resource"])
            if isinstance(resource, dict) and resource.get("Fn::GetAtt", [""])[0] in tables
            for action in _as_list(statement["Action"])}


def test_the_role_grants_each_table_exactly_the_actions_the_code_calls_on_it() -> None:
    called, granted = called_table_actions(), granted_table_actions(load_template())
    lines = [f"{action} on {table} is called ({', '.join(called[(table, action)][:3])}) but {ROLE} does not grant "
             f"it on {table}Table: add it to that table's statement"
             for table, action in sorted(called.keys() - granted)]
    lines += [f"{action} is granted on {table}Table but nothing in services/ calls it there: remove it"
              for table, action in sorted(granted - called.keys())]
    assert not lines, "\n" + "\n".join(lines)


def test_indexes_are_queried_only_and_only_where_the_code_queries() -> None:
    template = load_template()
    tables = _table_logical_names(template)
    with_indexes = {table.logical_name for table in ALL_TABLES if table.indexes}
    queried = {table for table, action in called_table_actions() if action == "dynamodb:Query"}
    index_grants = [s for s in role_statements(template) for r in _as_list(s["Resource"])
                    if isinstance(r, dict) and "Fn::Sub" in r and not set(_as_list(s["Action"])) & {"ses:SendEmail"}]
    assert index_grants and all(set(_as_list(s["Action"])) == {"dynamodb:Query"} for s in index_grants)
    indexed = set()
    for statement in index_grants:
        for resource in _as_list(statement["Resource"]):
            table, suffix = resource["Fn::Sub"].removeprefix("${").split(".Arn}")
            assert suffix == "/index/*", resource
            indexed.add(tables[table])
    assert indexed == queried & with_indexes


def test_every_statement_names_only_this_stacks_resources() -> None:
    template = load_template()
    tables = _table_logical_names(template)
    for statement in role_statements(template):
        actions = set(_as_list(statement["Action"]))
        resources = _as_list(statement["Resource"])
        assert statement["Effect"] == "Allow" and not any(a.endswith("*") for a in actions), statement
        prefixes = {action.split(":")[0] for action in actions}
        if prefixes == {"dynamodb"}:
            for resource in resources:
                if "Fn::GetAtt" in resource:  # one statement per table: its own actions
                    assert resource["Fn::GetAtt"][0] in tables and resource["Fn::GetAtt"][1] == "Arn", resource
                    assert resources == [resource], "one table per statement keeps action x table readable"
                else:  # an index: Query only
                    table, suffix = resource["Fn::Sub"].removeprefix("${").split(".Arn}")
                    assert table in tables and suffix == "/index/*" and actions == {"dynamodb:Query"}, resource
            assert len(resources) == len({str(r) for r in resources})
        elif prefixes == {"sns"} and resources == ["*"]:  # subscription-level actions have no resource type
            assert actions <= SUBSCRIPTION_LEVEL_ACTIONS, statement
        elif prefixes == {"sns"}:
            assert resources == [{"Ref": "BookingsTopic"}] and not actions & SUBSCRIPTION_LEVEL_ACTIONS, statement
        elif prefixes == {"sqs"}:  # the SES sender's own queue; SNS alone may send to it (queue policy)
            assert resources == [{"Fn::GetAtt": ["SesQueue", "Arn"]}] and "sqs:SendMessage" not in actions, statement
        elif prefixes == {"ses"}:  # mail only from the SesSender identity (the address, or its domain)
            assert actions == {"ses:SendEmail"} and len(resources) == 2, statement
            assert all("identity/" in json.dumps(resource) for resource in resources), statement
        elif prefixes == {"logs"}:  # the CloudWatch agent: write to the stack's own log group only
            assert actions == LOG_ACTIONS and resources == [{"Fn::GetAtt": ["AppLogGroup", "Arn"]}], statement
        elif prefixes == {"secretsmanager"}:
            assert actions == {"secretsmanager:GetSecretValue"} and resources == [{"Ref": "AppSecret"}], statement
        else:  # Session Manager's agent: these five actions have no resource to scope them to
            assert actions == SESSION_MANAGER_ACTIONS and resources == ["*"], statement


def test_subscribe_is_email_only_and_the_topic_is_encrypted() -> None:
    template = load_template()
    subscribe = [s for s in role_statements(template) if "sns:Subscribe" in _as_list(s["Action"])]
    assert len(subscribe) == 1 and _as_list(subscribe[0]["Action"]) == ["sns:Subscribe"]
    assert subscribe[0]["Condition"] == {"StringEquals": {"sns:Protocol": "email"}}
    # The code subscribes with that protocol only (a literal, so the condition cannot surprise it).
    calls = [node for path in _scanned_files() for node in ast.walk(ast.parse(path.read_text()))
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "subscribe"]
    protocols = {ast.unparse(k.value) for node in calls for k in node.keywords if k.arg == "Protocol"}
    assert protocols == {"'email'"}
    topic = template["Resources"]["BookingsTopic"]["Properties"]
    assert topic["KmsMasterKeyId"] == "alias/aws/sns"  # AWS-managed: no KMS grant needed in the role


def test_the_role_covers_every_table_and_grants_sqs_and_ses_only_with_the_ses_sender() -> None:
    template = load_template()
    assert {table for table, _ in granted_table_actions(template)} == set(_table_logical_names(template).values())
    raw = [statement for policy in template["Resources"][ROLE]["Properties"]["Policies"]
           for statement in policy["PolicyDocument"]["Statement"]]
    for statement in raw:
        actions = _as_list(_unconditional(statement)["Action"])
        if any(action.startswith(("sqs:", "ses:")) for action in actions):
            assert statement.get("Fn::If", [None])[0] == "HasSesSender", statement


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


def test_the_scan_finds_the_table_of_each_call() -> None:
    """Guards the per-table scan: a bound table, a bound name in a transaction, a helper, a batch writer."""
    source = """
class Inventory:
    def __init__(self, aws):
        self._seats = aws.table(SEATS)
        self.holds_table = aws.table_name(HOLDS)

    def sell(self):
        self._seats.delete_item(Key={})
        aws.ddb.transact_write_items(TransactItems=[{"Update": {"TableName": self.holds_table, "Key": {}}}])
        aws.table(USERS).get_item(Key={})


    def read(self):
        dynamo.get_item(self._seats, {})
        dynamo.batch_get_all(aws, aws.table_name(MOVIES), [])


def _query_all(table):
    return table.query()


def seed(aws, table):
    with aws.table(table).batch_writer() as writer:
        writer.put_item(Item={})
"""
    tree = ast.parse(source)
    bindings, writers = _table_bindings(tree)
    assert bindings == {"self._seats": "Seats", "self.holds_table": "Holds"} and writers == {"writer"}
    calls = [node for node in ast.walk(tree) if _actions_of(node)]
    resolved = {(tuple(_actions_of(node)), frozenset(_tables_of(node, bindings))) for node in calls
                if not _is_batch_writer_put(node, writers)}
    assert resolved == {(("dynamodb:GetItem",), frozenset({"Seats"})),
                        (("dynamodb:BatchGetItem",), frozenset({"Movies"})),
                        (("dynamodb:DeleteItem",), frozenset({"Seats"})),
                        (("dynamodb:UpdateItem",), frozenset({"Holds"})),
                        (("dynamodb:GetItem",), frozenset({"Users"})), (("dynamodb:Query",), frozenset()),
                        (("dynamodb:BatchWriteItem",), frozenset())}
    assert _tables_named(tree, bindings) == {"Seats", "Holds", "Users", "Movies"}  # the fallback for the last two


def test_the_instance_is_given_the_topic_arn_so_it_never_lists_topics() -> None:
    """Why topic.py is out of the scan: with the ARN in its settings the app never calls ListTopics."""
    assert "MOVIEMAGIC_TOPIC_ARN=$TOPIC_ARN" in TEMPLATE.read_text()
