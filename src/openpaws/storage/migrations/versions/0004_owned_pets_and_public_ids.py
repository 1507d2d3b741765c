"""owned pets and public ids: a person's own pets are listed by owner and creation time; the
key behind the public ids of records is made once and kept

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 21:00:00

``instance_keys`` holds secrets this installation makes once and keeps for good (the key of
the fixed-width public ids some APIs show instead of row numbers): every process of one
database must read the same one, and ids shown once must never change.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import openpaws.storage.types

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    keys = op.create_table(
        "instance_keys",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("value", sa.String(length=128), nullable=False),
        sa.Column("created_at", openpaws.storage.types.Timestamp(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_instance_keys")),
    )
    op.bulk_insert(
        keys,
        [
            {
                "name": "public_ids",
                "value": secrets.token_hex(32),
                "created_at": datetime.now(UTC),
            }
        ],
    )
    with op.batch_alter_table("animals", schema=None) as batch_op:
        batch_op.drop_index("ix_animals_owner_person_id")
        batch_op.create_index(
            "ix_animals_owner_person_id_created_at",
            ["owner_person_id", "created_at", "id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("animals", schema=None) as batch_op:
        batch_op.drop_index("ix_animals_owner_person_id_created_at")
        batch_op.create_index("ix_animals_owner_person_id", ["owner_person_id"], unique=False)
    op.drop_table("instance_keys")
