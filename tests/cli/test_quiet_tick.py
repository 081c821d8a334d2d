"""The quiet tick never decides differently from the full one: the product's first promise.

Two copies of one repository tick at the same instants, one as users run it and one with the
quiet path off (`GITCRON_QUIET=0`); what each tick prints, its exit code and the state it leaves
must be the same, through fires in several time zones (a daylight-saving change among them), an
interval, a `once`, a window that ends, a closed-day calendar, `catchup: all` and a retry that
stays pending (a webhook whose receiver refuses). Then each input of the decision is changed in
turn and the next tick must be a full one, in a folder and in a git repository (where the key
takes what git's index knows of schedules/: catalog/git_keys.py), with git's own ways of being
out of step with the files; a damaged record is ignored; and a tick after an outage takes the
full path and tells the operators once.

A tick took the quiet path when it left the record another tick wrote: a full tick removes it
and writes its own, at its own instant, or none.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cli.hook_repo import ENV, point_webhook_at
from gitcron.catalog.git_keys import GitKeys
from gitcron.engine import quiet, quiet_key
from support import Run, git, invoke

GENERATED = {
    "berlin-night.yaml": 'timezone: Europe/Berlin\nschedule:\n  cron: "30 2 * * *"\n',
    "every-5h.yaml": "timezone: UTC\nschedule:\n  every: 5h\n",
    "once.yaml": 'timezone: America/New_York\nschedule:\n  once: "2026-10-25T09:10"\n',
    "window.yaml": (
        'timezone: UTC\nschedule:\n  daily: { at: "07:50" }\n'
        'active: { until: "2026-10-25T12:00" }\n'
    ),
    "weekdays.yaml": (
        'timezone: Asia/Tokyo\nschedule:\n  daily: { at: "09:00" }\nskip: [weekends]\n'
    ),
    "hourly.yaml": "timezone: UTC\nschedule:\n  every: 1h\n",  # misses after the gap
    "catchup-all.yaml": ("timezone: UTC\nschedule:\n  every: 2h\ncatchup: all\nmax_delay: 5h\n"),
    "paused.yaml": "timezone: UTC\nschedule:\n  every: 1h\npaused: true\n",  # quiet too
}
# Fires off the hour: the first instant each is due, and its schedule.
FIRST_DUE = {
    "2026-10-25T00:30:00": "succeeded gen/berlin-night",  # 02:30 CEST, the first of two 02:30s
    "2026-10-25T07:19:59": "failed    customer-004/stock-event",  # its last retry, due then
    "2026-10-25T07:50:00": "succeeded gen/window",
    "2026-10-25T13:10:00": "succeeded gen/once",  # 09:10 EDT
}
GAP = ("2026-10-25T14:59:59Z", "2026-10-25T20:00:00Z")
BODY = (
    "owner: ops@ourco.example\nreport:\n  dataset: products\n  params: { customer: gen }\n"
    '  format: csv\n  filename: "gen-{{ run.local_date }}-{{ run.local_time }}.csv"\n'
    "deliver:\n  - email: { to: [gen@example.com] }\n"
)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _make(repo: Path) -> None:
    folder = repo / "schedules" / "gen"
    folder.mkdir()
    for name, timing in GENERATED.items():
        (folder / name).write_text(timing + BODY, "utf-8")
    point_webhook_at(repo, _closed_port())  # its runs fail and wait for their retries


def tick(repo: Path, at: str, env: dict[str, str | None] | None = None) -> tuple[Run, bool]:
    """`gitcron run --at AT` on `repo`; and whether it was quiet (it left the old record)."""
    done = invoke(["--repo", str(repo), "run", "--at", at], {**ENV, **(env or {})})
    record = quiet.read(repo)
    return done, record is not None and record.at.isoformat() != at.replace("Z", "+00:00")


def _state(repo: Path) -> dict[str, object]:
    """state/ as a tick left it, but how long runs took (the wall clock's, not the decision's)."""
    files = [repo / "state" / "tick.json", *sorted((repo / "state" / "schedules").glob("*"))]
    return {p.name: _timeless(json.loads(p.read_bytes())) for p in files if p.exists()}


def _timeless(value: object) -> object:
    if isinstance(value, dict):
        return {k: _timeless(v) for k, v in value.items() if k not in ("duration_ms", "durations")}
    return value


def _instants() -> list[str]:
    """Every hour's first and last second and every other half hour, for a day across the end
    of summer time in Europe, and each fire off the hour with its second before: the first
    instant each fire is due is among them."""
    found = []
    for hour in range(24 + 6):
        day, h = 24 + (hour + 18) // 24, (hour + 18) % 24
        for minute, second in ((0, 0), (30, 0), (59, 59)):
            if (minute, second) == (59, 59) or hour % 2 == 0:
                found.append(f"2026-10-{day:02d}T{h:02d}:{minute:02d}:{second:02d}Z")
    # the generated schedules' fires off the hour, and the second and the minute before each
    for fire in FIRST_DUE:  # clean ticks a minute or two before leave the second before a record
        found += [f"{fire}Z", _before(fire, 1), _before(fire, 60), _before(fire, 120)]
    # no tick for five hours: the 20:00 tick catches up (catchup: all) and records misses
    return sorted({at for at in found if not GAP[0] < at < GAP[1]})


def _before(fire: str, seconds: int) -> str:
    return f"{datetime.fromisoformat(fire) - timedelta(seconds=seconds):%Y-%m-%dT%H:%M:%S}Z"


def test_the_quiet_tick_decides_as_the_full_tick_does(repo: Path, tmp_path: Path) -> None:
    _make(repo)
    full = tmp_path / "full"
    shutil.copytree(repo, full)
    kinds = {"quiet": 0, "full with runs": 0}
    seen: dict[str, tuple[str, bool]] = {}
    pages = {name: tmp_path / f"{name}.md" for name in ("quiet", "full")}
    github = {"GITHUB_ACTIONS": "true"}  # annotations too, and the job summary below
    for at in _instants():
        mine, was_quiet = tick(repo, at, {**github, "GITHUB_STEP_SUMMARY": str(pages["quiet"])})
        theirs, _ = tick(
            full, at, {**github, "GITHUB_STEP_SUMMARY": str(pages["full"]), "GITCRON_QUIET": "0"}
        )
        assert (mine.code, mine.out, mine.err) == (theirs.code, theirs.out, theirs.err), at
        assert _state(repo) == _state(full), at
        seen[at] = (mine.out, was_quiet)
        kinds["quiet"] += was_quiet
        kinds["full with runs"] += "0 runs" not in mine.out
        if was_quiet:
            assert mine.out.splitlines()[1:] == ["0 runs", "state: 1 file(s) written under state/"]
    assert kinds["quiet"] >= 10, kinds
    assert kinds["full with runs"] >= 5, kinds
    assert pages["quiet"].read_text("utf-8") == pages["full"].read_text("utf-8")
    caught_up = seen[GAP[1]][0]
    assert caught_up.count("succeeded gen/catchup-all") == 3  # 16:00, 18:00 and 20:00
    assert "gen/hourly  5 missed, newest 2026-10-25 19:00 UTC" in caught_up  # 15:00-19:00
    for fire, said in FIRST_DUE.items():  # quiet up to the second before, due at the fire
        out, was_quiet = seen[_before(fire, 1)]
        assert was_quiet, fire
        assert out.splitlines()[1] == "0 runs"
        assert f"{said} " in seen[f"{fire}Z"][0], fire
    assert not quiet.read(full) or quiet.read(full) != quiet.read(repo)


@pytest.fixture
def ready(repo: Path) -> Path:
    """The examples two ticks in, with a quiet record: the next tick at 03:30 is quiet."""
    for at in ("2026-11-23T03:00:00Z", "2026-11-23T03:15:00Z"):
        assert tick(repo, at)[0].code == 0
    assert quiet.read(repo) is not None
    return repo


def test_a_tick_with_nothing_due_is_quiet_and_the_next_one_too(ready: Path) -> None:
    done, was_quiet = tick(ready, "2026-11-23T03:30:00Z")
    assert was_quiet
    assert done.code == 0
    assert json.loads((ready / "state" / "tick.json").read_text())["last_tick"] == (
        "2026-11-23T03:30:00Z"
    )
    assert tick(ready, "2026-11-23T03:45:00Z")[1]
    done, was_quiet = tick(ready, "2026-11-23T06:00:00Z")  # customer-004's fire is due
    assert not was_quiet
    assert "customer-004/products-every-6h" in done.out


def test_a_paused_schedule_leaves_ticks_quiet_and_resumes_as_a_full_tick_would(
    repo: Path, tmp_path: Path
) -> None:
    """A paused schedule's state is written when it is paused, not by every tick after: its
    ticks are quiet. Resumed, it counts from the tick before the resume, as the full path does."""
    paused = repo / "schedules/gen/paused.yaml"
    paused.parent.mkdir()
    paused.write_text(GENERATED["paused.yaml"] + BODY, "utf-8")
    full = tmp_path / "full"
    shutil.copytree(repo, full)
    off = {"GITCRON_QUIET": "0"}
    ticks = ["2026-11-23T03:00:00Z", "2026-11-23T03:15:00Z", "2026-11-23T03:30:00Z"]
    state = repo / "state/schedules/gen.json"
    for at in ticks:
        assert tick(repo, at)[0].code == tick(full, at, off)[0].code == 0
    written = state.read_bytes()
    for at in ("2026-11-23T03:45:00Z", "2026-11-23T04:10:00Z", "2026-11-23T04:25:00Z"):
        done, was_quiet = tick(repo, at)
        assert was_quiet, at
        theirs, _ = tick(full, at, off)
        assert (done.out, done.err) == (theirs.out, theirs.err)
        assert state.read_bytes() == written  # neither tick rewrote the paused state
        assert _state(repo) == _state(full)
    for root in (repo, full):  # resumed between the 04:25 tick and the next
        target = root / "schedules/gen/paused.yaml"
        target.write_text(target.read_text("utf-8").replace("paused: true\n", ""), "utf-8")
    mine, was_quiet = tick(repo, "2026-11-23T05:10:00Z")
    theirs, _ = tick(full, "2026-11-23T05:10:00Z", off)
    assert not was_quiet
    assert (mine.code, mine.out, mine.err) == (theirs.code, theirs.out, theirs.err)
    # the 05:00 fire, after the tick before the resume, runs; the paused hours do not
    assert "gen/paused" in mine.out
    assert "missed" not in mine.out
    assert _state(repo) == _state(full)
    resumed = json.loads(state.read_text())["schedules"]["paused"]
    assert (resumed["status"], resumed["anchor"]) == ("active", "2026-11-23T04:25:00Z")


def _edit(path: Path, text: str = "\n# edited\n") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as file:
        file.write(text)


EDITS = {
    "a schedule": lambda root: _edit(root / "schedules/customer-001/weekly-products.yaml"),
    "a new schedule file": lambda root: (root / "schedules/customer-001/x.txt").write_text("x"),
    "gitcron.yaml": lambda root: _edit(root / "gitcron.yaml"),
    "a customer file": lambda root: _edit(root / "schedules/customer-002/customer.yaml"),
    "a state file": lambda root: _edit(root / "state/schedules/customer-003.json", " "),
    "a history day file": lambda root: _edit(root / "state/history/2026-11-23.jsonl", "\n"),
    "state/claims.json": lambda root: (root / "state/claims.json").write_text("{}"),
    "a push that failed": lambda root: (root / ".gitcron-cache/pending-records.jsonl").touch(),
}


@pytest.fixture
def committed(repo: Path) -> Path:
    """`ready`, in a git repository with the examples committed (the cache folder ignored, as in
    a gitcron repository): the key takes every schedule file from git's index."""
    (repo / ".gitignore").write_text(".gitcron-cache/\n")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--no-gpg-sign", "-m", "schedules")
    for at in ("2026-11-23T03:00:00Z", "2026-11-23T03:15:00Z"):
        assert tick(repo, at)[0].code == 0
    assert quiet.read(repo) is not None
    with GitKeys(repo) as keys:
        files = [p for p in (repo / "schedules").rglob("*") if p.is_file()]
        assert len(keys.indexed()) == len(files)
    return repo


