"""The one door to DynamoDB. Every service reads and writes through these functions, so that:

- a conditional put/update/delete whose condition fails raises ``ConditionFailed`` carrying the item
  as it was (``ReturnValuesOnConditionCheckFailure=ALL_OLD``), never a ``ClientError``;
- a cancelled transaction raises ``TransactionCancelled`` with one ``Cancellation`` per action (its
  code, e.g. ``ConditionalCheckFailed``, and the old item when the condition failed);
- a transaction that failed without a clear answer raises ``TransactionOutcomeUnknown`` (it may have
  committed: the caller checks before retrying anything with side effects);
- every other AWS failure (throttling, 5xx, timeouts, no connection) raises ``ServiceUnavailable``;
- ``query_all`` and ``batch_get_all`` follow ``LastEvaluatedKey`` and ``UnprocessedKeys`` to the end.

Tables are boto3 ``Table`` resources (``aws.table(SCHEMA)``): items go in and come out as plain Python
values, including the old items carried by the errors.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from boto3.dynamodb.types import TypeDeserializer
from botocore.exceptions import ClientError

from services.errors import DomainError, ServiceUnavailable
from services.platform.aws import Aws
from services.platform.aws_errors import AWS_ERRORS, busy_message, unavailable

Item = dict[str, Any]
_DESERIALIZER = TypeDeserializer()
# How many keys one BatchGetItem may ask for (a DynamoDB limit).
BATCH_GET_LIMIT = 100


class ConditionFailed(DomainError):
    """A conditional write found the item in another state; ``old_item`` is that item (None if absent).
    Services turn it into their own domain error; it should never reach a page or the API."""

    code = "conflict"

    def __init__(self, old_item: Item | None) -> None:
        super().__init__("The item was changed meanwhile.")
        self.old_item = old_item


@dataclass(frozen=True)
class Cancellation:
    """Why one action of a cancelled transaction failed: ``code`` is None for actions that were fine."""

    code: str | None
    old_item: Item | None = None


class TransactionCancelled(DomainError):
    """DynamoDB refused the transaction as a whole: nothing was written. ``reasons`` follow the actions."""

    code = "conflict"

    def __init__(self, reasons: list[Cancellation]) -> None:
        super().__init__("The transaction was cancelled.")
        self.reasons = reasons

    @property
    def codes(self) -> list[str | None]:
        return [reason.code for reason in self.reasons]


class TransactionOutcomeUnknown(ServiceUnavailable):
    """The request failed without a clear answer (timeout, 5xx): the transaction may or may not have run."""


# Single items ---------------------------------------------------------------------------------------
def get_item(table: Any, key: Mapping[str, Any], *, consistent: bool = False, message: str | None = None,
             **extra: Any) -> Item | None:
    """The item or None. ``message``: what the person reads if DynamoDB cannot answer."""
    try:
        return table.get_item(Key=dict(key), ConsistentRead=consistent, **extra).get("Item")
    except AWS_ERRORS as exc:
        raise unavailable(exc, "GetItem", message) from exc


def put_item(table: Any, item: Mapping[str, Any], **extra: Any) -> None:
    """``extra``: ConditionExpression, ExpressionAttributeNames/Values (boto3 ``Table.put_item`` names)."""
    _write(table.put_item, "PutItem", Item=dict(item), **extra)


def update_item(table: Any, key: Mapping[str, Any], **extra: Any) -> Item:
    """Returns the response's ``Attributes`` (empty unless ``ReturnValues`` asks for them)."""
    return _write(table.update_item, "UpdateItem", Key=dict(key), **extra).get("Attributes", {})


def delete_item(table: Any, key: Mapping[str, Any], **extra: Any) -> None:
    _write(table.delete_item, "DeleteItem", Key=dict(key), **extra)


def _write(call: Any, operation: str, **kwargs: Any) -> dict[str, Any]:
    if "ConditionExpression" in kwargs:
        kwargs.setdefault("ReturnValuesOnConditionCheckFailure", "ALL_OLD")
    try:
        return call(**kwargs)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
            raise ConditionFailed(_plain(exc.response.get("Item"))) from exc
        raise unavailable(exc, operation) from exc
    except AWS_ERRORS as exc:
        raise unavailable(exc, operation) from exc


# Many items -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class QueryResult:
    items: list[Item]
    scanned: int  # items DynamoDB read (ScannedCount), before any FilterExpression


def query_pages(table: Any, *, message: str | None = None, **kwargs: Any) -> Iterator[dict[str, Any]]:
    """Each page of a Query (the raw response), following ``LastEvaluatedKey``; stop iterating to stop."""
    while True:
        try:
            response = table.query(**kwargs)
        except AWS_ERRORS as exc:
            raise unavailable(exc, "Query", message) from exc
        yield response
        if "LastEvaluatedKey" not in response:
            return
        kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]


def query_all(table: Any, *, message: str | None = None, **kwargs: Any) -> QueryResult:
    """Every item a Query matches (all pages)."""
    items: list[Item] = []
    scanned = 0
    for response in query_pages(table, message=message, **kwargs):
        items += response["Items"]
        scanned += int(response.get("ScannedCount", len(response["Items"])))
    return QueryResult(items, scanned)


def batch_get_all(aws: Aws, table_name: str, keys: list[dict[str, Any]], **extra: Any) -> list[Item]:
    """Every existing item of ``keys`` (any number; order not kept), retrying ``UnprocessedKeys``.
    ``extra`` goes into the table's request (e.g. ``ProjectionExpression``)."""
    found: list[Item] = []
    for start in range(0, len(keys), BATCH_GET_LIMIT):
        request: dict[str, Any] = {table_name: {"Keys": keys[start:start + BATCH_GET_LIMIT], **extra}}
        while request:
            try:
                response = aws.dynamodb.batch_get_item(RequestItems=request)
            except AWS_ERRORS as exc:
                raise unavailable(exc, "BatchGetItem") from exc
            found += response.get("Responses", {}).get(table_name, [])
            request = response.get("UnprocessedKeys") or {}
    return found


# Transactions ---------------------------------------------------------------------------------------
def transact_write(aws: Aws, actions: list[dict[str, Any]], message: str | None = None) -> None:
    """Run one ``TransactWriteItems`` (plain Python values). Raises TransactionCancelled (nothing written)
    or TransactionOutcomeUnknown (``message`` for the person; maybe written)."""
    for action in actions:
        body = next(iter(action.values()))
        if "ConditionExpression" in body:
            body.setdefault("ReturnValuesOnConditionCheckFailure", "ALL_OLD")
    try:
        aws.ddb.transact_write_items(TransactItems=actions)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "TransactionCanceledException":
            raw = exc.response.get("CancellationReasons") or [{} for _ in actions]
            raise TransactionCancelled([_cancellation(reason) for reason in raw]) from exc
        raise unavailable(exc, "TransactWriteItems", message or busy_message(), TransactionOutcomeUnknown) from exc
    except AWS_ERRORS as exc:
        raise unavailable(exc, "TransactWriteItems", message or busy_message(), TransactionOutcomeUnknown) from exc


def _cancellation(reason: Mapping[str, Any]) -> Cancellation:
    code = reason.get("Code")
    return Cancellation(None if code in (None, "None") else str(code), _plain(reason.get("Item")))


def _plain(item: Mapping[str, Any] | None) -> Item | None:
    """An item from an error response is in DynamoDB's typed JSON ({"S": ...}): make it plain values."""
    if not item:
        return None
    return {name: _DESERIALIZER.deserialize(value) for name, value in item.items()}
