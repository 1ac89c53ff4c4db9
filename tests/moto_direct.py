"""Test set-up without HTTP round trips. The tests' moto server (``services/platform/embedded.py``) runs in
the test process, so each test's tables, TTL, topic and bucket are made by moto's own backend calls, the
very calls its CreateTable / UpdateTimeToLive / CreateTopic / CreateBucket handlers make, instead of ~70
signed requests through boto3 (most of a short test's time). The tests themselves still talk to moto over
HTTP, exactly as to AWS. ``tests/test_moto_direct.py`` checks that ``provision()`` finds nothing to change
afterwards, and that the tables describe as the ones ``provision()`` makes.

Every backend call is made under the server's one-request-at-a-time lock, as a request would be."""

from __future__ import annotations

import contextlib
from typing import Any

from moto.dynamodb.exceptions import ResourceNotFoundException
from moto.dynamodb.models import DynamoDBBackend, dynamodb_backends
from moto.s3.models import S3Backend, s3_backends
from moto.sns.models import SNSBackend, sns_backends

from services.platform.aws import Aws
from services.platform.embedded import EmbeddedServer
from services.platform.provisioning import provision
from services.platform.schema import ALL_TABLES, Table


class DirectProvisioner:
    """Makes what ``provision()`` makes, for a prefix on the in-process test server, in moto's memory."""

    def __init__(self, server: EmbeddedServer, reference: Aws) -> None:
        # Backend calls would bypass a journal; the test server has none (only a durable backend does).
        assert server.app.journal is None, "direct set-up is for the tests' plain in-process server"
        self._lock = server.app.lock
        provision(reference)  # once over HTTP, the real way: it also tells which account moto files us under
        self._region = reference.settings.region
        self._account = _account_holding(reference.table_name(ALL_TABLES[0]), self._region)
        self._ddb: DynamoDBBackend = dynamodb_backends[self._account][self._region]
        self._sns: SNSBackend = sns_backends[self._account][self._region]
        self._s3: S3Backend = s3_backends[self._account]["aws"]

    def provision(self, aws: Aws, tables: tuple[Table, ...] = ALL_TABLES) -> None:
        """``provision(aws, tables)`` for a fresh prefix: the tables (indexes, TTL), the topic, the bucket."""
        assert aws.settings.region == self._region
        with self._lock:
            for table in tables:
                self._create_table(table.create_table_args(aws.table_name(table)))
                if table.ttl_attribute:
                    self._ddb.update_time_to_live(
                        aws.table_name(table), {"Enabled": True, "AttributeName": table.ttl_attribute})
            if not any(topic.name == aws.settings.topic_name for topic in self._sns.topics.values()):
                self._sns.create_topic(aws.settings.topic_name, attributes={"DisplayName": "Movie Magic"})
            if aws.posters_bucket not in self._s3.buckets:
                self._s3.create_bucket(aws.posters_bucket, self._region)
        if aws.settings.ses_enabled:
            provision(aws, ())  # the SES queue and its subscription: rare in tests, made the usual way

    def restore(self, aws: Aws, table: Table, backup_arn: str) -> None:
        """Replace ``table`` (if there is one) by a restore of ``backup_arn``: RestoreTableFromBackup's call."""
        name = aws.table_name(table)
        with self._lock:
            with contextlib.suppress(ResourceNotFoundException):
                self._ddb.delete_table(name)
            self._ddb.restore_table_from_backup(name, backup_arn)

    def _create_table(self, args: dict[str, Any]) -> None:
        # The arguments moto's create_table handler passes for an on-demand table without streams or tags.
        self._ddb.create_table(
            args["TableName"],
            schema=args["KeySchema"],
            throughput=None,
            attr=args["AttributeDefinitions"],
            global_indexes=args.get("GlobalSecondaryIndexes", []),
            indexes=[],
            streams=None,
            billing_mode=args["BillingMode"],
            sse_specification=None,
            tags=[],
            deletion_protection_enabled=False,
            warm_throughput=None,
        )


def _account_holding(table_name: str, region: str) -> str:
    """The moto account whose backend holds ``table_name`` (moto derives it from the credentials)."""
    for account, regions in dynamodb_backends.items():
        if region in regions and table_name in regions[region].tables:
            return str(account)
    raise LookupError(f"no moto account holds {table_name}")
