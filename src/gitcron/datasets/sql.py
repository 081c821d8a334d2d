"""`sql:` datasets: one query on any SQLAlchemy database, with bound parameters only, streamed.

The query names its values as `:customer`, `:interval_start`...; each is bound by the driver,
never pasted into the SQL text, so a value can never change the query. SQLite has no date type
and compares text, so there instants are bound as UTC text `YYYY-MM-DD HH:MM:SS` (the form of its
own `datetime()` and `CURRENT_TIMESTAMP`) and dates as `YYYY-MM-DD`; other databases get aware
UTC `datetime` and `date` objects, which their drivers send as real timestamps.

Every query is bounded by `timeout:`: PostgreSQL and MySQL stop it themselves; SQLite runs in this
process and has no such setting, so its progress handler aborts a step that outlives the deadline
(`datasets.sql_deadline`).

Over 250 lines on purpose: opening, binding, limiting, streaming and wording the driver's errors
share one query's engine, connection and the secrets no message may show.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from gitcron.config.settings import Dataset as DatasetSpec
from gitcron.core.artifact import JobError
from gitcron.core.run import RUN_VALUES, RunScope
from gitcron.datasets.base import Row, Rows
from gitcron.datasets.sql_deadline import SqliteDeadline
from gitcron.timing.words import duration_text

if TYPE_CHECKING:
    from sqlalchemy.engine import URL, Connection, CursorResult, Engine
    from sqlalchemy.exc import DBAPIError
    from sqlalchemy.sql.elements import TextClause

SAMPLE_DATABASE = "products.sqlite"  # in gitcron.samples: the default when `database:` is absent
YIELD_PER = 1_000  # rows fetched from the server per round trip
DEFAULT_TIMEOUT = timedelta(minutes=10)  # datasets.<name>.timeout when it is not set
QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement stopped by statement_timeout
_MAX_MESSAGE = 300  # characters of a database's own error message kept in ours
T = TypeVar("T")
_PERMANENT = ("ProgrammingError", "DataError", "IntegrityError", "NotSupportedError")


def open_sql(name: str, spec: DatasetSpec, params: Mapping[str, Any], ctx: RunScope) -> Rows:
    """Run the dataset's query with its params bound; rows stream as they are iterated."""
    assert spec.sql is not None
    statement, names = _statement(name, spec, params)
    with ExitStack() as stack:
        url, secrets = _url(name, spec, ctx, stack)
        engine = _engine(name, url, secrets)
        stack.callback(engine.dispose)
        connection = _connect(name, engine, secrets)
        stack.callback(connection.close)
        sqlite = engine.dialect.name == "sqlite"
        limit = spec.timeout or DEFAULT_TIMEOUT
        deadline = _limit_time(connection, limit)
        bound = statement.bindparams(**{key: _value(params[key], sqlite) for key in names})
        result = _run(name, sqlite, secrets, lambda: _execute(connection, bound), limit, deadline)
        stack.callback(result.close)
        if not result.returns_rows:
            raise JobError(
                f"the query of dataset '{name}' returns no rows (nothing was changed)",
                f"make datasets.{name}.sql a SELECT (or a statement with RETURNING)",
                permanent=True,
            )
        columns = tuple(map(str, result.keys()))
        cleanup = stack.pop_all()
    uses_interval = any(key in RUN_VALUES for key in names)
    rows = _rows(name, sqlite, secrets, result, limit, deadline)
    return Rows(columns, rows, cleanup.close, interval=uses_interval)


def _statement(
    name: str, spec: DatasetSpec, params: Mapping[str, Any]
) -> tuple[TextClause, list[str]]:
    """The query, and the names it binds: only those, and each a param or a run value."""
    from sqlalchemy import text

    assert spec.sql is not None
    statement = text(spec.sql)
    names = list(statement.compile().params)
    unknown = [key for key in names if key not in params]
    if unknown:
        known = ", ".join([*spec.params, *RUN_VALUES])
        raise JobError(
            f"the query of dataset '{name}' uses :{unknown[0]}, which is neither a declared"
            " param nor a run value",
            f"declare it under datasets.{name}.params in gitcron.yaml, or use one of: {known}"
            r" (write \: for a colon that is not a parameter)",
            permanent=True,
        )
    return statement, names


