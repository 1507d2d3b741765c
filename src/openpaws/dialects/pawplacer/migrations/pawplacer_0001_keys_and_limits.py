"""pawplacer: the keys made before keys had a dialect are PawPlacer's; its hourly limits move
to quota overrides; its events take canonical names

Revision ID: pawplacer_0001
Revises: 0003
Create Date: 2026-12-02 16:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "pawplacer_0001"
down_revision = "0003"
branch_labels = ("pawplacer",)
depends_on = None

EVENT_NAMES = {
    "pet.created": "animal.created",
    "pet.updated": "animal.updated",
    "pet.deleted": "animal.deleted",
}


def upgrade() -> None:
    op.execute("UPDATE api_keys SET dialect = 'pawplacer' WHERE dialect = ''")
    op.execute(
        "INSERT INTO quota_overrides (dialect, quota, organization_id, period, per_period) "
        "SELECT 'pawplacer', endpoint_class, organization_id, 'hour', per_hour FROM rate_limits"
    )
    op.drop_table("rate_limits")
    for old, new in EVENT_NAMES.items():
        op.execute(f"UPDATE outbox_events SET event_type = '{new}' WHERE event_type = '{old}'")
    # Their payload was {"id": <the record's UUID>}: that is their subject.
    uuid_of = (
        "json_extract(payload, '$.id')"
        if op.get_bind().dialect.name == "sqlite"
        else "payload::json ->> 'id'"
    )
    op.execute(f"UPDATE outbox_events SET subject = {uuid_of} WHERE subject IS NULL")


def downgrade() -> None:
    for old, new in EVENT_NAMES.items():
        op.execute(f"UPDATE outbox_events SET event_type = '{old}' WHERE event_type = '{new}'")
    op.create_table(
        "rate_limits",
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("endpoint_class", sa.String(length=32), nullable=False),
        sa.Column("per_hour", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_rate_limits_organization_id_organizations"),
        ),
        sa.PrimaryKeyConstraint("organization_id", "endpoint_class", name=op.f("pk_rate_limits")),
    )
    op.execute(
        "INSERT INTO rate_limits (organization_id, endpoint_class, per_hour) "
        "SELECT organization_id, quota, per_period FROM quota_overrides "
        "WHERE dialect = 'pawplacer' AND organization_id IS NOT NULL AND period = 'hour'"
    )
    op.execute("DELETE FROM quota_overrides WHERE dialect = 'pawplacer'")
    op.execute("UPDATE api_keys SET dialect = '' WHERE dialect = 'pawplacer'")
