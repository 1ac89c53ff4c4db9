"""Create or update the tables, indexes, TTL and topic, idempotently: running it twice changes nothing."""

from __future__ import annotations

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
    changes += _ensure_bucket(aws)
    return changes


def _ensure_bucket(aws: Aws) -> list[str]:
    """The posters' bucket (private: the app serves posters itself)."""
    try:
        aws.s3.head_bucket(Bucket=aws.posters_bucket)
        return []
    except ClientError as exc:
        if exc.response["Error"]["Code"] not in ("404", "NoSuchBucket", "NotFound"):
            raise
    region = aws.settings.region
    # us-east-1 is S3's default location and refuses to be named as a constraint.
    where = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
    aws.s3.create_bucket(Bucket=aws.posters_bucket, **where)
    return [f"created bucket {aws.posters_bucket}"]


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