@pytest.mark.parametrize("where", ["ready", "committed"])
@pytest.mark.parametrize("what", sorted(EDITS))
def test_any_edit_makes_the_next_tick_full(
    request: pytest.FixtureRequest, where: str, what: str
) -> None:
    root: Path = request.getfixturevalue(where)
    EDITS[what](root)
    _, was_quiet = tick(root, "2026-11-23T03:30:00Z")
    assert not was_quiet


WEEKLY = "schedules/customer-001/weekly-products.yaml"


def _relink(root: Path) -> None:
    """The committed schedule replaced by a link to a file with the very same bytes."""
    path = root / WEEKLY
    twin = root / "twin.yaml"
    twin.write_bytes(path.read_bytes())
    path.unlink()
    os.symlink(twin, path)


def _told_not_to_look(flag: str) -> Callable[[Path], None]:
    """A committed schedule git is told not to look at, then edited: its index entry stays."""

    def edit(root: Path) -> None:
        git(root, "update-index", flag, WEEKLY)
        _edit(root / WEEKLY)

    return edit


# What git's index and the files can disagree on: each makes the next tick full.
INDEX_EDITS = {
    "a schedule edited and staged": lambda root: (_edit(root / WEEKLY), git(root, "add", WEEKLY)),
    "an untracked schedule": lambda root: _edit(root / "schedules/customer-001/new.yaml"),
    "an untracked file": lambda root: _edit(root / "schedules/customer-009/notes.txt"),
    "a file deleted but still in the index": lambda root: (root / WEEKLY).unlink(),
    "a schedule replaced by a link": _relink,
    "a new link": lambda root: os.symlink(
        "weekly-products.yaml", root / "schedules/customer-001/alias.yaml"
    ),
    "a schedule made executable": lambda root: (root / WEEKLY).chmod(0o755),
    "assume-unchanged, then edited": _told_not_to_look("--assume-unchanged"),
    "skip-worktree, then edited": _told_not_to_look("--skip-worktree"),
}


