"""product search counter: keyword searches of the catalog are cached until the catalog's
searchable text changes (stock changes do not count)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 22:10:00
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("INSERT INTO change_counters (name, value) VALUES ('products', 0)")


def downgrade() -> None:
    op.execute("DELETE FROM change_counters WHERE name = 'products'")
