"""When an animal is publicly listed, and under which status class.

``public_status`` is stored on each animal as the search key of every public listing: the
animal's status class while an organization lists it publicly, else null.
"""

from __future__ import annotations

from openpaws.domain.vocab import StatusClass

UNKNOWN = "unknown"  # Age.UNKNOWN and Size.UNKNOWN


def public_status(
    *,
    organization_id: int | None,
    show_public: bool,
    deleted: bool,
    status: str,
    custom_status_public: bool | None,
    age: str,
    size: str,
) -> str | None:
    """The listing status class, or None when the animal is not publicly listed.

    ``custom_status_public`` is the public flag of the organization's custom status, or None
    when the animal has no custom status (an unset status counts as public). An animal whose
    age or size is not known yet is not listed (the listing APIs have no word for it), nor is
    a person's own pet.
    """
    if organization_id is None or deleted or not show_public or custom_status_public is False:
        return None
    if UNKNOWN in (age, size) or status == StatusClass.OWNED:
        return None
    return status
