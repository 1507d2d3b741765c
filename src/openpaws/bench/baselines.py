"""The benchmark's two yardsticks, served by the same server software and settings as OpenPaws.

- ``floor``: answers each request it was given with the identical bytes OpenPaws answered,
  held in memory. Nothing is faster on this server; OpenPaws / floor shows the framework's and
  the application's share.
- ``raw``: requests 1 and 4 by hand, deliberately independent of OpenPaws' code: the bearer
  token is checked against ``access_tokens``, hand-written SQL runs through the raw driver
  (sqlite3 or psycopg, blocking, on the event loop), the total is counted by SQL on every
  request, and the Petfinder body is built by hand. The bench checks that its bodies are
  byte-identical to OpenPaws'.

Both are ASGI app factories (``openpaws.bench.baselines:floor`` / ``:raw``) configured by
environment variables, so granian can import them in its worker.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import sqlite3
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qsl, urlencode

import msgspec

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

BODIES_ENV = "OPENPAWS_BENCH_BODIES"
RAW_DATABASE_ENV = "OPENPAWS_BENCH_RAW_DATABASE"
JSON = [(b"content-type", b"application/json")]


async def _lifespan(
    receive: Receive, send: Send, on_shutdown: Callable[[], None] = lambda: None
) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            on_shutdown()
            await send({"type": "lifespan.shutdown.complete"})
            return


async def _answer(send: Send, status: int, body: bytes, headers: list[Any] | None = None) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers or JSON})
    await send({"type": "http.response.body", "body": body})


def request_key(path: str, query: str) -> str:
    """How both the bench and the floor name a request: path, then ``?query`` if any."""
    return f"{path}?{query}" if query else path


def floor() -> ASGIApp:
    """The floor app over the bodies file named by ``OPENPAWS_BENCH_BODIES``."""
    with open(os.environ[BODIES_ENV], "rb") as f:
        bodies: dict[str, bytes] = msgspec.msgpack.decode(f.read(), type=dict[str, bytes])

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            return await _lifespan(receive, send)
        body = bodies.get(request_key(scope["path"], scope["query_string"].decode()))
        if body is None:
            return await _answer(send, 404, b'{"detail":"not recorded"}')
        await _answer(send, 200, body)

    return app


# --- raw baseline ---------------------------------------------------------------------------

PREFIX = "/petfinder/v2"
SITE = "https://openpaws.example.org"
PAGE_SIZE = 20
VISIBLE = "('available', 'adopted', 'found')"
STATUS = {"available": "adoptable", "adopted": "adopted", "found": "found"}
AGE = {"baby": "Baby", "young": "Young", "adult": "Adult", "senior": "Senior"}
GENDER = {"male": "Male", "female": "Female", "unknown": "Unknown"}
SIZE = {
    "xsmall": "Small",
    "small": "Small",
    "medium": "Medium",
    "large": "Large",
    "xlarge": "Extra Large",
}
TYPE = {
    "dog": "Dog",
    "cat": "Cat",
    "rabbit": "Rabbit",
    "small-furry": "Small & Furry",
    "horse": "Horse",
    "bird": "Bird",
    "scales-fins-other": "Scales, Fins & Other",
    "barnyard": "Barnyard",
}
COLUMNS = (
    "a.id, a.type, a.species, a.breed_primary, a.breed_secondary, a.breed_mixed, "
    "a.breed_unknown, a.color_primary, a.color_secondary, a.color_tertiary, a.age, a.sex, "
    "a.size, a.coat, a.spayed_neutered, a.house_trained, a.declawed, a.special_needs, "
    "a.shots_current, a.good_with_children, a.good_with_dogs, a.good_with_cats, a.tags, "
    "a.name, a.description, a.organization_animal_id, a.photos, a.videos, a.public_status, "
    "a.status_changed_at, a.published_at, o.code, o.name, o.email, o.phone, o.address1, "
    "o.address2, o.city, o.state, o.postcode, o.country"
)
FROM = "FROM animals a JOIN organizations o ON o.id = a.organization_id"
TOKEN_SQL = (
    "SELECT t.expires_at FROM access_tokens t JOIN oauth_clients c ON c.id = t.client_id "
    "WHERE t.token_hash = ? AND c.revoked_at IS NULL"
)
# Petfinder lists adoptable animals unless asked for another status.
COUNT_SQL = "SELECT count(*) FROM animals a WHERE a.public_status = 'available' AND a.type = ?"
PAGE_SQL = (
    f"SELECT {COLUMNS} {FROM} WHERE a.public_status = 'available' AND a.type = ? "
    "ORDER BY a.published_at DESC, a.id DESC LIMIT ? OFFSET ?"
)
ONE_SQL = f"SELECT {COLUMNS} {FROM} WHERE a.id = ? AND a.public_status IN {VISIBLE}"
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def _slug(text: str | None) -> str:
    return _NOT_SLUG.sub("-", (text or "").lower()).strip("-")


def _flag(value: Any) -> bool | None:
    return None if value is None else bool(value)


def _stamp(micros: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S+0000", time.gmtime(micros // 1_000_000))


def _json(value: Any) -> Any:
    return msgspec.json.decode(value) if isinstance(value, str | bytes) else value


def animal_body(row: Any) -> dict[str, Any]:
    """One animal in Petfinder's shape, from a row of ``COLUMNS``."""
    (id_, type_, species, breed1, breed2, mixed, unknown, color1, color2, color3, age, sex,
     size, coat, spayed, trained, declawed, needs, shots, children, dogs, cats, tags, name,
     description, shelter_id, photos, videos, status, changed, published, code, org_name,
     email, phone, address1, address2, city, state, postcode, country) = row  # fmt: skip
    pictures = [
        {
            "small": p.get("small") or p["full"],
            "medium": p.get("medium") or p["full"],
            "large": p.get("large") or p["full"],
            "full": p["full"],
        }
        for p in _json(photos)
    ]
    return {
        "id": id_,
        "organization_id": code,
        "url": f"{SITE}/{type_}/{_slug(name)}-{id_}/{_slug(state)}/{_slug(city)}/"
        f"{code.lower()}-{_slug(org_name)}/",
        "type": TYPE[type_],
        "species": species,
        "breeds": {
            "primary": breed1,
            "secondary": breed2,
            "mixed": bool(mixed),
            "unknown": bool(unknown),
        },
        "colors": {"primary": color1, "secondary": color2, "tertiary": color3},
        "age": AGE[age],
        "gender": GENDER[sex],
        "size": SIZE[size],
        "coat": coat.capitalize() if coat else None,
        "attributes": {
            "spayed_neutered": bool(spayed),
            "house_trained": bool(trained),
            "declawed": _flag(declawed),
            "special_needs": bool(_json(needs)),
            "shots_current": bool(shots),
        },
        "environment": {"children": _flag(children), "dogs": _flag(dogs), "cats": _flag(cats)},
        "tags": _json(tags),
        "name": name,
        "description": description,
        "organization_animal_id": shelter_id,
        "photos": pictures,
        "primary_photo_cropped": pictures[0] if pictures else None,
        "videos": [{"embed": embed} for embed in _json(videos)],
        "status": STATUS[status],
        "status_changed_at": _stamp(changed),
        "published_at": _stamp(published),
        "distance": None,
        "contact": {
            "email": email,
            "phone": phone,
            "address": {
                "address1": address1,
                "address2": address2,
                "city": city,
                "state": state,
                "postcode": postcode,
                "country": country,
            },
        },
        "_links": {
            "self": {"href": f"{PREFIX}/animals/{id_}"},
            "type": {"href": f"{PREFIX}/types/{type_}"},
            "organization": {"href": f"{PREFIX}/organizations/{code.lower()}"},
        },
    }


