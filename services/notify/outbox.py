"""The outbox: notifications written in the same DynamoDB transaction as the booking they announce.

A worker publishes pending ones later (``services/notify/notifications.py``), so an SNS outage never fails,
delays or loses a booking. One notification per booking and kind: the id makes a second write fail.
"""

from __future__ import annotations

from typing import Any, Literal

from services.platform.aws import Aws
from services.platform.schema import OUTBOX

Kind = Literal["booking_confirmed", "booking_cancelled", "password_reset", "booking_reminder",
               "waitlist_offer", "show_moved"]
PENDING = "1"  # the sparse index's only partition value


def notification_id(booking_id: str, kind: Kind) -> str:
    return f"{booking_id}#{kind}"


def outbox_put(aws: Aws, kind: Kind, booking: dict[str, Any], created_at: str) -> dict[str, Any]:
    """A ``TransactWriteItems`` entry that records a pending notification for ``booking``.

    ``booking`` is the booking item as stored (with ``booking_id``, ``user_id`` and ``email``); a copy
    goes into the notification so the message shows what was true when it was sent.
    """
    return {
        "Put": {
            "TableName": aws.table_name(OUTBOX),
            "Item": {
                "notification_id": notification_id(booking["booking_id"], kind),
                "kind": kind,
                "booking_id": booking["booking_id"],
                "user_id": booking["user_id"],
                "email": booking["email"],
                "booking": booking,
                "pending": PENDING,
                "created_at": created_at,
                "attempts": 0,
            },
            "ConditionExpression": "attribute_not_exists(notification_id)",
        }
    }


def outbox_message_put(aws: Aws, notification_id: str, kind: Kind, email: str, user_id: str, subject: str,
                       body: str, created_at: str) -> dict[str, Any]:
    """A ``TransactWriteItems`` entry for a message composed up front (an account email such as a password
    reset link), written in the same transaction as the change it announces."""
    return {
        "Put": {
            "TableName": aws.table_name(OUTBOX),
            "Item": {
                "notification_id": notification_id,
                "kind": kind,
                "user_id": user_id,
                "email": email,
                "message": {"subject": subject, "body": body},
                "pending": PENDING,
                "created_at": created_at,
                "attempts": 0,
            },
            "ConditionExpression": "attribute_not_exists(notification_id)",
        }
    }
