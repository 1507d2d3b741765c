"""The read API: listing, filters, detail, custom fields, headers and caching."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import pytest

from tests.pawplacer.conftest import PP, Shelters
from tests.support import reference, setup

Row = dict[str, Any]


def listed(s: Shelters, code: str) -> list[Row]:
    """The organization's publicly listed animals, newest first, then by id."""
    org = s.org_id(code)
    rows = [
        r
        for r in reference.all_animals(s.db)
        if r["organization_id"] == org and r["public_status"] is not None
    ]
    return sorted(rows, key=lambda r: (r["created_at"], r["id"]), reverse=True)


def walk(client: Any, **query: Any) -> tuple[list[dict[str, Any]], int]:
    pets: list[dict[str, Any]] = []
    offset, total = 0, -1
    while True:
        page = client.json(f"{PP}/api/pets?{urlencode({**query, 'limit': 100, 'offset': offset})}")
        pets += page["pets"]
        total = page["total"]
        if not page["hasMore"]:
            return pets, total
        offset += 100


def test_lists_only_own_listed_pets_newest_first(seeded: Shelters) -> None:
    pets, total = walk(seeded.read_a)
    expected = listed(seeded, seeded.a)
    assert total == len(expected) > 0
    assert [p["id"] for p in pets] == [r["uuid"] for r in expected]


def test_page_metadata(seeded: Shelters) -> None:
    page = seeded.read_a.json(f"{PP}/api/pets?limit=5&offset=3")
    total = len(listed(seeded, seeded.a))
    assert (page["limit"], page["offset"], page["total"]) == (5, 3, total)
    assert len(page["pets"]) == 5 and page["hasMore"] is True
    last = seeded.read_a.json(f"{PP}/api/pets?limit=5&offset={total - 2}")
    assert len(last["pets"]) == 2 and last["hasMore"] is False
    default = seeded.read_a.json(f"{PP}/api/pets")
    assert default["limit"] == 20 and default["offset"] == 0


