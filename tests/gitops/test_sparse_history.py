"""A tick checked out as tick.yml checks out: no old history, the day's earlier lines kept.

Real git: a bare origin that serves partial clones, a clone with `--filter=blob:none` and the
workflow's sparse-checkout patterns, and `gitcron run --push` / `gitcron trigger --push` in it.
"""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml

from gitops.gitrepo import TICK, fresh, git, gitcron, origin_with_examples, records
from support import REPO

TODAY = date(2026, 12, 7)
EXPIRED = date(2025, 10, 1)  # older than keep_months: 13 before TODAY
OLD_DAYS = 30


def checkout_step() -> dict[str, str]:
    """The `with:` of tick.yml's actions/checkout step: how the tick is checked out."""
    flow = yaml.safe_load((REPO / ".github/workflows/tick.yml").read_text())
    steps = flow["jobs"]["tick"]["steps"]
    return next(s["with"] for s in steps if s.get("uses", "").startswith("actions/checkout@"))


PATTERNS = tuple(checkout_step()["sparse-checkout"].split())


def earlier_line(day: date, n: int) -> str:
    return json.dumps(
        {
            "fire": f"{day.isoformat()}T03:00:00Z",
            "schedule": f"customer-009/report-{n:03d}",
            "started": f"{day.isoformat()}T03:07:00Z",
            "status": "succeeded",
        },
        sort_keys=True,
        separators=(",", ":"),
    )


def with_history(tmp: Path, old_days: int = OLD_DAYS, runs: int = 200) -> Path:
    """The examples' origin, plus `old_days` old days of history, an expired day, and today's
    earlier lines (written by other ticks before this one); `runs` lines a day."""
    origin = origin_with_examples(tmp)
    git(origin, "config", "uploadpack.allowFilter", "true")
    work = fresh(origin, tmp, "seed-history")
    folder = work / "state" / "history"
    folder.mkdir(parents=True, exist_ok=True)
    days = [TODAY - timedelta(days=n) for n in range(1, old_days + 1)] + [EXPIRED, TODAY]
    for day in days:
        lines = [earlier_line(day, n) for n in range(runs)]
        (folder / f"{day.isoformat()}.jsonl").write_text("\n".join(lines) + "\n")
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "history")
    git(work, "push", "-q", "origin", "HEAD:main")
    return origin


def sparse_clone(origin: Path, dest: Path) -> Path:
    step = checkout_step()
    assert step["sparse-checkout-cone-mode"] is False
    git(origin.parent, "clone", "-q", f"--filter={step['filter']}", "--no-checkout",
        f"file://{origin}", str(dest))  # fmt: skip
    git(dest, "sparse-checkout", "set", "--no-cone", *PATTERNS)
    git(dest, "checkout", "-q", "main")
    return dest


def missing_blobs(root: Path) -> set[str]:
    """Paths under state/history whose blobs this partial clone never fetched."""
    out = git(root, "rev-list", "--objects", "--missing=print", "HEAD", "--", "state/history")
    missing = {line[1:] for line in out.splitlines() if line.startswith("?")}
    named = {}
    for line in git(root, "ls-tree", "-r", "HEAD", "--", "state/history").splitlines():
        meta, path = line.split("\t")
        named[meta.split()[2]] = path
    return {named[sha] for sha in missing if sha in named}


def test_a_sparse_tick_keeps_the_days_lines_fetches_no_old_day_and_prunes(tmp_path: Path) -> None:
    origin = with_history(tmp_path)
    work = sparse_clone(origin, tmp_path / "tick")
    assert not (work / "state/history/2026-12-06.jsonl").exists()

    done = gitcron(work, "run", "--at", TICK, "--push")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "history: 1 day file(s) past retention removed" in done.stdout

    pushed = fresh(origin, tmp_path)
    today = (pushed / "state/history/2026-12-07.jsonl").read_text().splitlines()
    assert today[:200] == [earlier_line(TODAY, n) for n in range(200)]  # verbatim, first
    mine = [
        r for r in records(pushed) if r.started.date() == TODAY and "customer-009" not in r.schedule
    ]
    assert len(mine) == len(today) - 200 > 0
    assert not (pushed / f"state/history/{EXPIRED.isoformat()}.jsonl").exists()
    assert (pushed / "state/history/2026-12-06.jsonl").exists()  # retained days stay
    old = {f"state/history/{(TODAY - timedelta(days=n)).isoformat()}.jsonl"
           for n in range(1, OLD_DAYS + 1)}  # fmt: skip
    assert old - {"state/history/2026-12-06.jsonl"} <= missing_blobs(work)