@pytest.mark.parametrize("what", sorted(INDEX_EDITS))
def test_what_the_index_does_not_know_makes_the_next_tick_full(committed: Path, what: str) -> None:
    INDEX_EDITS[what](committed)
    _, was_quiet = tick(committed, "2026-11-23T03:30:00Z")
    assert not was_quiet


def test_a_file_edited_again_after_staging_makes_the_next_tick_full(committed: Path) -> None:
    """The record taken while the index holds the staged bytes, then the file changed again:
    the index's blob is no longer what the file holds."""
    _edit(committed / WEEKLY, "\n# staged\n")
    git(committed, "add", WEEKLY)
    assert not tick(committed, "2026-11-23T03:30:00Z")[1]  # full: leaves a record of its own
    assert tick(committed, "2026-11-23T03:45:00Z")[1]  # the staged file is what it holds
    _edit(committed / WEEKLY, "\n# and again\n")
    assert not tick(committed, "2026-11-23T04:00:00Z")[1]


def test_the_same_bytes_with_a_new_time_keep_the_tick_quiet(committed: Path) -> None:
    """A file touched (as a checkout or a rebase may) is looked at by git, found unchanged, and
    keyed as before."""
    os.utime(committed / WEEKLY, (1e9, 1e9))
    assert tick(committed, "2026-11-23T03:30:00Z")[1]


