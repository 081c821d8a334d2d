"""What people see: output by schedule, misses grouped, ids checked with a suggestion, globs,
colour on a terminal only, `[n/N]` progress, and `new --time` (old `--at` with a note)."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from support import Run, invoke

FIRST = "2026-11-22T12:00:00Z"
MONTH_LATER = "2026-12-24T12:00:00Z"


@pytest.fixture
def gap(gitcron: Callable[..., Run]) -> Callable[..., Run]:
    """The repo after its first tick, a month before the next: every schedule missed fires."""
    assert gitcron("run", "--at", FIRST).code == 0
    return gitcron


def test_plan_groups_each_schedules_misses(gap: Callable[..., Run]) -> None:
    run = gap("plan", "--at", MONTH_LATER)
    assert run.code == 0, run.both
    lines = run.out.splitlines()
    assert lines[0] == "plan at 2026-12-24 12:00 UTC (last tick: 2026-11-22 12:00 UTC)"
    assert (
        "  miss   customer-004/products-every-6h  100 missed, newest 2026-12-24 06:00 UTC"
        "  catchup: latest: a newer fire ran instead"
    ) in lines
    assert "  miss   customer-003/daily-products  32 missed, newest 2026-12-24 08:00 JST" in run.out
    # one miss stays a line of its own, with its fire
    assert (
        "  miss   customer-002/monthly-products  2026-12-07 10:00 GMT (10:00 UTC)"
        "  more than 6h late (max_delay)"
    ) in lines
    assert len(lines) < 15  # instead of one line for each of ~190 misses
    named = [line.split()[1] for line in lines[1:]]
    assert named == sorted(named)  # by schedule


def test_run_prints_by_schedule_with_misses_grouped(gap: Callable[..., Run], repo: Path) -> None:
    run = gap("run", "--at", MONTH_LATER, "--outbox", str(repo / "outbox"))  # not the cwd's
    assert run.code == 0, run.both
    body = [line for line in run.out.splitlines() if line.startswith("  ") and line[2] != " "]
    named = [line.split()[2] for line in body]
    assert named == sorted(named)
    assert any("100 missed, newest 2026-12-24 06:00 UTC" in line for line in body)


def test_json_plan_still_lists_every_miss(gap: Callable[..., Run]) -> None:
    plan = gap("plan", "--at", MONTH_LATER, "--format", "json").json()
    misses = [r for r in plan["records"] if r["schedule"] == "customer-004/products-every-6h"]
    assert len(misses) == 100


@pytest.mark.parametrize(
    ("only", "chosen"),
    [
        pytest.param(
            ["customer-004"],
            {"customer-004/products-every-6h", "customer-004/stock-event"},
            id="a-customer",
        ),
        pytest.param(["customer-00*/daily-*"], {"customer-003/daily-products"}, id="a-glob"),
        pytest.param(["customer-004/stock-event"], {"customer-004/stock-event"}, id="an-id"),
        pytest.param(
            ["schedules/customer-004/stock-event.yaml"], {"customer-004/stock-event"}, id="a-path"
        ),
    ],
)
def test_only_takes_customers_globs_and_ids(
    gap: Callable[..., Run], only: list[str], chosen: set[str]
) -> None:
    args = [arg for value in only for arg in ("--only", value)]
    plan = gap("plan", "--at", MONTH_LATER, "--format", "json", *args).json()
    assert {r["schedule"] for r in [*plan["runs"], *plan["records"]]} == chosen


@pytest.mark.parametrize(
    ("args", "first", "hint"),
    [
        pytest.param(
            ["plan", "--only", "customer-01"],
            "gitcron: there is no schedule, customer or match for 'customer-01' in this repository",
            "  hint: did you mean customer-001?",
            id="plan-customer",
        ),
        pytest.param(
            ["run", "--dry-run", "--only", "customer-003/daily-product"],
            "gitcron: there is no schedule, customer or match for 'customer-003/daily-product'"
            " in this repository",
            "  hint: did you mean customer-003/daily-products?",
            id="run-id",
        ),
        pytest.param(
            ["plan", "--only", "nobody-*"],
            "gitcron: there is no schedule, customer or match for 'nobody-*' in this repository",
            "  hint: ids are paths under schedules/ without .yaml, e.g. acme-corp/weekly-products",
            id="a-glob-matching-nothing",
        ),
        pytest.param(
            ["next", "customer-001/weekly-product"],
            "gitcron: there is no schedule 'customer-001/weekly-product'"
            " (looked for schedules/customer-001/weekly-product.yaml)",
            "  hint: did you mean customer-001/weekly-products?",
            id="next",
        ),
        pytest.param(
            ["trigger", "customer-04/stock-event"],
            "gitcron: there is no schedule 'customer-04/stock-event'"
            " (looked for schedules/customer-04/stock-event.yaml)",
            "  hint: did you mean customer-004/stock-event?",
            id="trigger",
        ),
    ],
)
def test_unknown_ids_are_usage_errors_with_a_suggestion(
    gitcron: Callable[..., Run], repo: Path, args: list[str], first: str, hint: str
) -> None:
    run = gitcron(*args)
    run.assert_clean_failure(2)
    assert run.err.splitlines() == [first, hint]
    assert not (repo / "state").exists()  # nothing ran


def _tty_run(repo: Path, args: list[str], env: dict[str, str]) -> str:
    """gitcron with its standard output on a pseudo-terminal, as in a person's shell."""
    main, child = pty.openpty()
    environ = {k: v for k, v in os.environ.items() if k != "NO_COLOR"} | env
    with subprocess.Popen(
        [sys.executable, "-m", "gitcron", "--repo", str(repo), *args],
        stdout=child,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        env=environ,
    ) as process:
        os.close(child)
        chunks = []
        while True:
            try:
                data = os.read(main, 65536)
            except OSError:  # the terminal closed: the command is done
                break
            if not data:
                break
            chunks.append(data)
        process.wait(timeout=60)
    os.close(main)
    return b"".join(chunks).decode()