def on_disk(root: Path) -> int:
    """Bytes of a checkout, its .git included, without the outbox the tick wrote into."""
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and "outbox" not in p.parts)


@pytest.mark.slow
def test_a_year_of_history_costs_a_sparse_tick_what_two_days_cost(tmp_path: Path) -> None:
    """395 days x 1,000 runs against 2 days: the tick's checkout holds the same bytes (within
    1.5x), its record reaches origin with the day's 1,000 earlier records, and the expired day
    is deleted. (Time is measured in benchmarks/bench_tick_checkout.py, not here.)"""
    sizes = {}
    for label, days in (("short", 1), ("long", 394)):  # + today, + an expired day
        (tmp_path / label).mkdir()
        origin = with_history(tmp_path / label, days, 1000)
        work = sparse_clone(origin, tmp_path / label / "tick")
        done = gitcron(work, "run", "--at", TICK, "--push")
        assert done.returncode == 0, done.stdout + done.stderr
        sizes[label] = on_disk(work)
        pushed = fresh(origin, tmp_path / label)
        today = (pushed / "state/history/2026-12-07.jsonl").read_text().splitlines()
        assert today[:1000] == [earlier_line(TODAY, n) for n in range(1000)]
        assert len(today) > 1000
        assert not (pushed / f"state/history/{EXPIRED.isoformat()}.jsonl").exists()
        assert len(list((pushed / "state/history").iterdir())) == days + 1
    assert sizes["long"] <= 1.5 * sizes["short"], sizes


def test_a_day_written_while_left_out_keeps_its_earlier_lines(tmp_path: Path) -> None:
    """The trap: `gitcron trigger` adds today's file to no checkout; a fresh day file written
    over the one left out would replace the day's earlier records on push."""
    origin = with_history(tmp_path)
    work = sparse_clone(origin, tmp_path / "trigger")
    assert gitcron(work, "run", "--at", TICK, "--push").returncode == 0
    git(work, "sparse-checkout", "set", "--no-cone", *PATTERNS)  # today's file left out again
    assert not (work / "state/history/2026-12-07.jsonl").exists()
    later = "2026-12-07T15:00:00Z"
    done = gitcron(work, "trigger", "customer-001/weekly-products", "--at", later, "--push")
    assert done.returncode == 0, done.stdout + done.stderr

    pushed = fresh(origin, tmp_path)
    today = (pushed / "state/history/2026-12-07.jsonl").read_text().splitlines()
    assert today[:200] == [earlier_line(TODAY, n) for n in range(200)]
    manual = [r for r in records(pushed) if r.trigger == "manual"]
    assert [r.schedule for r in manual] == ["customer-001/weekly-products"]
    assert len(today) == len(set(today))  # the tick's own records once, not twice


def test_a_full_checkout_is_left_as_it_is(tmp_path: Path) -> None:
    origin = with_history(tmp_path)
    work = fresh(origin, tmp_path, "full")
    done = gitcron(work, "run", "--at", TICK, "--push")
    assert done.returncode == 0, done.stdout + done.stderr
    assert not (work / f"state/history/{EXPIRED.isoformat()}.jsonl").exists()
    assert git(work, "config", "--bool", "--default", "false", "core.sparseCheckout") == "false"
    shutil.rmtree(work)


def test_state_check_and_repair_say_they_need_the_whole_history(tmp_path: Path) -> None:
    origin = with_history(tmp_path)
    work = sparse_clone(origin, tmp_path / "sparse")
    for sub in ("check", "repair"):
        done = gitcron(work, "state", sub, "--at", TICK)
        assert done.returncode == 2, done.stdout + done.stderr
        assert f"`gitcron state {sub}` needs every history day file, and this checkout leaves " in (
            done.stderr
        )
        assert "`git sparse-checkout disable`" in done.stderr
    git(work, "sparse-checkout", "disable")
    done = gitcron(work, "state", "check", "--at", TICK)
    assert (done.returncode, done.stdout.splitlines()[-1]) == (0, "state is fine: 37 files read"), (
        done.stdout
    )  # 32 days, 5 JSON files
