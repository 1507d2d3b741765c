"""OpenPaws: one pet-data store, four public API dialects."""
