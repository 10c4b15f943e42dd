"""The tables. Alembic migrations are the source of the schema; these must agree with them."""

from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Dialect,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores naive UTC on every database and hands back aware UTC datetimes."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass an aware UTC datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


# BigInteger ids on PostgreSQL, INTEGER PRIMARY KEY (the rowid alias) on SQLite.
IdType = BigInteger().with_variant(Integer(), "sqlite")

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "pk": "pk_%(table_name)s",
    }
)

users = Table(
    "users",
    metadata,
    Column("id", IdType, primary_key=True, autoincrement=True),
    Column("email", Text, nullable=False),
    # The whole address case-folded: SQLite's lower() folds ASCII only, so the key is
    # computed in Python and judged by a plain unique index on both databases.
    Column("email_key", Text, nullable=False, unique=True),
    Column("phone", String(16), nullable=False, unique=True),
    Column("username", String(64), nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)

# user_id is deliberately not a foreign key: an operator may delete a user while
# sessions live, and those sessions then answer UserNotFound (contract section 3).
sessions = Table(
    "sessions",
    metadata,
    Column("id", IdType, primary_key=True, autoincrement=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("user_id", IdType, nullable=False, index=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("last_seen_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("revoked_at", UTCDateTime(), nullable=True),
    Column("user_agent", String(512), nullable=True),
    Column("client_ip", String(45), nullable=True),
)

login_failures = Table(
    "login_failures",
    metadata,
    Column("id", IdType, primary_key=True, autoincrement=True),
    Column("email_key", Text, nullable=False),
    Column("client_ip", String(45), nullable=False),
    Column("attempted_at", UTCDateTime(), nullable=False),
    Index(None, "email_key", "client_ip", "attempted_at"),
    Index(None, "client_ip", "attempted_at"),
    Index(None, "email_key", "attempted_at"),
    Index(None, "attempted_at"),
)
