"""PawPlacer public read API and write API."""
