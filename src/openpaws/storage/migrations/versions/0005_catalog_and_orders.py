"""catalog and orders: shops' products with their stock, accounts' shipping addresses and
payment references, orders and their items

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 20:40:57

Products are searched by substring of name, brand and description as animals are: an FTS5
trigram table kept by triggers on SQLite, pg_trgm indexes on PostgreSQL.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import openpaws.storage.types

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "products",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("shop_organization_id", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("brand", sa.String(length=100), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("dietary_preferences", openpaws.storage.types.JSONText(), nullable=False),
        sa.Column("species", openpaws.storage.types.JSONText(), nullable=False),
        sa.Column("price_amount", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("images", openpaws.storage.types.JSONText(), nullable=False),
        sa.Column("stock", sa.Integer(), nullable=False),
        sa.Column("restock_date", sa.String(length=10), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", openpaws.storage.types.Timestamp(), nullable=False),
        sa.Column("updated_at", openpaws.storage.types.Timestamp(), nullable=False),
        sa.CheckConstraint("stock >= 0", name=op.f("ck_products_stock_not_negative")),
        sa.ForeignKeyConstraint(
            ["shop_organization_id"],
            ["organizations.id"],
            name=op.f("fk_products_shop_organization_id_organizations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_products")),
        sa.UniqueConstraint(
            "shop_organization_id", "sku", name=op.f("uq_products_shop_organization_id_sku")
        ),
        sa.UniqueConstraint("uuid", name=op.f("uq_products_uuid")),
    )
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.create_index(
            "ix_products_active_created_at", ["active", "created_at", "id"], unique=False
        )
        batch_op.create_index(
            "ix_products_category_created_at", ["category", "created_at", "id"], unique=False
        )

    op.create_table(
        "payment_methods",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("brand", sa.String(length=16), nullable=False),
        sa.Column("last4", sa.String(length=4), nullable=False),
        sa.Column("exp_month", sa.Integer(), nullable=False),
        sa.Column("exp_year", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=True),
        sa.Column("created_at", openpaws.storage.types.Timestamp(), nullable=False),
        sa.Column("deleted_at", openpaws.storage.types.Timestamp(), nullable=True),
        sa.CheckConstraint(
            "(organization_id IS NULL) <> (person_id IS NULL)",
            name=op.f("ck_payment_methods_one_account"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_payment_methods_organization_id_organizations"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_payment_methods_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_methods")),
        sa.UniqueConstraint("uuid", name=op.f("uq_payment_methods_uuid")),
    )
    with op.batch_alter_table("payment_methods", schema=None) as batch_op:
        batch_op.create_index(
            "ix_payment_methods_organization_id", ["organization_id"], unique=False
        )
        batch_op.create_index("ix_payment_methods_person_id", ["person_id"], unique=False)

    op.create_table(
        "shipping_addresses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("address1", sa.String(length=200), nullable=True),
        sa.Column("address2", sa.String(length=200), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("state", sa.String(length=50), nullable=True),
        sa.Column("postcode", sa.String(length=20), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("phone", sa.String(length=100), nullable=True),
        sa.Column("created_at", openpaws.storage.types.Timestamp(), nullable=False),
        sa.Column("deleted_at", openpaws.storage.types.Timestamp(), nullable=True),
        sa.CheckConstraint(
            "(organization_id IS NULL) <> (person_id IS NULL)",
            name=op.f("ck_shipping_addresses_one_account"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_shipping_addresses_organization_id_organizations"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_shipping_addresses_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shipping_addresses")),
        sa.UniqueConstraint("uuid", name=op.f("uq_shipping_addresses_uuid")),
    )
    with op.batch_alter_table("shipping_addresses", schema=None) as batch_op:
        batch_op.create_index(
            "ix_shipping_addresses_organization_id", ["organization_id"], unique=False
        )
        batch_op.create_index("ix_shipping_addresses_person_id", ["person_id"], unique=False)

    op.create_table(
        "orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("shop_organization_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("shipping_address_id", sa.Integer(), nullable=False),
        sa.Column("payment_method_id", sa.Integer(), nullable=False),
        sa.Column("subtotal", sa.Integer(), nullable=False),
        sa.Column("shipping", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("carrier", sa.String(length=100), nullable=True),
        sa.Column("tracking_number", sa.String(length=100), nullable=True),
        sa.Column("tracking_url", sa.String(length=500), nullable=True),
        sa.Column("shipped_at", openpaws.storage.types.Timestamp(), nullable=True),
        sa.Column("cancelled_at", openpaws.storage.types.Timestamp(), nullable=True),
        sa.Column("created_at", openpaws.storage.types.Timestamp(), nullable=False),
        sa.Column("updated_at", openpaws.storage.types.Timestamp(), nullable=False),
        sa.CheckConstraint(
            "(organization_id IS NULL) <> (person_id IS NULL)", name=op.f("ck_orders_one_account")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_orders_organization_id_organizations"),
        ),
        sa.ForeignKeyConstraint(
            ["payment_method_id"],
            ["payment_methods.id"],
            name=op.f("fk_orders_payment_method_id_payment_methods"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_orders_person_id_persons")
        ),
        sa.ForeignKeyConstraint(
            ["shipping_address_id"],
            ["shipping_addresses.id"],
            name=op.f("fk_orders_shipping_address_id_shipping_addresses"),
        ),
        sa.ForeignKeyConstraint(
            ["shop_organization_id"],
            ["organizations.id"],
            name=op.f("fk_orders_shop_organization_id_organizations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orders")),
        sa.UniqueConstraint("uuid", name=op.f("uq_orders_uuid")),
    )
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.create_index(
            "ix_orders_organization_id_created_at",
            ["organization_id", "created_at", "id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_orders_person_id_created_at", ["person_id", "created_at", "id"], unique=False
        )
        batch_op.create_index(
            "ix_orders_shop_organization_id_created_at",
            ["shop_organization_id", "created_at", "id"],
            unique=False,
        )

    op.create_table(
        "order_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price", sa.Integer(), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_order_items_quantity_positive")),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_order_items_order_id_orders")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_order_items_product_id_products")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_items")),
    )
    with op.batch_alter_table("order_items", schema=None) as batch_op:
        batch_op.create_index("ix_order_items_order_id", ["order_id"], unique=False)
    _create_text_search()


def downgrade() -> None:
    _drop_text_search()
    with op.batch_alter_table("order_items", schema=None) as batch_op:
        batch_op.drop_index("ix_order_items_order_id")

    op.drop_table("order_items")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index("ix_orders_shop_organization_id_created_at")
        batch_op.drop_index("ix_orders_person_id_created_at")
        batch_op.drop_index("ix_orders_organization_id_created_at")

    op.drop_table("orders")
    with op.batch_alter_table("shipping_addresses", schema=None) as batch_op:
        batch_op.drop_index("ix_shipping_addresses_person_id")
        batch_op.drop_index("ix_shipping_addresses_organization_id")

    op.drop_table("shipping_addresses")
    with op.batch_alter_table("payment_methods", schema=None) as batch_op:
        batch_op.drop_index("ix_payment_methods_person_id")
        batch_op.drop_index("ix_payment_methods_organization_id")

    op.drop_table("payment_methods")
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.drop_index("ix_products_category_created_at")
        batch_op.drop_index("ix_products_active_created_at")

    op.drop_table("products")


TEXT_COLUMNS = "name, brand, description"
SQLITE_TEXT_SEARCH = (
    f"CREATE VIRTUAL TABLE product_text_fts USING fts5({TEXT_COLUMNS}, "
    "content='products', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER products_text_fts_insert AFTER INSERT ON products BEGIN "
    f"INSERT INTO product_text_fts(rowid, {TEXT_COLUMNS}) VALUES "
    "(new.id, new.name, new.brand, new.description); END",
    "CREATE TRIGGER products_text_fts_delete AFTER DELETE ON products BEGIN "
    f"INSERT INTO product_text_fts(product_text_fts, rowid, {TEXT_COLUMNS}) VALUES "
    "('delete', old.id, old.name, old.brand, old.description); END",
    f"CREATE TRIGGER products_text_fts_update AFTER UPDATE OF {TEXT_COLUMNS} ON products BEGIN "
    f"INSERT INTO product_text_fts(product_text_fts, rowid, {TEXT_COLUMNS}) VALUES "
    "('delete', old.id, old.name, old.brand, old.description); "
    f"INSERT INTO product_text_fts(rowid, {TEXT_COLUMNS}) VALUES "
    "(new.id, new.name, new.brand, new.description); END",
)
POSTGRES_TEXT_SEARCH = tuple(
    f"CREATE INDEX ix_products_{column}_trgm ON products USING gin ({column} gin_trgm_ops)"
    for column in ("name", "brand", "description")
)


def _create_text_search() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in SQLITE_TEXT_SEARCH if sqlite else POSTGRES_TEXT_SEARCH:
        op.execute(statement)


def _drop_text_search() -> None:
    if op.get_bind().dialect.name != "sqlite":
        for column in ("name", "brand", "description"):
            op.execute(f"DROP INDEX ix_products_{column}_trgm")
        return
    for trigger in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER products_text_fts_{trigger}")
    op.execute("DROP TABLE product_text_fts")
