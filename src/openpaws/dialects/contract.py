"""Serving a dialect's checked-in OpenAPI document."""

from __future__ import annotations

from pathlib import Path

from litestar import Response, get
from litestar.handlers import HTTPRouteHandler


def contract_route(document: Path) -> HTTPRouteHandler:
    """GET /openapi.yaml under the dialect's prefix: the contract the tests hold it to."""

    @get("/openapi.yaml", sync_to_thread=False)
    def contract() -> Response[bytes]:
        return Response(document.read_bytes(), media_type="application/yaml")

    return contract
