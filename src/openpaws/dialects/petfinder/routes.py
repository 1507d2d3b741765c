"""The Petfinder v2 routes, mounted under the dialect's prefix."""

from __future__ import annotations

import base64
import binascii
import logging
import math
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

import msgspec
from litestar import Request, Response, Router, get, post
from litestar.exceptions import HTTPException
from litestar.params import FromPath, RawBody

from openpaws.config import Settings
from openpaws.dialects.answers import Answer, json_answer
from openpaws.dialects.contract import contract_route
from openpaws.dialects.petfinder import mappers, params, problems, vocab, wire
from openpaws.domain import animals, organizations, taxonomy
from openpaws.domain.errors import (
    InvalidInput,
    MethodNotAllowed,
    MissingInput,
    NotFound,
    OpenPawsError,
)
from openpaws.domain.search import AnimalSearch
from openpaws.observability import request_id
from openpaws.platform import oauth
from openpaws.storage.database import Database

OPENAPI_PATH = Path(__file__).with_name("openapi.yaml")
logger = logging.getLogger("openpaws.petfinder")
TOKEN_HEADER = "X-Token-Expires-In"
_encode = msgspec.json.Encoder().encode


class UnsupportedGrantType(InvalidInput):
    code = "unsupported_grant_type"


def _query(request: Request[Any, Any, Any]) -> dict[str, str]:
    """The query string, first value of each parameter."""
    params = request.query_params
    return {key: str(params.get(key)) for key in params}


def _ok(body: msgspec.Struct, seconds_left: int) -> Answer:
    return json_answer(_encode(body), headers={TOKEN_HEADER: str(seconds_left)})


def _bearer(request: Request[Any, Any, Any]) -> str:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _token_request(request: Request[Any, Any, Any], body: bytes) -> dict[str, str]:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    fields: dict[str, str] = {}
    if content_type == "application/json":
        try:
            decoded = msgspec.json.decode(body) if body else {}
        except msgspec.DecodeError:
            raise InvalidInput.field(
                "body", "body", "The request body is not valid JSON."
            ) from None
        if not isinstance(decoded, dict):
            raise InvalidInput.field("body", "body", "The request body must be a JSON object.")
        fields = {k: str(v) for k, v in decoded.items() if isinstance(v, str | int)}
    else:
        fields = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "basic":
        try:
            user, _, password = base64.b64decode(encoded.strip()).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            user, password = "", ""
        fields.setdefault("client_id", user)
        fields.setdefault("client_secret", password)
    return fields


class PetfinderAPI:
    """The dialect's handlers, bound to one database and its settings."""

    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings
        self.prefix = settings.petfinder_prefix.rstrip("/")
        self.links = mappers.Links(self.prefix)
        self.site = settings.public_site_url.rstrip("/")
        self.forms = mappers.AnimalMemo(self.links, self.site)

    def authenticate(self, request: Request[Any, Any, Any]) -> int:
        return oauth.token_seconds_left(self.db, _bearer(request))

    def token(self, request: Request[Any, Any, Any], body: bytes) -> Answer:
        fields = _token_request(request, body)
        grant = fields.get("grant_type", "").strip()
        if not grant:
            raise MissingInput.field("body", "grant_type", "grant_type is required.")
        if grant != "client_credentials":
            raise UnsupportedGrantType.field(
                "body", "grant_type", f"{grant} is not a supported grant type."
            )
        creds = oauth.ClientCredentials(
            fields.get("client_id", ""), fields.get("client_secret", "")
        )
        issued = oauth.issue_token(self.db, creds, self.settings.token_lifetime_seconds)
        token = wire.Token("Bearer", issued.expires_in, issued.access_token)
        return json_answer(_encode(token), headers={"Cache-Control": "no-store"})

    def animals(self, request: Request[Any, Any, Any]) -> Answer:
        left = self.authenticate(request)
        query = _query(request)
        search, codes = params.animal_search(query)
        if codes:
            ids = organizations.organization_ids_for_codes(self.db, codes)
            search = _with_organizations(search, ids)
        page = animals.search_animals(self.db, search)
        body = wire.AnimalsPage(
            animals=[self.forms.animal(a, page.distances.get(a.id)) for a in page.animals],
            pagination=self.pagination(request, page.total, search.limit, search.offset),
        )
        return _ok(body, left)

    def animal(self, request: Request[Any, Any, Any], animal_id: str) -> Answer:
        left = self.authenticate(request)
        if not animal_id.isdigit() or len(animal_id) > 18:
            raise NotFound(f"Animal {animal_id} not found")
        found = animals.get_listed_animal(self.db, int(animal_id), vocab.VISIBLE_STATUSES)
        return _ok(wire.AnimalEnvelope(self.forms.animal(found, None)), left)

    def types(self, request: Request[Any, Any, Any]) -> Answer:
        left = self.authenticate(request)
        listed = [mappers.animal_type(t, self.links) for t in taxonomy.animal_types()]
        return _ok(wire.TypesList(listed), left)

    def type(self, request: Request[Any, Any, Any], type_name: str) -> Answer:
        left = self.authenticate(request)
        return _ok(wire.TypeEnvelope(mappers.animal_type(_find_type(type_name), self.links)), left)

    def breeds(self, request: Request[Any, Any, Any], type_name: str) -> Answer:
        left = self.authenticate(request)
        return _ok(mappers.breeds(_find_type(type_name), self.links), left)

    def organizations(self, request: Request[Any, Any, Any]) -> Answer:
        left = self.authenticate(request)
        search = params.organization_search(_query(request))
        page = organizations.search_organizations(self.db, search)
        body = wire.OrganizationsPage(
            organizations=[
                mappers.organization(o, self.links, self.site, page.distances.get(o.id))
                for o in page.organizations
            ],
            pagination=self.pagination(request, page.total, search.limit, search.offset),
        )
        return _ok(body, left)

    def organization(self, request: Request[Any, Any, Any], code: str) -> Answer:
        left = self.authenticate(request)
        org = organizations.get_organization(self.db, code)
        return _ok(
            wire.OrganizationEnvelope(mappers.organization(org, self.links, self.site, None)), left
        )

    def pagination(
        self, request: Request[Any, Any, Any], total: int, limit: int, offset: int
    ) -> wire.Pagination:
        current = offset // limit + 1
        pages = math.ceil(total / limit)
        links = wire.PageLinks()
        kept = [(k, v) for k, v in request.query_params.multi_items() if k != "page"]
        path = self.prefix + "/" + request.url.path.removeprefix(self.prefix).strip("/")

        def href(page: int) -> wire.Link:
            return wire.Link(f"{path}?{urlencode([*kept, ('page', str(page))])}")

        if 1 < current <= pages + 1:
            links.previous = href(current - 1)
        if current < pages:
            links.next = href(current + 1)
        return wire.Pagination(limit, total, current, pages, links)


