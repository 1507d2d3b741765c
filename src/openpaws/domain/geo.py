"""Locations without a network: US ZIP codes, "City, ST" and "lat,long", and distances.

The ZIP table ships as ``data/us_zipcodes.csv`` (42,789 ZIP codes with their city, state and
coordinates, taken from the ``zipcodes`` package 3.0.0); a city's point is the mean of its ZIP
codes'. It is held as compact tuples: the whole gazetteer costs a few megabytes.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from importlib import resources

EARTH_RADIUS_MILES = 3958.7613

# ZIP codes and coordinates in ASCII digits only (\d alone would take any script's digits).
_ZIP = re.compile(r"^(\d{5})(?:-\d{4})?$", re.ASCII)
_LAT_LONG = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$", re.ASCII)
_CITY_STATE = re.compile(r"^\s*([^,]+?)\s*,\s*([A-Za-z]{2})\s*$")


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Place:
    postcode: str
    city: str
    state: str
    point: Point


class UnknownLocation(ValueError):
    """The text names no place we know."""


def haversine_miles(a: Point, b: Point) -> float:
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    dlat = lat2 - lat1
    dlon = math.radians(b.longitude - a.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(h)))


@dataclass(frozen=True)
class Box:
    min_latitude: float
    max_latitude: float
    min_longitude: float
    max_longitude: float


def bounding_box(center: Point, miles: float) -> Box:
    """A latitude/longitude box that contains every point within ``miles`` of ``center``."""
    dlat = math.degrees(miles / EARTH_RADIUS_MILES)
    cos_lat = math.cos(math.radians(center.latitude))
    dlon = 180.0 if cos_lat < 1e-6 else min(180.0, dlat / cos_lat)
    return Box(
        center.latitude - dlat,
        center.latitude + dlat,
        center.longitude - dlon,
        center.longitude + dlon,
    )


# zip -> (city, state, latitude, longitude, standard): standard is an active delivery ZIP.
_Row = tuple[str, str, float, float, bool]


@cache
def _zips() -> dict[str, _Row]:
    text = resources.files("openpaws.domain").joinpath("data/us_zipcodes.csv").read_text()
    reader = csv.reader(io.StringIO(text))
    next(reader)
    return {
        postcode: (city, state, float(lat), float(lon), standard == "1")
        for postcode, city, state, lat, lon, standard in reader
    }


@cache
def _cities() -> dict[tuple[str, str], Point]:
    """Each city's centroid: the mean of its ZIP codes' points."""
    sums: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for city, state, lat, lon, _ in _zips().values():
        acc = sums[(city.casefold(), state.upper())]
        acc[0] += lat
        acc[1] += lon
        acc[2] += 1
    return {key: Point(lat / n, lon / n) for key, (lat, lon, n) in sums.items()}


def place_for_zip(postcode: str) -> Place | None:
    row = _zips().get(postcode)
    if row is None:
        return None
    city, state, lat, lon, _ = row
    return Place(postcode, city, state, Point(lat, lon))


def standard_zip_codes() -> list[str]:
    """Active delivery ZIP codes (no PO boxes or single-organization codes), sorted."""
    return [postcode for postcode, row in _zips().items() if row[4]]


def resolve(text: str) -> Point:
    """The point a location text names: a ZIP code, "City, ST" or "latitude,longitude"."""
    text = text.strip()
    if match := _ZIP.match(text):
        place = place_for_zip(match.group(1))
        if place is None:
            raise UnknownLocation(text)
        return place.point
    if match := _LAT_LONG.match(text):
        lat, lon = float(match.group(1)), float(match.group(2))
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise UnknownLocation(text)
        return Point(lat, lon)
    if match := _CITY_STATE.match(text):
        point = _cities().get((match.group(1).casefold(), match.group(2).upper()))
        if point is not None:
            return point
    raise UnknownLocation(text)


def warm_up() -> None:
    """Load the gazetteer now rather than on the first location search."""
    _cities()
