"""The shared live channel of several app instances: Redis pub/sub (ElastiCache on AWS, redis-server locally).

Every instance publishes the seat changes it made to one channel and subscribes to it. A message is a hint
that names a showtime and its changed seats; the receiver does not paint from it but re-reads the showtime
(``services/live/sync.py``), so a late, repeated or lost message can never roll a seat back. Pub/sub keeps
nothing for a subscriber that is away: each (re)subscription calls ``on_connected`` so the instance re-reads
what its viewers watch.

Why Redis and not SNS -> one SQS queue per instance: the shared NiceGUI storage needs Redis anyway, a
message reaches the other instances in well under a millisecond instead of an SQS long poll's round
trip, and nothing has to be created and removed per instance (bench/bench_channel.py has the figures).
"""

from __future__ import annotations

import contextlib
import json
import queue
import threading
import uuid
from collections.abc import Callable
from typing import Any

import redis

from services.booking.models import SeatState
from services.live.hub import SeatChange
from services.platform.logs import log_event

MessageHandler = Callable[[str, list[SeatChange]], None]
_RETRY_SECONDS = (0.2, 0.5, 1.0, 2.0)  # between attempts to subscribe again after a lost connection
_BACKLOG = 10_000  # messages waiting to be published; beyond that Redis is not keeping up: drop, resync later


class RedisChannel:
    def __init__(self, url: str, name: str) -> None:
        self.name = name
        self.instance_id = uuid.uuid4().hex  # this process: its own messages are not news to it
        # Short timeouts: a publisher must not hang a booking on an unreachable Redis.
        self._redis = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2,
                                           health_check_interval=10)
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self.connected = threading.Event()  # set while subscribed
        self._outbox: queue.Queue[str | None] = queue.Queue(maxsize=_BACKLOG)
        self._sender = threading.Thread(target=self._send_loop, name="live-channel-send", daemon=True)
        self._sender.start()

    def send(self, showtime_id: str, changes: list[SeatChange]) -> bool:
        """Tell the other instances (after the write committed). Returns at once: a thread of its own
        publishes, in order, so a slow or unreachable Redis never holds up a booking. False when the channel
        is down (the message is dropped; the others catch up when they resubscribe, and every
        ``live_resync_seconds``)."""
        if not self.connected.is_set():
            return False
        message = {"o": self.instance_id, "s": showtime_id,
                   "c": [[c.seat_id, c.status.value, c.hold_id] for c in changes]}
        try:
            self._outbox.put_nowait(json.dumps(message, separators=(",", ":")))
            return True
        except queue.Full:
            log_event("live.channel_backlog_full", showtime_id=showtime_id)
            return False

    def _send_loop(self) -> None:
        while True:
            message = self._outbox.get()
            if message is None:
                return
            try:
                self._redis.publish(self.name, message)
            except redis.RedisError as exc:
                log_event("live.channel_publish_failed", error=type(exc).__name__)

    def start(self, on_message: MessageHandler, on_connected: Callable[[], None]) -> None:
        """Listen in a thread of its own until ``stop``; survives Redis restarts."""
        self._thread = threading.Thread(target=self._listen, args=(on_message, on_connected),
                                        name="live-channel", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        with contextlib.suppress(queue.Full):
            self._outbox.put_nowait(None)
        self._sender.join(timeout=5)
        self._redis.close()

    def _listen(self, on_message: MessageHandler, on_connected: Callable[[], None]) -> None:
        failures = 0
        while not self._stopping.is_set():
            pubsub = self._redis.pubsub()
            try:
                pubsub.subscribe(self.name)
                while not self._stopping.is_set():
                    message = pubsub.get_message(timeout=1.0)
                    if message is None:
                        continue
                    if message["type"] == "subscribe":
                        failures = 0
                        self.connected.set()
                        log_event("live.channel_subscribed", channel=self.name)
                        on_connected()  # whatever was published while away is lost: read afresh
                    elif message["type"] == "message":
                        self._handle(message["data"], on_message)
            except redis.RedisError as exc:
                self.connected.clear()
                log_event("live.channel_lost", channel=self.name, error=type(exc).__name__)
                self._stopping.wait(_RETRY_SECONDS[min(failures, len(_RETRY_SECONDS) - 1)])
                failures += 1
            finally:
                with contextlib.suppress(redis.RedisError):
                    pubsub.close()
        self.connected.clear()

    def _handle(self, data: Any, on_message: MessageHandler) -> None:
        try:
            message = json.loads(data)
            if message.get("o") == self.instance_id:
                return
            changes = [SeatChange(str(seat), SeatState(status), hold) for seat, status, hold in message["c"]]
            on_message(str(message["s"]), changes)
        except (ValueError, KeyError, TypeError) as exc:  # not ours, or garbled: ignore it, keep listening
            log_event("live.channel_bad_message", error=type(exc).__name__)
        except Exception as exc:  # the handler failed: the next resync repairs what it missed
            log_event("live.channel_handler_failed", error=type(exc).__name__)
