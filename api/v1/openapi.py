"""The published OpenAPI document tells the whole truth about errors: every operation documents the
answers any route can give (400 for a body that cannot be parsed, 413 for one over the size limit, 422
with the API's error shape instead of FastAPI's own validation schema), so a client generated from it, or
a contract fuzzer, meets no response the document does not describe."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

ERROR_REF = {"$ref": "#/components/schemas/ErrorResponse"}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": ERROR_REF}}}


def install_openapi(api: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if api.openapi_schema is None:
            spec = get_openapi(title=api.title, version=api.version, summary=api.summary,
                               description=api.description, routes=api.routes)
            for operations in spec.get("paths", {}).values():
                for operation in operations.values():
                    _document_errors(operation)
            schemas = spec.get("components", {}).get("schemas", {})
            for unused in ("HTTPValidationError", "ValidationError"):
                schemas.pop(unused, None)
            api.openapi_schema = spec
        return api.openapi_schema

    api.openapi = openapi  # type: ignore[method-assign]


def _document_errors(operation: dict[str, Any]) -> None:
    responses = operation.setdefault("responses", {})
    responses["422"] = _error(responses.get("422", {}).get("description") or "the request is not valid")
    if "requestBody" in operation:
        responses.setdefault("400", _error("the body could not be parsed"))
        responses.setdefault("413", _error("the body is over the size limit"))