def test_limit_above_100_is_clamped(seeded: Shelters) -> None:
    assert seeded.read_a.json(f"{PP}/api/pets?limit=500")["limit"] == 100


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=abc", "limit"),
        ("offset=-1", "offset"),
        ("offset=1.5", "offset"),
        ("species=dragon", "species"),
        ("updated_since=yesterday", "updated_since"),
        ("updated_since=2026-13-01", "updated_since"),
    ],
)
def test_malformed_parameter_is_named(seeded: Shelters, query: str, field: str) -> None:
    response = seeded.read_a.get(f"{PP}/api/pets?{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_failed"
    assert field in body["error"]
    assert body["details"][0]["field"] == field


@pytest.mark.parametrize(
    ("species", "type_slug"),
    [
        ("dog", "dog"),
        ("CAT", "cat"),
        ("rabbit", "rabbit"),
        ("bird", "bird"),
        ("small & furry", "small-furry"),
        ("small-furry", "small-furry"),
    ],
)
def test_species(seeded: Shelters, species: str, type_slug: str) -> None:
    pets, total = walk(seeded.read_a, species=species)
    expected = [r["uuid"] for r in listed(seeded, seeded.a) if r["type"] == type_slug]
    assert expected, "no pet is expected: the check would not exercise the filter"
    assert [p["id"] for p in pets] == expected and total == len(expected)


@pytest.mark.parametrize("label", ["available", "AVAILABLE", "Adopted", "pending"])
def test_status_label_any_case(seeded: Shelters, label: str) -> None:
    pets, _ = walk(seeded.read_a, status=label)
    expected = [r["uuid"] for r in listed(seeded, seeded.a) if r["status"] == label.lower()]
    assert expected
    assert [p["id"] for p in pets] == expected
    assert {p["status"].lower() for p in pets} == {label.lower()}


def test_unknown_status_label_matches_nothing(seeded: Shelters) -> None:
    assert walk(seeded.read_a, status="Nonexistent")[1] == 0


@pytest.mark.parametrize("text", ["fred", "Retriever", "LOVING HOME", "ie"])
def test_search_name_description_and_breeds(seeded: Shelters, text: str) -> None:
    def hit(r: Row) -> bool:
        values = (r["name"], r["description"], r["breed_primary"], r["breed_secondary"])
        return any(text.lower() in (v or "").lower() for v in values)

    pets, total = walk(seeded.read_a, search=text)
    expected = [r["uuid"] for r in listed(seeded, seeded.a) if hit(r)]
    assert expected, "no pet is expected: the check would not exercise the search"
    assert [p["id"] for p in pets] == expected and total == len(expected)


def test_updated_since(seeded: Shelters) -> None:
    rows = listed(seeded, seeded.a)
    since = sorted(r["updated_at"] for r in rows)[len(rows) // 2]
    pets, _ = walk(seeded.read_a, updated_since=since.isoformat())
    assert [p["id"] for p in pets] == [r["uuid"] for r in rows if r["updated_at"] >= since]


def test_detail_has_the_list_field_set(seeded: Shelters) -> None:
    first = seeded.read_a.json(f"{PP}/api/pets?limit=1")["pets"][0]
    detail = seeded.read_a.json(f"{PP}/api/pets/{first['id']}")
    assert detail == first


def test_other_organizations_pet_is_not_found(seeded: Shelters) -> None:
    theirs = seeded.read_b.json(f"{PP}/api/pets?limit=1")["pets"][0]["id"]
    response = seeded.read_a.get(f"{PP}/api/pets/{theirs}")
    assert response.status_code == 404
    assert response.json()["code"] == "pet_not_found"
    assert response.json()["error"] == "Pet not found"


def test_hidden_and_missing_pets_are_not_found(seeded: Shelters) -> None:
    org = seeded.org_id(seeded.a)
    hidden = next(
        r
        for r in reference.all_animals(seeded.db)
        if r["organization_id"] == org and r["public_status"] is None
    )
    for pet_id in (hidden["uuid"], str(uuid.uuid4()), "not-a-uuid"):
        response = seeded.read_a.get(f"{PP}/api/pets/{pet_id}")
        assert response.status_code == 404, pet_id


def test_custom_fields(seeded: Shelters) -> None:
    fields = seeded.read_a.json(f"{PP}/api/pets/custom-fields")["custom_fields"]
    assert [f["field_key"] for f in fields][:2] == ["favorite_toy", "energy_level"]
    energy = fields[1]
    assert energy["field_type"] == "select" and energy["options"] == ["low", "medium", "high"]
    people = seeded.read_a.json(f"{PP}/api/people/custom-fields?type=adopter")
    assert people["type"] == "adopter"
    assert [f["field_key"] for f in people["custom_fields"]] == ["has_yard"]
    bad = seeded.read_a.get(f"{PP}/api/people/custom-fields?type=alien")
    assert bad.status_code == 400 and bad.json()["details"][0]["field"] == "type"


@pytest.mark.parametrize("key", [None, "", "opk_unknown", "Bearer x"])
def test_missing_or_unknown_key(seeded: Shelters, key: str | None) -> None:
    headers = {} if key is None else {"x-api-key": key}
    response = seeded.read_a.get(f"{PP}/api/pets", auth=False, headers=headers)
    assert response.status_code == 401
    assert response.json()["code"] == "api_key_required"
    assert response.headers["X-RateLimit-Remaining"] == "-1"


def test_revoked_key(seeded: Shelters) -> None:
    key_id, plain = setup.create_key_with_id(seeded.db, seeded.a, "read")
    headers = {"x-api-key": plain}
    assert seeded.read_a.get(f"{PP}/api/pets", auth=False, headers=headers).status_code == 200
    setup.revoke_key(seeded.db, key_id)
    assert seeded.read_a.get(f"{PP}/api/pets", auth=False, headers=headers).status_code == 401


def test_standard_headers(seeded: Shelters) -> None:
    one = seeded.read_a.get(f"{PP}/api/pets?limit=1")
    two = seeded.read_a.get(f"{PP}/api/pets?limit=1")
    assert one.headers["X-Request-Id"] != two.headers["X-Request-Id"]
    assert one.headers["X-Api-Version"]
    datetime.fromisoformat(one.headers["X-Generated-At"])
    for name in ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"):
        int(one.headers[name])
    assert int(one.headers["X-RateLimit-Reset"]) > datetime.now(UTC).timestamp()


def test_etag_and_if_none_match(seeded: Shelters) -> None:
    url = f"{PP}/api/pets?limit=3"
    first = seeded.read_a.get(url)
    etag = first.headers["ETag"]
    assert (
        "max-age=" in first.headers["Cache-Control"] and "public" in first.headers["Cache-Control"]
    )
    assert "no-store" not in first.headers["Cache-Control"]
    assert "x-api-key" in first.headers["Vary"].lower()
    again = seeded.read_a.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["ETag"] == etag


def test_no_organization_gets_another_organizations_cached_answer(seeded: Shelters) -> None:
    url = f"{PP}/api/pets?limit=3"
    a = seeded.read_a.get(url)
    b = seeded.read_b.get(url, headers={"If-None-Match": a.headers["ETag"]})
    assert b.status_code == 200
    assert b.headers["ETag"] != a.headers["ETag"]
    assert {p["id"] for p in a.json()["pets"]}.isdisjoint(p["id"] for p in b.json()["pets"])


def test_dense_search_walks_the_index(seeded: Shelters, monkeypatch: pytest.MonkeyPatch) -> None:
    from openpaws.storage import animal_search

    monkeypatch.setattr(animal_search, "ID_LIST_LIMIT", 3)
    pets, total = walk(seeded.read_a, search="loving")
    expected = [r["uuid"] for r in listed(seeded, seeded.a) if "loving" in (r["description"] or "")]
    assert [p["id"] for p in pets] == expected and total == len(expected) > 3
