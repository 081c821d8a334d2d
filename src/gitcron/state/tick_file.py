"""state/tick.json, the instant of the last tick, read and written without the state models.

Both ticks write it through here: the full tick (`StateStore.save_tick`) and the quiet one, which
decides without pydantic that nothing can be due (engine/quiet.py). A file in this release's form
is read here too; anything else (an older format, an unknown key, an instant out of bounds) is
left to the models (`model.tick_from_json`), which bring it up to date or say what is wrong.

`FORMAT` is the version every state file carries; it lives here, the lightest module that
writes one, and `model.py` takes it from here.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from gitcron.state.files import read_json, write_json
from gitcron.state.instants import EARLIEST, LATEST, format_instant, parse_instant

FORMAT = 1
TICK_FILE = "state/tick.json"


def tick_document(instant: datetime) -> dict[str, Any]:
    """The JSON document of state/tick.json for a tick at `instant`."""
    return {"format": FORMAT, "last_tick": format_instant(instant)}


def last_tick_of(data: object, version: int = FORMAT) -> datetime | None:
    """The instant a parsed state/tick.json holds when it is exactly what this release writes
    (format `version`); None for anything else, which only the models may judge."""
    if type(data) is not dict or data.keys() != {"format", "last_tick"}:
        return None
    found, text = data["format"], data["last_tick"]
    if type(found) is not int or found != version or type(text) is not str:
        return None
    try:
        instant = parse_instant(text)
    except ValueError:
        return None
    return instant if EARLIEST <= instant <= LATEST else None


def write_tick(root: Path, instant: datetime) -> bool:
    """Record a tick at `instant`; True if state/tick.json changed."""
    return write_json(root / TICK_FILE, tick_document(instant))


def read_last_tick(root: Path) -> datetime | None:
    """The last tick's instant when state/tick.json is there and in this release's form; None
    otherwise (no file, or one the models must read). Raises OSError or StateError when the
    file cannot be read at all."""
    return last_tick_of(read_json(root / TICK_FILE, TICK_FILE))
