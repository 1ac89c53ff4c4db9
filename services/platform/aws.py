"""boto3 clients built from settings. Only services/ touches boto3; nothing here runs at import time."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import boto3
import botocore.loaders
import botocore.session
from botocore.config import Config

from services.platform.schema import Table
from services.settings import Settings

# Fail fast instead of hanging a page: short timeouts, a few standard retries with backoff.
_BOTO_CONFIG = Config(
    retries={"mode": "standard", "max_attempts": 4},
    connect_timeout=3,
    read_timeout=10,
    max_pool_connections=50,
)

# SNS calls made on a user's request or by the notification worker fail fast: a slow SNS must never hold
# up a page, and a publish must finish well inside the worker's lease (services/notify/notifications.py).
_QUICK_CONFIG = Config(connect_timeout=2, read_timeout=5, retries={"mode": "standard", "max_attempts": 2})

# moto accepts any credentials; these keep the embedded backend off the user's real AWS account.
EMBEDDED_CREDENTIALS = {"aws_access_key_id": "embedded", "aws_secret_access_key": "embedded"}


@dataclass
class Aws:
    """The AWS handles a service needs, plus the settings that name the tables and topic."""

    settings: Settings
    session: boto3.session.Session
    dynamodb: Any  # boto3 DynamoDB ServiceResource
    sns: Any  # boto3 SNS client
    sqs: Any  # boto3 SQS client (embedded mailbox; the SES sender's queue)
    s3: Any  # boto3 S3 client (poster images)
    ses: Any = None  # boto3 SES client (the SES sender)

    @property
    def ddb(self) -> Any:
        """The resource's own client: transactions with plain Python values (boto3 serializes them)."""
        return self.dynamodb.meta.client

    def quick_sns(self) -> Any:
        """An SNS client like ``sns`` but with short timeouts and one retry (a new client per call)."""
        return self.session.client("sns", endpoint_url=self.sns.meta.endpoint_url, config=_QUICK_CONFIG)

    def table(self, table: Table) -> Any:
        return self.dynamodb.Table(self.settings.table_name(table.logical_name))

    def table_name(self, table: Table) -> str:
        return self.settings.table_name(table.logical_name)

    @property
    def posters_bucket(self) -> str:
        # S3 bucket names are lowercase with hyphens; a table prefix may hold capitals or underscores.
        derived = f"{self.settings.table_prefix}posters".lower().replace("_", "-").strip(".-")
        return self.settings.posters_bucket or derived


@functools.cache
def _model_loader() -> Any:
    """One botocore loader per process: it keeps the service models it has read (the JSON of DynamoDB's,
    SNS's, ...), which a fresh session would read and parse again (~30 ms a ``connect``; tests connect often)."""
    return botocore.loaders.create_loader()


def connect(settings: Settings, endpoint_url: str | None = None) -> Aws:
    """Build clients for the configured backend; ``endpoint_url`` overrides (embedded server, tests)."""
    endpoint = endpoint_url or settings.endpoint_url
    credentials: dict[str, str] = EMBEDDED_CREDENTIALS if settings.backend == "embedded" or endpoint else {}
    core = botocore.session.get_session()
    core.register_component("data_loader", _model_loader())
    session = boto3.session.Session(region_name=settings.region, botocore_session=core, **credentials)
    paths = _model_loader().search_paths  # each boto3 session appends its data folder: keep each folder once
    paths[:] = list(dict.fromkeys(paths))
    kwargs: dict[str, Any] = {"config": _BOTO_CONFIG}
    if endpoint:
        kwargs["endpoint_url"] = endpoint
    return Aws(
        settings=settings,
        session=session,
        dynamodb=session.resource("dynamodb", **kwargs),
        sns=session.client("sns", **kwargs),
        sqs=session.client("sqs", **kwargs),
        s3=session.client("s3", **kwargs),
        ses=session.client("ses", **kwargs),
    )
