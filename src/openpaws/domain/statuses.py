"""An organization's status labels: what every organization starts with, and the rules that
turn a label into a status class."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from openpaws.domain.entities import AnimalDetails, CustomStatus
from openpaws.domain.errors import InvalidInput
from openpaws.domain.search import StatusLabelMatch
from openpaws.domain.vocab import StatusClass


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
    StatusClass.OWNED: "Owned",
}


@dataclass(frozen=True)
class ResolvedStatus:
    status_class: str
    custom_status_id: int | None
    is_public: bool | None  # the custom status's public flag; None without a custom status


def resolve(
    statuses: Sequence[CustomStatus], *, label: str | None, custom_status_uuid: str | None
) -> ResolvedStatus:
    """The status a change asks for.

    A custom status UUID wins; else the label, or a status class name, in any case (a class
    the organization has no label of is taken without one); a label that does not exist falls
    back to the organization's default available status. An organization's animal is never
    of the owned class (a person's own pet).
    """
    if custom_status_uuid is not None:
        found = next((s for s in statuses if s.uuid == custom_status_uuid), None)
        if found is None:
            raise InvalidInput.field("body", "custom_status", "Unknown custom status")
        return ResolvedStatus(found.status_class, found.id, found.is_public)
    wanted = (label or "").strip().casefold()
    found = next((s for s in statuses if s.label.casefold() == wanted), None)
    found = found or next((s for s in statuses if s.status_class == wanted), None)
    if found is None and wanted in CLASS_LABELS and wanted != StatusClass.OWNED:
        return ResolvedStatus(wanted, None, None)
    if found is None:
        found = next((s for s in statuses if s.is_default), None) or next(
            (s for s in statuses if s.status_class == StatusClass.AVAILABLE), None
        )
    if found is None:
        return ResolvedStatus(StatusClass.AVAILABLE.value, None, None)
    return ResolvedStatus(found.status_class, found.id, found.is_public)


def public_flag(statuses: Sequence[CustomStatus], custom_status_id: int | None) -> bool | None:
    """The public flag of the animal's custom status, or None without one."""
    if custom_status_id is None:
        return None
    return next((s.is_public for s in statuses if s.id == custom_status_id), None)


def label_match(statuses: Sequence[CustomStatus], label: str) -> StatusLabelMatch:
    """Which animals show under ``label`` (or a status class name), in any case."""
    wanted = label.strip().casefold()
    ids = tuple(s.id for s in statuses if wanted in (s.label.casefold(), s.status_class))
    classes = tuple(
        c.value
        for c, default_label in CLASS_LABELS.items()
        if wanted in (default_label.casefold(), c.value)
    )
    return StatusLabelMatch(ids, classes)


def status_label(details: AnimalDetails) -> str:
    """The label an organization shows for the animal's status."""
    return details.status_label or CLASS_LABELS[StatusClass(details.animal.status)]


def check_new_label(statuses: Sequence[CustomStatus], spec: StatusSpec) -> None:
    if any(s.label.casefold() == spec.label.casefold() for s in statuses):
        raise InvalidInput.field("body", "label", f"Status {spec.label} already exists.")