def _find_type(name: str) -> taxonomy.AnimalType:
    found = taxonomy.find_type(name)
    if found is None:
        raise NotFound(f"Animal type {name} not found")
    return found


def _with_organizations(search: AnimalSearch, ids: tuple[int, ...]) -> AnimalSearch:
    return replace(search, filters=replace(search.filters, organization_ids=ids))


def _handle_error(request: Request[Any, Any, Any], error: Exception) -> Response[bytes]:
    if isinstance(error, OpenPawsError):
        return problems.problem_response(error)
    if isinstance(error, HTTPException) and error.status_code == 404:
        return problems.problem_response(NotFound("The requested resource was not found."))
    if isinstance(error, HTTPException) and error.status_code == 405:
        return problems.problem_response(MethodNotAllowed("The method is not allowed here."))
    if isinstance(error, HTTPException) and error.status_code < 500:
        return problems.problem_response(InvalidInput(str(error.detail)))
    logger.exception(
        "unexpected error", exc_info=error, extra={"request_id": request_id(request.scope)}
    )
    return problems.problem_response(problems.unexpected())


def build_router(db: Database, settings: Settings, *, inline_reads: bool = False) -> Router:
    """The dialect's routes; with ``inline_reads`` GET handlers run on the event loop."""
    api = PetfinderAPI(db, settings)
    in_thread = not inline_reads

    @post(["/oauth2/token", "/oauth2/token/"], status_code=200, sync_to_thread=True)
    def token(request: Request[Any, Any, Any], body: RawBody) -> Answer:
        return api.token(request, body)

    @get(["/animals", "/animals/"], sync_to_thread=in_thread)
    def list_animals(request: Request[Any, Any, Any]) -> Answer:
        return api.animals(request)

    @get(["/animals/{animal_id:str}", "/animals/{animal_id:str}/"], sync_to_thread=in_thread)
    def get_animal(request: Request[Any, Any, Any], animal_id: FromPath[str]) -> Answer:
        return api.animal(request, animal_id)

    @get(["/types", "/types/"], sync_to_thread=in_thread)
    def list_types(request: Request[Any, Any, Any]) -> Answer:
        return api.types(request)

    @get(["/types/{type_name:str}", "/types/{type_name:str}/"], sync_to_thread=in_thread)
    def get_type(request: Request[Any, Any, Any], type_name: FromPath[str]) -> Answer:
        return api.type(request, type_name)

    @get(
        ["/types/{type_name:str}/breeds", "/types/{type_name:str}/breeds/"],
        sync_to_thread=in_thread,
    )
    def list_breeds(request: Request[Any, Any, Any], type_name: FromPath[str]) -> Answer:
        return api.breeds(request, type_name)

    @get(["/organizations", "/organizations/"], sync_to_thread=in_thread)
    def list_organizations(request: Request[Any, Any, Any]) -> Answer:
        return api.organizations(request)

    @get(["/organizations/{code:str}", "/organizations/{code:str}/"], sync_to_thread=in_thread)
    def get_organization(request: Request[Any, Any, Any], code: FromPath[str]) -> Answer:
        return api.organization(request, code)

    return Router(
        path=api.prefix,
        route_handlers=[
            token,
            list_animals,
            get_animal,
            list_types,
            get_type,
            list_breeds,
            list_organizations,
            get_organization,
            contract_route(OPENAPI_PATH),
        ],
        exception_handlers={Exception: _handle_error},
    )
