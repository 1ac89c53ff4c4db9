"""Our changes to moto's behaviour, all in one place: moto is the embedded backend's engine, and two of its
habits do not fit a long-running server. Applied once per process by :func:`install` (the embedded server
calls it), before any request is served.

1. **Transactions copied whole tables.** moto's ``transact_write_items`` deep-copies every table a
   transaction touches so it can roll back, so a hold cost grew with every seat ever sold (39 ms at 100 sold
   seats, 2.6 s at 50,000). Our version keeps an *undo record of just the items it changes* and puts those
   back on failure. Everything else is moto's code unchanged: same order of evaluation, same errors and
   CancellationReasons, same handling of validation errors. It is all-or-nothing only because the embedded
   server runs one request at a time (``services/platform/embedded.py``), exactly as moto's copy was.
2. **Every model instance was kept forever.** ``BaseModel.__new__`` appends each instance (every item a
   Query returns, every table copy) to a class-level ``instances_tracked`` list that only moto's reset or
   its dashboard read. We never reset (that would erase acknowledged data) and never open the dashboard, so
   the tracking is switched off and the lists emptied: memory stays flat with traffic.

Also here: :func:`seed`, which makes moto's generated identifiers (SNS message ids, SQS receipt handles,
subscription ARNs) a function of a per-request seed, so replaying the journal rebuilds the very same ids.
"""

from __future__ import annotations

import copy
import threading
from typing import Any

from moto.core import common_models
from moto.core.model_instances import model_data
from moto.dynamodb.exceptions import (
    ConditionalCheckFailed,
    MockValidationException,
    MultipleTransactionsException,
    TooManyTransactionsException,
    TransactionCanceledException,
    TransactWriteSingleOpException,
)
from moto.dynamodb.models import DynamoDBBackend, Item, get_filter_expression
from moto.moto_api._internal import mock_random

_installed = False
_install_lock = threading.Lock()


def install() -> None:
    """Apply the changes above; idempotent and safe from several threads."""
    global _installed
    with _install_lock:
        if _installed:
            return
        common_models.BaseModel.__new__ = _untracked_new  # type: ignore[method-assign,assignment]
        for models in model_data.values():
            for model in models.values():
                model.instances_tracked = []  # type: ignore[attr-defined]
        DynamoDBBackend.transact_write_items = _transact_write_items  # type: ignore[method-assign]
        _installed = True


def seed(value: int) -> None:
    """Make the identifiers moto generates during the next request a function of ``value``.

    moto draws every id it invents (uuid4s, receipt handles) from this one ``mock_random`` object."""
    mock_random.seed(value)


def tracked_instances() -> int:
    """How many model instances moto's (switched-off) tracking holds: 0 once installed."""
    return sum(len(model.instances_tracked) for models in model_data.values() for model in models.values())  # type: ignore[attr-defined]


def _untracked_new(cls: type, *args: Any, **kwargs: Any) -> Any:
    return object.__new__(cls)


class _UndoLog:
    """The items a transaction changed, as they were before; put back in reverse order on failure."""

    def __init__(self, backend: DynamoDBBackend) -> None:
        self._backend = backend
        self._entries: list[tuple[Any, Any, Any, Item | None]] = []

    def remember(self, table_name: str, key: dict[str, Any]) -> None:
        table = self._backend.get_table(table_name)
        hash_key, range_key = self._backend.get_keys_value(table, key)
        current = table.get_item(hash_key, range_key)
        # One item's copy, not the table's: the cost no longer grows with the data stored.
        self._entries.append((table, hash_key, range_key, copy.deepcopy(current) if current else None))

    def roll_back(self) -> None:
        for table, hash_key, range_key, before in reversed(self._entries):
            if before is None:
                table.delete_item(hash_key, range_key)
            elif range_key is not None:
                table.items[hash_key][range_key] = before
            else:
                table.items[hash_key] = before
        self._entries.clear()


# Kept line for line as moto's (easy to diff against a new moto), hence its length.
def _transact_write_items(self: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:  # noqa: PLR0912, PLR0915
    """moto 5.2.5's ``transact_write_items`` with an undo log in place of whole-table copies."""
    if len(transact_items) > 100:
        raise TooManyTransactionsException()
    undo = _UndoLog(self)

    target_items: set[tuple[str, str]] = set()

    def check_unicity(table_name: str, key: dict[str, Any]) -> None:
        item = (str(table_name), str(dict(sorted(key.items()))))
        if item in target_items:
            raise MultipleTransactionsException()
        target_items.add(item)

    errors: list[tuple[str, str, dict[str, Any]] | tuple[None, None, None]] = []  # [(Code, Message, Item), ..]
    for item in transact_items:
        original_item: dict[str, Any] | None = None
        # Check transact writes are not performing multiple operations on the same item
        if len(list(item.keys())) > 1:
            raise TransactWriteSingleOpException

        try:
            op_type, op = next(iter(item.items()))
            if op_type not in {"ConditionCheck", "Put", "Delete", "Update"}:
                raise ValueError("Unsupported transaction operation")

            table_name = op["TableName"]
            condition_expression = op.get("ConditionExpression")
            expression_attribute_names = op.get("ExpressionAttributeNames")
            expression_attribute_values = op.get("ExpressionAttributeValues")
            return_values_on_condition_check_failure = op.get("ReturnValuesOnConditionCheckFailure")

            if op_type == "Put":
                attrs = op["Item"]
                table = self.get_table(table_name)
                key = {table.hash_key_attr: attrs[table.hash_key_attr]}
                if table.range_key_attr is not None:
                    key[table.range_key_attr] = attrs[table.range_key_attr]
            else:
                key = op["Key"]

            check_unicity(table_name, key)

            current = self.get_item(table_name, key)
            if condition_expression is not None:
                condition_op = get_filter_expression(
                    condition_expression, expression_attribute_names, expression_attribute_values
                )
                if not condition_op.expr(current):
                    if return_values_on_condition_check_failure == "ALL_OLD" and current:
                        original_item = current.to_json()["Attributes"]
                    raise ConditionalCheckFailed(item=original_item)

            if op_type != "ConditionCheck":
                undo.remember(table_name, key)  # before the change, even one that fails half-way
            if op_type == "Put":
                self.put_item(
                    table_name,
                    op["Item"],
                    condition_expression=condition_expression,
                    expression_attribute_names=expression_attribute_names,
                    expression_attribute_values=expression_attribute_values,
                )
            elif op_type == "Delete":
                self.delete_item(
                    table_name,
                    key,
                    condition_expression=condition_expression,
                    expression_attribute_names=expression_attribute_names,
                    expression_attribute_values=expression_attribute_values,
                )
            elif op_type == "Update":
                self.update_item(
                    table_name,
                    key,
                    update_expression=op["UpdateExpression"],
                    condition_expression=condition_expression,
                    expression_attribute_names=expression_attribute_names,
                    expression_attribute_values=expression_attribute_values,
                )
            errors.append((None, None, None))
        except (MultipleTransactionsException, MockValidationException):
            undo.roll_back()
            raise
        except ConditionalCheckFailed as e:
            errors.append(("ConditionalCheckFailed", str(e.message), original_item))  # type: ignore[arg-type]
        except Exception as e:  # moto's own behaviour: any failure becomes a cancellation reason
            errors.append((type(e).__name__, str(e), original_item))  # type: ignore[arg-type]

    if any(code is not None for code, _, _ in errors):
        undo.roll_back()
        raise TransactionCanceledException(errors)