def _value(value: Any, sqlite: bool) -> Any:
    """Instants in UTC; for SQLite as text that sorts and compares like its own timestamps."""
    if isinstance(value, datetime):
        instant = value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
        if not sqlite:
            return instant
        spec = "seconds" if instant.microsecond == 0 else "microseconds"
        return instant.replace(tzinfo=None).isoformat(sep=" ", timespec=spec)
    if isinstance(value, date) and sqlite:
        return value.isoformat()
    return value


def _url(name: str, spec: DatasetSpec, ctx: RunScope, stack: ExitStack) -> tuple[URL, list[str]]:
    """The database's URL, and the strings no message may show (the URL, its password)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    if spec.database is None:
        return _sample_url(stack), []
    text = spec.database if "://" in spec.database else _env_url(name, spec.database, ctx)
    secrets = [text]
    try:
        url = make_url(text)
    except ArgumentError:
        raise JobError(
            f"the database address of dataset '{name}' is not an SQLAlchemy URL",
            "write it as dialect+driver://user@host/database,"
            " e.g. postgresql+psycopg://reports@db.example.com/shop",
            permanent=True,
        ) from None  # the error repeats the address, which may hold a password
    if url.password is not None:
        secrets.append(str(url.password))
    return _sqlite_file(name, url, ctx.root), secrets


def _env_url(name: str, variable: str, ctx: RunScope) -> str:
    value = ctx.env.get(variable, "").strip()
    if not value:
        raise JobError(
            f"the dataset '{name}' reads its database address from the environment variable"
            f" {variable}, which is not set",
            f"set {variable} (a repository secret passed to the workflow) to the database's"
            " SQLAlchemy URL, e.g. postgresql+psycopg://user:password@host/database",
            permanent=True,
        )
    return value


def _sample_url(stack: ExitStack) -> URL:
    """The bundled products database, opened read-only so no query can change it."""
    from sqlalchemy.engine import URL

    resource = resources.files("gitcron.samples").joinpath(SAMPLE_DATABASE)
    path = stack.enter_context(resources.as_file(resource))
    query = {"mode": "ro", "uri": "true"}
    return URL.create("sqlite", database=Path(path).resolve().as_uri(), query=query)


def _sqlite_file(name: str, url: URL, root: Path) -> URL:
    """A relative SQLite path is inside the repo; a missing file is an error, never created."""
    database = url.database or ""
    if url.get_backend_name() != "sqlite" or database in ("", ":memory:"):
        return url
    if database.startswith("file:"):
        return url
    path = root / database
    if not path.is_file():
        raise JobError(
            f"the SQLite database file '{database}' of dataset '{name}' does not exist",
            "commit the file, or fix the path in its database: address"
            " (a relative path starts at the repository's root)",
            permanent=True,
        )
    return url.set(database=str(path))


def _engine(name: str, url: URL, secrets: list[str]) -> Engine:
    from sqlalchemy import create_engine
    from sqlalchemy.exc import NoSuchModuleError
    from sqlalchemy.pool import NullPool

    try:
        return create_engine(url, poolclass=NullPool)
    except (NoSuchModuleError, ImportError) as error:
        raise JobError(
            f"the database driver for dataset '{name}' ({url.drivername}) is not installed:"
            f" {_redact(str(error), secrets)}",
            "install the driver package in the runner (e.g. pip install psycopg[binary]),"
            " or name an installed driver in the URL",
            permanent=True,
        ) from None


def _connect(name: str, engine: Engine, secrets: list[str]) -> Connection:
    """Open a connection; failing to reach the database is worth another try."""
    from sqlalchemy.exc import DBAPIError

    try:
        return engine.connect()
    except DBAPIError as error:
        where = engine.url.host or engine.url.database or engine.url.drivername
        raise JobError(
            f"could not connect to the database of dataset '{name}' ({where}):"
            f" {_message(error, secrets)}",
            "check that the database is up and reachable from the runner, and the address and"
            " credentials; the run is tried again",
        ) from None


def _execute(connection: Connection, statement: TextClause) -> CursorResult[Any]:
    """Run with a server-side cursor where the driver has one, fetching YIELD_PER rows a time."""
    streaming = connection.execution_options(stream_results=True, yield_per=YIELD_PER)
    return streaming.execute(statement)


def _limit_time(connection: Connection, limit: timedelta) -> SqliteDeadline | None:
    """The server stops a statement running longer than `limit` (PostgreSQL's statement_timeout,
    MySQL's max_execution_time), and for SQLite, in process, its progress handler does: a runaway
    query cannot hold the tick. Each fetch of a server-side cursor is a statement of its own,
    under the same limit."""
    milliseconds = max(1, int(limit.total_seconds() * 1000))  # an int: nothing user-written
    dialect = connection.dialect.name
    if dialect == "postgresql":
        connection.exec_driver_sql(f"SET statement_timeout = {milliseconds}")
    elif dialect in ("mysql", "mariadb"):
        connection.exec_driver_sql(f"SET SESSION max_execution_time = {milliseconds}")
    elif dialect == "sqlite":
        deadline = SqliteDeadline(limit)
        deadline.install(connection.connection.dbapi_connection)
        return deadline
    return None


def _rows(
    name: str,
    sqlite: bool,
    secrets: list[str],
    result: CursorResult[Any],
    limit: timedelta,
    deadline: SqliteDeadline | None,
) -> Iterator[Row]:
    iterator = iter(result)
    while True:
        row = _run(name, sqlite, secrets, lambda: next(iterator, None), limit, deadline)
        if row is None:
            return
        yield tuple(row)


def _run(
    name: str,
    sqlite: bool,
    secrets: list[str],
    step: Callable[[], T],
    limit: timedelta = DEFAULT_TIMEOUT,
    deadline: SqliteDeadline | None = None,
) -> T:
    """One call into the driver, its errors worded for people and marked permanent or not."""
    from sqlalchemy.exc import DBAPIError

    if deadline is not None:
        deadline.start()
    try:
        return step()
    except DBAPIError as error:
        if deadline is not None and deadline.expired:
            raise JobError(
                f"the query of dataset '{name}' ran longer than its timeout of"
                f" {duration_text(limit)} (datasets.{name}.timeout) and was stopped",
                f"make the query faster (an index, a narrower WHERE), or raise"
                f" datasets.{name}.timeout in gitcron.yaml; the same query on the same data"
                " would run as long again, so the run is not retried",
                permanent=True,
            ) from None
        if getattr(error.orig, "sqlstate", None) == QUERY_CANCELED:
            raise JobError(
                f"the query of dataset '{name}' ran longer than {duration_text(limit)} and the"
                " database stopped it",
                f"make the query faster (an index, a narrower WHERE), or raise"
                f" datasets.{name}.timeout in gitcron.yaml; the run is tried again",
            ) from None
        permanent = _is_permanent(error, sqlite)
        hint = (
            f"fix the query under datasets.{name}.sql in gitcron.yaml"
            if permanent
            else "the database had a passing problem; the run is tried again"
        )
        raise JobError(
            f"the query of dataset '{name}' failed: {_message(error, secrets)}",
            hint,
            permanent=permanent,
        ) from None  # the chained error carries the SQL's bound values and the driver's details
    finally:
        if deadline is not None:
            deadline.stop()


def _is_permanent(error: DBAPIError, sqlite: bool) -> bool:
    """Bad SQL and bad data are permanent; a lost connection, a lock or a deadlock are not.

    SQLite reports bad SQL (a syntax error, no such table, a read-only file) as an
    OperationalError, so there only a busy or locked database is worth another try.
    """
    if error.connection_invalidated:
        return False
    kind = type(error).__name__
    if kind == "OperationalError" and sqlite:
        text = str(error.orig).lower()
        return "locked" not in text and "busy" not in text
    return kind in _PERMANENT


def _message(error: DBAPIError, secrets: list[str]) -> str:
    """The database's own words, first line only, without the address or its password."""
    lines = str(error.orig).strip().splitlines() or [type(error.orig).__name__]
    text = _redact(lines[0].strip(), secrets)
    return text if len(text) <= _MAX_MESSAGE else text[: _MAX_MESSAGE - 1] + "…"


def _redact(text: str, secrets: list[str]) -> str:
    for secret in sorted(secrets, key=len, reverse=True):
        if secret:
            text = text.replace(secret, "[redacted]")
    return text
