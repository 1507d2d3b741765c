"""The Petfinder v2 routes: each reads its request, calls a use case, maps the answer."""

from __future__ import annotations

import base64
import binascii
import math
from collections.abc import Sequence
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

from openpaws.dialects.inputs import MalformedBody
from openpaws.dialects.petfinder import mappers, params, vocab, wire
from openpaws.dialects.pipeline import Call, Mounted, Route
from openpaws.domain import taxonomy
from openpaws.domain.errors import InvalidInput, MissingInput, NotFound
from openpaws.domain.search import AnimalSearch
from openpaws.domain.texts import BAD_CHARACTERS, clean
from openpaws.platform import oauth
from openpaws.platform.principals import Scope
from openpaws.services import animals, organizations
from openpaws.storage.database import Transaction

GRANT = "client_credentials"
# A token request is three short fields: anything near this is no token request, and a large
# body would only cost the unauthenticated time to parse.
TOKEN_BODY_BYTES = 16 * 1024


class UnsupportedGrantType(InvalidInput):
    code = "unsupported_grant_type"


def _token_request(call: Call) -> dict[str, str]:
    """The fields of a token request: a form or JSON body, and HTTP Basic credentials."""
    content_type = call.headers.get("content-type", "").split(";")[0].strip().lower()
    fields: dict[str, str] = {}
    if content_type == "application/json":
        try:
            decoded = call.json() if call.body else {}
        except MalformedBody:
            raise InvalidInput.field(
                "body", "body", "The request body is not valid JSON."
            ) from None
        if not isinstance(decoded, dict):
            raise InvalidInput.field("body", "body", "The request body must be a JSON object.")
        fields = {k: str(v) for k, v in decoded.items() if isinstance(v, str | int)}
    else:
        fields = call.form()
    scheme, _, encoded = call.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "basic":
        try:
            user, _, password = base64.b64decode(encoded.strip()).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            user, password = "", ""
        if not (clean(user) and clean(password)):
            raise InvalidInput.field("header", "Authorization", BAD_CHARACTERS)
        fields.setdefault("client_id", user)
        fields.setdefault("client_secret", password)
    return fields


def _client_credentials(call: Call) -> oauth.ClientCredentials:
    """What a token request asks with: the client credentials grant and the client's id and
    secret."""
    fields = _token_request(call)
    grant = fields.get("grant_type", "").strip()
    if not grant:
        raise MissingInput.field("body", "grant_type", "grant_type is required.")
    if grant != GRANT:
        raise UnsupportedGrantType.field(
            "body", "grant_type", f"{grant} is not a supported grant type."
        )
    return oauth.ClientCredentials(fields.get("client_id", ""), fields.get("client_secret", ""))


def _find_type(name: str) -> taxonomy.AnimalType:
    found = taxonomy.find_type(name)
    if found is None:
        raise NotFound(f"Animal type {name} not found", kind="animal_type")
    return found


