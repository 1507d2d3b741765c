"""Canonical vocabularies shared by every dialect.

Each dialect maps its own words onto these values (see docs/domain.md). They are stored as is
in the database, so changing a value here needs a data migration.
"""

from __future__ import annotations

from enum import StrEnum


class Size(StrEnum):
    XSMALL = "xsmall"
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"
    XLARGE = "xlarge"


class Age(StrEnum):
    BABY = "baby"
    YOUNG = "young"
    ADULT = "adult"
    SENIOR = "senior"


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"
    UNKNOWN = "unknown"


class Coat(StrEnum):
    HAIRLESS = "hairless"
    SHORT = "short"
    MEDIUM = "medium"
    LONG = "long"
    WIRE = "wire"
    CURLY = "curly"


class StatusClass(StrEnum):
    """What an animal's status means, whatever an organization calls it."""

    AVAILABLE = "available"
    PENDING = "pending"
    HOLD = "hold"
    ADOPTED = "adopted"
    FOUND = "found"
    INACTIVE = "inactive"
    DECEASED = "deceased"


class Health(StrEnum):
    UNKNOWN = "unknown"
    POOR = "poor"
    GOOD = "good"
    GREAT = "great"


class OrganizationKind(StrEnum):
    SHELTER = "shelter"
    RESCUE = "rescue"
    CLINIC = "clinic"
    GROOMER = "groomer"
    SHOP = "shop"


class PersonRole(StrEnum):
    ADOPTER = "adopter"
    FOSTER = "foster"
    SURRENDER = "surrender"  # someone giving an animal up
    VOLUNTEER = "volunteer"
    OWNER = "owner"  # a platform user who owns pets


class PersonStatus(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    TRAINING = "training"
    INACTIVE = "inactive"
    DENIED = "denied"
    SUSPENDED = "suspended"
    BLOCKED = "blocked"


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
SOCIAL_NETWORKS = ("facebook", "twitter", "youtube", "instagram", "pinterest")
