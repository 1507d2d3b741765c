"""The schema. Migrations in ``migrations/`` create it; nothing calls ``create_all``."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from openpaws.storage.types import JSONText, Timestamp

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
    }
)


def _address_columns() -> list[Column[str]]:
    return [
        Column("address1", String(200)),
        Column("address2", String(200)),
        Column("city", String(100)),
        Column("state", String(50)),
        Column("postcode", String(20)),
        Column("country", String(2)),
    ]


organizations = Table(
    "organizations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("uuid", String(36), nullable=False, unique=True),
    # The organization's short public code ("NJ333"), stored upper-case.
    Column("code", String(16), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    Column("name", String(200), nullable=False),
    Column("email", String(200)),
    Column("phone", String(100)),
    *_address_columns(),
    Column("latitude", Float),
    Column("longitude", Float),
    Column("website", String(500)),
    Column("mission_statement", Text),
    Column("adoption_policy", Text),
    Column("adoption_url", String(500)),
    Column("hours", JSONText, nullable=False),  # weekday -> text or null
    Column("social_media", JSONText, nullable=False),  # network -> url or null
    Column("photos", JSONText, nullable=False),  # [{full, small?, medium?, large?}]
    # The IANA time zone its dates and opening hours are in (from its ZIP, or the operator's).
    Column("time_zone", String(64)),
    Column("created_at", Timestamp, nullable=False),
    Column("updated_at", Timestamp, nullable=False),
    Index("ix_organizations_latitude_longitude", "latitude", "longitude"),
    Index("ix_organizations_state_name", "state", "name"),
)

custom_statuses = Table(
    "custom_statuses",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("organization_id", ForeignKey("organizations.id"), nullable=False),
    Column("label", String(100), nullable=False),
    Column("status_class", String(16), nullable=False),
    Column("is_public", Boolean, nullable=False),
    Column("is_default", Boolean, nullable=False, server_default=text("false")),
    Column("position", Integer, nullable=False, server_default=text("0")),
    UniqueConstraint("organization_id", "label"),
)

persons = Table(
    "persons",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("uuid", String(36), nullable=False, unique=True),
    # Set for the adopters and fosters an organization keeps; null for platform users.
    Column("organization_id", ForeignKey("organizations.id")),
    Column("role", String(16), nullable=False),
    Column("name", String(200), nullable=False),
    Column("first_name", String(100)),
    Column("last_name", String(100)),
    Column("username", String(100), unique=True),
    Column("email", String(200)),
    Column("additional_emails", JSONText, nullable=False),
    Column("phone", String(100)),
    Column("additional_phones", JSONText, nullable=False),
    *_address_columns(),
    Column("status", String(16), nullable=False),
    Column("status_change_notes", Text),
    Column("capacity", Integer),
    Column("tags", JSONText, nullable=False),
    Column("custom_field_data", JSONText, nullable=False),
    Column("last_login_at", Timestamp),
    Column("created_at", Timestamp, nullable=False),
    Column("updated_at", Timestamp, nullable=False),
    # Staff who take bookings (veterinarians, groomers): a public handle, and what they treat.
    Column("slug", String(64)),
    Column("specialties", JSONText),  # animal type slugs
    Index("ix_persons_organization_id_role", "organization_id", "role"),
    Index("ix_persons_slug", "slug", unique=True),
    Index("ix_persons_email", "email"),
)

animals = Table(
    "animals",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("uuid", String(36), nullable=False, unique=True),
    # Listed by an organization, owned by a person, or both (a foster's own record).
    Column("organization_id", ForeignKey("organizations.id")),
    Column("owner_person_id", ForeignKey("persons.id")),
    Column("organization_animal_id", String(100)),
    Column("type", String(32), nullable=False),
    Column("species", String(64), nullable=False),
    Column("breed_primary", String(100)),
    Column("breed_secondary", String(100)),
    Column("breed_mixed", Boolean, nullable=False),
    Column("breed_unknown", Boolean, nullable=False),
    Column("color_primary", String(100)),
    Column("color_secondary", String(100)),
    Column("color_tertiary", String(100)),
    Column("age", String(16), nullable=False),
    Column("birth_date", String(10)),
    Column("age_years", Integer),
    Column("age_months", Integer),
    Column("sex", String(16), nullable=False),
    Column("size", String(16), nullable=False),
    Column("coat", String(16)),
    Column("tail", String(32)),
    Column("weight_value", Float),
    Column("weight_unit", String(8)),
    Column("spayed_neutered", Boolean),
    Column("house_trained", Boolean),
    Column("declawed", Boolean),
    Column("shots_current", Boolean),
    Column("special_needs", JSONText, nullable=False),  # notes; "has special needs" = non-empty
    Column("good_with_children", Boolean),
    Column("good_with_dogs", Boolean),
    Column("good_with_cats", Boolean),
    Column("good_with_other", JSONText, nullable=False),  # other compatibility words
    Column("bad_with_other", JSONText, nullable=False),
    Column("temperaments", JSONText, nullable=False),
    Column("tags", JSONText, nullable=False),
    Column("name", String(200), nullable=False),
    Column("description", Text),
    Column("photos", JSONText, nullable=False),
    Column("videos", JSONText, nullable=False),  # [embed html]
    Column("health", String(16), nullable=False),
    Column("medical_notes", Text),
    Column("microchip_id", String(64)),
    Column("adoption_fee", String(32)),
    Column("status", String(16), nullable=False),
    Column("custom_status_id", ForeignKey("custom_statuses.id")),
    Column("status_changed_at", Timestamp, nullable=False),
    Column("status_change_notes", Text),
    Column("show_public", Boolean, nullable=False),
    # Maintained search key: the status class while the animal is publicly listed by an
    # organization (shown, not deleted, its custom status public), else null. See
    # openpaws.domain.listing.
    Column("public_status", String(16)),
    Column("intake_date", String(10)),
    Column("outcome_date", String(10)),
    Column("adopted_on", String(10)),
    Column("adopted_by_person_id", ForeignKey("persons.id")),
    Column("primary_veterinarian_id", ForeignKey("organizations.id")),
    Column("template_id", String(36)),
    Column("location_found", Text),
    Column("reason_for_surrender", Text),
    Column("custom_field_data", JSONText, nullable=False),
    Column("published_at", Timestamp, nullable=False),
    Column("created_at", Timestamp, nullable=False),
    Column("updated_at", Timestamp, nullable=False),
    Column("deleted_at", Timestamp),
    UniqueConstraint("organization_id", "organization_animal_id"),
    Index("ix_animals_public_status_published_at", "public_status", "published_at", "id"),
    Index(
        "ix_animals_public_status_type_published_at",
        "public_status",
        "type",
        "published_at",
        "id",
    ),
    Index(
        "ix_animals_organization_id_public_status_published_at",
        "organization_id",
        "public_status",
        "published_at",
        "id",
    ),
    Index("ix_animals_owner_person_id_created_at", "owner_person_id", "created_at", "id"),
    Index("ix_animals_organization_id_created_at", "organization_id", "created_at", "id"),
)

custom_field_definitions = Table(
    "custom_field_definitions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("organization_id", ForeignKey("organizations.id"), nullable=False),
    Column("entity", String(16), nullable=False),  # pet or person
    Column("field_key", String(64), nullable=False),
    Column("label", String(200), nullable=False),
    Column("field_type", String(16), nullable=False),
    Column("required", Boolean, nullable=False),
    Column("help_text", Text),
    Column("options", JSONText),  # list of allowed values for select fields
    Column("section", String(100)),
    Column("position", Integer, nullable=False),
    UniqueConstraint("organization_id", "entity", "field_key"),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("uuid", String(36), nullable=False, unique=True),
    # The one dialect whose requests the key is good for.
    Column("dialect", String(32), nullable=False, server_default=""),
    # The account: an organization or a person (exactly one).
    Column("organization_id", ForeignKey("organizations.id")),
    Column("person_id", ForeignKey("persons.id")),
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("prefix", String(16), nullable=False),  # shown in listings
    Column("last_four", String(4), nullable=False),
    Column("scopes", JSONText, nullable=False),  # canonical resource:action scopes
    Column("plan", String(32)),
    Column("name", String(200)),
    Column("created_at", Timestamp, nullable=False),
    Column("expires_at", Timestamp),
    Column("last_used_at", Timestamp),
    Column("revoked_at", Timestamp),
    CheckConstraint("(organization_id IS NULL) <> (person_id IS NULL)", name="one_account"),
)

# An operator's own numbers for one quota of a dialect, for one organization or one key.
quota_overrides = Table(
    "quota_overrides",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dialect", String(32), nullable=False),
    Column("quota", String(32), nullable=False),
    Column("organization_id", ForeignKey("organizations.id")),
    Column("api_key_id", ForeignKey("api_keys.id")),
    Column("period", String(8), nullable=False),  # second, minute or hour
    Column("per_period", Integer, nullable=False),
    Column("burst", Integer),  # at most this many in any one second
    CheckConstraint("(organization_id IS NULL) <> (api_key_id IS NULL)", name="one_owner"),
    # One override of a quota per organization and per key.
    Index(
        "ix_quota_overrides_organization",
        "dialect",
        "quota",
        "organization_id",
        unique=True,
        sqlite_where=text("organization_id IS NOT NULL"),
        postgresql_where=text("organization_id IS NOT NULL"),
    ),
    Index(
        "ix_quota_overrides_api_key",
        "dialect",
        "quota",
        "api_key_id",
        unique=True,
        sqlite_where=text("api_key_id IS NOT NULL"),
        postgresql_where=text("api_key_id IS NOT NULL"),
    ),
)

# A write's outcome under an Idempotency-Key, kept so a retry replays it.
idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("api_key_id", ForeignKey("api_keys.id"), primary_key=True),
    Column("key", String(255), primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("status_code", Integer),
    Column("body", Text),
    Column("created_at", Timestamp, nullable=False),
    Column("expires_at", Timestamp, nullable=False),
    Index("ix_idempotency_keys_expires_at", "expires_at"),
)

# Events written in the transaction of the change they describe; delivered after commit.
outbox_events = Table(
    "outbox_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("uuid", String(36), nullable=False, unique=True),
    # The accounts it belongs to: an organization, a person, or both.
    Column("organization_id", ForeignKey("organizations.id")),
    Column("person_id", ForeignKey("persons.id")),
    Column("event_type", String(64), nullable=False),  # canonical: animal.created, ...
    Column("subject", String(36)),  # the UUID of the record it is about
    Column("payload", JSONText, nullable=False),  # the record as committed
    Column("created_at", Timestamp, nullable=False),
    Column("delivered_at", Timestamp),
    Index("ix_outbox_events_delivered_at_id", "delivered_at", "id"),
    Index("ix_outbox_events_created_at", "created_at"),  # retention
)

oauth_clients = Table(
    "oauth_clients",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("client_id", String(64), nullable=False, unique=True),
    Column("secret_hash", String(64), nullable=False),
    # The one dialect whose tokens the client gets.
    Column("dialect", String(32), nullable=False, server_default=""),
    Column("name", String(200), nullable=False),
    Column("created_at", Timestamp, nullable=False),
    Column("revoked_at", Timestamp),
)

access_tokens = Table(
    "access_tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("client_id", ForeignKey("oauth_clients.id"), nullable=False),
    Column("expires_at", Timestamp, nullable=False),
    Index("ix_access_tokens_expires_at", "expires_at"),
)

# One counter per table whose derived data (search totals) is cached; every write bumps it in
# the same transaction, so a cached total is used only while its counter is unchanged.
change_counters = Table(
    "change_counters",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("value", BigInteger, nullable=False),
)

# Secrets this installation makes once and keeps (the key behind public ids).
instance_keys = Table(
    "instance_keys",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("value", String(128), nullable=False),
    Column("created_at", Timestamp, nullable=False),
)


def _account_columns() -> list[Column[int]]:
    """The account a record belongs to: an organization or a person (exactly one)."""
    return [
        Column("organization_id", ForeignKey("organizations.id")),
        Column("person_id", ForeignKey("persons.id")),
    ]


# A shop's products; ``stock`` never goes below zero (the check holds it in the database).
products = Table(
    "products",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("shop_organization_id", ForeignKey("organizations.id"), nullable=False),
    Column("sku", String(64), nullable=False),
    Column("name", String(200), nullable=False),
    Column("brand", String(100)),
    Column("description", Text),
    Column("category", String(32), nullable=False),
    Column("dietary_preferences", JSONText, nullable=False),  # canonical words
    Column("species", JSONText, nullable=False),  # animal type slugs; [] for any
    Column("price_amount", Integer, nullable=False),  # minor units
    Column("currency", String(3), nullable=False),
    Column("images", JSONText, nullable=False),  # URLs
    Column("stock", Integer, nullable=False),
    Column("restock_date", String(10)),
    Column("active", Boolean, nullable=False),
    Column("created_at", Timestamp, nullable=False),
    Column("updated_at", Timestamp, nullable=False),
    UniqueConstraint("shop_organization_id", "sku"),
    CheckConstraint("stock >= 0", name="stock_not_negative"),
    Index("ix_products_active_created_at", "active", "created_at", "id"),
    Index("ix_products_category_created_at", "category", "created_at", "id"),
)

# Where an account has orders sent.
shipping_addresses = Table(
    "shipping_addresses",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("uuid", String(36), nullable=False, unique=True),
    *_account_columns(),
    Column("name", String(200), nullable=False),
    *_address_columns(),
    Column("phone", String(100)),
    Column("created_at", Timestamp, nullable=False),
    Column("deleted_at", Timestamp),
    CheckConstraint("(organization_id IS NULL) <> (person_id IS NULL)", name="one_account"),
    Index("ix_shipping_addresses_organization_id", "organization_id"),
    Index("ix_shipping_addresses_person_id", "person_id"),
)

# A reference to how an account pays: a brand and the last four digits, never a card number.
payment_methods = Table(
    "payment_methods",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("uuid", String(36), nullable=False, unique=True),
    *_account_columns(),
    Column("brand", String(16), nullable=False),
    Column("last4", String(4), nullable=False),
    Column("exp_month", Integer, nullable=False),
    Column("exp_year", Integer, nullable=False),
    Column("label", String(100)),
    Column("created_at", Timestamp, nullable=False),
    Column("deleted_at", Timestamp),
    CheckConstraint("(organization_id IS NULL) <> (person_id IS NULL)", name="one_account"),
    Index("ix_payment_methods_organization_id", "organization_id"),
    Index("ix_payment_methods_person_id", "person_id"),
)

orders = Table(
    "orders",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("uuid", String(36), nullable=False, unique=True),
    *_account_columns(),  # the buyer
    Column("shop_organization_id", ForeignKey("organizations.id"), nullable=False),
    Column("status", String(16), nullable=False),
    Column("shipping_address_id", ForeignKey("shipping_addresses.id"), nullable=False),
    Column("payment_method_id", ForeignKey("payment_methods.id"), nullable=False),
    Column("subtotal", Integer, nullable=False),  # minor units
    Column("shipping", Integer, nullable=False),
    Column("total", Integer, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("notes", Text),
    Column("carrier", String(100)),
    Column("tracking_number", String(100)),
    Column("tracking_url", String(500)),
    Column("shipped_at", Timestamp),
    Column("cancelled_at", Timestamp),
    Column("created_at", Timestamp, nullable=False),
    Column("updated_at", Timestamp, nullable=False),
    CheckConstraint("(organization_id IS NULL) <> (person_id IS NULL)", name="one_account"),
    Index("ix_orders_organization_id_created_at", "organization_id", "created_at", "id"),
    Index("ix_orders_person_id_created_at", "person_id", "created_at", "id"),
    Index("ix_orders_shop_organization_id_created_at", "shop_organization_id", "created_at", "id"),
)

order_items = Table(
    "order_items",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("order_id", ForeignKey("orders.id"), nullable=False),
    Column("product_id", ForeignKey("products.id"), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("unit_price", Integer, nullable=False),  # minor units, as sold
    CheckConstraint("quantity > 0", name="quantity_positive"),
    Index("ix_order_items_order_id", "order_id"),
)


# What a clinic or a groomer offers: appointment types, grooming packages and add-ons.
service_offerings = Table(
    "service_offerings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organization_id", ForeignKey("organizations.id"), nullable=False),
    Column("service", String(16), nullable=False),  # veterinary or grooming
    Column("kind", String(16), nullable=False),  # appointment_type, package or add_on
    Column("code", String(32), nullable=False),
    Column("name", String(100), nullable=False),
    Column("tier", Integer, nullable=False),  # packages: a higher tier is an upgrade
    Column("price_amount", Integer, nullable=False),  # minor units
    Column("currency", String(3), nullable=False),
    Column("slots", Integer, nullable=False),  # 30-minute slots it takes (0 for add-ons)
    Column("active", Boolean, nullable=False),
    UniqueConstraint("organization_id", "service", "kind", "code"),
)

# Bookings of a pet with a clinic's vet or a groomer: requested, then confirmed for a start
# time, then completed; or cancelled.
appointments = Table(
    "appointments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("service", String(16), nullable=False),  # veterinary or grooming
    Column("animal_id", ForeignKey("animals.id"), nullable=False),
    *_account_columns(),  # who booked it
    Column("provider_organization_id", ForeignKey("organizations.id"), nullable=False),
    Column("provider_person_id", ForeignKey("persons.id"), nullable=False),
    Column("appointment_type", String(32)),  # veterinary
    Column("package_code", String(32)),  # grooming
    Column("requested_date", String(10), nullable=False),  # in the provider's time zone
    Column("preferred_time_slot", String(16)),
    Column("scheduled_at", Timestamp),  # once confirmed
    Column("slots", Integer, nullable=False),
    Column("status", String(16), nullable=False),
    Column("notes", Text),
    Column("price_amount", Integer),
    Column("currency", String(3)),
    Column("report", JSONText),  # grooming, once completed
    Column("created_at", Timestamp, nullable=False),
    Column("updated_at", Timestamp, nullable=False),
    Column("confirmed_at", Timestamp),
    Column("completed_at", Timestamp),
    Column("cancelled_at", Timestamp),
    CheckConstraint("(organization_id IS NULL) <> (person_id IS NULL)", name="one_account"),
    Index("ix_appointments_organization_id_created_at", "organization_id", "created_at", "id"),
    Index("ix_appointments_person_id_created_at", "person_id", "created_at", "id"),
    Index(
        "ix_appointments_provider_organization_id_created_at",
        "provider_organization_id",
        "created_at",
        "id",
    ),
)

appointment_add_ons = Table(
    "appointment_add_ons",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("appointment_id", ForeignKey("appointments.id"), nullable=False),
    Column("code", String(32), nullable=False),
    Column("price_amount", Integer, nullable=False),
    UniqueConstraint("appointment_id", "code"),
)

# The 30-minute slots a confirmed appointment holds: one provider never holds a slot twice.
appointment_slots = Table(
    "appointment_slots",
    metadata,
    Column("provider_person_id", ForeignKey("persons.id"), primary_key=True),
    Column("starts_at", Timestamp, primary_key=True),
    Column("appointment_id", ForeignKey("appointments.id"), nullable=False),
    Index("ix_appointment_slots_appointment_id", "appointment_id"),
)

# A pet's health history: one home for every API's vaccinations, allergies, conditions, ...
medical_records = Table(
    "medical_records",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("animal_id", ForeignKey("animals.id"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("title", String(200), nullable=False),
    Column("description", Text),
    Column("occurred_on", String(10)),
    Column("provider_person_id", ForeignKey("persons.id")),  # the vet, where known
    Column("next_due_on", String(10)),
    Column("created_at", Timestamp, nullable=False),
    Column("updated_at", Timestamp, nullable=False),
    Index("ix_medical_records_animal_id_created_at", "animal_id", "created_at", "id"),
)

# Identification tags other than the microchip (which is ``animals.microchip_id``): one code
# of a type names one tag.
id_tags = Table(
    "id_tags",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("animal_id", ForeignKey("animals.id")),
    Column("tag_type", String(16), nullable=False),
    Column("code", String(64), nullable=False),
    Column("issuer", String(200)),
    Column("registered_on", String(10)),
    Column("active", Boolean, nullable=False),
    Column("created_at", Timestamp, nullable=False),
    UniqueConstraint("tag_type", "code"),
    Index("ix_id_tags_animal_id", "animal_id"),
)

# -- webhooks ---------------------------------------------------------------------------------

# Where an account's events are posted. ``topics`` are the canonical names the endpoint
# receives (domain/events.py ``topics``); ``event_names`` the dialect's own words for them, as
# the account chose them. The signing secret is sealed (platform/secret_keys.py); after a
# rotation the previous one still signs until ``previous_secret_until``.
webhook_endpoints = Table(
    "webhook_endpoints",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("dialect", String(32), nullable=False),
    Column("organization_id", ForeignKey("organizations.id")),
    Column("person_id", ForeignKey("persons.id")),
    Column("url", String(2048), nullable=False),
    Column("description", String(200)),
    Column("topics", JSONText, nullable=False),
    Column("event_names", JSONText, nullable=False),
    Column("secret_sealed", Text, nullable=False),
    Column("previous_secret_sealed", Text),
    Column("previous_secret_until", Timestamp),
    Column("status", String(16), nullable=False),  # enabled, disabled
    Column("disabled_reason", String(300)),
    Column("disabled_at", Timestamp),
    Column("failing_since", Timestamp),  # the first failed attempt since the last success
    Column("created_at", Timestamp, nullable=False),
    Column("updated_at", Timestamp, nullable=False),
    CheckConstraint("(organization_id IS NULL) <> (person_id IS NULL)", name="one_account"),
    Index("ix_webhook_endpoints_organization_id", "organization_id"),
    Index("ix_webhook_endpoints_person_id", "person_id"),
)

# One event for one endpoint, fixed when the event commits. A claim pushes ``next_attempt_at``
# past the attempt's longest run and stamps ``claim``: a worker that dies mid-attempt leaves
# the delivery due again when that time passes, and only the claimant records the outcome.
webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("endpoint_id", ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), nullable=False),
    Column("event_id", ForeignKey("outbox_events.id"), nullable=False),
    Column("status", String(16), nullable=False),  # pending, delivered, failed
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("last_attempt", Integer),  # none: retried to the schedule's end; else stop after it
    Column("next_attempt_at", Timestamp),
    Column("claim", String(32)),
    Column("body", Text),  # as first sent: every attempt sends the same bytes
    Column("event_name", String(64)),  # the dialect's name of the event, as sent
    Column("last_status_code", Integer),
    Column("last_error", String(300)),
    Column("created_at", Timestamp, nullable=False),
    Column("finished_at", Timestamp),
    UniqueConstraint("endpoint_id", "event_id"),
    Index("ix_webhook_deliveries_status_next_attempt_at", "status", "next_attempt_at"),
    Index("ix_webhook_deliveries_endpoint_id_id", "endpoint_id", "id"),
    Index("ix_webhook_deliveries_event_id", "event_id"),
)

# Every attempt of every delivery, with what the receiver answered (capped).
webhook_attempts = Table(
    "webhook_attempts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("delivery_id", ForeignKey("webhook_deliveries.id", ondelete="CASCADE"), nullable=False),
    Column("attempt", Integer, nullable=False),
    Column("started_at", Timestamp, nullable=False),
    Column("status_code", Integer),
    Column("latency_ms", Integer, nullable=False),
    Column("error", String(300)),
    Column("response_excerpt", Text),
    Column("next_attempt_at", Timestamp),
    Column("worker", String(100), nullable=False),
    Index("ix_webhook_attempts_delivery_id_attempt", "delivery_id", "attempt"),
)

# Each running webhook worker's last sign of life (shown by /readyz).
webhook_workers = Table(
    "webhook_workers",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("started_at", Timestamp, nullable=False),
    Column("heartbeat_at", Timestamp, nullable=False),
    Column("delivered", Integer, nullable=False, server_default="0"),
    Column("failed_attempts", Integer, nullable=False, server_default="0"),
)
