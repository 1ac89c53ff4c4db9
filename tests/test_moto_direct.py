"""The tests' in-memory set-up (tests/moto_direct.py) makes what ``provision()`` makes over HTTP: the same
tables, indexes, TTL, topic and bucket, so the fast fixtures test the app on the tables it would have."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from services.container import Services
from services.platform.aws import Aws, connect
from services.platform.provisioning import provision
from services.platform.schema import ALL_TABLES, MOVIES, SHOWTIMES, THEATERS
from services.platform.topic import find_topic_arn
from services.settings import Settings
from tests.conftest import load_demo_catalog, make_settings
from tests.moto_direct import DirectProvisioner


def shape(aws: Aws) -> dict[str, Any]:
    """What the app relies on, per table: keys, attribute types, indexes, billing, status and TTL."""
    tables = {}
    for table in ALL_TABLES:
        described = aws.ddb.describe_table(TableName=aws.table_name(table))["Table"]
        ttl = aws.ddb.describe_time_to_live(TableName=aws.table_name(table))["TimeToLiveDescription"]
        tables[table.logical_name] = {
            "keys": described["KeySchema"],
            "attributes": sorted(described["AttributeDefinitions"], key=lambda attribute: attribute["AttributeName"]),
            "indexes": sorted((index["IndexName"], str(index["KeySchema"]), str(index["Projection"]),
                               index["IndexStatus"]) for index in described.get("GlobalSecondaryIndexes", [])),
            "status": described["TableStatus"],
            "ttl": ttl,
        }
    return tables


def test_the_direct_set_up_is_what_provision_makes(aws: Aws, moto_endpoint: str) -> None:
    reference = connect(make_settings(moto_endpoint))
    assert len(provision(reference)) > len(ALL_TABLES)  # the reference is made the real way, over HTTP
    assert provision(aws) == []  # provision() finds nothing missing or different on the direct tables
    assert shape(aws) == shape(reference)
    for made in (aws, reference):
        topic = find_topic_arn(made)
        assert topic is not None
        assert made.sns.get_topic_attributes(TopicArn=topic)["Attributes"]["DisplayName"] == "Movie Magic"
        made.s3.head_bucket(Bucket=made.posters_bucket)  # raises if it is missing


def test_two_tests_prefixes_share_nothing(settings: Settings, aws: Aws, moto_endpoint: str) -> None:
    other = connect(make_settings(moto_endpoint))
    provision(other)
    aws.table(MOVIES).put_item(Item={"movie_id": "only-here", "catalog": "movie", "title": "Only here"})
    assert "Item" not in other.table(MOVIES).get_item(Key={"movie_id": "only-here"})
    assert aws.posters_bucket != other.posters_bucket and settings.topic_name != other.settings.topic_name


def test_the_restored_demo_catalog_is_a_private_copy(seeded: Services, moto_endpoint: str,
                                                     catalog_backups: dict[datetime, dict[str, str]],
                                                     direct: DirectProvisioner) -> None:
    assert provision(seeded.aws) == []  # a restore leaves nothing for provision() to add
    movie_id = seeded.catalog.all_movies()[0].movie_id
    seeded.aws.table(MOVIES).delete_item(Key={"movie_id": movie_id})
    assert "Item" not in seeded.aws.table(MOVIES).get_item(Key={"movie_id": movie_id})
    other = connect(make_settings(moto_endpoint))
    direct.provision(other)
    load_demo_catalog(other, seeded.clock.now(), catalog_backups, direct)
    assert "Item" in other.table(MOVIES).get_item(Key={"movie_id": movie_id})  # the next test's copy has it
    for table in (MOVIES, THEATERS, SHOWTIMES):
        assert other.ddb.describe_table(TableName=other.table_name(table))["Table"]["ItemCount"] > 0
