"""An organization's settings: its status labels, custom fields and request limits."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from openpaws.domain.entities import CustomFieldDefinition, CustomStatus
from openpaws.domain.errors import InvalidInput, NotFound
from openpaws.domain.search import StatusLabelMatch
from openpaws.domain.vocab import StatusClass
from openpaws.storage import org_settings as store
from openpaws.storage import organization_queries
from openpaws.storage.database import Database

FIELD_TYPES = ("text", "textarea", "number", "select", "multiselect", "boolean", "date")
# Custom fields belong to pets or to one kind of person.
ENTITIES = ("pet", "adopter", "foster", "surrender", "volunteer")
_FIELD_KEY = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


@dataclass(frozen=True)
class StatusSpec:
    label: str
    status_class: StatusClass
    is_public: bool
    is_default: bool = False


# What every organization starts with; the first public "available" status is the default.
DEFAULT_STATUSES = (
    StatusSpec("Available", StatusClass.AVAILABLE, True, True),
    StatusSpec("Pending", StatusClass.PENDING, True),
    StatusSpec("On Hold", StatusClass.HOLD, False),
    StatusSpec("Adopted", StatusClass.ADOPTED, True),
    StatusSpec("Found", StatusClass.FOUND, True),
)

# The label shown for an animal with no custom status, by class.
CLASS_LABELS = {
    StatusClass.AVAILABLE: "Available",
    StatusClass.PENDING: "Pending",
    StatusClass.HOLD: "On Hold",
    StatusClass.ADOPTED: "Adopted",
    StatusClass.FOUND: "Found",
    StatusClass.INACTIVE: "Inactive",
    StatusClass.DECEASED: "Deceased",
}


def organization_id(db: Database, reference: str) -> int:
    """The id of the organization with this public code or UUID."""
    with db.read() as reader:
        org_id = organization_queries.id_for_reference(reader, reference)
    if org_id is None:
        raise NotFound(f"Organization {reference} not found")
    return org_id


def add_status(db: Database, organization: str, spec: StatusSpec) -> None:
    org_id = organization_id(db, organization)
    if any(s.label.casefold() == spec.label.casefold() for s in statuses(db, org_id)):
        raise InvalidInput.field("body", "label", f"Status {spec.label} already exists.")
    with db.transaction() as conn:
        store.insert_status(
            conn,
            uuid=str(uuid.uuid4()),
            organization_id=org_id,
            label=spec.label,
            status_class=spec.status_class.value,
            is_public=spec.is_public,
            is_default=spec.is_default,
            position=store.next_position(conn, "statuses", org_id),
        )


def statuses(db: Database, organization_id: int) -> list[CustomStatus]:
    with db.read() as reader:
        return store.statuses(reader, organization_id)


def label_match(db: Database, organization_id: int, label: str) -> StatusLabelMatch:
    """Which animals show under ``label`` (or a status class name), in any case."""
    wanted = label.strip().casefold()
    ids = tuple(
        s.id
        for s in statuses(db, organization_id)
        if wanted in (s.label.casefold(), s.status_class)
    )
    classes = tuple(
        c.value
        for c, default_label in CLASS_LABELS.items()
        if wanted in (default_label.casefold(), c.value)
    )
    return StatusLabelMatch(ids, classes)


def statuses_of(db: Database, organization: str) -> list[CustomStatus]:
    return statuses(db, organization_id(db, organization))


@dataclass(frozen=True)
class FieldSpec:
    entity: str
    field_key: str
    label: str
    field_type: str
    required: bool = False
    help_text: str | None = None
    options: tuple[str, ...] | None = None
    section: str | None = None


def add_field(db: Database, organization: str, spec: FieldSpec) -> None:
    problems = []
    if spec.entity not in ENTITIES:
        problems.append(("entity", f"entity must be one of {', '.join(ENTITIES)}"))
    if not _FIELD_KEY.match(spec.field_key):
        problems.append(("field_key", "field_key must be lower-case letters, digits and _"))
    if spec.field_type not in FIELD_TYPES:
        problems.append(("field_type", f"field_type must be one of {', '.join(FIELD_TYPES)}"))
    if spec.field_type in ("select", "multiselect") and not spec.options:
        problems.append(("options", "select fields need options"))
    if problems:
        raise InvalidInput.field("body", *problems[0])
    org_id = organization_id(db, organization)
    with db.transaction() as conn:
        if any(f.field_key == spec.field_key for f in _fields(db, org_id, spec.entity)):
            raise InvalidInput.field("body", "field_key", f"{spec.field_key} already exists.")
        store.insert_field(
            conn,
            uuid=str(uuid.uuid4()),
            organization_id=org_id,
            entity=spec.entity,
            field_key=spec.field_key,
            label=spec.label,
            field_type=spec.field_type,
            required=spec.required,
            help_text=spec.help_text,
            options=list(spec.options) if spec.options else None,
            section=spec.section,
            position=store.next_position(conn, "fields", org_id),
        )


def _fields(db: Database, organization_id: int, entity: str) -> list[CustomFieldDefinition]:
    with db.read() as reader:
        return store.field_definitions(reader, organization_id, entity)


def field_definitions(
    db: Database, organization_id: int, entity: str
) -> list[CustomFieldDefinition]:
    return _fields(db, organization_id, entity)


def fields_of(db: Database, organization: str, entity: str) -> list[CustomFieldDefinition]:
    return _fields(db, organization_id(db, organization), entity)


def set_rate_limit(db: Database, organization: str, endpoint_class: str, per_hour: int) -> None:
    if per_hour < 1:
        raise InvalidInput.field("body", "per_hour", "per_hour must be at least 1")
    org_id = organization_id(db, organization)
    with db.transaction() as conn:
        store.set_rate_limit(conn, org_id, endpoint_class, per_hour)
