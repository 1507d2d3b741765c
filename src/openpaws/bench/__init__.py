"""The benchmark behind `make bench` and `openpaws bench` (never part of the tests)."""
