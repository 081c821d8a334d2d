"""A tick with nothing due stays light: it plans, and loads nothing that runs, renders or sends.

Most of the 96 ticks a day have nothing due, and each one is a fresh process. Each probe here is
one such process (after a first tick and one that warmed the parse cache, as on a runner that
restores the cache); it lists the modules the tick imported. What runs a step (the executor,
jobs, renderers, channels' delivery code, jinja2, openpyxl, reportlab, httpx) must not be among
them, nor what reads and checks a schedule file (the schedule model, its checks, the YAML
reader), and gitcron.yaml, restored from the cache, is validated by nobody (not even the heartbeat).
A tick with a run due loads them, which shows the probe sees them.

A tick after one that ended clean takes the quiet path (engine/quiet.py): it imports neither
pydantic nor gitcron.yaml's settings, the state models or the planner. The probe of a full tick
turns that path off (`GITCRON_QUIET=0`), so both stay light in their own ways.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from support import invoke

FIRST, WARM, NOOP = "2026-11-23T03:00:00Z", "2026-11-23T03:15:00Z", "2026-11-23T03:30:00Z"
DUE = "2026-11-23T06:00:00Z"  # customer-004's six-hourly schedule fires

# Modules of what runs, renders or delivers: none is imported by a tick with nothing due.
HEAVY = (
    "jinja2",
    "openpyxl",
    "reportlab",
    "httpx",
    "email_validator",
    "holidays",
    "tenacity",
    "babel",
)
RUNNING = (
    "gitcron.engine.executor",
    "gitcron.engine.steps",
    "gitcron.jobs",
    "gitcron.render",
    "gitcron.review.markdown",
    "gitcron.review.preview",
    "gitcron.gitops.commit",
    "gitcron.gitops.claim",
)
# What reads and checks a schedule file: a warm parse cache restores every file without them.
CHECKING = (
    "gitcron.catalog.load",
    "gitcron.catalog.checks",
    "gitcron.catalog.key_checks",
    "gitcron.catalog.grant_checks",
    "gitcron.catalog.secrets",
    "gitcron.catalog.workflows",
    "gitcron.schedule",
    "gitcron.config.yamlio",
    "yaml",
    "concurrent.futures.process",
)


def _probe(
    repo: Path, *args: str, env: dict[str, str] | None = None
) -> tuple[str, dict[str, bool]]:
    """Run `gitcron --repo REPO ARGS` in a fresh interpreter: what it printed, and its modules."""
    probe = (
        "import json, sys\n"
        "from gitcron.cli.main import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "except SystemExit as done:\n"
        "    assert done.code == 0, done.code\n"
        "modules = sorted(sys.modules)  # before the questions below import anything\n"
        "from gitcron.config.settings import Settings\n"
        "from gitcron.state import model\n"
        "codecs = (model._TICK, model._CUSTOMER)  # a validator is built on a codec's first use\n"
        "built = [c.kind.__name__ for c in codecs if 'adapter' in vars(c)]\n"
        "found = {'modules': modules, 'validated': Settings.__pydantic_complete__,\n"
        "         'state validators': built}\n"
        "print(json.dumps(found), file=sys.stderr)\n"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("GITCRON_", "GITHUB_"))}
    done = subprocess.run(
        [sys.executable, "-c", probe, "--repo", str(repo), *args],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        env={**clean, **(env or {})},
    )
    found = json.loads(done.stderr.strip().splitlines()[-1])
    loaded = dict.fromkeys(found["modules"], True)
    loaded["<settings validated>"] = found["validated"]
    loaded["<state validators built>"] = bool(found["state validators"])
    return done.stdout, loaded


def _under(loaded: dict[str, bool], prefixes: tuple[str, ...]) -> list[str]:
    return sorted(
        name
        for name in loaded
        if loaded[name] and any(name == p or name.startswith(p + ".") for p in prefixes)
    )


def _delivery_code(loaded: dict[str, bool]) -> list[str]:
    """A channel's sending code (its target model is part of the schedule model, so it loads)."""
    return sorted(
        name
        for name in loaded
        if name.startswith("gitcron.channels.") and not name.endswith((".target", ".keys"))
        and name.count(".") >= 3
    )  # fmt: skip


