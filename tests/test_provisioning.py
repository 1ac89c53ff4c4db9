"""``main.py provision``: creates every table, index, TTL and the topic; a second run changes nothing."""

from __future__ import annotations

from services.platform.aws import connect
from services.platform.provisioning import provision
from services.platform.schema import ALL_TABLES, SEATS
from services.platform.topic import find_topic_arn
from services.settings import Settings


def test_provision_creates_everything_then_is_idempotent(settings: Settings) -> None:
    aws = connect(settings)
    first = provision(aws)
    assert len([change for change in first if change.startswith("created table")]) == len(ALL_TABLES)
    assert f"created topic {settings.topic_name}" in first
    assert provision(aws) == []
    for table in ALL_TABLES:
        description = aws.ddb.describe_table(TableName=aws.table_name(table))["Table"]
        assert {index["IndexName"] for index in description.get("GlobalSecondaryIndexes", [])} == {
            index.name for index in table.indexes
        }
        ttl = aws.ddb.describe_time_to_live(TableName=aws.table_name(table))["TimeToLiveDescription"]
        if table.ttl_attribute:
            assert (ttl["TimeToLiveStatus"], ttl["AttributeName"]) == ("ENABLED", table.ttl_attribute)
    assert find_topic_arn(aws)


def test_provision_adds_a_missing_index_to_an_existing_table(settings: Settings) -> None:
    aws = connect(settings)
    bare = SEATS.create_table_args(aws.table_name(ALL_TABLES[0]))
    bare.pop("GlobalSecondaryIndexes", None)
    bare["KeySchema"] = [{"AttributeName": "email", "KeyType": "HASH"}]
    bare["AttributeDefinitions"] = [{"AttributeName": "email", "AttributeType": "S"}]
    aws.ddb.create_table(**bare)
    changes = provision(aws)
    assert f"added index by-user-id to {aws.table_name(ALL_TABLES[0])}" in changes
    assert provision(aws) == []
