"""Structured, greppable log lines: ``event=booking.confirmed booking_id=... seats=3``.

One line per request, booking and notification; journald keeps them on EC2. Never log secrets or
passwords: callers pass only the fields worth reading, and values are quoted when they contain spaces.
"""

from __future__ import annotations

import logging

logger = logging.getLogger("moviemagic")


def log_event(event: str, level: int = logging.INFO, **fields: object) -> None:
    parts = [f"event={event}"] + [f"{key}={_format(value)}" for key, value in fields.items() if value is not None]
    logger.log(level, " ".join(parts))


def _format(value: object) -> str:
    text = ",".join(map(str, value)) if isinstance(value, list | tuple | set | frozenset) else str(value)
    return f'"{text}"' if (" " in text or not text) else text


def configure_logging(level: int = logging.INFO) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    # botocore's own debug chatter would drown the event lines.
    logging.getLogger("botocore").setLevel(logging.WARNING)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
