"""Public ids: fixed width, every row number round-trips, neighbours look unrelated, each noun
permutes differently, and anything else decodes to nothing."""

from __future__ import annotations

import itertools

import pytest

from openpaws.domain.public_ids import BITS, PublicIds

IDS = PublicIds(bytes(range(32)))


@pytest.mark.parametrize("number", [1, 2, 41, 10**6, 2**32 + 7, 2**BITS - 1])
def test_row_numbers_round_trip_at_a_fixed_width(number: int) -> None:
    text = IDS.encode("pet", number)
    assert text.startswith("pet_") and len(text) == 12
    assert text[4:].isalnum() and text[4:] == text[4:].lower()
    assert IDS.decode("pet", text) == number


def test_neighbours_share_few_characters() -> None:
    texts = [IDS.encode("pet", n)[4:] for n in range(1, 200)]
    assert len(set(texts)) == len(texts)
    pairs = itertools.pairwise(texts)
    same = [sum(a == b for a, b in zip(x, y, strict=True)) for x, y in pairs]
    assert max(same) <= 4


def test_each_noun_and_key_permutes_differently() -> None:
    assert IDS.encode("pet", 7)[4:] != IDS.encode("ord", 7)[4:]
    assert IDS.decode("ord", IDS.encode("pet", 7)) is None
    assert PublicIds(b"another key").encode("pet", 7) != IDS.encode("pet", 7)


@pytest.mark.parametrize(
    "text", ["pet_", "pet_1234567", "pet_123456789", "pet_ABCDEFGH", "pet_zzzzzzzz", "pet_1234-678"]
)
def test_other_texts_decode_to_nothing(text: str) -> None:
    assert IDS.decode("pet", text) is None


@pytest.mark.parametrize("number", [0, -1, 2**BITS])
def test_numbers_out_of_range_have_no_id(number: int) -> None:
    with pytest.raises(ValueError):
        IDS.encode("pet", number)
