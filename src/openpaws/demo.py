"""Deterministic, realistic demo data: organizations at real US ZIP codes and their animals.

The same ``seed`` and counts always give the same rows, so benchmarks and tests can rely on
them. Timestamps are spread over the two years before ``EPOCH``, not before "now".
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from openpaws.domain import ages, geo, listing, taxonomy
from openpaws.domain.statuses import DEFAULT_STATUSES
from openpaws.domain.vocab import (
    WEEKDAYS,
    Age,
    Coat,
    DietaryPreference,
    Health,
    OrganizationKind,
    PersonRole,
    PersonStatus,
    ProductCategory,
    Sex,
    Size,
    StatusClass,
)
from openpaws.storage import organization_queries, writes
from openpaws.storage.database import Database, Reader

EPOCH = datetime(2026, 11, 1, tzinfo=UTC)
ANIMALS_PER_ORGANIZATION = 200
BATCH = 5_000
PHOTO_HOST = "https://photos.openpaws.example.org"

# Share of each type among demo animals (percent).
TYPE_WEIGHTS = {
    "dog": 45,
    "cat": 35,
    "rabbit": 5,
    "small-furry": 5,
    "horse": 2,
    "bird": 4,
    "scales-fins-other": 2,
    "barnyard": 2,
}
# What demo animals of organizations may be (a listed animal's age and size are known).
KNOWN_AGES = [age for age in Age if age is not Age.UNKNOWN]
KNOWN_SIZES = [size for size in Size if size is not Size.UNKNOWN]
STATUS_WEIGHTS = {
    StatusClass.AVAILABLE: 80,
    StatusClass.ADOPTED: 8,
    StatusClass.FOUND: 3,
    StatusClass.PENDING: 5,
    StatusClass.HOLD: 4,
}
NAMES = [
    "Max",
    "Bella",
    "Luna",
    "Charlie",
    "Lucy",
    "Cooper",
    "Daisy",
    "Milo",
    "Bailey",
    "Sadie",
    "Rocky",
    "Molly",
    "Buddy",
    "Stella",
    "Tucker",
    "Zoe",
    "Bear",
    "Lola",
    "Duke",
    "Penny",
    "Oliver",
    "Chloe",
    "Jack",
    "Sophie",
    "Bentley",
    "Ruby",
    "Leo",
    "Rosie",
    "Toby",
    "Gracie",
    "Winston",
    "Lily",
    "Teddy",
    "Nala",
    "Murphy",
    "Pepper",
    "Louie",
    "Willow",
    "Gus",
    "Maggie",
    "Ollie",
    "Coco",
    "Jasper",
    "Ginger",
    "Zeus",
    "Piper",
    "Finn",
    "Roxy",
    "Oscar",
    "Mia",
    "Hank",
    "Hazel",
    "Bruno",
    "Ellie",
    "Apollo",
    "Riley",
    "Ziggy",
    "Honey",
    "Ranger",
    "Abby",
    "Alfredo",
    "Frederick",
    "Freddie",
    "Winnie",
    "Biscuit",
    "Marley",
    "Shadow",
    "Smokey",
    "Mocha",
    "Pumpkin",
    "Cinnamon",
    "Nutmeg",
    "Pickles",
    "Waffles",
    "Noodle",
    "Peanut",
    "Sprout",
    "Clover",
    "Juniper",
    "Maple",
    "Aspen",
    "Willow",
    "Sierra",
    "Dakota",
    "Phoenix",
    "Orion",
    "Atlas",
    "Cleo",
    "Athena",
    "Minerva",
    "Hermes",
    "Loki",
    "Thor",
    "Freya",
    "Odin",
    "Merlin",
    "Gandalf",
    "Frodo",
    "Bilbo",
    "Samwise",
    "Pippin",
    "Mabel",
    "Otis",
    "Archie",
    "Harvey",
    "Walter",
    "Franklin",
    "Theodore",
    "Eleanor",
    "Beatrice",
    "Josephine",
    "Matilda",
    "Tinkerbell",
    "Sparky",
    "Blaze",
    "Rusty",
    "Copper",
    "Ember",
    "Storm",
    "Misty",
    "Sunny",
    "Skye",
    "Raven",
    "Onyx",
    "Jet",
    "Pebbles",
    "Boomer",
    "Scout",
    "Rebel",
    "Bandit",
    "Diesel",
    "Tank",
    "Moose",
    "Bruiser",
    "Tiny",
    "Peewee",
    "Button",
    "Bean",
    "Mochi",
    "Sushi",
    "Wasabi",
    "Tofu",
    "Miso",
    "Ramen",
    "Dumpling",
    "Taco",
    "Nacho",
    "Churro",
    "Burrito",
    "Salsa",
    "Pesto",
    "Olive",
    "Basil",
    "Sage",
    "Thyme",
    "Rosemary",
    "Parsley",
    "Fennel",
    "Poppy",
    "Violet",
    "Iris",
    "Daisy",
    "Tulip",
    "Lilac",
    "Magnolia",
    "Azalea",
    "Dahlia",
]
TAGS = [
    "Cute",
    "Intelligent",
    "Playful",
    "Happy",
    "Affectionate",
    "Gentle",
    "Loyal",
    "Friendly",
    "Quiet",
    "Curious",
    "Energetic",
    "Calm",
    "Smart",
    "Funny",
    "Dignified",
    "Independent",
    "Brave",
    "Goofy",
    "Cuddly",
    "Sweet",
]
TEMPERAMENTS = (
    "affectionate",
    "cuddly",
    "curious",
    "docile",
    "energetic",
    "gentle",
    "independent",
    "loyal",
    "playful",
    "quiet",
    "shy",
    "smart",
    "social",
)
SPECIAL_NEEDS = (
    "Needs daily medication",
    "Partially blind",
    "Deaf",
    "Three legs",
    "Special diet",
    "Diabetic, needs insulin twice a day",
)
STREETS = (
    "Main St",
    "Oak Ave",
    "Maple Dr",
    "Cedar Ln",
    "Park Rd",
    "Elm St",
    "Washington Blvd",
    "Lake Shore Dr",
    "Hillcrest Rd",
    "Sunset Ave",
    "River Rd",
    "Mill St",
)
ORG_PATTERNS = {
    OrganizationKind.SHELTER: (
        "{city} Animal Shelter",
        "{city} Humane Society",
        "{county} Animal Services",
        "SPCA of {city}",
    ),
    OrganizationKind.RESCUE: (
        "Happy Tails Rescue of {city}",
        "{city} Paws Rescue",
        "Second Chance Pets {city}",
        "{county} Pet Rescue League",
    ),
    OrganizationKind.CLINIC: ("{city} Veterinary Clinic", "{city} Animal Hospital"),
    OrganizationKind.GROOMER: ("{city} Pet Grooming",),
    OrganizationKind.SHOP: ("{city} Pet Supply",),
}
KIND_WEIGHTS = {
    OrganizationKind.SHELTER: 45,
    OrganizationKind.RESCUE: 45,
    OrganizationKind.CLINIC: 6,
    OrganizationKind.GROOMER: 2,
    OrganizationKind.SHOP: 2,
}
HOURS = ("9:00 AM - 5:00 PM", "10:00 AM - 6:00 PM", "11:00 AM - 4:00 PM", "12:00 PM - 7:00 PM")


def _weighted(rng: random.Random, weights: dict[Any, int]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")


def _photos(kind: str, ident: int, count: int) -> list[dict[str, str]]:
    photos = []
    for n in range(1, count + 1):
        full = f"{PHOTO_HOST}/{kind}/{ident}/{n}/?bust=1546042081"
        photos.append(
            {
                "full": full,
                "small": f"{full}&width=100",
                "medium": f"{full}&width=300",
                "large": f"{full}&width=600",
            }
        )
    return photos


def _zip_places(rng: random.Random, count: int) -> list[geo.Place]:
    candidates = geo.standard_zip_codes()
    chosen = rng.sample(candidates, min(count, len(candidates)))
    return [p for z in chosen if (p := geo.place_for_zip(z)) is not None]


def organization_rows(
    rng: random.Random,
    count: int,
    now: datetime,
    kinds: Sequence[OrganizationKind] = (),
    first_id: int = 1,
) -> list[dict[str, Any]]:
    """``count`` organizations from id ``first_id``: of ``kinds``, in order, where given; else
    a shelter first, then kinds drawn by their weights."""
    rows = []
    used_codes: set[str] = set()
    for index, place in enumerate(_zip_places(rng, count), start=first_id):
        if kinds:
            kind = kinds[index - first_id]
        else:
            kind = OrganizationKind.SHELTER if index == 1 else _weighted(rng, KIND_WEIGHTS)
        name = rng.choice(ORG_PATTERNS[kind]).format(city=place.city, county=place.city)
        code = f"{place.state}{index}"
        while code in used_codes:
            code += "A"
        used_codes.add(code)
        domain = _slug(name)[:40] + ".example.org"
        open_days = rng.randint(4, 7)
        rows.append(
            {
                "id": index,
                "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "code": code,
                "kind": kind.value,
                "name": name,
                "email": f"adopt@{domain}",
                "phone": f"({rng.randint(201, 989)}) 555-{rng.randint(100, 199):04d}",
                "address1": f"{rng.randint(10, 9999)} {rng.choice(STREETS)}",
                "address2": rng.choice((None, None, f"Suite {rng.randint(1, 300)}")),
                "city": place.city,
                "state": place.state,
                "postcode": place.postcode,
                "country": "US",
                "latitude": place.point.latitude,
                "longitude": place.point.longitude,
                "website": f"https://{domain}",
                "mission_statement": f"{name} finds loving homes for the animals of {place.city}.",
                "adoption_policy": "Adopters must be 21 or older and complete an application.",
                "adoption_url": f"https://{domain}/adopt",
                "hours": {
                    day: (rng.choice(HOURS) if i < open_days else None)
                    for i, day in enumerate(WEEKDAYS)
                },
                "social_media": {
                    "facebook": f"https://facebook.com/{_slug(name)}",
                    "twitter": None,
                    "youtube": None,
                    "instagram": f"https://instagram.com/{_slug(name)}",
                    "pinterest": None,
                },
                "photos": _photos("organizations", index, 1),
                "created_at": now - timedelta(days=900),
                "updated_at": now - timedelta(days=rng.randint(0, 300)),
            }
        )
    return rows


TOYS = ("Tennis ball", "Rope toy", "Squeaky duck", "Feather wand", "Chew bone", "Laser pointer")
# Custom fields every demo organization defines: (entity, key, label, type, options, section,
# help text); none is required.
DEMO_FIELDS = (
    (
        "pet",
        "favorite_toy",
        "Favorite Toy",
        "text",
        None,
        "Behavior",
        "Include any comfort objects",
    ),
    ("pet", "energy_level", "Energy Level", "select", ["low", "medium", "high"], "Behavior", None),
    ("adopter", "has_yard", "Has a fenced yard", "boolean", None, "Home", None),
    ("foster", "experience_years", "Years of fostering", "number", None, "Experience", None),
)


def status_rows(org_ids: list[int]) -> tuple[list[dict[str, Any]], dict[Any, Any]]:
    """The default statuses of each organization, and (org, class) -> (status id, public)."""
    rows: list[dict[str, Any]] = []
    index: dict[Any, Any] = {}
    for org_id in org_ids:
        for position, spec in enumerate(DEFAULT_STATUSES):
            status_id = len(rows) + 1
            rows.append(
                {
                    "id": status_id,
                    "uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"status/{status_id}")),
                    "organization_id": org_id,
                    "label": spec.label,
                    "status_class": spec.status_class.value,
                    "is_public": spec.is_public,
                    "is_default": spec.is_default,
                    "position": position,
                }
            )
            index[(org_id, spec.status_class.value)] = (status_id, spec.is_public)
    return rows, index


def field_rows(org_ids: list[int]) -> list[dict[str, Any]]:
    rows = []
    for org_id in org_ids:
        for position, (entity, key, label, kind, options, section, help_text) in enumerate(
            DEMO_FIELDS
        ):
            rows.append(
                {
                    "uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"field/{org_id}/{key}")),
                    "organization_id": org_id,
                    "entity": entity,
                    "field_key": key,
                    "label": label,
                    "field_type": kind,
                    "required": False,
                    "help_text": help_text,
                    "options": options,
                    "section": section,
                    "position": position,
                }
            )
    return rows


@dataclass
class AnimalFactory:
    rng: random.Random
    listing_orgs: list[int]
    now: datetime
    statuses: dict[tuple[int, str], tuple[int, bool]] = field(default_factory=dict)
    anchor_animals: int = 0  # animals 1..anchor_animals belong to the first organization

    def _organization(self, animal_id: int) -> int:
        if not self.anchor_animals:
            return self.rng.choice(self.listing_orgs)
        if animal_id <= self.anchor_animals or len(self.listing_orgs) == 1:
            return self.listing_orgs[0]
        return self.rng.choice(self.listing_orgs[1:])

    def row(self, animal_id: int) -> dict[str, Any]:
        rng = self.rng
        animal_type = taxonomy.type_by_slug(_weighted(rng, TYPE_WEIGHTS))
        breed = rng.choice(animal_type.breeds)
        mixed = rng.random() < 0.3
        secondary = rng.choice(animal_type.breeds).name if mixed and rng.random() < 0.7 else None
        colors = rng.sample(animal_type.colors, k=min(len(animal_type.colors), rng.randint(1, 3)))
        coats = [c for c in Coat if c.value.capitalize() in animal_type.coats]
        status = _weighted(rng, STATUS_WEIGHTS)
        show_public = rng.random() < 0.97
        org_id = self._organization(animal_id)
        published = self.now - timedelta(seconds=rng.randint(0, 730 * 86_400))
        name = rng.choice(NAMES)
        if rng.random() < 0.3:
            name = f"{name} {rng.choice(NAMES)}"
        is_dog, is_cat = animal_type.slug == "dog", animal_type.slug == "cat"
        custom_status = self.statuses.get((org_id, status.value))
        row: dict[str, Any] = {
            "id": animal_id,
            "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "organization_id": org_id,
            "owner_person_id": None,
            "organization_animal_id": f"A{animal_id:07d}" if rng.random() < 0.8 else None,
            "type": animal_type.slug,
            "species": breed.species,
            "breed_primary": breed.name,
            "breed_secondary": secondary,
            "breed_mixed": mixed,
            "breed_unknown": False,
            "color_primary": colors[0],
            "color_secondary": colors[1] if len(colors) > 1 else None,
            "color_tertiary": colors[2] if len(colors) > 2 else None,
            "age": rng.choice(KNOWN_AGES).value,
            "birth_date": None,
            "age_years": None,
            "age_months": None,
            "sex": rng.choices(list(Sex), weights=(48, 48, 4))[0].value,
            "size": rng.choice(KNOWN_SIZES).value,
            "coat": rng.choice(coats).value if coats else None,
            "tail": None,
            "weight_value": round(rng.uniform(0.5, 60), 1) if is_dog or is_cat else None,
            "weight_unit": "lb" if is_dog or is_cat else None,
            "spayed_neutered": rng.random() < 0.7,
            "house_trained": rng.random() < 0.6 if is_dog or is_cat else None,
            "declawed": (rng.random() < 0.1) if is_cat else None,
            "shots_current": rng.random() < 0.8,
            "special_needs": [rng.choice(SPECIAL_NEEDS)] if rng.random() < 0.05 else [],
            "good_with_children": rng.choice((True, False, None)),
            "good_with_dogs": rng.choice((True, False, None)),
            "good_with_cats": rng.choice((True, False, None)),
            "good_with_other": [],
            "bad_with_other": [],
            "temperaments": rng.sample(TEMPERAMENTS, k=rng.randint(0, 3)),
            "tags": rng.sample(TAGS, k=rng.randint(0, 5)),
            "name": name,
            "description": f"{name} is a {breed.name.lower()} looking for a loving home.",
            "photos": _photos("animals", animal_id, rng.randint(0, 3)),
            "videos": [],
            "health": rng.choice(list(Health)).value,
            "medical_notes": None,
            "microchip_id": f"985{animal_id:012d}" if rng.random() < 0.5 else None,
            "adoption_fee": str(rng.choice((0, 50, 75, 100, 150, 250, 300))),
            "status": status.value,
            "custom_status_id": custom_status[0] if custom_status else None,
            "status_changed_at": published + timedelta(days=rng.randint(0, 30)),
            "status_change_notes": None,
            "show_public": show_public,
            "public_status": None,  # set below, from the row
            "intake_date": (published - timedelta(days=rng.randint(0, 60))).date().isoformat(),
            "outcome_date": None,
            "adopted_on": None,
            "adopted_by_person_id": None,
            "primary_veterinarian_id": None,
            "template_id": None,
            "location_found": None,
            "reason_for_surrender": None,
            "custom_field_data": {"favorite_toy": rng.choice(TOYS)} if rng.random() < 0.5 else {},
            "published_at": published,
            "created_at": published,
            "updated_at": published,
            "deleted_at": None,
        }
        row["public_status"] = listing.public_status(
            organization_id=org_id,
            show_public=show_public,
            deleted=False,
            status=status.value,
            custom_status_public=custom_status[1] if custom_status else None,
            age=row["age"],
            size=row["size"],
        )
        return row


def _batches(factory: AnimalFactory, start: int, count: int) -> Iterator[list[dict[str, Any]]]:
    for first in range(start, start + count, BATCH):
        yield [factory.row(i) for i in range(first, min(start + count, first + BATCH))]


# The pet-care businesses every demo has one of (the others come by chance).
PROVIDER_KINDS = (OrganizationKind.CLINIC, OrganizationKind.GROOMER, OrganizationKind.SHOP)
# Pet owners: platform users (no organization) with pets of their own, never listed.
ANIMALS_PER_OWNER = 100
FIRST_NAMES = ("Ana", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hugo", "Iris", "Jamal")
LAST_NAMES = ("Rivera", "Okafor", "Nguyen", "Schmidt", "Haddad", "Kowalski", "Silva", "Tanaka")
OWNER_NOTES = (None, None, "Allergic to chicken.", "Takes thyroid medication daily.")


def owner_rows(rng: random.Random, count: int, now: datetime) -> list[dict[str, Any]]:
    """Pet owners ``petowner1``... (platform users: no organization)."""
    rows: list[dict[str, Any]] = []
    for n in range(1, count + 1):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        rows.append(
            {
                "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "organization_id": None,
                "role": PersonRole.OWNER.value,
                "name": f"{first} {last}",
                "first_name": first,
                "last_name": last,
                "username": f"petowner{n}",
                "email": f"petowner{n}@example.com",
                "additional_emails": [],
                "additional_phones": [],
                "status": PersonStatus.ACTIVE.value,
                "tags": [],
                "custom_field_data": {},
                "created_at": now,
                "updated_at": now,
            }
        )
    return rows


STAFF_PER_PROVIDER = 2
STAFF_ROLES = {
    OrganizationKind.CLINIC.value: PersonRole.VETERINARIAN,
    OrganizationKind.GROOMER.value: PersonRole.GROOMER,
}
SPECIALTIES: tuple[list[str], ...] = ([], ["dog", "cat"], ["dog"], ["cat"], ["bird", "rabbit"])


def staff_rows(
    rng: random.Random, organizations: Sequence[dict[str, Any]], now: datetime
) -> list[dict[str, Any]]:
    """Vets of every clinic and groomers of every groomer, each with a unique handle
    (``dr_ana_r``, ``ben_o``) that their booking ids are made of."""
    rows: list[dict[str, Any]] = []
    slugs: set[str] = set()
    for org in organizations:
        role = STAFF_ROLES.get(org["kind"])
        if role is None:
            continue
        for _ in range(STAFF_PER_PROVIDER):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            title = "Dr. " if role is PersonRole.VETERINARIAN else ""
            base = ("dr_" if title else "") + f"{first}_{last[0]}".lower()
            slug, n = base, 1
            while slug in slugs:
                n += 1
                slug = f"{base}{n}"
            slugs.add(slug)
            rows.append(
                {
                    "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    "organization_id": org["id"],
                    "role": role.value,
                    "name": f"{title}{first} {last}",
                    "first_name": first,
                    "last_name": last,
                    "additional_emails": [],
                    "additional_phones": [],
                    "status": PersonStatus.ACTIVE.value,
                    "tags": [],
                    "custom_field_data": {},
                    "created_at": now,
                    "updated_at": now,
                    "slug": slug,
                    "specialties": rng.choice(SPECIALTIES),
                }
            )
    return rows


def owned_animal_rows(
    rng: random.Random, owner_ids: list[int], first_id: int, now: datetime
) -> list[dict[str, Any]]:
    """One to three pets for each owner: owned, never listed, with a birth date."""
    factory = AnimalFactory(rng, [0], now)
    rows = []
    animal_id = first_id
    for owner in owner_ids:
        for _ in range(rng.randint(1, 3)):
            born = (now - timedelta(days=rng.randint(60, 14 * 365))).date()
            row = factory.row(animal_id)
            row.update(
                organization_id=None,
                owner_person_id=owner,
                organization_animal_id=None,
                status=StatusClass.OWNED.value,
                custom_status_id=None,
                show_public=False,
                public_status=None,
                birth_date=born.isoformat(),
                age=ages.life_stage(row["type"], born.isoformat(), now.date()),
                medical_notes=rng.choice(OWNER_NOTES),
                intake_date=None,
                adoption_fee=None,
                custom_field_data={},
            )
            rows.append(row)
            animal_id += 1
    return rows


# Shops' products: what each category sells, who makes it, and what it may be made of.
PRODUCTS_PER_SHOP = 60
PRODUCT_BRANDS = ("Acme Pet", "Happy Tails", "Northwind", "PawPure", "Wholesome Paws", "Zoomies")
PRODUCT_KINDS = {
    ProductCategory.NUTRITION: ("Kibble", "Wet Food", "Freeze-Dried Bites", "Senior Formula"),
    ProductCategory.TREATS: ("Dental Chews", "Jerky Strips", "Training Treats", "Biscuits"),
    ProductCategory.TOYS: ("Rope Tug", "Squeaky Duck", "Feather Wand", "Puzzle Feeder"),
    ProductCategory.WELLNESS: ("Joint Supplement", "Probiotic Powder", "Fish Oil", "Calming Drops"),
    ProductCategory.SUPPLIES: ("Leash", "Harness", "Litter Box", "Travel Crate"),
    ProductCategory.GROOMING: ("Oatmeal Shampoo", "Slicker Brush", "Nail Clippers", "Paw Balm"),
}
FLAVOURS = ("Salmon", "Chicken", "Lamb", "Turkey", "Duck", "Venison", "Pumpkin", "Blueberry")
PRODUCT_SPECIES: tuple[list[str], ...] = (
    ["dog"],
    ["cat"],
    ["dog", "cat"],
    [],
    ["rabbit", "small-furry"],
    ["bird"],
)


def product_rows(
    rng: random.Random, shop_ids: Sequence[int], count: int, now: datetime, first_id: int = 1
) -> list[dict[str, Any]]:
    """``count`` products spread over the shops, with stock (a few sold out)."""
    rows = []
    for product_id in range(first_id, first_id + count):
        category = rng.choice(list(PRODUCT_KINDS))
        brand = rng.choice(PRODUCT_BRANDS)
        kind = rng.choice(PRODUCT_KINDS[category])
        flavour = rng.choice(FLAVOURS)
        line = rng.choice(NAMES)  # the product line: "Happy Tails Luna Salmon Kibble"
        name = f"{brand} {line} {flavour} {kind}"
        diets = rng.sample(list(DietaryPreference), k=rng.choice((0, 1, 1, 2)))
        created = now - timedelta(seconds=rng.randint(0, 400 * 86_400))
        rows.append(
            {
                "id": product_id,
                "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "shop_organization_id": shop_ids[product_id % len(shop_ids)],
                "sku": f"SKU-{product_id:07d}",
                "name": name,
                "brand": brand,
                "description": f"{name}: a {category.value} favourite, with {flavour.lower()}.",
                "category": category.value,
                "dietary_preferences": sorted(d.value for d in diets),
                "species": rng.choice(PRODUCT_SPECIES),
                "price_amount": rng.choice((499, 899, 1299, 1999, 2499, 3999, 5499)),
                "currency": "USD",
                "images": [f"{PHOTO_HOST}/products/{product_id}/1/"],
                "stock": 0 if rng.random() < 0.08 else rng.randint(1, 200),
                "restock_date": None,
                "active": True,
                "created_at": created,
                "updated_at": created,
            }
        )
    return rows


class DatabaseNotEmpty(RuntimeError):
    pass


def load(
    db: Database,
    animals: int,
    *,
    seed: int = 2026,
    organizations: int | None = None,
    anchor_animals: int = 0,
    products: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[int, int]:
    """Load demo data into an empty database; returns (organizations, animals).

    With ``anchor_animals``, the first organization (always a shelter) holds that many of the
    animals and the others share the rest: a benchmark's large shelter. ``products`` is the
    size of the catalog (by default sixty a shop).
    """
    rng = random.Random(seed)
    org_count = organizations or max(8, animals // ANIMALS_PER_ORGANIZATION)
    with db.transaction() as tx:
        if not _empty(tx.reader):
            raise DatabaseNotEmpty("the database already holds data")
        orgs = organization_rows(rng, org_count, EPOCH)
        writes.insert_organizations(tx, orgs)
        listing_orgs = [o["id"] for o in orgs if o["kind"] in ("shelter", "rescue")]
        statuses, status_index = status_rows(listing_orgs)
        writes.insert_custom_statuses(tx, statuses)
        writes.insert_custom_fields(tx, field_rows(listing_orgs))
    factory = AnimalFactory(rng, listing_orgs, EPOCH, status_index, min(anchor_animals, animals))
    # Pet owners and the businesses they use draw from a generator of their own, so the
    # listing organizations and their animals stay what they were before these existed.
    owners_rng = random.Random(seed + 1)
    with db.transaction() as tx:
        providers = organization_rows(owners_rng, 3, EPOCH, PROVIDER_KINDS, len(orgs) + 1)
        writes.insert_organizations(tx, providers)
    shops = [o["id"] for o in [*orgs, *providers] if o["kind"] == OrganizationKind.SHOP]
    count = PRODUCTS_PER_SHOP * len(shops) if products is None else products
    with writes.bulk_load(db) as tx:
        for first in range(1, count + 1, BATCH):
            size = min(BATCH, count - first + 1)
            writes.insert_products(tx, product_rows(owners_rng, shops, size, EPOCH, first))
        owners = owner_rows(owners_rng, max(3, animals // ANIMALS_PER_OWNER), EPOCH)
        for batch in _batches(factory, 1, animals):
            writes.insert_animals(tx, batch)
            if progress:
                progress(len(batch))
        writes.insert_persons(tx, owners)
        writes.insert_persons(tx, staff_rows(owners_rng, [*orgs, *providers], EPOCH))
        owner_ids = writes.person_ids(tx.reader, [o["uuid"] for o in owners])
        writes.insert_animals(tx, owned_animal_rows(owners_rng, owner_ids, animals + 1, EPOCH))
    db.analyze()
    return len(orgs) + len(providers), animals


def _empty(reader: Reader) -> bool:
    return writes.row_count(reader, "organizations") == writes.row_count(reader, "animals") == 0


def is_empty(db: Database) -> bool:
    with db.read() as reader:
        return _empty(reader)


def first_of_kind(db: Database, kind: OrganizationKind) -> str:
    """The code of the first organization of ``kind`` (every demo has a clinic, a groomer and
    a shop)."""
    with db.read() as reader:
        code = organization_queries.first_code_of_kind(reader, kind.value)
    if code is None:
        raise LookupError(f"the database holds no {kind.value}")
    return code


FIRST_OWNER = "petowner1"


def first_listing_organization(db: Database) -> str:
    """The code of the first shelter or rescue (demo keys and docs use it)."""
    with db.read() as reader:
        code = organization_queries.first_listing_code(reader)
    if code is None:
        raise LookupError("the database holds no shelter or rescue")
    return code
