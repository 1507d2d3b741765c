"""A pet's health history and identification tags.

Medical records are one home for every API's vaccinations, exams, diagnoses, medications,
allergies, conditions, procedures, lab results and notes. Tags are the ways a pet is found
again: a QR or collar tag, a licence, a GPS tracker; its microchip is one fact of the animal
(``animals.microchip_id``) shown as a tag of type ``microchip``.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import msgspec
from msgspec import UNSET, UnsetType


class RecordKind(StrEnum):
    VACCINATION = "vaccination"
    EXAM = "exam"
    DIAGNOSIS = "diagnosis"
    MEDICATION = "medication"
    ALLERGY = "allergy"
    CONDITION = "condition"
    PROCEDURE = "procedure"
    LAB_RESULT = "lab_result"
    NOTE = "note"


class TagType(StrEnum):
    MICROCHIP = "microchip"
    QR = "qr"
    COLLAR = "collar"
    LICENSE = "license"
    GPS = "gps"


# A microchip "tag" is the animal's microchip: its id is the animal's row id past this offset,
# so that it never meets the id of a kept tag.
MICROCHIP_ID_OFFSET = 1 << 39


class MedicalRecord(msgspec.Struct, frozen=True, gc=False):
    id: int
    uuid: str
    animal_id: int
    kind: str
    title: str
    description: str | None
    occurred_on: str | None
    provider_person_id: int | None
    provider_slug: str | None
    next_due_on: str | None
    created_at: datetime
    updated_at: datetime


class IdTag(msgspec.Struct, frozen=True, gc=False):
    id: int  # a kept tag's row, or MICROCHIP_ID_OFFSET + the animal's row
    animal_id: int | None
    tag_type: str
    code: str
    issuer: str | None
    registered_on: str | None
    active: bool
    created_at: datetime


class RecordChange(msgspec.Struct, kw_only=True):
    kind: str | UnsetType = UNSET
    title: str | UnsetType = UNSET
    description: str | UnsetType | None = UNSET
    occurred_on: str | UnsetType | None = UNSET
    provider_slug: str | UnsetType | None = UNSET  # a vet's handle
    next_due_on: str | UnsetType | None = UNSET


class TagRequest(msgspec.Struct, frozen=True):
    tag_type: str
    code: str
    issuer: str | None = None
    registered_on: str | None = None


class RecordPage(msgspec.Struct, frozen=True):
    records: list[MedicalRecord]
    has_more: bool
