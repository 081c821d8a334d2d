"""`gitcron history`: records newest last, filters, JSON, --stats with next fire, torn lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitcron.state import Delivery, FileInfo, Record, ScheduleState, StateStore
from gitcron.state.records import record_to_json
from support import Run, invoke, record, utc

EMAIL = "email:buyer@acme.example"
HOOK = "webhook:https://hooks.acme.example/files"
XLSX = FileInfo(name="acme-2026-11-16.xlsx", size=4821, sha256="ab" * 32)

FAILED = record(
    "2026-11-16T15:00",
    "2026-11-16T15:00:05",
    "partial",
    duration_ms=5300,
    rows=1200,
    file=XLSX,
    deliveries=(Delivery(EMAIL, "succeeded"), Delivery(HOOK, "failed", "503 Service\nUnavailable")),
    error="1 of 2 deliveries failed",
)
RETRIED = record(
    "2026-11-16T15:00",
    "2026-11-16T16:00:07",
    "succeeded",
    2,
    duration_ms=65_400,
    rows=1200,
    file=XLSX,
    deliveries=(Delivery(EMAIL, "skipped"), Delivery(HOOK, "succeeded")),
)
MISSED = record(
    "2026-11-20T08:00", "2026-11-21T09:00:00", "missed", schedule="acme/daily", note="25h late"
)
OTHER = record("2026-11-21T10:00", "2026-11-21T10:00:01", schedule="acme-corp/daily", rows=3)
ALL = [FAILED, RETRIED, MISSED, OTHER]
SEEN = utc("2026-01-01T00:00")


def history(root: Path, *args: str) -> Run:
    return invoke(["--repo", str(root), "history", *args])


@pytest.fixture
def root(empty_repo: Path) -> Path:
    StateStore(empty_repo).append_history(ALL)
    return empty_repo


def test_text_lists_every_column_newest_last(root: Path) -> None:
    run = history(root)
    assert (run.code, run.err) == (0, "")
    assert run.out.splitlines() == [
        "STARTED (UTC)        SCHEDULE         FIRE (UTC)        TRIGGER    STATUS     TRY    TOOK"
        "   ROWS  FILE                  DELIVERIES",
        "2026-11-16 15:00:05  acme/weekly      2026-11-16 15:00  scheduled  partial      1    5.3s"
        "  1,200  acme-2026-11-16.xlsx  email:buyer@acme.example ✓,"
        " webhook:https://hooks.acme.example/files ✗ 503 Service Unavailable"
        "  error: 1 of 2 deliveries failed",
        "2026-11-16 16:00:07  acme/weekly      2026-11-16 15:00  retry      succeeded    2  1m 05s"
        "  1,200  acme-2026-11-16.xlsx  email:buyer@acme.example ✓ (sent earlier),"
        " webhook:https://hooks.acme.example/files ✓",
        "2026-11-21 09:00:00  acme/daily       2026-11-20 08:00  scheduled  missed       1       -"
        "      -  -                     -  note: 25h late",
        "2026-11-21 10:00:01  acme-corp/daily  2026-11-21 10:00  scheduled  succeeded    1    0.0s"
        "      3  -                     -",
    ]


def test_lines_of_one_day_are_sorted_by_start(empty_repo: Path) -> None:
    """A union merge can leave a day's lines out of order; the listing is by start."""
    StateStore(empty_repo).append_history([RETRIED, FAILED])
    starts = [line[:19] for line in history(empty_repo).out.splitlines()[1:]]
    assert starts == ["2026-11-16 15:00:05", "2026-11-16 16:00:07"]


def test_json_is_the_records_json(root: Path) -> None:
    run = history(root, "--format", "json")
    assert run.code == 0
    assert run.json() == [record_to_json(r) for r in ALL]
    assert run.json()[1]["deliveries"] == [
        {"target": EMAIL, "status": "skipped", "error": None},
        {"target": HOOK, "status": "succeeded", "error": None},
    ]


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        pytest.param("acme/weekly", [FAILED, RETRIED], id="schedule"),
        pytest.param("schedules/acme/weekly.yaml", [FAILED, RETRIED], id="schedule path"),
        pytest.param("acme", [FAILED, RETRIED, MISSED], id="customer, not acme-corp"),
        pytest.param("acme-corp", [OTHER], id="other customer"),
        pytest.param("acme/week", [], id="no prefix match"),
    ],
)
def test_id_selects_a_schedule_or_a_customer(
    root: Path, target: str, expected: list[Record]
) -> None:
    (root / "schedules/acme").mkdir()
    (root / "schedules/acme/week.yaml").write_text("# a schedule that never ran\n", "utf-8")
    assert history(root, target, "--format", "json").json() == [record_to_json(r) for r in expected]


