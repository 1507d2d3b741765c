"""Encoded JSON answers, handed to the server as they are.

A route handler that returns an :class:`Answer` skips Litestar's second response object and
its header re-encoding (Litestar passes ASGI apps through). Exception handlers may return one
too: asked for its ASGI response, an answer gives itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from litestar.response.base import ASGIResponse
from litestar.types import ExceptionHandler


class Answer(ASGIResponse):
    def to_asgi_response(self, *_args: Any, **_kwargs: Any) -> Answer:
        return self


def exception_handler(handler: Callable[[Any, Any], Answer]) -> ExceptionHandler:
    """``handler`` typed as Litestar's exception handler: an Answer stands in for a Response
    (Litestar only asks it for its ASGI response)."""
    return cast("ExceptionHandler", handler)
