"""Registration limits: how many accounts may be created per client address and in all, per window.

Anyone can register, and each account costs a bcrypt hash, a Users item and (embedded, or at the first
booking on AWS) an email subscription: unlimited sign-ups turn the app into a mail relay and use up the
topic's filter-policy quota (issue 18). So a sign-up first claims one place on two fixed-window counters
in the Throttles table (the login throttle's table, keys ``register#...``): one for its client address
(``client_address.py``, the same address the login throttle counts) and one for everybody. Both places
are claimed in one transaction whose conditions refuse a full counter, so a refused sign-up counts
nowhere and creates nothing, and parallel sign-ups can never overshoot a limit. Old windows' items are
tidied by DynamoDB's TTL (never relied on: the key names the window).
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

from services.clock import Clock
from services.errors import TooManyAttempts
from services.i18n import t
from services.platform import dynamo
from services.platform.aws import Aws
from services.platform.logs import log_event
from services.platform.schema import THROTTLES
from services.settings import Settings

WINDOW = timedelta(hours=1)
_TIDY_AFTER = timedelta(days=1)
_ROUNDS = 6  # retries when another sign-up's transaction touched the same counter at the same moment
GLOBAL = "register#all"


class RegistrationLimit:
    def __init__(self, aws: Aws, clock: Clock, settings: Settings) -> None:
        self._aws = aws
        self._table_name = aws.table_name(THROTTLES)
        self._clock = clock
        self._settings = settings

    def claim(self, client: str) -> None:
        """Take a place for one new account from ``client``; TooManyAttempts (nothing counted) when full."""
        for _round in range(_ROUNDS):
            now = self._clock.now()
            start = _window_start(now)
            counters = [(GLOBAL, self._settings.registrations_per_hour)]
            if client:
                counters.append((f"register#client#{client}", self._settings.registrations_per_client_per_hour))
            actions = [self._claim_action(f"{key}#{int(start.timestamp())}", limit, start) for key, limit in counters]
            try:
                dynamo.transact_write(self._aws, actions)
                return
            except dynamo.TransactionCancelled as exc:
                full = [key for (key, _), code in zip(counters, exc.codes, strict=True)
                        if code == "ConditionalCheckFailed"]
                if full:
                    wait = max(1, math.ceil((start + WINDOW - now).total_seconds()))
                    log_event("register.limited", counter="all" if GLOBAL in full else "client", client=client,
                              wait_s=wait)
                    raise _refused(wait, everyone=GLOBAL in full) from exc
                # Only a conflict with a parallel sign-up: read the clock again and retry.
        raise _refused(1, everyone=True)

    def _claim_action(self, key: str, limit: int, start: datetime) -> dict[str, Any]:
        return {"Update": {
            "TableName": self._table_name,
            "Key": {"throttle_key": key},
            "UpdateExpression": "ADD registrations :one SET #ttl = :ttl",
            "ConditionExpression": "attribute_not_exists(registrations) OR registrations < :limit",
            "ExpressionAttributeNames": {"#ttl": "ttl"},
            "ExpressionAttributeValues": {":one": 1, ":limit": limit,
                                          ":ttl": int((start + WINDOW + _TIDY_AFTER).timestamp())},
        }}


def _window_start(now: datetime) -> datetime:
    seconds = int(WINDOW.total_seconds())
    return datetime.fromtimestamp(int(now.timestamp()) // seconds * seconds, tz=now.tzinfo)


def _refused(seconds: int, *, everyone: bool) -> TooManyAttempts:
    minutes = max(1, math.ceil(seconds / 60))
    message = (t("Too many new accounts are being created right now. Please try again in {minutes} minutes.",
                 minutes=minutes) if everyone else
               t("Too many new accounts were created from your network. Please try again in {minutes} minutes.",
                 minutes=minutes))
    return TooManyAttempts(message, retry_after_seconds=seconds)
