"""Alembic environment: runs on the connection that openpaws.storage.migrate hands it."""

from __future__ import annotations

from alembic import context

from openpaws.storage.migrate import include_object
from openpaws.storage.tables import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,
    include_object=include_object,
)
with context.begin_transaction():
    context.run_migrations()
