"""An HTTP client for one dialect that checks every response against its contract."""

from __future__ import annotations

from typing import Any

import httpx
from litestar.testing import TestClient

from tests.support.contract import Contract


class ContractClient:
    def __init__(self, client: TestClient[Any], contract: Contract) -> None:
        self.client = client
        self.contract = contract
        self.token: str | None = None  # sent as a bearer token
        self.api_key: str | None = None  # sent as x-api-key

    def request(self, method: str, url: str, *, auth: bool = True, **kwargs: Any) -> httpx.Response:
        headers = dict(kwargs.pop("headers", {}) or {})
        sent = {k.lower() for k in headers}
        if auth and self.token and "authorization" not in sent:
            headers["Authorization"] = f"Bearer {self.token}"
        if auth and self.api_key and "x-api-key" not in sent:
            headers["x-api-key"] = self.api_key
        response = self.client.request(method, url, headers=headers, **kwargs)
        self.contract.check(response)
        return response

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", url, **kwargs)

    def patch(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("PATCH", url, **kwargs)

    def delete(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("DELETE", url, **kwargs)

    def json(self, url: str, **kwargs: Any) -> Any:
        response = self.get(url, **kwargs)
        assert response.status_code == 200, response.text
        return response.json()
