"""The audit log: who changed what, when, with the values before and after.

An entry is a ``Put`` action that callers add to the transaction making the change, so a change is
never without its entry (nor an entry without its change). Entries live per scope (a theater id, or
"global" for staff accounts and the catalog); the sort key starts with the UTC time, so a Query reads
the newest first and never walks other theaters' entries.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from boto3.dynamodb.conditions import Key

from services.clock import iso
from services.i18n import t
from services.platform import dynamo
from services.platform.aws import Aws
from services.platform.schema import AUDIT
from services.staff.access import StaffMember

GLOBAL = "global"


@dataclass(frozen=True)
class AuditEntry:
    scope: str
    at: str  # UTC, ISO 8601
    actor_email: str
    actor_name: str
    action: str  # e.g. "staff.created", "checkin.admitted", "booking.refunded"
    target: str  # what was changed: an email, a booking id, a showtime id...
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    reason: str = ""


class AuditLog:
    def __init__(self, aws: Aws) -> None:
        self._table = aws.table(AUDIT)
        self._table_name = aws.table_name(AUDIT)

    def put_action(self, scope: str, actor: StaffMember, action: str, target: str, now: datetime,
                   before: dict[str, Any] | None = None, after: dict[str, Any] | None = None,
                   reason: str = "") -> dict[str, Any]:
        """The transaction action that records one change (add it to the change's own transaction)."""
        at = iso(now)
        item: dict[str, Any] = {
            "scope": scope, "at_id": _sort_key(at), "at": at, "action": action, "target": target,
            "actor_id": actor.user_id, "actor_email": actor.email, "actor_name": actor.name,
            # JSON text: before/after can hold anything (floats, nested lists) without DynamoDB type rules.
            "before": json.dumps(before, sort_keys=True, default=str) if before is not None else "",
            "after": json.dumps(after, sort_keys=True, default=str) if after is not None else "",
        }
        if reason:
            item["reason"] = reason
        return {"Put": {"TableName": self._table_name, "Item": item,
                        "ConditionExpression": "attribute_not_exists(at_id)"}}

    def recent(self, scopes: list[str], limit: int = 100) -> list[AuditEntry]:
        """The newest entries of the given scopes (one Query each), newest first."""
        entries: list[tuple[str, AuditEntry]] = []
        message = t("The audit log cannot be read just now. Please try again.")
        for scope in scopes:
            # One page of the newest ``limit`` entries per scope: enough, and never the whole history.
            page = next(dynamo.query_pages(self._table, message=message, KeyConditionExpression=Key("scope").eq(scope),
                                           ScanIndexForward=False, Limit=limit))
            entries += [(item["at_id"], _entry(item)) for item in page["Items"]]
        return [entry for _key, entry in sorted(entries, key=lambda pair: pair[0], reverse=True)[:limit]]


def _sort_key(at: str) -> str:
    # The wall clock's nanoseconds keep entries of the same (clock) second in the order they were made;
    # the random tail keeps two processes from ever colliding.
    return f"{at}#{time.time_ns():020d}{uuid.uuid4().hex[:6]}"


def _entry(item: dict[str, Any]) -> AuditEntry:
    return AuditEntry(
        scope=item["scope"], at=item["at"], actor_email=item["actor_email"], actor_name=item["actor_name"],
        action=item["action"], target=item["target"],
        before=json.loads(item["before"]) if item.get("before") else None,
        after=json.loads(item["after"]) if item.get("after") else None, reason=item.get("reason", ""),
    )