class Handlers:
    """The dialect's handlers, bound to where it is mounted."""

    def __init__(self, mounted: Mounted) -> None:
        self.mounted = mounted
        self.prefix = mounted.prefix
        self.links = mappers.Links(self.prefix)
        self.site = mounted.runtime.settings.public_site_url.rstrip("/")
        self.forms = mappers.AnimalMemo(self.links, self.site)

    def token(self, call: Call, tx: Transaction, creds: oauth.ClientCredentials) -> wire.Token:
        issued = oauth.issue_token(tx, self.mounted.name, creds, self.mounted.token_lifetime)
        return wire.Token("Bearer", issued.expires_in, issued.access_token)

    def animals(self, call: Call) -> wire.AnimalsPage:
        search, codes = params.animal_search(call.query)
        reader = call.reader
        if codes:
            ids = organizations.organization_ids_for_codes(reader, codes)
            search = _with_organizations(search, ids)
        page = animals.search_animals(reader, search)
        return wire.AnimalsPage(
            animals=[self.forms.animal(a, page.distances.get(a.id)) for a in page.animals],
            pagination=self.pagination(call, page.total, search.limit, search.offset),
        )

    def animal(self, call: Call) -> wire.AnimalEnvelope:
        animal_id = call.params["animal_id"]
        if not animal_id.isascii() and any(c.isdigit() for c in animal_id):
            # Digits of another script (², ٣): a number misspelled, not an unknown animal.
            raise InvalidInput.field("path", "id", f"{animal_id} is not a valid integer.")
        if not animal_id.isdigit() or len(animal_id) > 18:
            raise NotFound(f"Animal {animal_id} not found", kind="animal")
        found = animals.listed_animal(call.reader, int(animal_id), vocab.VISIBLE_STATUSES)
        return wire.AnimalEnvelope(self.forms.animal(found, None))

    def types(self, call: Call) -> wire.TypesList:
        return wire.TypesList([mappers.animal_type(t, self.links) for t in taxonomy.animal_types()])

    def type(self, call: Call) -> wire.TypeEnvelope:
        found = _find_type(call.params["type_name"])
        return wire.TypeEnvelope(mappers.animal_type(found, self.links))

    def breeds(self, call: Call) -> wire.BreedsList:
        return mappers.breeds(_find_type(call.params["type_name"]), self.links)

    def organizations(self, call: Call) -> wire.OrganizationsPage:
        search = params.organization_search(call.query)
        page = organizations.search_organizations(call.reader, search)
        return wire.OrganizationsPage(
            organizations=[
                mappers.organization(o, self.links, self.site, page.distances.get(o.id))
                for o in page.organizations
            ],
            pagination=self.pagination(call, page.total, search.limit, search.offset),
        )

    def organization(self, call: Call) -> wire.OrganizationEnvelope:
        org = organizations.get_organization(call.reader, call.params["code"])
        return wire.OrganizationEnvelope(mappers.organization(org, self.links, self.site, None))

    def pagination(self, call: Call, total: int, limit: int, offset: int) -> wire.Pagination:
        current = offset // limit + 1
        pages = math.ceil(total / limit)
        links = wire.PageLinks()
        kept = [(k, v) for k, v in call.query_items if k != "page"]
        path = self.prefix + "/" + call.path.removeprefix(self.prefix).strip("/")

        def href(page: int) -> wire.Link:
            return wire.Link(f"{path}?{urlencode([*kept, ('page', str(page))])}")

        if 1 < current <= pages + 1:
            links.previous = href(current - 1)
        if current < pages:
            links.next = href(current + 1)
        return wire.Pagination(limit, total, current, pages, links)


def _with_organizations(search: AnimalSearch, ids: tuple[int, ...]) -> AnimalSearch:
    return replace(search, filters=replace(search.filters, organization_ids=ids))


def routes(mounted: Mounted) -> Sequence[Route]:
    h = Handlers(mounted)
    no_store: dict[str, Any] = {"Cache-Control": "no-store"}
    return (
        Route(
            "POST",
            "/oauth2/token",
            h.token,
            write=True,
            read=_client_credentials,
            headers=no_store,
            authenticates=lambda creds: creds.client_id,
            max_body_bytes=TOKEN_BODY_BYTES,
        ),
        Route("GET", "/animals", h.animals, Scope.ANIMALS_READ),
        Route("GET", "/animals/{animal_id}", h.animal, Scope.ANIMALS_READ),
        Route("GET", "/types", h.types, Scope.TAXONOMY_READ),
        Route("GET", "/types/{type_name}", h.type, Scope.TAXONOMY_READ),
        Route("GET", "/types/{type_name}/breeds", h.breeds, Scope.TAXONOMY_READ),
        Route("GET", "/organizations", h.organizations, Scope.ORGANIZATIONS_READ),
        Route("GET", "/organizations/{code}", h.organization, Scope.ORGANIZATIONS_READ),
    )
