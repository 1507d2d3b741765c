"""Petfinder API v2."""