@pytest.fixture
def warm(repo: Path) -> Path:
    for at in (FIRST, WARM):
        assert invoke(["--repo", str(repo), "run", "--at", at]).code == 0
    return repo


FULL = {"GITCRON_QUIET": "0"}  # the full tick, which a quiet record would otherwise spare
# What the quiet tick decides without: pydantic, gitcron.yaml's settings (gitcron.config), the
# state models, the parse cache, the planner.
MODELS = (
    "pydantic",
    "pydantic_core",
    "gitcron.config",
    "gitcron.state.model",
    "gitcron.state.codec",
    "gitcron.state.records",
    "gitcron.catalog.cache",
    "gitcron.catalog.view",
    "gitcron.engine.planner",
    "gitcron.engine.tick",
)


def test_a_tick_with_nothing_due_loads_nothing_that_runs(warm: Path) -> None:
    out, loaded = _probe(warm, "run", "--at", NOOP, env=FULL)
    assert "0 runs" in out
    assert _under(loaded, HEAVY) == []
    assert _under(loaded, RUNNING) == []
    assert _delivery_code(loaded) == []
    assert _under(loaded, CHECKING) == []
    assert not loaded["<settings validated>"]  # restored from the cache, not validated again
    assert not loaded["<state validators built>"]  # well-formed state is read plainly


def test_a_job_summary_is_written_without_loading_what_runs(warm: Path, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    _, loaded = _probe(warm, "run", "--at", NOOP, env={"GITHUB_STEP_SUMMARY": str(summary), **FULL})
    assert "Nothing was due." in summary.read_text(encoding="utf-8")
    assert _under(loaded, ("gitcron.engine.executor", "gitcron.jobs", "openpyxl")) == []


@pytest.mark.parametrize(
    "args", [(), ("--format", "json", "--shards", "2")], ids=["text", "shards"]
)
def test_a_plan_loads_nothing_that_runs_nor_what_pushes(warm: Path, args: tuple[str, ...]) -> None:
    """`gitcron plan` is the warm tick's planning alone, even when it splits runs into shards."""
    out, loaded = _probe(warm, "plan", "--at", DUE, *args)
    assert "customer-004/products-every-6h" in out
    assert _under(loaded, HEAVY) == []
    assert _under(loaded, RUNNING) == []
    assert _under(loaded, CHECKING) == []
    assert _under(loaded, ("gitcron.cli.commitback", "gitcron.gitops", "concurrent")) == []
    assert not loaded["<state validators built>"]


def test_the_quiet_tick_loads_no_model(warm: Path, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    env = {"GITHUB_STEP_SUMMARY": str(summary), "GITHUB_ACTIONS": "true"}
    out, loaded = _probe(warm, "run", "--at", NOOP, env=env)
    assert out.splitlines()[1:] == ["0 runs", "state: 1 file(s) written under state/"]
    assert "Nothing was due." in summary.read_text(encoding="utf-8")
    assert "gitcron.engine.quiet" in loaded  # the probe saw the quiet path decide
    assert _under(loaded, MODELS) == []
    assert _under(loaded, HEAVY + RUNNING + CHECKING) == []


def test_a_tick_with_a_run_due_loads_what_runs(warm: Path, tmp_path: Path) -> None:
    """The contrast: the same probe sees the machinery once something is due."""
    out, loaded = _probe(warm, "run", "--dry-run", "--outbox", str(tmp_path / "out"), "--at", DUE)
    assert "customer-004/products-every-6h" in out
    assert "gitcron.engine.executor" in loaded
    assert "gitcron.schedule" in loaded  # the run reads its schedule in full
    assert _under(loaded, ("gitcron.render",)) != []
