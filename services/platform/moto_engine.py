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

3. **Every Query read the whole table.** moto's ``Table.query`` sorts *all* the table's items and filters
   them, for the base table as for an index, so a seat map or the hold sweeper got slower with every seat
   ever sold. Our query hands moto's same code only the candidates: the one partition of the base table,
   or, for a secondary index, the items whose index hash key matches, from a map kept up to date on every
   put, delete, update and rollback (built on a table's first index query). moto then filters, sorts and
   pages them exactly as before. (PartiQL statements are not kept in the map: the app does not use them.)

Also here: :func:`seed`, which makes moto's generated identifiers (SNS message ids, SQS receipt handles,
subscription ARNs) a function of a per-request seed, so replaying the journal rebuilds the very same ids.
"""

from __future__ import annotations

import copy
import inspect
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
from moto.dynamodb.models import DynamoDBBackend, DynamoType, Item, get_filter_expression
from moto.dynamodb.models.table import Table
from moto.moto_api._internal import mock_random

_installed = False
_install_lock = threading.Lock()
_stock_update_item = DynamoDBBackend.update_item
_stock_put_item = Table.put_item
_stock_delete_item = Table.delete_item
_stock_all_items = Table.all_items
_stock_query = Table.query
_QUERY_SIGNATURE = inspect.signature(Table.query)
_MAPS = "_moviemagic_index_maps"  # attribute on a moto Table (pickled with it in snapshots)
_CANDIDATES = "_moviemagic_candidates"  # attribute on a moto Table while one of its queries runs


def install() -> None:
    """Apply the changes above; idempotent and safe from several threads."""
    global _installed
    with _install_lock:
        if _installed:
            return
        common_models.BaseModel.__new__ = _untracked_new  # type: ignore[method-assign]
        for models in model_data.values():
            for model in models.values():
                model.instances_tracked = []  # type: ignore[attr-defined]
        DynamoDBBackend.transact_write_items = _transact_write_items  # type: ignore[method-assign]
        DynamoDBBackend.update_item = _update_item  # type: ignore[method-assign]
        Table.put_item = _put_item  # type: ignore[method-assign]
        Table.delete_item = _delete_item  # type: ignore[method-assign]
        Table.all_items = _all_items  # type: ignore[method-assign]
        Table.query = _query  # type: ignore[method-assign]
        _installed = True


def seed(value: int) -> None:
    """Make the identifiers moto generates during the next request a function of ``value``.

    moto draws every id it invents (uuid4s, receipt handles) from this one ``mock_random`` object."""
    mock_random.seed(value)


def tracked_instances() -> int:
    """How many model instances moto's (switched-off) tracking holds: 0 once installed."""
    tracked: list[Any] = [getattr(model, "instances_tracked", []) for models in model_data.values()
                          for model in models.values()]
    return sum(len(instances) for instances in tracked)


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
            _reindex(table, hash_key, range_key)
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


# Queries read candidates, not the table ------------------------------------------------------------
class _IndexMaps:
    """For each secondary index of one table: its items grouped by the index's hash key value(s)."""

    def __init__(self, table: Table) -> None:
        self.signature = _index_signature(table)
        self.hash_attrs = dict(self.signature)
        self.groups: dict[str, dict[tuple[DynamoType, ...], dict[tuple[Any, Any], Item]]] = {}
        self.placed: dict[tuple[Any, Any], list[tuple[str, tuple[DynamoType, ...]]]] = {}
        for item in _stock_all_items(table):
            self.add(item)

    def add(self, item: Item) -> None:
        key = (item.hash_key, item.range_key)
        placed = []
        for name, attrs in self.hash_attrs.items():
            found = [item.attrs.get(attr) for attr in attrs]
            values = tuple(value for value in found if value is not None)
            if len(values) < len(attrs):
                continue  # not in this (sparse) index
            try:
                self.groups.setdefault(name, {}).setdefault(values, {})[key] = item
            except TypeError:  # a list or map where a key belongs: DynamoDB would not index it either
                continue
            placed.append((name, values))
        if placed:
            self.placed[key] = placed

    def remove(self, key: tuple[Any, Any]) -> None:
        for name, values in self.placed.pop(key, ()):
            group = self.groups[name][values]
            group.pop(key, None)
            if not group:
                del self.groups[name][values]


