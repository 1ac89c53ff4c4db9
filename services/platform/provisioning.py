"""Create or update the tables, indexes, TTL and topic, idempotently: running it twice changes nothing."""

from __future__ import annotations

import json

from botocore.exceptions import ClientError

from services.platform.aws import Aws
from services.platform.schema import ALL_TABLES, Table
from services.platform.topic import find_topic_arn


def provision(aws: Aws, tables: tuple[Table, ...] = ALL_TABLES) -> list[str]:
    """Bring AWS in line with ``services.schema``; return what was changed (empty when nothing)."""
    changes: list[str] = []
    for table in tables:
        changes += _ensure_table(aws, table)
    for table in tables:
        changes += _ensure_ttl(aws, table)
    changes += _ensure_topic(aws)
    if aws.settings.ses_enabled:
        changes += _ensure_ses_queue(aws)
    return changes


def _ensure_table(aws: Aws, table: Table) -> list[str]:
    name = aws.table_name(table)
    client = aws.ddb
    try:
        description = client.describe_table(TableName=name)["Table"]
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "ResourceNotFoundException":
            raise
        client.create_table(**table.create_table_args(name))
        client.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 120})
        return [f"created table {name}"]
    existing = {index["IndexName"] for index in description.get("GlobalSecondaryIndexes", [])}
    changes = []
    wanted = table.create_table_args(name)
    for index in wanted.get("GlobalSecondaryIndexes", []):
        if index["IndexName"] in existing:
            continue
        # DynamoDB adds one index per update_table call.
        client.update_table(
            TableName=name,
            AttributeDefinitions=wanted["AttributeDefinitions"],
            GlobalSecondaryIndexUpdates=[{"Create": index}],
        )
        client.get_waiter("table_exists").wait(TableName=name)
        changes.append(f"added index {index['IndexName']} to {name}")
    return changes


def _ensure_ttl(aws: Aws, table: Table) -> list[str]:
    if not table.ttl_attribute:
        return []
    name = aws.table_name(table)
    status = aws.ddb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
    if status.get("TimeToLiveStatus") in {"ENABLED", "ENABLING"} and status.get("AttributeName") == table.ttl_attribute:
        return []
    aws.ddb.update_time_to_live(
        TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": table.ttl_attribute}
    )
    return [f"enabled TTL on {name}.{table.ttl_attribute}"]


def _ensure_topic(aws: Aws) -> list[str]:
    if find_topic_arn(aws):
        return []
    # The display name is the "From" of the emails; without it they come from "AWS Notifications".
    aws.sns.create_topic(Name=aws.settings.topic_name, Attributes={"DisplayName": "Movie Magic"})
    return [f"created topic {aws.settings.topic_name}"]


def _ensure_ses_queue(aws: Aws) -> list[str]:
    """The SES sender's queue, subscribed to the topic (on AWS the template makes the same three things).
    The SNS envelope is kept (no raw delivery): the sender needs its Subject and message attributes."""
    name = aws.settings.ses_queue_name
    try:
        aws.sqs.get_queue_url(QueueName=name)
        return []
    except ClientError as exc:
        if "NonExistentQueue" not in exc.response["Error"]["Code"]:
            raise
    url = aws.sqs.create_queue(QueueName=name, Attributes={"VisibilityTimeout": "60"})["QueueUrl"]
    arn = aws.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    topic_arn = find_topic_arn(aws)
    policy = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "sqs:SendMessage",
        "Resource": arn, "Condition": {"ArnEquals": {"aws:SourceArn": topic_arn}}}]}
    aws.sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps(policy)})
    aws.sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=arn)
    return [f"created SES queue {name}"]
