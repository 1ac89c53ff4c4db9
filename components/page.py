"""NiceGUI's page decorator with the build time this app allows (every page registers through it).

NiceGUI answers a page that is not built within ``response_timeout`` (3 s by default) with its own bare 500
page, in English and in a developer's words. A page here waits for its services (``call``): under a burst,
or while DynamoDB retries, that can pass 3 s. The allowance below outlasts the AWS client's own patience
(``services/platform/aws.py``: 3 s to connect, 4 attempts with backoff), so a slow backend ends either in the
page, late, or in the app's own error page (``components/error_page.py``: the service's message and "Try
again", in the visitor's language), never in NiceGUI's.
"""

from __future__ import annotations

from typing import Any

from nicegui import ui

PAGE_BUILD_SECONDS = 20.0


def page(path: str, **kwargs: Any) -> ui.page:
    return ui.page(path, response_timeout=PAGE_BUILD_SECONDS, **kwargs)
