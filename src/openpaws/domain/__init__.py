"""The domain core: entities, canonical vocabularies and rules. No HTTP, no SQL."""