@pytest.mark.parametrize(
    ("since", "expected"),
    [
        pytest.param("3d", [MISSED, OTHER], id="age: 2026-11-19T12:00Z onwards"),
        pytest.param("1w", ALL, id="weeks: 2026-11-15T12:00Z onwards"),
        pytest.param("27h", [MISSED, OTHER], id="hours: from 2026-11-21T09:00Z inclusive"),
        pytest.param("26h", [OTHER], id="hours: from 2026-11-21T10:00Z"),
        pytest.param("2026-11-16", ALL, id="date: midnight UTC"),
        pytest.param("2026-11-16T15:30:00Z", [RETRIED, MISSED, OTHER], id="instant"),
        pytest.param("2026-11-16T10:30:00-05:00", [RETRIED, MISSED, OTHER], id="offset"),
    ],
)
def test_since(root: Path, since: str, expected: list[Record]) -> None:
    run = history(root, "--since", since, "--format", "json")  # now: 2026-11-22T12:00:00Z
    assert run.json() == [record_to_json(r) for r in expected]


def test_a_bad_since_is_a_usage_error(root: Path) -> None:
    run = history(root, "--since", "last tuesday")
    run.assert_clean_failure(2)
    assert run.err.splitlines() == [
        "gitcron: --since: 'last tuesday' is not an ISO 8601 date and time",
        "  hint: write a date (2026-11-01), an instant, or an age like 7d, 12h, 2w",
    ]


def test_limit_keeps_the_newest(root: Path) -> None:
    json_run = history(root, "--limit", "2", "--format", "json")
    assert json_run.json() == [record_to_json(MISSED), record_to_json(OTHER)]
    lines = history(root, "--limit", "1").out.splitlines()
    assert lines[1].startswith("2026-11-21 10:00:01  acme-corp/daily")
    assert lines[2:] == ["(3 earlier records not shown; --limit 0 shows all)"]


def test_text_shows_fifty_unless_asked(empty_repo: Path) -> None:
    records = [record(f"2026-11-01T{h:02d}:00", f"2026-11-01T{h:02d}:00:01") for h in range(24)]
    records += [record(f"2026-11-02T{h:02d}:00", f"2026-11-02T{h:02d}:00:01") for h in range(24)]
    records += [record(f"2026-11-03T{h:02d}:00", f"2026-11-03T{h:02d}:00:01") for h in range(3)]
    StateStore(empty_repo).append_history(records)
    lines = history(empty_repo).out.splitlines()
    assert len(lines) == 1 + 50 + 1
    assert lines[1].startswith("2026-11-01 01:00:01")
    assert lines[-1] == "(1 earlier record not shown; --limit 0 shows all)"
    assert len(history(empty_repo, "--limit", "0").out.splitlines()) == 1 + 51
    assert len(history(empty_repo, "--format", "json").json()) == 51


def test_empty_history_is_not_an_error(empty_repo: Path) -> None:
    (empty_repo / "schedules/acme").mkdir()  # a customer whose schedules have not run yet
    assert history(empty_repo).out == (
        "no runs recorded yet (each tick writes what it ran to state/history/)\n"
    )
    assert history(empty_repo, "acme", "--since", "7d").out == (
        "no runs recorded for acme since 2026-11-15 12:00 UTC\n"
    )
    assert history(empty_repo, "--format", "json").json() == []
    assert history(empty_repo, "--stats", "--format", "json").json() == []
    stats = history(empty_repo, "--stats")
    assert (stats.code, stats.out) == (0, history(empty_repo).out)
    odd = history(empty_repo, "..", "--stats")
    assert (odd.code, odd.out) == (0, "no runs recorded for .. yet (each tick writes what it ran to"
                                      " state/history/)\n")  # fmt: skip


def test_an_unknown_id_is_an_error_with_a_suggestion(root: Path) -> None:
    (root / "schedules/acme").mkdir()
    (root / "schedules/acme/weekly.yaml").write_text("# a schedule\n", "utf-8")
    typo = history(root, "acme/weekli")
    assert typo.code == 1
    assert typo.err == (
        "gitcron: there is no schedule or customer 'acme/weekli' in this repository\n"
        "  hint: did you mean acme/weekly?\n"
    )
    nothing = history(root, "nope/nope", "--stats")
    assert nothing.code == 1
    assert "there is no schedule or customer 'nope/nope'" in nothing.err
    # a schedule deleted since it ran keeps its history: its runs are shown, not an error
    gone = history(root, "acme-corp/daily")
    assert (gone.code, gone.err) == (0, "")
    assert "acme-corp/daily" in gone.out


