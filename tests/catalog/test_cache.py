"""The parse cache: unchanged files are never re-read, and what it returns matches a fresh parse."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from gitcron.catalog import cache
from gitcron.catalog.cache import CACHE_FILE, Views, load_views
from gitcron.catalog.code_digest import code_digest
from gitcron.catalog.files import CACHE_DIR
from gitcron.catalog.load import load
from support import GOOD, git, variant

NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)
EXAMPLES = 7  # schedule files in the `repo` fixture, all valid
# an unknown dataset (an error) and a past `once` (a warning that depends on the clock)
PAST_AND_BROKEN = variant(
    'daily: { at: "08:00" }', 'once: "2020-01-01 10:00"', variant("products", "prodcts")
)


def commit(root: Path) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "--no-gpg-sign", "-m", "change")


@pytest.fixture
def git_repo(repo: Path) -> Path:
    """The example repo, committed, with the cache folder ignored as in a real gitcron repo."""
    (repo / ".gitignore").write_text(f"{CACHE_DIR}/\n")
    git(repo, "init", "-q")
    commit(repo)
    return repo


def write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def counts(views: Views) -> tuple[int, int]:
    return views.stats.parsed, views.stats.from_cache


def test_second_load_parses_nothing_and_returns_the_same(git_repo: Path) -> None:
    first = load_views(git_repo, NOW)
    second = load_views(git_repo, NOW)
    assert counts(first) == (EXAMPLES, 0)
    assert counts(second) == (0, EXAMPLES)
    assert second.views == first.views
    assert [v.id for v in second.views] == sorted(v.id for v in second.views)
    assert (git_repo / CACHE_DIR / CACHE_FILE).is_file()


def test_views_match_a_full_load(git_repo: Path) -> None:
    catalog = load(git_repo, NOW)
    ids = [e.id for e in catalog.entries if e.ok]
    load_views(git_repo, NOW)
    assert [v.id for v in load_views(git_repo, NOW).views] == sorted(ids)


@pytest.mark.parametrize("committed", [True, False], ids=["committed", "uncommitted"])
def test_an_edited_file_alone_is_parsed_again(git_repo: Path, committed: bool) -> None:
    load_views(git_repo, NOW)
    rel = "schedules/customer-001/weekly-products.yaml"
    path = git_repo / rel
    path.write_text(path.read_text().replace("09:00", "11:00"), encoding="utf-8")
    if committed:
        commit(git_repo)
    views = load_views(git_repo, NOW)
    assert counts(views) == (1, EXAMPLES - 1)
    assert views.views == load_views(git_repo, NOW, cache_dir=git_repo / "fresh").views
    assert counts(load_views(git_repo, NOW)) == (0, EXAMPLES)


def test_a_file_edited_again_after_staging_is_parsed_again(git_repo: Path) -> None:
    """git's index then holds the staged blob, not what the file holds: the file is one git
    lists as modified, so its key is its content's, and the cache never serves the staged view."""
    load_views(git_repo, NOW)
    rel = "schedules/customer-001/weekly-products.yaml"
    path = git_repo / rel
    original = path.read_text()
    path.write_text(original.replace("09:00", "11:00"), encoding="utf-8")
    git(git_repo, "add", rel)
    staged = load_views(git_repo, NOW)
    assert counts(staged) == (1, EXAMPLES - 1)
    path.write_text(original.replace("09:00", "13:00"), encoding="utf-8")  # not staged
    edited = load_views(git_repo, NOW)
    assert counts(edited) == (1, EXAMPLES - 1)
    fresh = load_views(git_repo, NOW, cache_dir=git_repo / "fresh")
    assert edited.views == fresh.views
    assert edited.views != staged.views
    path.write_text(original.replace("09:00", "11:00"), encoding="utf-8")  # the staged bytes
    assert load_views(git_repo, NOW).views == staged.views


