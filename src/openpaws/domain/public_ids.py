"""Public ids that are short, fixed-width, not sequential to the eye, and never change.

An id is ``<noun>_`` and 8 base-36 characters: the record's row number through a keyed
permutation of 40-bit numbers (a balanced Feistel network whose round function is keyed
BLAKE2b), so two neighbouring rows get unrelated ids, while every id still decodes to its
row number without a lookup table. Each noun permutes differently, so ``pet_x`` and
``ord_x`` never name the same row number. The key is made once per installation and kept in
its database (``storage.instance_keys``): ids, once shown, never change.

The permutation hides the order of rows from the casual eye; it is not a secret worth
protecting (row numbers are no secret), so a 40-bit block is enough.
"""

from __future__ import annotations

import hashlib

BITS = 40  # row numbers up to 2**40 - 1 (over a trillion)
HALF = BITS // 2
HALF_MASK = (1 << HALF) - 1
ROUNDS = 4
WIDTH = 8  # 36**8 > 2**40: every number fits in 8 base-36 characters
DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_VALUE = {c: i for i, c in enumerate(DIGITS)}


class PublicIds:
    def __init__(self, key: bytes) -> None:
        self._key = key

    def _round(self, noun: str, number: int, half: int) -> int:
        digest = hashlib.blake2b(
            f"{noun}:{number}:{half}".encode(), key=self._key, digest_size=4
        ).digest()
        return int.from_bytes(digest) & HALF_MASK

    def encode(self, noun: str, number: int) -> str:
        """``<noun>_`` and the 8 characters of ``number`` (a row number, 0 < n < 2**40)."""
        if not 0 < number < (1 << BITS):
            raise ValueError(f"{number} is out of the range of public ids")
        left, right = number >> HALF, number & HALF_MASK
        for n in range(ROUNDS):
            left, right = right, left ^ self._round(noun, n, right)
        value = (left << HALF) | right
        text = ""
        for _ in range(WIDTH):
            value, digit = divmod(value, 36)
            text = DIGITS[digit] + text
        return f"{noun}_{text}"

    def decode(self, noun: str, text: str) -> int | None:
        """The row number of a ``<noun>_...`` id, or None when it is not one."""
        prefix, _, body = text.partition("_")
        if prefix != noun or len(body) != WIDTH:
            return None
        value = 0
        for char in body:
            digit = _VALUE.get(char)
            if digit is None:
                return None
            value = value * 36 + digit
        if value >= 1 << BITS:
            return None
        left, right = value >> HALF, value & HALF_MASK
        for n in reversed(range(ROUNDS)):
            left, right = right ^ self._round(noun, n, left), left
        number = (left << HALF) | right
        return number or None
