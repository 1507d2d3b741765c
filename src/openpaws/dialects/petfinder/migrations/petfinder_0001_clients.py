"""petfinder: the OAuth clients made before clients had a dialect are Petfinder's

Revision ID: petfinder_0001
Revises: 0003
Create Date: 2026-12-02 16:00:00
"""

from __future__ import annotations

from alembic import op

revision = "petfinder_0001"
down_revision = "0003"
branch_labels = ("petfinder",)
depends_on = None


def upgrade() -> None:
    op.execute("UPDATE oauth_clients SET dialect = 'petfinder' WHERE dialect = ''")


def downgrade() -> None:
    op.execute("UPDATE oauth_clients SET dialect = '' WHERE dialect = 'petfinder'")
