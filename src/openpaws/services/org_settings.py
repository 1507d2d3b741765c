"""An organization's settings: its status labels and custom fields."""

from __future__ import annotations

import uuid

from openpaws.domain import custom_fields, statuses
from openpaws.domain.custom_fields import FieldSpec
from openpaws.domain.entities import CustomFieldDefinition, CustomStatus
from openpaws.domain.statuses import StatusSpec
from openpaws.storage import org_settings as store
from openpaws.storage.database import Reader, Transaction


def add_status(tx: Transaction, organization_id: int, spec: StatusSpec) -> None:
    statuses.check_new_label(store.statuses(tx.reader, organization_id), spec)
    store.insert_status(tx, uuid=str(uuid.uuid4()), organization_id=organization_id, spec=spec)


def status_list(reader: Reader, organization_id: int) -> list[CustomStatus]:
    return store.statuses(reader, organization_id)


def add_field(tx: Transaction, organization_id: int, spec: FieldSpec) -> None:
    existing = store.field_definitions(tx.reader, organization_id, spec.entity)
    custom_fields.check_spec(spec, existing)
    store.insert_field(tx, uuid=str(uuid.uuid4()), organization_id=organization_id, spec=spec)


def field_definitions(
    reader: Reader, organization_id: int, entity: str
) -> list[CustomFieldDefinition]:
    return store.field_definitions(reader, organization_id, entity)
