"""Engine, connections and transactions.

Writes go through SQLAlchemy connections inside :meth:`Database.transaction`; hot reads run
prepared SQL text straight on a pooled DBAPI connection (:meth:`Database.read`), which is what
keeps a search page close to the cost of the raw driver.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from openpaws.storage.counts import DerivedCache, Memo
from openpaws.storage.group_commit import GroupCommit

# Animals recently read, keyed by their and their organization's ids and updated_at.
ANIMAL_MEMO_SIZE = 10_000

SERVING_CACHE_KIB = 4_000

SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=10000",
    f"PRAGMA cache_size=-{SERVING_CACHE_KIB}",  # a connection's; the OS page cache holds the rest
    "PRAGMA temp_store=MEMORY",
)

_NAMED_PARAM = re.compile(r"(?<![:\w]):(\w+)")


@lru_cache(maxsize=1024)
def to_pyformat(sql: str) -> str:
    """Rewrite ``:name`` parameters as ``%(name)s`` for drivers that want that style."""
    return _NAMED_PARAM.sub(r"%(\1)s", sql.replace("%", "%%"))


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


def create_db_engine(url: str, *, pooled: bool = True) -> Engine:
    """The engine for ``url``. Unpooled engines hand out connections kept elsewhere (each
    thread's reader); on PostgreSQL those run every statement in its own transaction."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        pool: dict[str, Any] = {"pool_size": 6, "max_overflow": 4} if pooled else {}
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False},
            poolclass=None if pooled else NullPool,
            **pool,
        )
        _configure_sqlite(engine)
        return engine
    if parsed.drivername == "postgresql":
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    if not pooled:
        return create_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    return create_engine(url, pool_size=8, max_overflow=8, pool_pre_ping=True)


class Database:
    """One database: its engine, and the helpers every storage module uses."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = create_db_engine(url)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        self.derived = DerivedCache()
        self.animals = Memo(ANIMAL_MEMO_SIZE)
        self._writers = GroupCommit(self._writer_connection) if self.is_sqlite else None
        # Each thread keeps one reader connection: no pool checkout, liveness ping or
        # transaction round trips per read.
        self._reader_engine = create_db_engine(url, pooled=False)
        self._thread = threading.local()
        self._readers: list[Any] = []
        self._readers_lock = threading.Lock()
        # Called with each statement a reader runs; empty unless someone watches (tests).
        self._statement_watchers: list[Callable[[str], None]] = []
        self.kept: dict[str, Any] = {}  # values read once for the database's life

    def answers(self) -> bool:
        """Whether the database answers a trivial query now."""
        with self.read() as reader:
            return bool(reader.scalar("SELECT 1") == 1)

    def analyze(self) -> None:
        """Refresh the planner's statistics (after bulk loads)."""
        with self.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
            conn.commit()

    def optimize(self) -> None:
        """Cheap statistics upkeep: SQLite analyzes only the tables that need it."""
        if self.is_sqlite:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA optimize")
                conn.commit()

    def dispose(self) -> None:
        if self._writers is not None:
            self._writers.close()
        with self._readers_lock:
            for raw in self._readers:
                raw.close()
            self._readers.clear()
        self._thread = threading.local()
        self._reader_engine.dispose()
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.dispose()

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """A write transaction, durable when the block ends without an error.

        On SQLite, this process's writers queue for one writer connection (first come, first
        served, rather than in SQLite's busy handler, which sleeps and retries) and writers
        queued together share one commit (storage/group_commit.py). The transaction takes the
        write lock up front (BEGIN IMMEDIATE); other processes meet the busy handler.
        """
        if self._writers is None:
            with self.engine.connect() as conn, conn.begin():
                yield Transaction(self, conn)
            return
        with self._writers.transaction() as conn:
            yield Transaction(self, conn)

    def _writer_connection(self) -> Connection:
        return self.engine.connect().execution_options(sqlite_begin="IMMEDIATE")

    def reader_on(self, conn: Connection) -> Reader:
        """A reader inside ``conn``'s transaction, so it sees that transaction's writes."""
        reader = Reader(
            conn.connection.dbapi_connection, self.is_sqlite, self.derived, self.animals
        )
        reader.watchers = self._statement_watchers
        reader.kept = self.kept
        return reader

    @contextmanager
    def watch_statements(self) -> Iterator[list[str]]:
        """The SQL of every statement this database's readers run while the block lasts, in
        order (for tests: what a request costs). Readers of any thread report."""
        seen: list[str] = []
        watcher = seen.append
        self._statement_watchers.append(watcher)
        try:
            yield seen
        finally:
            self._statement_watchers.remove(watcher)

    @contextmanager
    def read(self) -> Iterator[Reader]:
        """A reader for a few statements: this thread's own connection, which holds no
        transaction between statements (each statement reads the latest committed data)."""
        yield self.reader()

    def reader(self) -> Reader:
        """This thread's reader (see :meth:`read`)."""
        reader: Reader | None = getattr(self._thread, "reader", None)
        if reader is None:
            reader = Reader(self._connect_reader(), self.is_sqlite, self.derived, self.animals)
            reader.reconnect = self._connect_reader
            reader.watchers = self._statement_watchers
            reader.kept = self.kept
            self._thread.reader = reader
        return reader

    def _connect_reader(self) -> Any:
        raw = self._reader_engine.raw_connection()  # kept for the thread's life
        with self._readers_lock:
            self._readers.append(raw)
        return raw


