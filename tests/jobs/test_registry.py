"""The job registry: built-ins by section, plugins by entry point, loaded lazily, no duplicates."""

from __future__ import annotations

from collections.abc import Iterator
from importlib.metadata import EntryPoint

import pytest

from gitcron.jobs import registry
from gitcron.jobs.base import Artifact, JobContext, JobError
from gitcron.jobs.event import EventJob
from gitcron.jobs.report import ReportJob

from .helpers import schedule

LOADED: list[str] = []


class PingJob:
    """A plugin job, found through its entry point."""

    def __init__(self) -> None:
        LOADED.append("ping")

    def produce(self, ctx: JobContext) -> Artifact:
        return Artifact("ping.txt", "text/plain", body=b"ping")


class NotAJob:
    pass


def point(name: str, target: str) -> EntryPoint:
    return EntryPoint(name=name, value=f"{__name__}:{target}", group=registry.GROUP)


@pytest.fixture
def plugins(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[EntryPoint]]:
    """The installed plugins, as the test sets them; the registry is rebuilt around each test."""
    installed: list[EntryPoint] = []
    monkeypatch.setattr(registry, "_entry_points", lambda: installed)
    registry.registry.cache_clear()
    yield installed
    registry.registry.cache_clear()


@pytest.mark.parametrize(
    ("section", "kind"),
    [
        pytest.param({}, ReportJob, id="report"),
        pytest.param({"event": {"type": "report.daily"}}, EventJob, id="event"),
    ],
)
def test_job_for_picks_by_section(
    plugins: list[EntryPoint], section: dict[str, object], kind: type
) -> None:
    assert isinstance(registry.job_for(schedule(**section)), kind)


def test_plugins_load_lazily(plugins: list[EntryPoint]) -> None:
    LOADED.clear()
    plugins.append(point("ping", "PingJob"))
    assert set(registry.registry()) == {"report", "event", "ping"}
    assert LOADED == []
    job = registry.job_named("ping")
    assert LOADED == ["ping"]
    assert job.produce.__self__ is job  # type: ignore[attr-defined]


def test_entry_points_are_listed_once(
    plugins: list[EntryPoint], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    monkeypatch.setattr(registry, "_entry_points", lambda: calls.append(1) or [])
    registry.registry.cache_clear()
    registry.job_for(schedule())
    registry.job_for(schedule())
    assert calls == [1]


@pytest.mark.parametrize(
    ("points", "problem"),
    [
        pytest.param(
            [("report", "PingJob")],
            "the job 'report' is registered twice: by gitcron itself"
            " and by 'jobs.test_registry:PingJob'",
            id="shadows a built-in",
        ),
        pytest.param(
            [("ping", "PingJob"), ("ping", "NotAJob")],
            "the job 'ping' is registered twice",
            id="two plugins one name",
        ),
    ],
)
def test_duplicate_names_are_an_error(
    plugins: list[EntryPoint], points: list[tuple[str, str]], problem: str
) -> None:
    plugins.extend(point(name, target) for name, target in points)
    with pytest.raises(JobError, match=problem) as caught:
        registry.job_for(schedule())
    assert caught.value.permanent
    assert "uninstall one" in (caught.value.hint or "")


@pytest.mark.parametrize(
    ("target", "problem"),
    [
        pytest.param("Missing", "failed to load", id="import fails"),
        pytest.param("NotAJob", "has no produce", id="not a job"),
    ],
)
def test_broken_plugins(plugins: list[EntryPoint], target: str, problem: str) -> None:
    plugins.append(point("broken", target))
    with pytest.raises(JobError, match=problem) as caught:
        registry.job_named("broken")
    assert caught.value.permanent
    assert isinstance(registry.job_for(schedule()), ReportJob)  # the others still work


def test_unknown_job(plugins: list[EntryPoint]) -> None:
    with pytest.raises(JobError, match=r"no job named 'nope' \(known: event, report\)"):
        registry.job_named("nope")
