"""How the hostile corpus (tests/test_hostile.py) reaches Petfinder: a bearer token, an
animal, a type and an organization that exist, and a valid token request."""

from __future__ import annotations

from openpaws.storage.database import Database
from tests.support import reference, setup
from tests.support.hostile import Given, Target


def given(db: Database) -> Given:
    creds = setup.create_client(db, "hostile")
    token = setup.issue_token(db, creds.client_id, creds.client_secret, 3600)
    animal = reference.all_animals(db)[0]
    organization = next(iter(reference.all_organizations(db).values()))
    return Given(
        headers={"Authorization": f"Bearer {token}"},
        bodies={
            "POST /oauth2/token": {
                "grant_type": "client_credentials",
                "client_id": creds.client_id,
                "client_secret": creds.client_secret,
            }
        },
        path_params={
            "/animals/{id}": {"id": str(animal["id"])},
            "/types/{type}": {"type": "dog"},
            "/types/{type}/breeds": {"type": "dog"},
            "/organizations/{id}": {"id": organization["code"]},
        },
    )


TARGET = Target(given, "application/problem+json", "/components/schemas/Problem")
