"""The contract of a dataset: named columns, then rows as tuples, streamed and closed after use."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from types import TracebackType
from typing import Any, Protocol

from gitcron.config.settings import Dataset as DatasetSpec
from gitcron.core.run import RunScope

Row = tuple[Any, ...]


class Dataset(Protocol):
    """What a renderer reads: the column names, and an iterator of rows in that order."""

    @property
    def columns(self) -> tuple[str, ...]: ...

    def __iter__(self) -> Iterator[Row]: ...


class Rows:
    """An open dataset: iterate once; `close()` (or `with`) releases the file or connection."""

    def __init__(
        self,
        columns: tuple[str, ...],
        rows: Iterator[Row],
        close: Callable[[], None] | None = None,
        *,
        interval: bool = False,
    ) -> None:
        self.columns = columns
        self._rows = rows
        self._close = close
        # the rows depend on the run's interval (a query reads :interval_start...): a file then
        # says which period it covers; a catalogue or a price list covers none
        self.interval = interval

    def __iter__(self) -> Iterator[Row]:
        return self._rows

    def close(self) -> None:
        close = getattr(self._rows, "close", None)
        if close is not None:
            close()
        if self._close is not None:
            self._close()
            self._close = None

    def __enter__(self) -> Rows:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


class Source(Protocol):
    """One kind of dataset (`sample:`, `file:` ...): opens the named dataset for one run.

    `params` holds the dataset's declared params and the run's `interval_start`, `interval_end`
    and `fire` (aware UTC datetimes; `interval_start` is None for a first run).
    """

    def __call__(
        self, name: str, spec: DatasetSpec, params: Mapping[str, Any], ctx: RunScope
    ) -> Rows: ...