def test_the_key_is_the_same_with_or_without_git(committed: Path, tmp_path: Path) -> None:
    """A file's key is its blob hash and mode from the index or from its bytes alike: a copy of
    the repository outside git gives the same key, and an edit gives another in both."""
    plain = tmp_path / "plain"
    shutil.copytree(committed, plain, symlinks=True, ignore=shutil.ignore_patterns(".git"))
    record = quiet.read(committed)
    assert record is not None

    def key(root: Path) -> str:
        return quiet_key.key(root, record.at.date(), record.variables, [], {}, record.salt)

    assert key(committed) == key(plain)
    for root in (committed, plain):
        (root / WEEKLY).chmod(0o755)
    assert key(committed) == key(plain) != record.key


def test_a_variable_gitcron_yaml_names_makes_the_next_tick_full(ready: Path) -> None:
    assert "GITCRON_SMTP_URL" in quiet.read(ready).variables  # type: ignore[union-attr]
    _, was_quiet = tick(ready, "2026-11-23T03:30:00Z", {"GITCRON_SMTP_URL": "smtp://x:1"})
    assert not was_quiet
    record = (ready / quiet.RECORD_FILE).read_text()
    assert "smtp://x:1" not in record  # names are kept, never a value


def test_other_code_makes_the_next_tick_full(ready: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(quiet_key, "installed_digest", lambda: "another build")
    assert not tick(ready, "2026-11-23T03:30:00Z")[1]


def test_options_or_the_switch_make_the_tick_full(ready: Path) -> None:
    assert not tick(ready, "2026-11-23T03:30:00Z", {"GITCRON_QUIET": "0"})[1]
    done = invoke(["--repo", str(ready), "run", "--at", "2026-11-23T03:45:00Z", "--jobs", "2"])
    assert done.code == 0
    assert quiet.read(ready).at.minute == 45  # type: ignore[union-attr]  # a full tick's


@pytest.mark.parametrize(
    "text", ["", "{", "[]", '{"format": 2}', '{"format": 1, "at": "x"}', "\x00" * 10]
)
def test_a_damaged_or_foreign_record_is_ignored(ready: Path, text: str) -> None:
    (ready / quiet.RECORD_FILE).write_text(text)
    done, was_quiet = tick(ready, "2026-11-23T03:30:00Z")
    assert done.code == 0
    assert not was_quiet
    assert quiet.read(ready) is not None  # the full tick wrote a sound one


def test_a_record_whose_key_was_forged_does_not_match(ready: Path) -> None:
    found = json.loads((ready / quiet.RECORD_FILE).read_text())
    found["until"] = "2026-11-24T00:00:00Z"  # beyond customer-004's 06:00 fire
    found["key"] = "0" * 64
    (ready / quiet.RECORD_FILE).write_text(json.dumps(found))
    done, was_quiet = tick(ready, "2026-11-23T06:00:00Z")
    assert not was_quiet
    assert "customer-004/products-every-6h" in done.out


def test_a_tick_after_an_outage_is_full_and_tells_the_operators_once(repo: Path) -> None:
    _edit(repo / "gitcron.yaml", "\noperators: [platform@ourco.example]\n")
    for at in ("2026-11-23T03:00:00Z", "2026-11-23T03:15:00Z"):
        assert tick(repo, at)[0].code == 0
    notices = repo / "outbox" / "_notifications" / "_operators"
    # 2h15 without a tick (liveness.stale_after is 2h), though nothing is due before 06:00
    done, was_quiet = tick(repo, "2026-11-23T05:30:00Z")
    assert not was_quiet
    assert done.code == 0
    assert len(list(notices.glob("*.eml"))) == 1
    assert tick(repo, "2026-11-23T05:45:00Z")[1]  # the next tick finds this one recent
    assert len(list(notices.glob("*.eml"))) == 1  # once per outage


def test_a_new_day_gets_a_full_tick(ready: Path) -> None:
    found = json.loads((ready / quiet.RECORD_FILE).read_text())
    assert found["until"] <= "2026-11-24T00:00:00Z"  # capped at the next midnight UTC
    _edit(ready / "gitcron.yaml", "\nliveness: { stale_after: 3d }\n")  # no outage in between
    assert tick(ready, "2026-11-23T03:30:00Z")[0].code == 0  # full: gitcron.yaml changed
    record = quiet.read(ready)
    assert record is not None
    assert record.until == datetime(2026, 11, 23, 6, tzinfo=UTC)  # customer-004's fire


def test_a_dry_run_leaves_the_record_and_only_drops_it(ready: Path) -> None:
    """Neither is quiet: a dry run writes nothing, the record included; `--only` is a full tick
    that writes state, so it removes the record and the next tick decides afresh."""
    before = (ready / quiet.RECORD_FILE).read_bytes()
    done = invoke(["--repo", str(ready), "run", "--at", "2026-11-23T03:30:00Z", "--dry-run"])
    assert done.code == 0
    assert "dry run" in done.out
    assert (ready / quiet.RECORD_FILE).read_bytes() == before
    only = ["--only", "customer-001"]
    done = invoke(["--repo", str(ready), "run", "--at", "2026-11-23T03:30:00Z", *only])
    assert done.code == 0
    assert quiet.read(ready) is None
    assert not tick(ready, "2026-11-23T03:45:00Z")[1]
    assert tick(ready, "2026-11-23T04:00:00Z")[1]


def test_the_first_tick_and_a_tick_with_records_leave_no_record(repo: Path) -> None:
    assert tick(repo, "2026-11-23T03:00:00Z")[0].code == 0
    assert quiet.read(repo) is None  # the first tick of a repository
    assert tick(repo, "2026-11-23T06:07:00Z")[0].code == 0
    assert quiet.read(repo) is None  # it ran customer-004's fires


def test_a_quiet_tick_pings_the_heartbeat_as_a_full_one(
    repo: Path, tmp_path: Path, pings: tuple[str, list[str]]
) -> None:
    url, seen = pings
    liveness = 'liveness:\n  heartbeat_url_env: HC_URL\nnetwork:\n  allow: ["127.0.0.1"]\n'
    _edit(repo / "gitcron.yaml", "\n" + liveness)
    full = tmp_path / "full"
    shutil.copytree(repo, full)
    for n, at in enumerate(
        ("2026-11-23T03:00:00Z", "2026-11-23T03:15:00Z", "2026-11-23T03:30:00Z")
    ):
        mine, was_quiet = tick(repo, at, {"HC_URL": f"{url}/mine"})
        theirs, _ = tick(full, at, {"HC_URL": f"{url}/full", "GITCRON_QUIET": "0"})
        assert (mine.code, mine.out, mine.err) == (theirs.code, theirs.out, theirs.err)
        assert was_quiet == (n == 2)
    assert seen == ["/mine", "/full"] * 3
    # without the variable, both say so and send nothing (the variable's absence is keyed too)
    mine, was_quiet = tick(repo, "2026-11-23T03:45:00Z", {"HC_URL": None})
    theirs, _ = tick(full, "2026-11-23T03:45:00Z", {"HC_URL": None, "GITCRON_QUIET": "0"})
    assert "HC_URL is not set, so no heartbeat was sent" in mine.err
    assert (mine.out, mine.err) == (theirs.out, theirs.err)
    assert not was_quiet
    mine, was_quiet = tick(repo, "2026-11-23T04:00:00Z", {"HC_URL": None})
    assert was_quiet
    assert "HC_URL is not set, so no heartbeat was sent" in mine.err
    assert len(seen) == 6


def test_another_repositorys_record_is_not_this_ones(ready: Path, tmp_path: Path) -> None:
    """A cache restored from elsewhere (another repository, another branch) brings a sound record
    of other inputs: its key does not match, and the tick is a full one."""
    other = tmp_path / "other"
    shutil.copytree(ready, other)
    (other / "schedules" / "customer-002" / "year-end-export.yaml").unlink()
    assert tick(other, "2026-11-23T03:30:00Z")[0].code == 0  # drops the schedule's state
    assert tick(other, "2026-11-23T03:45:00Z")[0].code == 0  # clean: writes its own record
    assert quiet.read(other) is not None
    assert tick(ready, "2026-11-23T03:45:00Z")[1]  # this one's last tick is the other's too
    theirs = quiet.read(other)
    assert theirs is not None
    shutil.copy(other / quiet.RECORD_FILE, ready / quiet.RECORD_FILE)
    assert quiet.in_time(ready, theirs, datetime(2026, 11, 23, 4, tzinfo=UTC))  # the key decides
    done, was_quiet = tick(ready, "2026-11-23T04:00:00Z")
    assert done.code == 0
    assert not was_quiet
