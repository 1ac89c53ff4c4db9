"""Login throttling: a progressive delay per account (the email tried, known or not) and per client address.

Every login attempt first *claims* a turn on both counters, before the password is checked, in one
DynamoDB transaction whose conditions compare each counter's version with the one just read (compare and
swap). A claim counts as a failure in advance, so parallel guesses cannot all slip through while the
first ones are still being checked: of 40 parallel guesses exactly the free ones get a turn. After the
free failures, each further failure makes the next attempt wait twice as long (1 s, 2 s, 4 s ... up to
``login_max_delay_seconds``) instead of locking the account: an attacker can slow an owner down, never
lock them out, and the owner can always reset their password by email.

A success clears the account's counter and gives the client back its claimed turn (a client's own
successes never count against it, and a valid login to one account does not wipe the failures it
gathered against others). Counters untouched for ``RESET_AFTER`` start again from zero.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from services.clock import Clock, iso, parse_iso
from services.errors import ServiceUnavailable, TooManyAttempts
from services.i18n import t
from services.platform import dynamo
from services.platform.aws import Aws
from services.platform.logs import log_event
from services.platform.schema import THROTTLES
from services.settings import Settings

RESET_AFTER = timedelta(minutes=15)
_CLAIM_ROUNDS = 6  # compare-and-swap retries before giving up (only under a burst on the same counter)
_TIDY_AFTER = timedelta(days=1)


@dataclass(frozen=True)
class Counter:
    key: str
    free: int  # failures allowed before the delays start


class LoginThrottle:
    def __init__(self, aws: Aws, clock: Clock, settings: Settings) -> None:
        self._aws = aws
        self._table = aws.table(THROTTLES)
        self._table_name = aws.table_name(THROTTLES)
        self._clock = clock
        self._settings = settings

    def counters(self, email: str, client: str) -> list[Counter]:
        # The email is hashed: the table needs no addresses in clear, and unknown emails count the same.
        account = "account#" + hashlib.sha256(email.encode("utf-8", "replace")).hexdigest()
        counters = [Counter(account, self._settings.max_failed_logins)]
        if client:
            counters.append(Counter(f"client#{client}", self._settings.max_failed_logins_per_client))
        return counters

    def claim(self, counters: list[Counter]) -> None:
        """Take a turn on every counter, atomically; TooManyAttempts when one must still wait."""
        for _round in range(_CLAIM_ROUNDS):
            now = self._clock.now()
            items = [self._read(counter.key) for counter in counters]
            waits = [self._wait(item, now) for item in items]
            if max(waits) > 0:
                log_event("login.throttled", wait_s=max(waits))
                raise _too_many(max(waits))
            actions = [self._claim_action(counter, item, now) for counter, item in zip(counters, items, strict=True)]
            try:
                dynamo.transact_write(self._aws, actions)
                return
            except dynamo.TransactionCancelled:
                pass  # another attempt changed a counter first: read again and decide again
        raise _too_many(1)

    def succeeded(self, counters: list[Counter]) -> None:
        """The password was right: clear the account's counter, return the client's claimed turn."""
        account, *clients = counters
        try:
            dynamo.delete_item(self._table, {"throttle_key": account.key})
            for client in clients:
                dynamo.update_item(
                    self._table, {"throttle_key": client.key},
                    UpdateExpression="ADD failures :minus",
                    ConditionExpression="failures > :zero",
                    ExpressionAttributeValues={":minus": -1, ":zero": 0},
                )
        except dynamo.ConditionFailed:
            pass  # nothing left to give back
        except ServiceUnavailable as exc:  # the login stands; the counter simply decays
            log_event("login.throttle_reset_failed", error=exc.code)

    def clear_account(self, email: str) -> None:
        """A password reset proves the owner: their account's delay ends at once."""
        dynamo.delete_item(self._table, {"throttle_key": self.counters(email, "")[0].key})

    # Helpers --------------------------------------------------------------------------------------
    def _read(self, key: str) -> dict[str, Any] | None:
        return dynamo.get_item(self._table, {"throttle_key": key}, consistent=True)

    def _wait(self, item: dict[str, Any] | None, now: datetime) -> int:
        if item is None or _stale(item, now) or not item.get("next_at"):
            return 0
        return max(0, math.ceil((parse_iso(item["next_at"]) - now).total_seconds()))

    def _claim_action(self, counter: Counter, item: dict[str, Any] | None, now: datetime) -> dict[str, Any]:
        failures = 0 if item is None or _stale(item, now) else int(item.get("failures", 0))
        failures += 1
        next_at = now + timedelta(seconds=self.delay_seconds(failures, counter.free))
        values: dict[str, Any] = {":f": failures, ":next": iso(next_at), ":now": iso(now), ":one": 1,
                                  ":ttl": int((now + _TIDY_AFTER).timestamp())}
        if item is None:
            condition = "attribute_not_exists(throttle_key)"
        else:
            condition = "version = :seen"
            values[":seen"] = int(item.get("version", 0))
        return {"Update": {
            "TableName": self._table_name,
            "Key": {"throttle_key": counter.key},
            "UpdateExpression": "SET failures = :f, next_at = :next, last_at = :now, #ttl = :ttl ADD version :one",
            "ConditionExpression": condition,
            "ExpressionAttributeNames": {"#ttl": "ttl"},
            "ExpressionAttributeValues": values,
        }}

    def delay_seconds(self, failures: int, free: int) -> int:
        """How long the attempt after ``failures`` failures waits: 0 while free, then 1, 2, 4 ... the cap."""
        if failures < free:
            return 0
        return min(self._settings.login_max_delay_seconds, 2 ** min(failures - free, 30))


def _stale(item: dict[str, Any], now: datetime) -> bool:
    return not item.get("last_at") or parse_iso(item["last_at"]) < now - RESET_AFTER


def _too_many(seconds: int) -> TooManyAttempts:
    return TooManyAttempts(
        t("Too many attempts. Please wait {seconds} seconds and try again, or reset your password.",
          seconds=seconds),
        retry_after_seconds=seconds,
    )
