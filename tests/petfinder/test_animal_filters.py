"""Every GET /animals filter against the rows behind it."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any

import pytest

from openpaws.storage.database import Database
from tests.petfinder.helpers import (
    Row,
    adoptable,
    animals_url,
    assert_matches_nothing,
    expected_ids,
    walk,
)
from tests.support import reference
from tests.support.api import ContractClient


@pytest.fixture(scope="module")
def rows(seeded_db: Database) -> list[Row]:
    return reference.all_animals(seeded_db)


@pytest.fixture(scope="module")
def codes(seeded_db: Database) -> dict[int, str]:
    return {i: o["code"] for i, o in reference.all_organizations(seeded_db).items()}


def check(api: ContractClient, rows: list[Row], query: dict[str, Any], keep: Any) -> None:
    expected = expected_ids(rows, keep)
    found, total = walk(api, animals_url(limit=100, **query))
    ids = [a["id"] for a in found]
    assert len(ids) == len(set(ids)), "an animal appeared on two pages"
    assert set(ids) == expected
    assert total == len(expected)


def _common(rows: list[Row], column: str, where: Any = adoptable) -> Any:
    return Counter(r[column] for r in rows if where(r) and r[column]).most_common(3)[-1][0]


def test_default_lists_adoptable_animals_only(api: ContractClient, rows: list[Row]) -> None:
    assert any(r["public_status"] is None for r in rows), "the seed should hold hidden animals"
    assert any(r["status"] in ("pending", "hold") for r in rows)
    check(api, rows, {}, adoptable)


@pytest.mark.parametrize("value", ["dog", "Dog", "DOG"])
def test_type_by_slug_or_name_any_case(api: ContractClient, rows: list[Row], value: str) -> None:
    check(api, rows, {"type": value}, lambda r: adoptable(r) and r["type"] == "dog")


@pytest.mark.parametrize("value", ["small-furry", "Small & Furry", "small & furry"])
def test_type_with_a_two_word_name(api: ContractClient, rows: list[Row], value: str) -> None:
    check(api, rows, {"type": value}, lambda r: adoptable(r) and r["type"] == "small-furry")


def test_breed_list_any_case(api: ContractClient, rows: list[Row]) -> None:
    dog = lambda r: adoptable(r) and r["type"] == "dog"  # noqa: E731
    first = _common(rows, "breed_primary", dog)
    second = Counter(r["breed_primary"] for r in rows if dog(r)).most_common(5)[-1][0]
    wanted = {first, second}
    check(
        api,
        rows,
        {"type": "dog", "breed": f"{first.upper()},{second.lower()}"},
        lambda r: dog(r) and (r["breed_primary"] in wanted or r["breed_secondary"] in wanted),
    )


@pytest.mark.parametrize(
    ("value", "sizes"),
    [
        ("small", {"xsmall", "small"}),
        ("medium", {"medium"}),
        ("large,xlarge", {"large", "xlarge"}),
        ("extra-large", {"xlarge"}),
        ("XLARGE", {"xlarge"}),
    ],
)
def test_size(api: ContractClient, rows: list[Row], value: str, sizes: set[str]) -> None:
    check(api, rows, {"size": value}, lambda r: adoptable(r) and r["size"] in sizes)


@pytest.mark.parametrize(
    ("value", "sexes"), [("male", {"male"}), ("female,unknown", {"female", "unknown"})]
)
def test_gender(api: ContractClient, rows: list[Row], value: str, sexes: set[str]) -> None:
    check(api, rows, {"gender": value}, lambda r: adoptable(r) and r["sex"] in sexes)


@pytest.mark.parametrize(
    ("value", "ages"), [("baby", {"baby"}), ("young,Senior", {"young", "senior"})]
)
def test_age(api: ContractClient, rows: list[Row], value: str, ages: set[str]) -> None:
    check(api, rows, {"age": value}, lambda r: adoptable(r) and r["age"] in ages)


def test_color(api: ContractClient, rows: list[Row]) -> None:
    def has(r: Row, color: str) -> bool:
        return color in (r["color_primary"], r["color_secondary"], r["color_tertiary"])

    check(
        api,
        rows,
        {"type": "cat", "color": "black"},
        lambda r: adoptable(r) and r["type"] == "cat" and has(r, "Black"),
    )


@pytest.mark.parametrize(
    ("value", "coats"), [("wire,curly", {"wire", "curly"}), ("long", {"long"})]
)
def test_coat(api: ContractClient, rows: list[Row], value: str, coats: set[str]) -> None:
    check(api, rows, {"coat": value}, lambda r: adoptable(r) and r["coat"] in coats)


@pytest.mark.parametrize(
    ("value", "statuses"),
    [
        ("adopted", {"adopted"}),
        ("found", {"found"}),
        ("adoptable,adopted", {"available", "adopted"}),
    ],
)
def test_status(api: ContractClient, rows: list[Row], value: str, statuses: set[str]) -> None:
    check(api, rows, {"status": value}, lambda r: r["public_status"] in statuses)


@pytest.mark.parametrize("fragment", ["Fred", "fred", "FREDERICK", "ma", "ie"])
def test_name_is_a_partial_case_insensitive_match(
    api: ContractClient, rows: list[Row], fragment: str
) -> None:
    expected = expected_ids(rows, lambda r: adoptable(r) and fragment.lower() in r["name"].lower())
    check(api, rows, {"name": fragment}, lambda r: r["id"] in expected)


def test_fred_finds_alfredo_and_frederick(api: ContractClient) -> None:
    found, _ = walk(api, animals_url(name="Fred", limit=100))
    names = {a["name"].split()[0] for a in found}
    assert {"Alfredo", "Frederick"} <= names


def test_name_wildcards_are_literal(api: ContractClient) -> None:
    assert_matches_nothing(api, {"name": "%"})
    assert_matches_nothing(api, {"name": "_a_"})


def test_organizations_comma_list_any_case(
    api: ContractClient, rows: list[Row], codes: dict[int, str]
) -> None:
    org_a, org_b = [org for org, _ in Counter(r["organization_id"] for r in rows).most_common(2)]
    query = {"organization": f"{codes[org_a].lower()},{codes[org_b]}"}
    check(api, rows, query, lambda r: adoptable(r) and r["organization_id"] in (org_a, org_b))


def test_unknown_organization_matches_nothing(api: ContractClient) -> None:
    assert_matches_nothing(api, {"organization": "ZZ999"})


@pytest.mark.parametrize(
    ("param", "column"),
    [
        ("good_with_children", "good_with_children"),
        ("good_with_dogs", "good_with_dogs"),
        ("good_with_cats", "good_with_cats"),
        ("house_trained", "house_trained"),
        ("declawed", "declawed"),
    ],
)
@pytest.mark.parametrize(
    ("text", "value"), [("true", True), ("1", True), ("false", False), ("0", False)]
)
def test_boolean_filters(
    api: ContractClient, rows: list[Row], param: str, column: str, text: str, value: bool
) -> None:
    check(
        api,
        rows,
        {param: text, "type": "cat"},
        lambda r: adoptable(r) and r["type"] == "cat" and r[column] is value,
    )


@pytest.mark.parametrize(("text", "value"), [("true", True), ("0", False)])
def test_special_needs(api: ContractClient, rows: list[Row], text: str, value: bool) -> None:
    check(
        api,
        rows,
        {"special_needs": text, "type": "dog"},
        lambda r: adoptable(r) and r["type"] == "dog" and bool(r["special_needs"]) is value,
    )


def test_before_and_after(api: ContractClient, rows: list[Row]) -> None:
    after = datetime(2025, 6, 1, tzinfo=UTC)
    before = datetime(2026, 1, 15, 12, 30, tzinfo=UTC)
    check(
        api,
        rows,
        {"after": "2025-06-01T00:00:00+0000", "before": "2026-01-15T12:30:00Z"},
        lambda r: adoptable(r) and after < r["published_at"] < before,
    )


def test_filters_combine(api: ContractClient, rows: list[Row]) -> None:
    check(
        api,
        rows,
        {"type": "dog", "gender": "female", "age": "adult,senior", "good_with_cats": "1"},
        lambda r: (
            adoptable(r)
            and r["type"] == "dog"
            and r["sex"] == "female"
            and r["age"] in ("adult", "senior")
            and r["good_with_cats"] is True
        ),
    )


def test_unknown_parameters_are_ignored(api: ContractClient, rows: list[Row]) -> None:
    check(
        api,
        rows,
        {"type": "bird", "colour": "nope", "foo": "bar"},
        lambda r: adoptable(r) and r["type"] == "bird",
    )


def test_trailing_slash(api: ContractClient) -> None:
    assert api.get("/petfinder/v2/animals/?type=dog").status_code == 200


@pytest.mark.parametrize("fragment", ['a"b', "%%%", "'; DROP TABLE animals; --", "NEAR(", "fr*"])
def test_name_search_takes_any_text_literally(api: ContractClient, fragment: str) -> None:
    assert_matches_nothing(api, {"name": fragment})


@pytest.mark.parametrize("fragment", ["ie", "Fred", "ella"])
def test_dense_substring_matches_walk_the_index(
    api: ContractClient, rows: list[Row], fragment: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the id-list limit, the same answers come from walking the date index."""
    from openpaws.storage import animal_search

    monkeypatch.setattr(animal_search, "ID_LIST_LIMIT", 3)
    expected = expected_ids(rows, lambda r: adoptable(r) and fragment.lower() in r["name"].lower())
    assert len(expected) > 3
    check(api, rows, {"name": fragment}, lambda r: r["id"] in expected)
    found, _ = walk(api, animals_url(name=fragment, limit=7))
    published = [a["published_at"] for a in found]
    assert published == sorted(published, reverse=True)