@pytest.mark.parametrize("flag", ["--assume-unchanged", "--skip-worktree"])
def test_a_file_git_is_told_not_to_look_at_is_read(git_repo: Path, flag: str) -> None:
    """git takes a file marked assume-unchanged or skip-worktree for its index entry without
    looking at it: its index blob says nothing of what it holds, so the cache keys its content."""
    load_views(git_repo, NOW)
    rel = "schedules/customer-001/weekly-products.yaml"
    git(git_repo, "update-index", flag, rel)
    path = git_repo / rel
    path.write_text(path.read_text().replace("09:00", "11:00"), encoding="utf-8")
    edited = load_views(git_repo, NOW)
    assert counts(edited) == (1, EXAMPLES - 1)
    assert edited.views == load_views(git_repo, NOW, cache_dir=git_repo / "fresh").views


def test_new_and_deleted_files(git_repo: Path) -> None:
    load_views(git_repo, NOW)
    write(git_repo, "schedules/acme/new.yaml", GOOD)  # untracked
    (git_repo / "schedules/customer-001/weekly-products.yaml").unlink()
    views = load_views(git_repo, NOW)
    assert counts(views) == (1, EXAMPLES - 1)
    ids = {v.id for v in views.views}
    assert "acme/new" in ids
    assert "customer-001/weekly-products" not in ids


def test_a_change_to_the_settings_parses_everything_again(git_repo: Path) -> None:
    load_views(git_repo, NOW)
    settings = git_repo / "gitcron.yaml"
    settings.write_text(settings.read_text() + "\n# a comment is a change too\n")
    assert counts(load_views(git_repo, NOW)) == (EXAMPLES, 0)
    assert counts(load_views(git_repo, NOW)) == (0, EXAMPLES)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: b"not a pickle at all", id="garbage"),
        pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
        pytest.param(lambda data: b"", id="empty"),
        pytest.param(lambda data: pickle.dumps({"some": "other tool"}), id="foreign"),
        pytest.param(lambda data: pickle.dumps(((0, "0", ""), {})), id="old header"),
    ],
)
def test_a_damaged_cache_is_rebuilt(git_repo: Path, damage: object) -> None:
    first = load_views(git_repo, NOW)
    path = git_repo / CACHE_DIR / CACHE_FILE
    path.write_bytes(damage(path.read_bytes()))  # type: ignore[operator]
    again = load_views(git_repo, NOW)
    assert counts(again) == (EXAMPLES, 0)
    assert again.views == first.views
    assert counts(load_views(git_repo, NOW)) == (0, EXAMPLES)


def test_an_unchanged_repo_does_not_rewrite_the_cache(git_repo: Path) -> None:
    load_views(git_repo, NOW)
    path = git_repo / CACHE_DIR / CACHE_FILE
    before = path.stat()
    os.utime(path, ns=(1, 1))
    load_views(git_repo, NOW)
    assert path.stat().st_mtime_ns == 1
    assert path.stat().st_ino == before.st_ino


