"""The benchmark's raw baseline answers the Petfinder requests byte for byte as OpenPaws does
(the rest of the bench's own tests are in tests/test_bench.py)."""

from __future__ import annotations

import pytest

from openpaws.bench import baselines
from openpaws.storage.database import Database
from tests.petfinder.helpers import PREFIX
from tests.support.api import ContractClient
from tests.support.asgi import asgi_get, shut_down


def test_raw_baseline_answers_byte_for_byte_as_openpaws(
    api: ContractClient, seeded_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(baselines.RAW_DATABASE_ENV, seeded_db.url)
    raw = baselines.raw()
    assert api.token is not None
    listed = api.json(f"{PREFIX}/animals?type=dog")["animals"]
    paths = [f"{PREFIX}/animals?type=dog&page={n}" for n in (1, 2, 7)]
    paths += [f"{PREFIX}/animals/{a['id']}" for a in listed[:5]]
    try:
        for path in paths:
            ours = api.get(path)
            assert ours.status_code == 200
            assert asgi_get(raw, path, api.token) == (200, ours.content), path
        assert asgi_get(raw, paths[0], "not-a-token")[0] == 401
    finally:
        shut_down(raw)