def test_colour_on_a_terminal_only(gap: Callable[..., Run], repo: Path) -> None:
    args = ["plan", "--at", MONTH_LATER]
    coloured = _tty_run(repo, args, {})
    assert "\x1b[32mrun   \x1b[0m customer-004/products-every-6h" in coloured  # run: green
    assert "\x1b[90mmiss  \x1b[0m customer-003/daily-products" in coloured
    plain = _tty_run(repo, args, {"NO_COLOR": "1"})
    assert "\x1b[" not in plain
    assert "  run    customer-004/products-every-6h" in plain
    piped = subprocess.run(
        [sys.executable, "-m", "gitcron", "--repo", str(repo), *args],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        env={k: v for k, v in os.environ.items() if k != "NO_COLOR"},
    )
    assert "\x1b[" not in piped.stdout
    assert piped.stdout == plain.replace("\r\n", "\n")


def test_progress_on_a_terminal(gap: Callable[..., Run], repo: Path) -> None:
    main, child = pty.openpty()
    with subprocess.Popen(
        [sys.executable, "-m", "gitcron", "--repo", str(repo), "run", "--at", MONTH_LATER],
        stdout=subprocess.PIPE,
        stderr=child,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "GITCRON_SMTP_URL": ""},
    ) as process:
        os.close(child)
        out, _ = process.communicate(timeout=120)
        chunks = []
        while True:
            try:
                data = os.read(main, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
    os.close(main)
    err = b"".join(chunks).decode()
    assert "[1/2] " in err
    assert "[2/2] " in err
    assert b"[1/2]" not in out  # the report on standard output has no progress in it


def test_new_takes_time_and_the_old_at_with_a_note(empty_repo: Path) -> None:
    base = ["--repo", str(empty_repo), "new", "acme/daily", "--daily", "--stdout"]
    now = invoke([*base, "--time", "09:00"])
    assert (now.code, now.err) == (0, "")
    old = invoke([*base, "--at", "09:00"])
    assert old.code == 0
    assert old.out == now.out
    assert old.err == (
        "gitcron: warning: `gitcron new --at HH:MM` is deprecated and will mean the instant taken"
        " as now, as in every other command; write the time of day as --time HH:MM\n"
    )


def test_schema_takes_repo(repo: Path) -> None:
    run = invoke(["schema", "--repo", str(repo)])
    assert run.code == 0
    assert '"$schema"' in run.out