def test_torn_lines_are_counted_once_on_stderr(root: Path) -> None:
    day = root / "state/history/2026-11-16.jsonl"
    with day.open("a", encoding="utf-8") as handle:
        handle.write('{"run_id": "acme/weekly@2026-11-16T15:00:00Z", "sche\n')
        handle.write("not json\n")
    run = history(root, "--stats")
    assert run.code == 0
    assert run.err.splitlines() == [
        "gitcron: warning: skipped 2 unreadable history lines"
        " (first: state/history/2026-11-16.jsonl:3)",
        "  hint: `gitcron state check` lists them; `gitcron state repair` sets them aside",
    ]
    assert history(root, "--format", "json").json() == [record_to_json(r) for r in ALL]


def test_stats_text(root: Path) -> None:
    StateStore(root).save_customer(
        "acme",
        {
            "weekly": ScheduleState(
                "f1", utc("2026-01-01T00:00"), next_fire=utc("2026-11-23T15:00")
            ),
            "paused": ScheduleState("f2", utc("2026-01-01T00:00"), status="paused"),
        },
    )
    run = history(root, "acme", "--stats")
    assert (run.code, run.err) == (0, "")
    assert run.out.split("\n\n") == [
        "acme/daily\n"
        "  runs          0: 0 succeeded, 0 partial, 0 failed (0 attempts)\n"
        "  success rate  -\n"
        "  duration      -\n"
        "  last success  never\n"
        "  last failure  never\n"
        "  not run       0 skipped, 1 missed\n"
        "  rows          0\n"
        "  next fire     not planned yet (no state: the next tick plans it)",
        "acme/paused\n"
        "  runs          0: 0 succeeded, 0 partial, 0 failed (0 attempts)\n"
        "  success rate  -\n"
        "  duration      -\n"
        "  last success  never\n"
        "  last failure  never\n"
        "  not run       0 skipped, 0 missed\n"
        "  rows          0\n"
        "  next fire     none (paused)",
        "acme/weekly\n"
        "  runs          1: 1 succeeded, 0 partial, 0 failed (2 attempts)\n"
        "  success rate  100.0%\n"
        "  duration      avg 35.4s, p95 1m 05s\n"
        "  last success  2026-11-16 16:00:07 UTC\n"
        "  last failure  2026-11-16 15:00:05 UTC\n"
        "  not run       0 skipped, 0 missed\n"
        "  rows          1,200\n"
        "  next fire     2026-11-23 15:00 UTC\n",
    ]


def test_stats_json(root: Path) -> None:
    StateStore(root).save_customer(
        "acme",
        {"weekly": ScheduleState("f1", SEEN, next_fire=utc("2026-11-23T15:00"))},
    )
    run = history(root, "acme/weekly", "--stats", "--format", "json")
    assert run.json() == [
        {
            "schedule": "acme/weekly",
            "runs": 1,
            "attempts": 2,
            "outcomes": {"succeeded": 1, "partial": 0, "failed": 0},
            "skipped": 0,
            "missed": 0,
            "records": 2,
            "rows": 1200,
            "success_rate": 1.0,
            "avg_duration_ms": 35350.0,
            "p95_duration_ms": 65400,
            "last_success": "2026-11-16T16:00:07Z",
            "last_failure": "2026-11-16T15:00:05Z",
            "next_fire": "2026-11-23T15:00:00Z",
        }
    ]
    everyone = history(root, "--stats", "--format", "json").json()
    assert [s["schedule"] for s in everyone] == ["acme-corp/daily", "acme/daily", "acme/weekly"]
    assert everyone[0]["success_rate"] == 1.0
    assert everyone[0]["next_fire"] is None


def test_stats_with_an_unreadable_state_file(root: Path) -> None:
    (root / "state/schedules").mkdir(parents=True)
    (root / "state/schedules/acme.json").write_text('{"format": 1,', encoding="utf-8")
    run = history(root, "acme/weekly", "--stats")
    assert run.code == 0
    assert run.out.splitlines()[-1] == (
        "  next fire     unknown: its state file cannot be read (see `gitcron state check`)"
    )
    assert run.err.startswith(
        "gitcron: warning: state/schedules/acme.json:1:14: corrupt state file: the file ends"
    )
