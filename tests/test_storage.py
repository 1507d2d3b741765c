"""The schema comes from the migrations, and searches are served by indexes."""

from __future__ import annotations

from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from openpaws import schema
from openpaws.domain import geo
from openpaws.domain.search import AnimalFilters, AnimalSort
from openpaws.storage import animal_queries, migrate, writes
from openpaws.storage.database import Database, Reader
from openpaws.storage.tables import metadata
from tests.support import setup


def test_migrations_match_the_tables(fresh_db: Database) -> None:
    assert schema.is_current(fresh_db)
    with fresh_db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": migrate.include_object})
        diff = compare_metadata(context, metadata)
    assert diff == []


def test_downgrade_and_upgrade_again(fresh_db: Database) -> None:
    schema.downgrade(fresh_db, "base")
    assert not schema.is_current(fresh_db)
    schema.upgrade(fresh_db)
    assert schema.is_current(fresh_db)


def test_sqlite_runs_in_wal_with_full_sync(fresh_db: Database) -> None:
    if not fresh_db.is_sqlite:
        pytest.skip("SQLite pragmas")
    with fresh_db.read() as reader:
        assert reader.scalar("PRAGMA journal_mode") == "wal"
        assert reader.scalar("PRAGMA synchronous") == 2  # FULL
        assert reader.scalar("PRAGMA foreign_keys") == 1


def plan(reader: Reader, sql: str, params: dict[str, Any]) -> str:
    if reader.is_sqlite:
        return "\n".join(str(row[-1]) for row in reader.all(f"EXPLAIN QUERY PLAN {sql}", params))
    reader.scalar("SELECT set_config('enable_seqscan', 'off', false)")
    try:
        return "\n".join(str(row[0]) for row in reader.all(f"EXPLAIN {sql}", params))
    finally:
        reader.scalar("SELECT set_config('enable_seqscan', 'on', false)")


def assert_indexed(reader: Reader, sql: str, params: dict[str, Any]) -> str:
    text = plan(reader, sql, params)
    if reader.is_sqlite:
        assert "SCAN a\n" not in text + "\n" and "SCAN animals\n" not in text + "\n", text
    else:
        assert "Seq Scan on animals" not in text, text
    return text


FILTERS = {
    "status": AnimalFilters(statuses=("available",)),
    "type": AnimalFilters(statuses=("available",), types=("dog",)),
    "organization": AnimalFilters(statuses=("available",), organization_ids=(1, 2)),
    "type and organization": AnimalFilters(
        statuses=("available", "adopted"), types=("cat",), organization_ids=(3,)
    ),
}


@pytest.mark.parametrize("name", sorted(FILTERS))
def test_pages_and_counts_use_indexes(seeded_db: Database, name: str) -> None:
    with seeded_db.read() as reader:
        where = animal_queries.where(reader, FILTERS[name])
        page_sql = animal_queries.page_sql(where, AnimalSort.PUBLISHED_DESC)
        params = {**where.params, "limit": 20, "offset": 40}
        page_plan = assert_indexed(reader, page_sql, params)
        if reader.is_sqlite and name in ("status", "type"):
            # The hot pages walk the index in order: only the final 20 rows may be sorted.
            steps = reader.all(f"EXPLAIN QUERY PLAN {page_sql}", params)
            sorts = [parent for _, parent, _, detail in steps if "TEMP B-TREE" in detail]
            assert sorts == [0], page_plan
        assert_indexed(reader, f"SELECT count(*) FROM animals a WHERE {where.sql}", where.params)


def test_name_search_uses_the_trigram_index(seeded_db: Database) -> None:
    with seeded_db.read() as reader:
        where = animal_queries.where(reader, AnimalFilters(statuses=(), name="fred"))
        text = assert_indexed(
            reader, f"SELECT count(*) FROM animals a WHERE {where.sql}", where.params
        )
        assert ("animal_text_fts" in text) if reader.is_sqlite else ("ix_animals_name_trgm" in text)


def test_location_box_uses_an_index(seeded_db: Database) -> None:
    box = geo.bounding_box(geo.Point(40.7, -74.0), 100)
    sql = (
        "SELECT o.id FROM organizations o WHERE o.latitude BETWEEN :a AND :b "
        "AND o.longitude BETWEEN :c AND :d"
    )
    params = {
        "a": box.min_latitude,
        "b": box.max_latitude,
        "c": box.min_longitude,
        "d": box.max_longitude,
    }
    with seeded_db.read() as reader:
        text = plan(reader, sql, params)
    assert "ix_organizations_latitude_longitude" in text, text


def test_free_text_search_uses_the_trigram_indexes(seeded_db: Database) -> None:
    """PawPlacer's search over name, description and breeds is index-backed on both databases."""
    with seeded_db.read() as reader:
        where = animal_queries.where(reader, AnimalFilters(statuses=(), text="retriever"))
        listed, text_condition = where.sql.split(" AND ", 1)
        assert listed == "a.public_status IS NOT NULL"
        sql = f"SELECT count(*) FROM animals a WHERE {text_condition}"
        text = assert_indexed(reader, sql, where.params)
    if seeded_db.is_sqlite:
        assert "animal_text_fts" in text
    else:
        for index in ("name", "description", "breed_primary", "breed_secondary"):
            assert f"ix_animals_{index}_trgm" in text, text


def _trigger(db: Database) -> str | None:
    with db.engine.connect() as conn:
        found = conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
            ("animals_text_fts_insert",),
        )
        return found.scalar_one_or_none()


def test_a_bulk_load_indexes_the_text_once_and_fails_whole(fresh_db: Database) -> None:
    if not fresh_db.is_sqlite:
        pytest.skip("the substring index rebuilt after a bulk load is SQLite's FTS5")
    trigger = _trigger(fresh_db)
    assert trigger is not None
    with pytest.raises(RuntimeError, match="midway"), writes.bulk_load(fresh_db) as tx:
        tx.conn.exec_driver_sql("DELETE FROM change_counters")
        raise RuntimeError("midway")
    assert _trigger(fresh_db) == trigger  # the failed load took nothing with it
    with fresh_db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM change_counters").scalar_one() > 0

    setup.load_demo(fresh_db, 400, organizations=10)
    assert _trigger(fresh_db) == trigger
    with fresh_db.engine.connect() as conn:
        conn.exec_driver_sql(
            "INSERT INTO animal_text_fts(animal_text_fts) VALUES ('integrity-check')"
        )
        for piece in ("bel", "max", "ret"):
            indexed = conn.exec_driver_sql(
                "SELECT count(*) FROM animal_text_fts WHERE animal_text_fts MATCH ?",
                (f'"{piece}"',),
            ).scalar_one()
            scanned = conn.exec_driver_sql(
                "SELECT count(*) FROM animals WHERE lower(name || ' ' || coalesce(description, '')"
                " || ' ' || coalesce(breed_primary, '') || ' ' || coalesce(breed_secondary, ''))"
                " LIKE ?",
                (f"%{piece}%",),
            ).scalar_one()
            assert indexed == scanned > 0, piece
