"""`gitcron site`: the status site written as plain files, one page per schedule.

Jinja2 with autoescape renders every page, so each value from schedules, state and history
(a description, a receiver's error, an address) is escaped wherever it lands, SVG included.
No script, no external asset: the CSS and the pictures are inline, and each page forbids
anything else with a Content-Security-Policy, so the site can be opened from an artifact, a
folder or GitHub Pages alike.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import jinja2

from gitcron.files import FILE_MODE, replacing
from gitcron.site.calendar import KINDS, grid
from gitcron.site.facts import gather
from gitcron.site.model import Site
from gitcron.site.ticks import words

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("gitcron.site", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_ENV.globals.update(grid=grid, kinds=KINDS, words=words)
_ENV.filters["percent"] = lambda value: "-" if value is None else f"{value:.0%}"


def build(root: Path, out: Path, now: datetime) -> tuple[Site, list[Path]]:
    """Write the site for `root` at `now` into `out`; the facts and the files written."""
    site = gather(root, now)
    written = [_write(out / "index.html", _render("index.html", site=site, base=""))]
    for row in site.schedules:
        if row.page is None:
            continue
        base = "../" * row.page.count("/")
        html = _render("schedule.html", site=site, row=row, base=base)
        written.append(_write(out / row.page, html))
    return site, written


def _render(name: str, **values: object) -> str:
    return _ENV.get_template(name).render(**values)


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with replacing(path, mode=FILE_MODE) as handle:
        handle.write(text.encode("utf-8"))
    return path
