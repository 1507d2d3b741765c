"""A Postman v2.1 collection made from a dialect's OpenAPI contract, so that it always lists
every route the contract does: one folder per resource, one request per operation, the base
URL and the credential as collection variables."""

from __future__ import annotations

import json
from typing import Any

SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
METHODS = ("get", "post", "put", "patch", "delete")
PLACEHOLDERS = {
    "string": "",
    "integer": 1,
    "number": 1.0,
    "boolean": True,
    "array": [],
    "object": {},
}


def _resolve(document: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        found: Any = document
        for part in node["$ref"].removeprefix("#/").split("/"):
            found = found[part.replace("~1", "/").replace("~0", "~")]
        node = found
    return node


def _example(document: dict[str, Any], operation: dict[str, Any]) -> Any:
    """The body's example, else its required fields with placeholder values."""
    body = _resolve(document, operation.get("requestBody", {}))
    content = body.get("content", {}).get("application/json", {})
    if "example" in content:
        return content["example"]
    schema = _resolve(document, content.get("schema", {}))
    found = {}
    for name in schema.get("required", []):
        field = _resolve(document, schema.get("properties", {}).get(name, {}))
        kind = field.get("type", "string")
        kind = next((k for k in kind if k != "null"), "string") if isinstance(kind, list) else kind
        found[name] = field["enum"][0] if field.get("enum") else PLACEHOLDERS.get(kind, "")
    return found


def _url(path: str, query: list[str], parameters: list[str]) -> dict[str, Any]:
    segments = [
        f":{s[1:-1]}" if s.startswith("{") and s.endswith("}") else s
        for s in path.strip("/").split("/")
    ]
    raw = "{{baseUrl}}/" + "/".join(segments)
    url: dict[str, Any] = {"raw": raw, "host": ["{{baseUrl}}"], "path": segments}
    if query:
        url["query"] = [{"key": name, "value": "", "disabled": True} for name in query]
    if parameters:
        url["variable"] = [{"key": name, "value": ""} for name in parameters]
    return url


def _request(
    document: dict[str, Any], path: str, method: str, operation: dict[str, Any]
) -> dict[str, Any]:
    declared = [
        _resolve(document, p)
        for p in [*document["paths"][path].get("parameters", []), *operation.get("parameters", [])]
    ]
    query = [p["name"] for p in declared if p.get("in") == "query"]
    in_path = [p["name"] for p in declared if p.get("in") == "path"]
    request: dict[str, Any] = {
        "method": method.upper(),
        "header": [],
        "url": _url(path, query, in_path),
        "description": operation.get("summary", ""),
    }
    if operation.get("security") == []:
        request["auth"] = {"type": "noauth"}
    if "requestBody" in operation:
        request["header"].append({"key": "Content-Type", "value": "application/json"})
        request["body"] = {
            "mode": "raw",
            "raw": _dump(_example(document, operation)),
            "options": {"raw": {"language": "json"}},
        }
    for p in declared:
        if p.get("in") == "header":
            request["header"].append({"key": p["name"], "value": "", "disabled": True})
    return {"name": operation.get("operationId", f"{method.upper()} {path}"), "request": request}


def _dump(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def _auth(document: dict[str, Any]) -> dict[str, Any]:
    """The collection's credential, as the contract's first security scheme asks for it."""
    schemes = document.get("components", {}).get("securitySchemes", {})
    scheme: dict[str, Any] = next(iter(schemes.values()), {})
    if scheme.get("type") == "apiKey" and scheme.get("in") == "header":
        return {
            "type": "apikey",
            "apikey": [
                {"key": "key", "value": scheme["name"], "type": "string"},
                {"key": "value", "value": "{{apiKey}}", "type": "string"},
                {"key": "in", "value": "header", "type": "string"},
            ],
        }
    return {"type": "bearer", "bearer": [{"key": "token", "value": "{{apiKey}}", "type": "string"}]}


def collection(document: dict[str, Any], base_url: str, key_example: str) -> dict[str, Any]:
    """The collection of every operation of ``document`` (an OpenAPI 3.1 contract)."""
    folders: dict[str, list[dict[str, Any]]] = {}
    for path, item in document["paths"].items():
        folder = path.strip("/").split("/")[0]
        for method in METHODS:
            if method in item:
                folders.setdefault(folder, []).append(
                    _request(document, path, method, item[method])
                )
    info = document["info"]
    return {
        "info": {
            "name": info["title"],
            "description": info.get("description", ""),
            "schema": SCHEMA,
        },
        "auth": _auth(document),
        "variable": [
            {"key": "baseUrl", "value": base_url},
            {"key": "apiKey", "value": key_example},
        ],
        "item": [{"name": name, "item": requests} for name, requests in folders.items()],
    }
