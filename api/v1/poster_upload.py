"""The poster upload's HTTP side, one way for both routes that take one (``PUT /staff/movies/{id}/poster`` and
``PUT /staff/events/{id}/poster``): the image as the raw request body, how the OpenAPI document describes that
body, the errors an upload can answer, and the answer's URLs of the stored sizes. The checks themselves (type by
content, bytes, pixels) are the poster service's (``services.catalog.posters``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from pydantic import BaseModel, Field

from api.v1.schemas import ErrorResponse
from services.catalog.posters import FORMATS, MAX_BYTES, MAX_SIDE, MIN_SIDE, poster_key


async def _image_body(request: Request) -> bytes:
    # The body limit middleware (api/body_limit.py: UPLOAD_PATHS) has already refused anything over the poster
    # limit (413), so this holds at most that much.
    return await request.body()


ImageBody = Annotated[bytes, Depends(_image_body)]


class PosterUrls(BaseModel):
    """Where the stored sizes are served (``/posters/...``, long-lived caching)."""

    poster_url: str = Field(examples=["/posters/the-long-reel/0123456789abcdef-page.webp"])
    card_url: str = Field(examples=["/posters/the-long-reel/0123456789abcdef-card.webp"])

    @staticmethod
    def of(stem: str) -> dict[str, str]:
        """The URL fields for a stored poster's S3 stem (what the poster service returns)."""
        return {"poster_url": f"/posters/{poster_key(stem, 'page')}",
                "card_url": f"/posters/{poster_key(stem, 'card')}"}


def image_request_body() -> dict[str, Any]:
    """The route's ``openapi_extra``: the body is the image file itself, in one of the accepted formats. A fresh
    dict per route (FastAPI merges it into the operation, and the document's post-processing edits operations)."""
    schema = {"type": "string", "format": "binary"}
    return {"requestBody": {"required": True, "description": "the image file itself as the body",
                            "content": {f"image/{kind.lower()}": {"schema": dict(schema)} for kind in FORMATS}}}


def poster_responses(subject: str) -> dict[int | str, dict[str, Any]]:
    """The documented errors of an upload for ``subject`` (e.g. "movie"), as the service raises them."""
    return {
        401: {"model": ErrorResponse, "description": "missing, invalid or expired token"},
        403: {"model": ErrorResponse, "description": "not an admin"},
        404: {"model": ErrorResponse, "description": f"no such {subject}"},
        413: {"model": ErrorResponse, "description": f"the image is over {MAX_BYTES // (1024 * 1024)} MB"},
        415: {"model": ErrorResponse, "description": "not a PNG, JPEG or WebP image (checked by content, not name)"},
        422: {"model": ErrorResponse, "description": f"empty, or not {MIN_SIDE} to {MAX_SIDE} pixels on each side"},
    }