@pytest.mark.parametrize("how", ["not a repo", "no git"])
def test_without_git_contents_are_hashed(
    repo: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    if how == "no git":
        git(repo, "init", "-q")
        commit(repo)
        monkeypatch.setenv("PATH", "")
    first = load_views(repo, NOW)
    assert counts(first) == (EXAMPLES, 0)
    assert counts(load_views(repo, NOW)) == (0, EXAMPLES)
    path = repo / "schedules/customer-003/daily-products.yaml"
    path.write_text(path.read_text() + "\n# edited\n", encoding="utf-8")
    again = load_views(repo, NOW)
    assert counts(again) == (1, EXAMPLES - 1)
    assert again.views == first.views


def test_invalid_files_are_reported_the_same_from_the_cache(git_repo: Path) -> None:
    write(git_repo, "schedules/zz/syntax.yaml", "schedule: [\n")
    write(git_repo, "schedules/zz/day.yaml", variant("08:00", "25:00"))
    write(git_repo, "schedules/zz/stray.yml", GOOD)
    first = load_views(git_repo, NOW)
    second = load_views(git_repo, NOW)
    assert counts(second) == (0, EXAMPLES + 2)
    assert [e.file for e in first.invalid] == [
        "schedules/zz/day.yaml",
        "schedules/zz/stray.yml",
        "schedules/zz/syntax.yaml",
    ]
    assert [(e.id, e.file, e.problems) for e in second.invalid] == [
        (e.id, e.file, e.problems) for e in first.invalid
    ]
    fresh = {e.file: e.problems for e in load(git_repo, NOW).entries if not e.ok}
    assert {e.file: e.problems for e in second.invalid} == fresh
    assert all(e.schedule is None for e in second.invalid)
    assert len(second.views) == EXAMPLES


def test_problems_that_depend_on_the_clock_are_never_cached(git_repo: Path) -> None:
    write(git_repo, "schedules/zz/past.yaml", PAST_AND_BROKEN)
    first = load_views(git_repo, NOW)
    (entry,) = first.invalid
    assert {p.severity for p in entry.problems} == {"error", "warning"}
    second = load_views(git_repo, NOW)
    assert counts(second) == (1, EXAMPLES)
    assert second.invalid[0].problems == entry.problems


def test_a_past_once_that_is_valid_is_cached(git_repo: Path) -> None:
    write(
        git_repo,
        "schedules/zz/past.yaml",
        variant('daily: { at: "08:00" }', 'once: "2020-01-01 10:00"'),
    )
    first = load_views(git_repo, NOW)
    assert "zz/past" in {v.id for v in first.views}
    assert counts(load_views(git_repo, NOW)) == (0, EXAMPLES + 1)


def test_cache_dir_elsewhere(git_repo: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    load_views(git_repo, NOW, cache_dir=elsewhere)
    assert (elsewhere / CACHE_FILE).is_file()
    assert not (git_repo / CACHE_DIR).exists()
    assert counts(load_views(git_repo, NOW, cache_dir=elsewhere)) == (0, EXAMPLES)


def test_many_misses_are_parsed_in_worker_processes(
    git_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(git_repo, "schedules/zz/syntax.yaml", "schedule: [\n")
    serial = load_views(git_repo, NOW, cache_dir=git_repo / "serial")
    monkeypatch.setattr(cache, "PARALLEL_FROM", 1)
    parallel = load_views(git_repo, NOW)
    assert counts(parallel) == (EXAMPLES + 1, 0)
    assert parallel.views == serial.views
    assert [e.problems for e in parallel.invalid] == [e.problems for e in serial.invalid]


def test_the_settings_come_from_the_cache_and_match_a_fresh_load(git_repo: Path) -> None:
    from gitcron.catalog.load import load_settings

    first = load_views(git_repo, NOW)
    kept = load_views(git_repo, NOW)
    fresh = load_settings(git_repo)[0].model_dump()
    assert kept.settings.model_dump() == first.settings.model_dump() == fresh
    assert kept.settings_problems == []
    settings = git_repo / "gitcron.yaml"
    settings.write_text(settings.read_text().replace("max_delay: 6h", "max_delay: 5h"))
    changed = load_views(git_repo, NOW)
    assert str(changed.settings.defaults.max_delay) == "5:00:00"
    assert load_views(git_repo, NOW).settings.model_dump() == changed.settings.model_dump()


def test_settings_with_problems_are_not_kept(git_repo: Path) -> None:
    settings = git_repo / "gitcron.yaml"
    settings.write_text(settings.read_text().replace("tick: 15m", "tick: soon"))
    first = load_views(git_repo, NOW)
    assert first.settings_problems
    assert load_views(git_repo, NOW).settings_problems == first.settings_problems


def test_views_are_rebuilt_by_their_constructor(git_repo: Path) -> None:
    from gitcron.catalog import pickled

    views = load_views(git_repo, NOW).views
    data = pickled.dumps(views)
    assert b"_dataclass_setstate" not in data
    assert pickle.loads(data) == views


WARM_PLAN = """
import sys
from datetime import date, datetime
from pathlib import Path
from gitcron.catalog.build import closed_days_of
from gitcron.catalog.cache import load_views
loaded = load_views(Path(sys.argv[1]), datetime.fromisoformat(sys.argv[2]))
[view] = [v for v in loaded.views if v.id == "customer-003/weekday-stock"]
closed = closed_days_of(view.skip, loaded.settings)
assert closed is not None
thanksgiving, before = closed.reason(date(2026, 11, 26)), closed.reason(date(2026, 11, 25))
print(thanksgiving, before, "holidays" in sys.modules)
"""


def test_a_warm_load_answers_holidays_without_the_holidays_package(git_repo: Path) -> None:
    """The cache keeps what the holiday calendars answer around its day (kept_holidays.py): a
    warm tick plans a schedule that skips holidays without importing the package, in its words."""
    load_views(git_repo, NOW)  # cold: writes the cache, with the answers of its calendars
    warm = subprocess.run(
        [sys.executable, "-c", WARM_PLAN, str(git_repo), NOW.isoformat()],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split("\n")[0]
    assert warm == "holiday: Thanksgiving Day (US) None False"


def test_a_cache_without_the_years_around_today_keeps_them_anew(git_repo: Path) -> None:
    load_views(git_repo, NOW)
    path = git_repo / CACHE_DIR / CACHE_FILE
    written = path.stat().st_mtime_ns
    load_views(git_repo, NOW)
    assert path.stat().st_mtime_ns == written  # nothing changed
    views = load_views(git_repo, NOW.replace(year=2028))
    assert counts(views) == (0, EXAMPLES)  # no schedule read again; the holidays kept anew
    [kept] = pickle.loads(path.read_bytes())[3]
    assert (kept.country, kept.first, kept.last) == ("US", 2027, 2029)


def _installed(site: Path, record: str) -> Path:
    """A gitcron laid out as an installer leaves it: the package, and its record beside it."""
    package = site / "gitcron"
    write(site, "gitcron/catalog/code_digest.py", "# which gitcron\n")
    write(site, "gitcron-1.2.3.dist-info/RECORD", record)
    return package


def test_an_install_is_known_by_its_record(tmp_path: Path) -> None:
    """A reinstall of the same code (new file times on a fresh runner) keeps the cache; any change
    the installer records discards it."""
    listed = "gitcron/__init__.py,sha256=abc,10\ngitcron/catalog/code_digest.py,sha256=def,20\n"
    package = _installed(tmp_path / "a", listed)
    again = _installed(tmp_path / "b", listed)
    os.utime(again / "catalog" / "code_digest.py", ns=(1, 1))
    assert code_digest(package, "1.2.3") == code_digest(again, "1.2.3")
    changed = _installed(tmp_path / "c", listed.replace("def", "xyz"))
    assert code_digest(changed, "1.2.3") != code_digest(package, "1.2.3")


def test_a_development_install_is_known_by_its_source(tmp_path: Path) -> None:
    """Without a record of its code (an editable install's lists none), every module is hashed:
    an edit between two commits of one version discards the cache."""
    package = _installed(tmp_path, "__editable__.gitcron-1.2.3.pth,sha256=abc,10\n")
    before = code_digest(package, "1.2.3")
    write(tmp_path, "gitcron/catalog/code_digest.py", "# which gitcron, edited\n")
    assert code_digest(package, "1.2.3") != before
    (tmp_path / "gitcron-1.2.3.dist-info" / "RECORD").unlink()
    assert code_digest(package, "1.2.3") != before


def test_a_warm_load_imports_nothing_that_checks_a_file(git_repo: Path) -> None:
    """The checks come in with the first file that is parsed, never with a warm cache."""
    load_views(git_repo, NOW)
    probe = (
        "import sys\n"
        "from datetime import datetime, UTC\n"
        "from pathlib import Path\n"
        "from gitcron.catalog.cache import load_views\n"
        f"views = load_views(Path({str(git_repo)!r}), datetime(2026, 11, 22, 12, tzinfo=UTC))\n"
        "assert views.stats.parsed == 0, views.stats\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    loaded = set(done.stdout.split())
    checking = {"gitcron.catalog.load", "gitcron.schedule", "gitcron.config.yamlio", "yaml"}
    assert loaded & checking == set()
    assert "gitcron.catalog.view" in loaded  # the probe does see what the cache restores
