"""bookings: clinics' and groomers' offerings, appointments with their add-ons and the
slots they hold (a unique key: one provider never holds a slot twice), providers' handles,
organizations' time zones

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 20:52:23.070646
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import openpaws.storage.types

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "service_offerings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("service", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("tier", sa.Integer(), nullable=False),
        sa.Column("price_amount", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("slots", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_service_offerings_organization_id_organizations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_offerings")),
        sa.UniqueConstraint(
            "organization_id",
            "service",
            "kind",
            "code",
            name=op.f("uq_service_offerings_organization_id_service_kind_code"),
        ),
    )
    op.create_table(
        "appointments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("service", sa.String(length=16), nullable=False),
        sa.Column("animal_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("provider_organization_id", sa.Integer(), nullable=False),
        sa.Column("provider_person_id", sa.Integer(), nullable=False),
        sa.Column("appointment_type", sa.String(length=32), nullable=True),
        sa.Column("package_code", sa.String(length=32), nullable=True),
        sa.Column("requested_date", sa.String(length=10), nullable=False),
        sa.Column("preferred_time_slot", sa.String(length=16), nullable=True),
        sa.Column("scheduled_at", openpaws.storage.types.Timestamp(), nullable=True),
        sa.Column("slots", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("price_amount", sa.Integer(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("report", openpaws.storage.types.JSONText(), nullable=True),
        sa.Column("created_at", openpaws.storage.types.Timestamp(), nullable=False),
        sa.Column("updated_at", openpaws.storage.types.Timestamp(), nullable=False),
        sa.Column("confirmed_at", openpaws.storage.types.Timestamp(), nullable=True),
        sa.Column("completed_at", openpaws.storage.types.Timestamp(), nullable=True),
        sa.Column("cancelled_at", openpaws.storage.types.Timestamp(), nullable=True),
        sa.CheckConstraint(
            "(organization_id IS NULL) <> (person_id IS NULL)",
            name=op.f("ck_appointments_one_account"),
        ),
        sa.ForeignKeyConstraint(
            ["animal_id"], ["animals.id"], name=op.f("fk_appointments_animal_id_animals")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_appointments_organization_id_organizations"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_appointments_person_id_persons")
        ),
        sa.ForeignKeyConstraint(
            ["provider_organization_id"],
            ["organizations.id"],
            name=op.f("fk_appointments_provider_organization_id_organizations"),
        ),
        sa.ForeignKeyConstraint(
            ["provider_person_id"],
            ["persons.id"],
            name=op.f("fk_appointments_provider_person_id_persons"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appointments")),
        sa.UniqueConstraint("uuid", name=op.f("uq_appointments_uuid")),
    )
    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.create_index(
            "ix_appointments_organization_id_created_at",
            ["organization_id", "created_at", "id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_appointments_person_id_created_at", ["person_id", "created_at", "id"], unique=False
        )
        batch_op.create_index(
            "ix_appointments_provider_organization_id_created_at",
            ["provider_organization_id", "created_at", "id"],
            unique=False,
        )

    op.create_table(
        "appointment_add_ons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("appointment_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("price_amount", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["appointment_id"],
            ["appointments.id"],
            name=op.f("fk_appointment_add_ons_appointment_id_appointments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appointment_add_ons")),
        sa.UniqueConstraint(
            "appointment_id", "code", name=op.f("uq_appointment_add_ons_appointment_id_code")
        ),
    )
    op.create_table(
        "appointment_slots",
        sa.Column("provider_person_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", openpaws.storage.types.Timestamp(), nullable=False),
        sa.Column("appointment_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["appointment_id"],
            ["appointments.id"],
            name=op.f("fk_appointment_slots_appointment_id_appointments"),
        ),
        sa.ForeignKeyConstraint(
            ["provider_person_id"],
            ["persons.id"],
            name=op.f("fk_appointment_slots_provider_person_id_persons"),
        ),
        sa.PrimaryKeyConstraint(
            "provider_person_id", "starts_at", name=op.f("pk_appointment_slots")
        ),
    )
    with op.batch_alter_table("appointment_slots", schema=None) as batch_op:
        batch_op.create_index(
            "ix_appointment_slots_appointment_id", ["appointment_id"], unique=False
        )

    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("time_zone", sa.String(length=64), nullable=True))

    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.add_column(sa.Column("slug", sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column("specialties", openpaws.storage.types.JSONText(), nullable=True)
        )
        batch_op.create_index("ix_persons_slug", ["slug"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.drop_index("ix_persons_slug")
        batch_op.drop_column("specialties")
        batch_op.drop_column("slug")

    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.drop_column("time_zone")

    with op.batch_alter_table("appointment_slots", schema=None) as batch_op:
        batch_op.drop_index("ix_appointment_slots_appointment_id")

    op.drop_table("appointment_slots")
    op.drop_table("appointment_add_ons")
    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.drop_index("ix_appointments_provider_organization_id_created_at")
        batch_op.drop_index("ix_appointments_person_id_created_at")
        batch_op.drop_index("ix_appointments_organization_id_created_at")

    op.drop_table("appointments")
    op.drop_table("service_offerings")
