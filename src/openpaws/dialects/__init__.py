"""The public APIs OpenPaws serves, each in its own vocabulary and wire shape."""