def _connection_lost(raw: Any) -> bool:
    """Whether the connection is gone (psycopg marks it closed after, say, a server restart)."""
    return bool(getattr(raw, "closed", False))


class Transaction:
    """One write transaction: its connection, and a reader inside it that sees its writes.

    Opened by :meth:`Database.transaction` at the request boundary (or a CLI command) and
    passed down; nothing below commits.
    """

    def __init__(self, db: Database, conn: Connection) -> None:
        self.conn = conn
        self.is_sqlite = db.is_sqlite
        self._db = db
        self._reader: Reader | None = None

    @property
    def reader(self) -> Reader:
        if self._reader is None:
            self._reader = self._db.reader_on(self.conn)
        return self._reader


class Reader:
    """Runs SQL text with ``:name`` parameters on a raw DBAPI connection."""

    def __init__(self, raw: Any, is_sqlite: bool, derived: DerivedCache, animals: Memo) -> None:
        self._raw = raw
        self.is_sqlite = is_sqlite
        self.derived = derived
        self.animals = animals
        # For a thread's own reader: a new connection when the server dropped this one.
        self.reconnect: Callable[[], Any] | None = None
        # The database's statement watchers (Database.watch_statements), shared, not copied.
        self.watchers: list[Callable[[str], None]] = []
        # Values read once for the database's life (``storage.instance_keys``), shared.
        self.kept: dict[str, Any] = {}

    def _cursor(self, sql: str, params: Mapping[str, Any]) -> Any:
        if self.watchers:
            for watcher in self.watchers:
                watcher(sql)
        statement = sql if self.is_sqlite else to_pyformat(sql)
        cursor = self._raw.cursor()
        try:
            cursor.execute(statement, params)
        except Exception:
            if self.reconnect is None or not _connection_lost(self._raw):
                raise
            self._raw = self.reconnect()  # reads are safe to repeat
            cursor = self._raw.cursor()
            cursor.execute(statement, params)
        return cursor

    def all(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Sequence[Any]]:
        cursor = self._cursor(sql, params or {})
        try:
            rows: list[Sequence[Any]] = cursor.fetchall()
            return rows
        finally:
            cursor.close()

    def one(self, sql: str, params: Mapping[str, Any] | None = None) -> Sequence[Any] | None:
        cursor = self._cursor(sql, params or {})
        try:
            row: Sequence[Any] | None = cursor.fetchone()
            return row
        finally:
            cursor.close()

    def scalar(self, sql: str, params: Mapping[str, Any] | None = None) -> Any:
        row = self.one(sql, params)
        return None if row is None else row[0]
