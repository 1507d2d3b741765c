"""a platform for every dialect: keys of any account, clients and quotas per dialect,
canonical events

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 16:00:00

API keys gain their dialect, a person as owner, canonical scopes, a plan, an expiry and a
last-used time; OAuth clients gain their dialect; quota overrides replace the hourly
per-organization limits; outbox events name their person account and their subject.

Which dialect existing keys and clients belong to is each dialect's own migration (in its
package), as is moving its limits into ``quota_overrides``: the core names no dialect.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import openpaws.storage.types

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# Canonical scopes of the two kinds of key that existed before scopes were stored.
READ_SCOPES = '["animals:read"]'
WRITE_SCOPES = '["animals:read", "animals:write", "people:write"]'


def upgrade() -> None:
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("dialect", sa.String(length=32), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("person_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("scopes", openpaws.storage.types.JSONText(), nullable=True))
        batch_op.add_column(sa.Column("plan", sa.String(length=32), nullable=True))
        batch_op.add_column(
            sa.Column("expires_at", openpaws.storage.types.Timestamp(), nullable=True)
        )
        batch_op.add_column(
            sa.Column("last_used_at", openpaws.storage.types.Timestamp(), nullable=True)
        )
        batch_op.alter_column("organization_id", existing_type=sa.Integer(), nullable=True)
        batch_op.create_foreign_key(
            batch_op.f("fk_api_keys_person_id_persons"), "persons", ["person_id"], ["id"]
        )
    op.execute(f"UPDATE api_keys SET scopes = '{READ_SCOPES}' WHERE scope = 'read'")
    op.execute(f"UPDATE api_keys SET scopes = '{WRITE_SCOPES}' WHERE scope <> 'read'")
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.drop_column("scope")
        batch_op.alter_column(
            "scopes", existing_type=openpaws.storage.types.JSONText(), nullable=False
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_api_keys_one_account"),
            "(organization_id IS NULL) <> (person_id IS NULL)",
        )

    with op.batch_alter_table("oauth_clients", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("dialect", sa.String(length=32), server_default="", nullable=False)
        )

    with op.batch_alter_table("outbox_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("person_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("subject", sa.String(length=36), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_outbox_events_person_id_persons"), "persons", ["person_id"], ["id"]
        )

    op.create_table(
        "quota_overrides",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dialect", sa.String(length=32), nullable=False),
        sa.Column("quota", sa.String(length=32), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("api_key_id", sa.Integer(), nullable=True),
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("per_period", sa.Integer(), nullable=False),
        sa.Column("burst", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "(organization_id IS NULL) <> (api_key_id IS NULL)",
            name=op.f("ck_quota_overrides_one_owner"),
        ),
        sa.ForeignKeyConstraint(
            ["api_key_id"],
            ["api_keys.id"],
            name=op.f("fk_quota_overrides_api_key_id_api_keys"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_quota_overrides_organization_id_organizations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quota_overrides")),
    )
    # One override of a quota per organization and per key.
    for owner in ("organization_id", "api_key_id"):
        where = sa.text(f"{owner} IS NOT NULL")
        op.create_index(
            f"ix_quota_overrides_{owner.removesuffix('_id')}",
            "quota_overrides",
            ["dialect", "quota", owner],
            unique=True,
            sqlite_where=where,
            postgresql_where=where,
        )


def downgrade() -> None:
    with op.batch_alter_table("quota_overrides", schema=None) as batch_op:
        batch_op.drop_index("ix_quota_overrides_api_key")
        batch_op.drop_index("ix_quota_overrides_organization")
    op.drop_table("quota_overrides")

    with op.batch_alter_table("outbox_events", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_outbox_events_person_id_persons"), type_="foreignkey"
        )
        batch_op.drop_column("subject")
        batch_op.drop_column("person_id")

    with op.batch_alter_table("oauth_clients", schema=None) as batch_op:
        batch_op.drop_column("dialect")

    # Keys of persons have no place in the older schema.
    op.execute(
        "DELETE FROM idempotency_keys WHERE api_key_id IN "
        "(SELECT id FROM api_keys WHERE organization_id IS NULL)"
    )
    op.execute("DELETE FROM api_keys WHERE organization_id IS NULL")
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_api_keys_one_account"), type_="check")
        batch_op.add_column(sa.Column("scope", sa.String(length=16), nullable=True))
    op.execute(
        "UPDATE api_keys SET scope = CASE WHEN scopes LIKE '%animals:write%' "
        "THEN 'write' ELSE 'read' END"
    )
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.alter_column("scope", existing_type=sa.String(length=16), nullable=False)
        batch_op.drop_constraint(batch_op.f("fk_api_keys_person_id_persons"), type_="foreignkey")
        batch_op.alter_column("organization_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("last_used_at")
        batch_op.drop_column("expires_at")
        batch_op.drop_column("plan")
        batch_op.drop_column("scopes")
        batch_op.drop_column("person_id")
        batch_op.drop_column("dialect")
