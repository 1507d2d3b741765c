"""The README's tour works as written on the demo data `make run` loads: every search it shows
finds something, every lookup answers, and the bad request it shows is refused."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from litestar.testing import TestClient

from openpaws.cli import DEFAULT_DEMO_ANIMALS
from openpaws.config import Settings
from openpaws.server import create_app
from openpaws.storage.database import Database
from tests.petfinder.helpers import grant
from tests.support import setup

README = Path(__file__).resolve().parent.parent / "README.md"
BASE = "http://127.0.0.1:8000"
# A GET of the tour: curl -H "<credential header>" "<url>"
_GET = re.compile(r'^curl -H "(?P<header>[^"]+)" "(?P<url>http://127\.0\.0\.1:8000/[^"]+)"')
# What a list answer holds, by the path it was asked of.
_LISTS = {
    "/animals?": "animals",
    "/organizations?": "organizations",
    "/api/pets?": "pets",
    "/v2/pets": "data",
}


def tour() -> list[tuple[str, str, int]]:
    """(credential header, path, expected status) of every GET in the README."""
    lines = README.read_text().splitlines()
    found = []
    for number, line in enumerate(lines):
        match = _GET.match(line.strip())
        if match:
            after = lines[number + 1] if number + 1 < len(lines) else ""
            status = 400 if "ERR-00002" in after else 422 if "validation_failed" in after else 200
            found.append((match["header"], match["url"].removeprefix(BASE), status))
    return found


def test_the_tour_is_found() -> None:
    paths = [path for _, path, _ in tour()]
    assert any("location=" in p for p in paths), paths
    assert any(p.startswith("/pawplacer/") for p in paths), paths
    assert any(p.startswith("/pawssource/") for p in paths), paths


def test_the_readme_tour_finds_demo_data(fresh_db: Database) -> None:
    if not fresh_db.is_sqlite:
        pytest.skip("the tour's demo runs on the embedded SQLite default")
    setup.load_demo(fresh_db, DEFAULT_DEMO_ANIMALS)
    key = setup.create_key(fresh_db, setup.first_listing_organization(fresh_db), "write")
    creds = setup.create_client(fresh_db, "readme")
    owner_key = setup.create_account_key(fresh_db, "pawssource", person="petowner1", plan="pro")
    with TestClient(create_app(Settings(worker=False), fresh_db)) as client:
        token = client.post("/petfinder/v2/oauth2/token", data=grant(creds)).json()
        # $PS_KEY first: $KEY is a part of it.
        values = {"$PS_KEY": owner_key, "$TOKEN": token["access_token"], "$KEY": key}
        for header, path, status in tour():
            name, _, value = header.partition(": ")
            for variable, known in values.items():
                value = value.replace(variable, known)
            response = client.get(path, headers={name: value})
            assert response.status_code == status, (path, response.text[:300])
            for marker, field in _LISTS.items():
                if status == 200 and marker in path:
                    assert response.json()[field], f"{path} finds nothing in the demo data"
