"""Pure functions from canonical entities to Petfinder wire shapes."""

from __future__ import annotations

import re
from datetime import datetime

import msgspec

from openpaws.dialects.encoded import EncodedMemo
from openpaws.dialects.petfinder import vocab, wire
from openpaws.domain import entities, taxonomy

_NON_SLUG = re.compile(r"[^a-z0-9]+")
_encode = msgspec.json.Encoder().encode
_NO_ADDRESS = wire.Address(None, None, None, None, None, None)


def timestamp(value: datetime) -> str:
    """Petfinder's timestamp format: 2018-12-22T20:31:32+0000."""
    return value.strftime("%Y-%m-%dT%H:%M:%S+0000")


def slug(text: str | None) -> str:
    return _NON_SLUG.sub("-", (text or "").lower()).strip("-")


def distance(miles: float | None) -> float | None:
    return None if miles is None else round(miles, 4)


class Links:
    """Builds hrefs under the dialect's mount prefix."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def animal(self, animal_id: int) -> wire.Link:
        return wire.Link(f"{self.prefix}/animals/{animal_id}")

    def type(self, slug: str) -> wire.Link:
        return wire.Link(f"{self.prefix}/types/{slug}")

    def breeds(self, slug: str) -> wire.Link:
        return wire.Link(f"{self.prefix}/types/{slug}/breeds")

    def organization(self, code: str) -> wire.Link:
        return wire.Link(f"{self.prefix}/organizations/{code.lower()}")

    def organization_animals(self, code: str) -> wire.Link:
        return wire.Link(f"{self.prefix}/animals?organization={code.lower()}")


def photo(p: entities.Photo) -> wire.Photo:
    return wire.Photo(
        small=p.small or p.full, medium=p.medium or p.full, large=p.large or p.full, full=p.full
    )


def address(a: entities.Address) -> wire.Address:
    return wire.Address(a.address1, a.address2, a.city, a.state, a.postcode, a.country)


class AnimalMemo:
    """The encoded wire form of recently shown animals, reused while neither changes.

    Keyed on the animal's and its organization's ids and ``updated_at``: every write to either
    sets ``updated_at``, so a changed record is a new key. Only distance-free forms are kept;
    a radius search writes its distance into a copy. A page costs a copy of each animal's bytes.
    """

    def __init__(self, links: Links, site_url: str) -> None:
        self.links = links
        self.site_url = site_url
        self._forms = EncodedMemo()

    def animal(self, a: entities.Animal, miles: float | None) -> msgspec.Raw:
        org = a.organization
        key = (a.id, a.updated_at, org.id if org else None, org.updated_at if org else None)
        form = self._forms.get(key, lambda: animal(a, self.links, self.site_url, None))
        if miles is None:
            return form
        # The distance-free form with this request's distance written in: no nested object of
        # the form has a distance, and inside strings quotes are escaped, so the key occurs
        # once, unescaped: the field itself.
        written = _encode(distance(miles))
        return msgspec.Raw(bytes(form).replace(_NO_DISTANCE, b'"distance":' + written, 1))


_NO_DISTANCE = b'"distance":null'


def animal(a: entities.Animal, links: Links, site_url: str, miles: float | None) -> wire.Animal:
    animal_type = taxonomy.type_by_slug(a.type)
    org = a.organization
    photos = [photo(p) for p in a.photos]
    org_code = org.code if org else ""
    place = f"{slug(org.address.state)}/{slug(org.address.city)}" if org else "-/-"
    return wire.Animal(
        id=a.id,
        organization_id=org.code if org else None,
        url=f"{site_url}/{a.type}/{slug(a.name)}-{a.id}/{place}/"
        f"{org_code.lower()}-{slug(org.name if org else '')}/",
        type=animal_type.name,
        species=a.species,
        breeds=wire.Breeds(a.breed_primary, a.breed_secondary, a.breed_mixed, a.breed_unknown),
        colors=wire.Colors(a.color_primary, a.color_secondary, a.color_tertiary),
        age=vocab.AGE_OUT[a.age],  # type: ignore[index]
        gender=vocab.GENDER_OUT[a.sex],  # type: ignore[index]
        size=vocab.SIZE_OUT[a.size],  # type: ignore[index]
        coat=vocab.COAT_OUT[a.coat] if a.coat else None,  # type: ignore[index]
        # As on the real service, every attribute but declawed is a boolean: unknown is false.
        attributes=wire.Attributes(
            bool(a.spayed_neutered),
            bool(a.house_trained),
            a.declawed,
            a.has_special_needs,
            bool(a.shots_current),
        ),
        environment=wire.Environment(a.good_with_children, a.good_with_dogs, a.good_with_cats),
        tags=a.tags,
        name=a.name,
        description=a.description,
        organization_animal_id=a.organization_animal_id,
        photos=photos,
        primary_photo_cropped=photos[0] if photos else None,
        videos=[wire.Video(embed) for embed in a.videos],
        status=vocab.STATUS_OUT[a.public_status],  # type: ignore[index]
        status_changed_at=timestamp(a.status_changed_at),
        published_at=timestamp(a.published_at),
        distance=distance(miles),
        contact=wire.Contact(
            org.email if org else None,
            org.phone if org else None,
            address(org.address) if org else _NO_ADDRESS,
        ),
        links=wire.AnimalLinks(
            self=links.animal(a.id),
            type=links.type(a.type),
            organization=links.organization(org_code),
        ),
    )


def animal_type(t: taxonomy.AnimalType, links: Links) -> wire.AnimalType:
    return wire.AnimalType(
        name=t.name,
        coats=list(t.coats),
        colors=list(t.colors),
        genders=list(t.genders),
        links=wire.TypeLinks(self=links.type(t.slug), breeds=links.breeds(t.slug)),
    )


def breeds(t: taxonomy.AnimalType, links: Links) -> wire.BreedsList:
    type_link = wire.BreedLinks(type=links.type(t.slug))
    return wire.BreedsList([wire.Breed(b.name, type_link) for b in t.breeds])


def organization(
    o: entities.Organization, links: Links, site_url: str, miles: float | None
) -> wire.Organization:
    hours = o.hours
    social = o.social_media
    return wire.Organization(
        id=o.code,
        name=o.name,
        email=o.email,
        phone=o.phone,
        address=address(o.address),
        hours=wire.Hours(
            hours.get("monday"),
            hours.get("tuesday"),
            hours.get("wednesday"),
            hours.get("thursday"),
            hours.get("friday"),
            hours.get("saturday"),
            hours.get("sunday"),
        ),
        url=f"{site_url}/member/{slug(o.address.country)}/{slug(o.address.state)}/"
        f"{slug(o.address.city)}/{o.code.lower()}-{slug(o.name)}/",
        website=o.website,
        mission_statement=o.mission_statement,
        adoption=wire.Adoption(o.adoption_policy, o.adoption_url),
        social_media=wire.SocialMedia(
            social.get("facebook"),
            social.get("twitter"),
            social.get("youtube"),
            social.get("instagram"),
            social.get("pinterest"),
        ),
        photos=[photo(p) for p in o.photos],
        distance=distance(miles),
        links=wire.OrganizationLinks(
            self=links.organization(o.code), animals=links.organization_animals(o.code)
        ),
    )
