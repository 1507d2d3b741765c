"""health: pets' medical records and identification tags (the microchip stays on the animal)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 21:08:47.247687
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import openpaws.storage.types

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "id_tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("animal_id", sa.Integer(), nullable=True),
        sa.Column("tag_type", sa.String(length=16), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("issuer", sa.String(length=200), nullable=True),
        sa.Column("registered_on", sa.String(length=10), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", openpaws.storage.types.Timestamp(), nullable=False),
        sa.ForeignKeyConstraint(
            ["animal_id"], ["animals.id"], name=op.f("fk_id_tags_animal_id_animals")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_id_tags")),
        sa.UniqueConstraint("tag_type", "code", name=op.f("uq_id_tags_tag_type_code")),
        sa.UniqueConstraint("uuid", name=op.f("uq_id_tags_uuid")),
    )
    with op.batch_alter_table("id_tags", schema=None) as batch_op:
        batch_op.create_index("ix_id_tags_animal_id", ["animal_id"], unique=False)

    op.create_table(
        "medical_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("animal_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("occurred_on", sa.String(length=10), nullable=True),
        sa.Column("provider_person_id", sa.Integer(), nullable=True),
        sa.Column("next_due_on", sa.String(length=10), nullable=True),
        sa.Column("created_at", openpaws.storage.types.Timestamp(), nullable=False),
        sa.Column("updated_at", openpaws.storage.types.Timestamp(), nullable=False),
        sa.ForeignKeyConstraint(
            ["animal_id"], ["animals.id"], name=op.f("fk_medical_records_animal_id_animals")
        ),
        sa.ForeignKeyConstraint(
            ["provider_person_id"],
            ["persons.id"],
            name=op.f("fk_medical_records_provider_person_id_persons"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_medical_records")),
        sa.UniqueConstraint("uuid", name=op.f("uq_medical_records_uuid")),
    )
    with op.batch_alter_table("medical_records", schema=None) as batch_op:
        batch_op.create_index(
            "ix_medical_records_animal_id_created_at",
            ["animal_id", "created_at", "id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("medical_records", schema=None) as batch_op:
        batch_op.drop_index("ix_medical_records_animal_id_created_at")

    op.drop_table("medical_records")
    with op.batch_alter_table("id_tags", schema=None) as batch_op:
        batch_op.drop_index("ix_id_tags_animal_id")

    op.drop_table("id_tags")
