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
    UNKNOWN = "unknown"  # not known yet (a pet owner's record); never publicly listed


class Age(StrEnum):
    BABY = "baby"
    YOUNG = "young"
    ADULT = "adult"
    SENIOR = "senior"
    UNKNOWN = "unknown"  # not known yet (a pet owner's record); never publicly listed


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
    OWNED = "owned"  # a person's own pet: never listed by an organization


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
    VETERINARIAN = "veterinarian"  # staff of a clinic
    GROOMER = "groomer"  # staff of a groomer


class PersonStatus(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    TRAINING = "training"
    INACTIVE = "inactive"
    DENIED = "denied"
    SUSPENDED = "suspended"
    BLOCKED = "blocked"


class ProductCategory(StrEnum):
    NUTRITION = "nutrition"
    TREATS = "treats"
    TOYS = "toys"
    WELLNESS = "wellness"
    SUPPLIES = "supplies"
    GROOMING = "grooming"


class DietaryPreference(StrEnum):
    GRAIN_FREE = "grain_free"
    LIMITED_INGREDIENT = "limited_ingredient"
    HIGH_PROTEIN = "high_protein"
    HYPOALLERGENIC = "hypoallergenic"
    RAW = "raw"
    ORGANIC = "organic"
    WEIGHT_MANAGEMENT = "weight_management"
    PUPPY_KITTEN = "puppy_kitten"
    SENIOR = "senior"


class OrderStatus(StrEnum):
    PENDING = "pending"  # placed; the shop has not shipped it
    SHIPPED = "shipped"
    CANCELLED = "cancelled"


class CardBrand(StrEnum):
    VISA = "visa"
    MASTERCARD = "mastercard"
    AMEX = "amex"
    DISCOVER = "discover"
    OTHER = "other"


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
SOCIAL_NETWORKS = ("facebook", "twitter", "youtube", "instagram", "pinterest")


# The classes an organization's pets pass through while they are in its care or on offer.
ACTIVE_CLASSES = (
    StatusClass.OWNED,
    StatusClass.AVAILABLE,
    StatusClass.PENDING,
    StatusClass.HOLD,
    StatusClass.FOUND,
)
