"""Validating live responses against a dialect's checked-in OpenAPI document."""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path
from typing import Any

import httpx
import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012


class Contract:
    def __init__(self, path: Path, uri: str, mount: str) -> None:
        self.document: dict[str, Any] = yaml.safe_load(path.read_text())
        self.uri = uri
        self.mount = mount.rstrip("/")

    @cached_property
    def registry(self) -> Registry:
        resource = Resource.from_contents(self.document, default_specification=DRAFT202012)
        return Registry().with_resource(self.uri, resource)

    @cached_property
    def _templates(self) -> list[tuple[re.Pattern[str], str]]:
        result = []
        for template in self.document["paths"]:
            pattern = re.sub(r"\{[^/]+\}", "[^/]+", template)
            result.append((re.compile(f"^{pattern}/?$"), template))
        return result

    def template_for(self, path: str) -> str:
        local = path.removeprefix(self.mount) or "/"
        for pattern, template in self._templates:
            if pattern.match(local):
                return template
        raise AssertionError(f"{path} is not a path of the contract")

    def validator(self, pointer: str) -> Draft202012Validator:
        return Draft202012Validator({"$ref": f"{self.uri}#{pointer}"}, registry=self.registry)

    def response_object(
        self, template: str, method: str, status: int
    ) -> tuple[str, dict[str, Any]]:
        """The documented response (JSON pointer, object) for a status, refs followed."""
        escaped = template.replace("~", "~0").replace("/", "~1")
        responses = self.document["paths"][template][method.lower()]["responses"]
        key = str(status) if str(status) in responses else "default"
        assert key in responses, f"{method} {template} does not document status {status}"
        pointer = f"/paths/{escaped}/{method.lower()}/responses/{key}"
        node = responses[key]
        while "$ref" in node:
            pointer = node["$ref"].removeprefix("#")
            node = self.resolve(node)
        return pointer, node

    def schema_pointer(self, template: str, method: str, status: int, media_type: str) -> str:
        pointer, response = self.response_object(template, method, status)
        assert media_type in response.get("content", {}), (
            f"{method} {template} {status} has no {media_type} body"
        )
        return f"{pointer}/content/{media_type.replace('/', '~1')}/schema"

    def check(self, response: httpx.Response) -> None:
        """Fail unless the response is one the contract documents, body and headers."""
        request = response.request
        template = self.template_for(request.url.raw_path.split(b"?")[0].decode())
        if response.status_code == 304 or request.method == "OPTIONS":
            return
        media_type = response.headers.get("content-type", "").split(";")[0].strip()
        pointer = self.schema_pointer(template, request.method, response.status_code, media_type)
        errors = sorted(self.validator(pointer).iter_errors(response.json()), key=str)
        assert not errors, f"{request.method} {request.url}: {errors[0]}"
        _, documented = self.response_object(template, request.method, response.status_code)
        declared = documented.get("headers", {})
        for name, header in declared.items():
            header = self.resolve(header)
            if header.get("required"):
                assert name.lower() in response.headers, f"{request.url} lacks header {name}"

    def resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            node = self.registry.resolver().lookup(f"{self.uri}{node['$ref']}").contents
        return node