def _pagination(animal_type: str, total: int, page: int) -> dict[str, Any]:
    pages = math.ceil(total / PAGE_SIZE)
    links: dict[str, Any] = {}

    def href(n: int) -> dict[str, str]:
        return {"href": f"{PREFIX}/animals?{urlencode([('type', animal_type), ('page', n)])}"}

    if 1 < page <= pages + 1:
        links["previous"] = href(page - 1)
    if page < pages:
        links["next"] = href(page + 1)
    return {
        "count_per_page": PAGE_SIZE,
        "total_count": total,
        "current_page": page,
        "total_pages": pages,
        "_links": links,
    }


def _connect(url: str) -> tuple[Any, Callable[[str], str]]:
    """A raw DBAPI connection for an OpenPaws database URL, and its placeholder rewrite."""
    if url.startswith("sqlite"):
        lite = sqlite3.connect(url.split(":///", 1)[1], check_same_thread=False)
        return lite, lambda sql: sql
    import psycopg

    conn = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)
    return conn, lambda sql: sql.replace("?", "%s")


def raw() -> ASGIApp:
    """The raw baseline over the database named by ``OPENPAWS_BENCH_RAW_DATABASE``."""
    conn, sql = _connect(os.environ[RAW_DATABASE_ENV])
    token_sql, count_sql, page_sql, one_sql = map(sql, (TOKEN_SQL, COUNT_SQL, PAGE_SQL, ONE_SQL))

    def fetch(statement: str, params: tuple[Any, ...]) -> list[Any]:
        cur = conn.cursor()
        try:
            cur.execute(statement, params)
            return list(cur.fetchall())
        finally:
            cur.close()

    def seconds_left(headers: list[tuple[bytes, bytes]]) -> int | None:
        auth = next((v for k, v in headers if k == b"authorization"), b"").decode()
        scheme, _, token = auth.partition(" ")
        if scheme.lower() != "bearer":
            return None
        rows = fetch(token_sql, (hashlib.sha256(token.strip().encode()).hexdigest(),))
        left = (rows[0][0] - time.time_ns() // 1000) // 1_000_000 if rows else 0
        return left if left > 0 else None

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            return await _lifespan(receive, send, conn.close)
        left = seconds_left(scope["headers"])
        if left is None:
            return await _answer(send, 401, b'{"status":401}')
        path: str = scope["path"]
        if path == f"{PREFIX}/animals":
            query = dict(parse_qsl(scope["query_string"].decode()))
            animal_type, page = query["type"], int(query.get("page", "1"))
            total = fetch(count_sql, (animal_type,))[0][0]
            rows = fetch(page_sql, (animal_type, PAGE_SIZE, (page - 1) * PAGE_SIZE))
            body: dict[str, Any] = {
                "animals": [animal_body(r) for r in rows],
                "pagination": _pagination(animal_type, total, page),
            }
        else:
            rows = fetch(one_sql, (int(path.rsplit("/", 1)[1]),))
            if not rows:
                return await _answer(send, 404, b'{"status":404}')
            body = {"animal": animal_body(rows[0])}
        headers = [*JSON, (b"x-token-expires-in", str(left).encode())]
        await _answer(send, 200, msgspec.json.encode(body), headers)

    return app
