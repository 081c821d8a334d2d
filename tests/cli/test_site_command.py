"""`gitcron site` through the CLI: what it says, and an --out it cannot write to."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from support import Run


def test_site_says_what_it_wrote(gitcron: Callable[..., Run], tmp_path: Path) -> None:
    out = tmp_path / "site"
    run = gitcron("site", "--out", str(out), "--at", "2026-12-07T06:00:00Z")
    assert run.code == 0, run.both
    assert run.out.startswith(
        f"site: 8 page(s) for 7 schedule(s) written to {out}/ (0 failing, last tick: never ran)"
    )
    assert (out / "index.html").is_file()
    assert (out / "schedules/customer-001/weekly-products.html").is_file()


def test_an_out_folder_that_cannot_be_written(gitcron: Callable[..., Run], tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n", "utf-8")
    run = gitcron("site", "--out", str(blocker / "site"))
    run.assert_clean_failure(2)
    where = blocker / "site"
    assert run.err.startswith(f"gitcron: --out {where}: the site cannot be written there")
    assert "hint: give a folder you can write to, e.g. --out site" in run.err


def test_out_is_required(gitcron: Callable[..., Run]) -> None:
    run = gitcron("site")
    assert run.code == 2
    assert "Missing option '--out'" in run.err
