"""The Postman collection shipped in docs/ (the seed promises one): made from the contract,
current, and holding every route the dialect serves."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from openpaws.cli import app
from openpaws.dialects.pawssource import DIALECT
from openpaws.dialects.pipeline import Mounted
from tests.test_layers import runtime

SHIPPED = Path(__file__).resolve().parents[2] / "docs" / "pawssource.postman_collection.json"


def requests(collection: dict) -> set[tuple[str, str]]:  # type: ignore[type-arg]
    found = set()
    for folder in collection["item"]:
        for item in folder["item"]:
            request = item["request"]
            path = "/" + "/".join(request["url"]["path"])
            found.add((request["method"], re.sub(r":(\w+)", r"{\1}", path)))
    return found


def test_the_shipped_collection_is_the_contracts() -> None:
    made = CliRunner().invoke(app, ["postman", "pawssource"])
    assert made.exit_code == 0, made.output
    assert json.loads(made.output) == json.loads(SHIPPED.read_text()), (
        "regenerate it: openpaws postman pawssource > docs/pawssource.postman_collection.json"
    )


def test_the_collection_holds_every_route() -> None:
    collection = json.loads(SHIPPED.read_text())
    assert collection["info"]["schema"].endswith("/v2.1.0/collection.json")
    mounted = Mounted(DIALECT.name, DIALECT.prefix, runtime(), DIALECT.auth, {}, 1024)
    served = {(r.method, r.path) for r in DIALECT.routes(mounted)}
    assert served and served <= requests(collection)
    assert {"baseUrl", "apiKey"} <= {v["key"] for v in collection["variable"]}
