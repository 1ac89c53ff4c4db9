"""When a kiosk customer has walked away: no touch for ``idle`` seconds, then a ``warning`` countdown.

Pure and clock-driven, so the page asks it once a second and tests move a fake clock instead of waiting.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

Phase = Literal["active", "warning", "expired"]


@dataclass
class IdleWatch:
    idle_seconds: float
    warning_seconds: float
    last_touch: datetime

    def touch(self, now: datetime) -> None:
        self.last_touch = now

    def phase(self, now: datetime) -> tuple[Phase, int]:
        """The phase and, while warning, the whole seconds left before the reset."""
        quiet = (now - self.last_touch).total_seconds()
        if quiet < self.idle_seconds:
            return "active", 0
        left = self.idle_seconds + self.warning_seconds - quiet
        if left > 0:
            return "warning", math.ceil(left)
        return "expired", 0
