"""Medical records and identification tags of animals."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, insert, update
from sqlalchemy.exc import IntegrityError

from openpaws.domain.health import IdTag, MedicalRecord, RecordPage
from openpaws.domain.search import KeysetCursor
from openpaws.storage.database import Reader, Transaction
from openpaws.storage.sql import after_in_newest_first, newest_first
from openpaws.storage.tables import id_tags, medical_records
from openpaws.storage.texts import check_row
from openpaws.storage.types import from_micros

_RECORD = (
    "SELECT r.id, r.uuid, r.animal_id, r.kind, r.title, r.description, r.occurred_on, "
    "r.provider_person_id, p.slug, r.next_due_on, r.created_at, r.updated_at "
    "FROM medical_records r LEFT JOIN persons p ON p.id = r.provider_person_id"
)
_TAG = (
    "SELECT id, animal_id, tag_type, code, issuer, registered_on, active, created_at FROM id_tags"
)


def _record(row: Sequence[Any]) -> MedicalRecord:
    return MedicalRecord(
        id=int(row[0]),
        uuid=row[1],
        animal_id=int(row[2]),
        kind=row[3],
        title=row[4],
        description=row[5],
        occurred_on=row[6],
        provider_person_id=row[7],
        provider_slug=row[8],
        next_due_on=row[9],
        created_at=from_micros(row[10]),
        updated_at=from_micros(row[11]),
    )


def _tag(row: Sequence[Any]) -> IdTag:
    return IdTag(
        id=int(row[0]),
        animal_id=row[1],
        tag_type=row[2],
        code=row[3],
        issuer=row[4],
        registered_on=row[5],
        active=bool(row[6]),
        created_at=from_micros(row[7]),
    )


def records(
    reader: Reader, animal_id: int, kind: str | None, limit: int, after: KeysetCursor | None
) -> RecordPage:
    params: dict[str, Any] = {"animal": animal_id, "limit": limit + 1}
    where = ["r.animal_id = :animal"]
    if kind:
        where.append("r.kind = :kind")
        params["kind"] = kind
    if after is not None:
        where.append(after_in_newest_first("r", after, params))
    sql = f"{_RECORD} WHERE {' AND '.join(where)} ORDER BY {newest_first('r')} LIMIT :limit"
    found = [_record(row) for row in reader.all(sql, params)]
    return RecordPage(found[:limit], len(found) > limit)


def record(reader: Reader, animal_id: int, record_id: int) -> MedicalRecord | None:
    row = reader.one(
        f"{_RECORD} WHERE r.id = :id AND r.animal_id = :animal",
        {"id": record_id, "animal": animal_id},
    )
    return None if row is None else _record(row)


def insert_record(tx: Transaction, values: dict[str, Any]) -> int:
    check_row(medical_records, values)
    found = tx.conn.execute(
        insert(medical_records).values(**values).returning(medical_records.c.id)
    )
    return int(found.scalar_one())


def update_record(tx: Transaction, record_id: int, values: dict[str, Any]) -> None:
    check_row(medical_records, values)
    tx.conn.execute(
        update(medical_records).where(medical_records.c.id == record_id).values(**values)
    )


def delete_record(tx: Transaction, record_id: int) -> None:
    tx.conn.execute(delete(medical_records).where(medical_records.c.id == record_id))


def tags(reader: Reader, animal_id: int) -> list[IdTag]:
    rows = reader.all(f"{_TAG} WHERE animal_id = :animal ORDER BY id", {"animal": animal_id})
    return [_tag(row) for row in rows]


def insert_tag(tx: Transaction, values: dict[str, Any]) -> int | None:
    """The new tag's id, or None when its code of its type is taken (the transaction is then
    spoilt: roll it back)."""
    check_row(id_tags, values)
    try:
        found = tx.conn.execute(insert(id_tags).values(**values).returning(id_tags.c.id))
    except IntegrityError:
        return None
    return int(found.scalar_one())


def delete_tag(tx: Transaction, animal_id: int, tag_id: int) -> bool:
    found = tx.conn.execute(
        delete(id_tags).where(id_tags.c.id == tag_id, id_tags.c.animal_id == animal_id)
    )
    return found.rowcount == 1
