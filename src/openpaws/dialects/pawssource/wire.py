"""Paws Source's wire shapes: every object as the seed shows it, in ``{"data": ...}``."""

from __future__ import annotations

from typing import Generic, TypeVar

import msgspec

T = TypeVar("T")


class Pet(msgspec.Struct, gc=False):
    id: str
    name: str
    species: str
    breed: str | None
    age_years: int | None
    weight_kg: float | None
    status: str
    created_at: str
    date_of_birth: str | None
    medical_notes: str | None
    updated_at: str


class Meta(msgspec.Struct, gc=False):
    next_cursor: str | None
    has_more: bool


class Page(msgspec.Struct, Generic[T], gc=False):
    data: list[T]
    meta: Meta


class One(msgspec.Struct, Generic[T], gc=False):
    data: T


class Deleted(msgspec.Struct, gc=False):
    id: str
    deleted: bool = True


class Detail(msgspec.Struct, gc=False):
    field: str
    issue: str
    message: str


class ErrorInfo(msgspec.Struct, gc=False):
    code: str
    message: str
    details: list[Detail]


class Error(msgspec.Struct, gc=False):
    error: ErrorInfo
