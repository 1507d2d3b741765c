"""Which organizations lie within a radius, and how far each is."""

from __future__ import annotations

from openpaws.domain.geo import Point, bounding_box, haversine_miles
from openpaws.domain.search import Near
from openpaws.storage import organization_queries
from openpaws.storage.database import Reader


def organizations_near(reader: Reader, near: Near) -> dict[int, float]:
    """Organization id -> distance in miles, for those within ``near.miles`` of ``near.point``.

    The bounding box query is index-driven; the exact distance is computed once per
    organization in the box, never per animal.
    """
    found = {}
    for org_id, lat, lon in organization_queries.located_in_box(
        reader, bounding_box(near.point, near.miles)
    ):
        miles = haversine_miles(near.point, Point(lat, lon))
        if miles <= near.miles:
            found[org_id] = miles
    return found
