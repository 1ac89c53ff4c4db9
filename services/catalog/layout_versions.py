"""Reading an archived version of a screen's seat layout (the staff layout editor writes them): a show
keeps the hall it was scheduled with."""

from __future__ import annotations

from typing import Any

from services.i18n import t
from services.platform import dynamo
from services.platform.aws import Aws
from services.platform.schema import LAYOUTS


def archived_layout(aws: Aws, screen_key: str, version: int) -> dict[str, Any] | None:
    """The layout data of ``version`` of the screen, or None if it was never archived."""
    item = dynamo.get_item(aws.table(LAYOUTS), {"screen_key": screen_key, "version": version},
                           message=t("The programme cannot be loaded just now. Please try again in a moment."))
    return item["layout"] if item else None
