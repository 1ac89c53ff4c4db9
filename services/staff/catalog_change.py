"""How the staff console writes a catalog item (a movie, a theater): one way for both editors.

A change and its audit entry go in one transaction; a refused condition becomes the editor's own conflict
message (a 4xx for the person editing); an unknown outcome is a clear "try again"; and the catalog's
in-process cache is dropped whatever happened, so the next read sees what DynamoDB holds.
"""

from __future__ import annotations

from typing import Any

from services.catalog.catalog import CatalogService
from services.errors import InvalidRequest, ServiceUnavailable
from services.platform import dynamo
from services.platform.aws import Aws


def write_change(aws: Aws, catalog: CatalogService, actions: list[dict[str, Any]], *, conflict: str,
                 unavailable: str) -> None:
    try:
        dynamo.transact_write(aws, actions)
    except dynamo.TransactionCancelled as exc:
        raise InvalidRequest(conflict) from exc
    except dynamo.TransactionOutcomeUnknown as exc:
        raise ServiceUnavailable(unavailable) from exc
    finally:
        catalog.invalidate()
