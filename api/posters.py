"""``/posters/{key}``: uploaded poster images, read from S3 through the poster service.

Keys are content-addressed (services/catalog/posters.py), so a response never goes stale: browsers and
the CDN may keep it a year without asking again.
"""

from __future__ import annotations

from fastapi import Request, Response
from fastapi.responses import JSONResponse
from nicegui import app

from services.container import Services
from services.errors import NotFound, ServiceUnavailable


def register(services: Services) -> None:
    @app.get("/posters/{key:path}", include_in_schema=False)
    def poster(key: str, request: Request) -> Response:  # plain def: FastAPI runs it in its thread pool
        try:
            image = services.staff.posters.read(key)
        except NotFound as exc:
            return JSONResponse({"error": {"code": "not_found", "message": str(exc)}}, status_code=404)
        except ServiceUnavailable as exc:
            return JSONResponse({"error": {"code": "unavailable", "message": str(exc)}}, status_code=503,
                                headers={"Retry-After": "5"})
        headers = {"Cache-Control": "public, max-age=31536000, immutable", "ETag": f'"{image.etag}"'}
        if request.headers.get("if-none-match") == headers["ETag"]:
            return Response(status_code=304, headers=headers)
        return Response(image.body, media_type=image.content_type, headers=headers)