def _index_signature(table: Table) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((index.name, tuple(key["AttributeName"] for key in index.schema if key["KeyType"] == "HASH"))
                 for index in table.all_indexes())


def _maps(table: Table) -> _IndexMaps:
    maps: _IndexMaps | None = table.__dict__.get(_MAPS)
    if maps is None or maps.signature != _index_signature(table):  # first index query, or indexes changed
        maps = _IndexMaps(table)
        table.__dict__[_MAPS] = maps
    return maps


def _reindex(table: Table, hash_key: Any, range_key: Any) -> None:
    """After a change to one item: move it to its current place in the index maps (if built)."""
    maps: _IndexMaps | None = table.__dict__.get(_MAPS)
    if maps is None:
        return
    maps.remove((hash_key, range_key))
    item = _stored_item(table, hash_key, range_key)
    if item is not None:
        maps.add(item)


def _stored_item(table: Table, hash_key: Any, range_key: Any) -> Item | None:
    partition: Any = table.items.get(hash_key)  # .get: moto's defaultdict would grow on a miss
    if partition is None or range_key is None:
        return partition
    return partition.get(range_key)


def _put_item(self: Table, *args: Any, **kwargs: Any) -> Item:
    item = _stock_put_item(self, *args, **kwargs)
    _reindex(self, item.hash_key, item.range_key)
    return item


def _delete_item(self: Table, hash_key: DynamoType, range_key: DynamoType | None) -> Item | None:
    item = _stock_delete_item(self, hash_key, range_key)
    _reindex(self, hash_key, range_key)
    return item


def _update_item(self: DynamoDBBackend, table_name: str, key: dict[str, Any], *args: Any, **kwargs: Any) -> Item:
    """moto updates the stored item in place: re-place it in the index maps afterwards, even on failure."""
    try:
        return _stock_update_item(self, table_name, key, *args, **kwargs)
    finally:
        table = self.tables.get(table_name)
        if table is not None and table.__dict__.get(_MAPS) is not None:
            try:
                hash_key, range_key = self.get_keys_value(table, key)
            except MockValidationException:
                pass  # moto refused the key itself: nothing was changed
            else:
                _reindex(table, hash_key, range_key)


def _all_items(self: Table) -> list[Item]:
    candidates: list[Item] | None = self.__dict__.get(_CANDIDATES)
    return list(candidates) if candidates is not None else _stock_all_items(self)


def _query(self: Table, *args: Any, **kwargs: Any) -> Any:
    arguments = _QUERY_SIGNATURE.bind(self, *args, **kwargs).arguments
    candidates = _candidates(self, arguments.get("hash_key"), arguments.get("index_name"),
                             arguments.get("hash_key_conditions"))
    if candidates is None:
        return _stock_query(self, *args, **kwargs)
    self.__dict__[_CANDIDATES] = candidates
    try:
        return _stock_query(self, *args, **kwargs)
    finally:
        self.__dict__.pop(_CANDIDATES, None)


def _candidates(table: Table, hash_key: DynamoType | None, index_name: str | None,
                conditions: list[tuple[str, DynamoType]] | None) -> list[Item] | None:
    """What moto's query may match, in the order ``all_items`` would give it; None: let moto read all."""
    if not index_name:
        if hash_key is None:
            return None
        partition: Any = table.items.get(hash_key)
        if partition is None:
            return []
        items: list[Item] = list(partition.values()) if table.range_key_attr else [partition]
    else:
        maps = _maps(table)
        attrs = maps.hash_attrs.get(index_name)
        given = dict(conditions or [])
        if not attrs or any(attr not in given for attr in attrs):
            return None
        try:
            items = list(maps.groups.get(index_name, {}).get(tuple(given[attr] for attr in attrs), {}).values())
        except TypeError:
            return None
    return sorted(items, key=lambda item: (item.hash_key, item.range_key) if item.range_key else item.hash_key)
