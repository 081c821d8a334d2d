"""The planner's decisions tick by tick, with injected instants and each outcome folded in."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from engine.helpers import SETTINGS, Sim, paused, utc, view
from gitcron.engine.due import MAX_MISSED_RECORDS
from gitcron.engine.planner import plan
from gitcron.state import ScheduleState

DAILY_9 = {"daily": {"at": "09:00"}}
HOURLY = {"cron": "0 * * * *"}
EMAIL = "email:buyer@acme.example"


def test_first_tick_of_a_repo_runs_nothing_and_sets_the_watermark() -> None:
    sim = Sim(view({"weekly": {"on": "monday", "at": "09:00"}}))
    the_plan = sim.tick(utc("2026-11-23T09:05"))  # 4 minutes after a fire
    assert the_plan.first_tick
    assert the_plan.runs == []
    assert the_plan.records == []
    state = sim.states["acme/report"]
    assert state.anchor == utc("2026-11-23T09:05")
    assert state.next_fire == utc("2026-11-30T09:00")
    assert state.last_fire is None
    assert state.status == "active"


def test_on_time_tick_runs_the_fire_once_with_its_data_interval() -> None:
    sim = Sim(view({"weekly": {"on": "monday", "at": "09:00"}}))
    sim.tick(utc("2026-11-23T08:52"))
    the_plan = sim.tick(utc("2026-11-23T09:07"))
    [run] = the_plan.runs
    assert run.run_id == "acme/report@2026-11-23T09:00:00Z"
    assert (run.fire, run.trigger, run.attempt) == (utc("2026-11-23T09:00"), "scheduled", 1)
    assert run.interval_start == utc("2026-11-16T09:00")
    assert sim.tick(utc("2026-11-23T09:22")).runs == []  # the next tick has nothing to do
    state = sim.states["acme/report"]
    assert (state.runs, state.succeeded, state.last_fire) == (1, 1, utc("2026-11-23T09:00"))
    assert state.next_fire == utc("2026-11-30T09:00")


def test_a_schedule_merged_just_before_its_fire_runs() -> None:
    sim = Sim(view(DAILY_9, "other/x"))
    sim.tick(utc("2026-11-23T08:52"))
    sim.views.append(view(DAILY_9))  # merged at 08:58
    [run] = [r for r in sim.tick(utc("2026-11-23T09:07")).runs if r.schedule == "acme/report"]
    assert run.fire == utc("2026-11-23T09:00")


@pytest.mark.parametrize(
    ("catchup", "ran", "missed"),
    [
        pytest.param("latest", ["12:00"], ["09:00", "10:00", "11:00"], id="latest"),
        pytest.param("all", ["09:00", "10:00", "11:00", "12:00"], [], id="all"),
        pytest.param("none", ["12:00"], ["09:00", "10:00", "11:00"], id="none first tick after"),
    ],
)
def test_late_tick_catches_up_by_policy(catchup: str, ran: list[str], missed: list[str]) -> None:
    sim = Sim(view(HOURLY, catchup=catchup))
    sim.tick(utc("2026-11-23T08:52"))
    the_plan = sim.tick(utc("2026-11-23T12:07"))  # three ticks' worth late
    assert [r.fire for r in the_plan.runs] == [utc(f"2026-11-23T{t}") for t in ran]
    assert [r.fire for r in the_plan.records] == [utc(f"2026-11-23T{t}") for t in missed]
    assert all(r.status == "missed" and "catchup" in (r.note or "") for r in the_plan.records)
    if catchup == "all":
        assert [r.trigger for r in the_plan.runs] == ["catchup"] * 3 + ["scheduled"]
        assert [r.interval_start for r in the_plan.runs] == [
            utc("2026-11-23T08:00"),
            utc("2026-11-23T09:00"),
            utc("2026-11-23T10:00"),
            utc("2026-11-23T11:00"),
        ]
    assert sim.states["acme/report"].last_fire == utc("2026-11-23T12:00")


def test_catchup_none_misses_fires_an_earlier_tick_should_have_run() -> None:
    """A tick at 10:07 was lost before it recorded anything; 10:22 must not send 10:00 late."""
    v = view(HOURLY, catchup="none")
    state = ScheduleState(v.fingerprint, utc("2026-11-01T00:00"), last_fire=utc("2026-11-23T08:00"))
    the_plan = plan([v], {v.id: state}, utc("2026-11-23T10:07"), utc("2026-11-23T10:22"), SETTINGS)
    assert the_plan.runs == []
    assert [r.fire for r in the_plan.records] == [utc("2026-11-23T09:00"), utc("2026-11-23T10:00")]
    latest = replace(v, catchup="latest")
    the_plan = plan(
        [latest], {v.id: state}, utc("2026-11-23T10:07"), utc("2026-11-23T10:22"), SETTINGS
    )
    assert [r.fire for r in the_plan.runs] == [utc("2026-11-23T10:00")]


def test_fires_older_than_max_delay_are_missed() -> None:
    sim = Sim(view(DAILY_9, max_delay="2h"), view(DAILY_9, "acme/default-delay"))
    sim.tick(utc("2026-11-23T08:52"))
    the_plan = sim.tick(utc("2026-11-23T11:30"))
    [missed] = the_plan.records
    assert (missed.schedule, missed.status) == ("acme/report", "missed")
    assert missed.note == "more than 2h late (max_delay)"
    assert [r.schedule for r in the_plan.runs] == ["acme/default-delay"]  # 2.5 h < 6 h


def test_dropped_ticks_over_the_spring_forward_weekend_new_york() -> None:
    # 2026-03-08 02:00 EST -> 03:00 EDT. 02:30 does not exist on Sunday: it fires at 03:00 EDT.
    sim = Sim(
        view({"daily": {"at": "02:30"}}, timezone="America/New_York", catchup="all", max_delay="3d")
    )
    sim.tick(utc("2026-03-06T23:52"))  # Friday evening; then no tick until Monday
    the_plan = sim.tick(utc("2026-03-09T12:07"))
    assert [r.fire for r in the_plan.runs] == [
        utc("2026-03-07T07:30"),  # Sat 02:30 EST
        utc("2026-03-08T07:00"),  # Sun 03:00 EDT, the first instant after the gap
        utc("2026-03-09T06:30"),  # Mon 02:30 EDT
    ]
    assert sim.states["acme/report"].next_fire == utc("2026-03-10T06:30")


def test_dropped_ticks_over_the_fall_back_weekend_new_york() -> None:
    # 2026-11-01 02:00 EDT -> 01:00 EST: 01:30 happens twice (05:30Z and 06:30Z).
    fixed = view(
        {"daily": {"at": "01:30"}},
        "acme/fixed",
        timezone="America/New_York",
        catchup="all",
        max_delay="2d",
    )
    hourly = view(
        {"cron": "30 * * * *"},
        "acme/hourly",
        timezone="America/New_York",
        catchup="all",
        max_delay="2d",
    )
    sim = Sim(fixed, hourly)
    sim.tick(utc("2026-11-01T04:52"))
    sim.tick(utc("2026-11-01T07:07"))  # the ticks between were dropped
    assert sim.ran("acme/fixed") == [utc("2026-11-01T05:30")]  # once, at the first 01:30
    assert sim.ran("acme/hourly") == [utc("2026-11-01T05:30"), utc("2026-11-01T06:30")]


def test_paused_produces_nothing_and_is_not_caught_up_on_resume() -> None:
    v = view(DAILY_9)
    sim = Sim(v)
    sim.tick(utc("2026-11-22T08:52"))
    sim.tick(utc("2026-11-22T09:07"))
    sim.views = [paused(v)]
    assert sim.tick(utc("2026-11-23T09:07")).runs == []
    assert sim.states[v.id].status == "paused"
    assert sim.states[v.id].next_fire is None
    sim.tick(utc("2026-11-24T08:52"))
    sim.views = [v]  # resumed at 08:58
    the_plan = sim.tick(utc("2026-11-24T09:07"))
    assert [r.fire for r in the_plan.runs] == [utc("2026-11-24T09:00")]
    assert the_plan.records == []  # the paused days are neither run nor recorded missed
    assert sim.ran() == [utc("2026-11-22T09:00"), utc("2026-11-24T09:00")]
    assert sim.states[v.id].status == "active"


def test_a_paused_schedule_is_written_once_and_resumes_from_the_tick_before() -> None:
    v = view(DAILY_9)
    sim = Sim(v)
    sim.tick(utc("2026-11-22T08:52"))
    sim.views = [paused(v)]
    sim.tick(utc("2026-11-22T09:07"))  # pausing writes the state (its anchor is now)
    kept = sim.states[v.id]
    assert (kept.status, kept.anchor) == ("paused", utc("2026-11-22T09:07"))
    for at in ("2026-11-23T09:07", "2026-11-24T08:37"):
        [part] = sim.tick(utc(at)).schedules
        assert part.state == part.before == kept  # later ticks leave it as it is: nothing to write
    sim.tick(utc("2026-11-24T08:52"))
    sim.views = [v]
    the_plan = sim.tick(utc("2026-11-24T09:07"))
    assert [r.fire for r in the_plan.runs] == [utc("2026-11-24T09:00")]
    assert the_plan.records == []
    assert sim.states[v.id].anchor == utc("2026-11-24T08:52")


def test_once_runs_once_then_completes() -> None:
    sim = Sim(view({"once": "2026-11-23T10:00"}, timezone="Europe/London"))
    sim.tick(utc("2026-11-23T09:52"))
    assert len(sim.tick(utc("2026-11-23T10:07")).runs) == 1
    state = sim.states["acme/report"]
    assert (state.status, state.completed_reason) == ("completed", "once: its one fire has passed")
    assert sim.tick(utc("2026-11-24T10:07")).runs == []


def test_max_runs_completes_the_schedule() -> None:
    sim = Sim(view(DAILY_9, max_runs=2, catchup="all", max_delay="3d"))
    sim.tick(utc("2026-11-22T08:52"))
    sim.tick(utc("2026-11-24T09:07"))  # three fires due: only two may run
    assert sim.ran() == [utc("2026-11-22T09:00"), utc("2026-11-23T09:00")]
    state = sim.states["acme/report"]
    assert (state.status, state.completed_reason) == ("completed", "max_runs: 2 runs made")
    assert sim.tick(utc("2026-11-25T09:07")).runs == []


def test_the_end_of_the_active_window_completes_the_schedule() -> None:
    sim = Sim(view(DAILY_9, active={"until": "2026-11-25"}))
    sim.tick(utc("2026-11-23T08:52"))
    sim.tick(utc("2026-11-23T09:07"))
    assert sim.states["acme/report"].status == "active"
    sim.tick(utc("2026-11-24T09:07"))
    state = sim.states["acme/report"]
    assert (state.status, state.completed_reason) == ("completed", "the active window has ended")
    assert sim.ran() == [utc("2026-11-23T09:00"), utc("2026-11-24T09:00")]


def test_a_changed_timing_counts_from_the_previous_tick_without_replaying() -> None:
    sim = Sim(view(DAILY_9))
    sim.tick(utc("2026-11-22T08:52"))
    sim.tick(utc("2026-11-22T09:07"))
    sim.tick(utc("2026-11-23T06:52"))
    sim.views = [view({"daily": {"at": ["06:00", "07:00"]}})]  # merged at 06:55
    the_plan = sim.tick(utc("2026-11-23T07:07"))
    # 06:00 came before the change: it is not replayed; 07:00 came after it and runs.
    assert [r.fire for r in the_plan.runs] == [utc("2026-11-23T07:00")]
    assert the_plan.records == []
    assert the_plan.schedules[0].notes == ("timing changed: counting from the previous tick",)
    state = sim.states["acme/report"]
    assert state.anchor == utc("2026-11-23T06:52")
    assert state.next_fire == utc("2026-11-24T06:00")
    assert [r.fire for r in sim.tick(utc("2026-11-24T06:07")).runs] == [utc("2026-11-24T06:00")]


def test_retries_back_off_doubling_and_resend_only_the_failed_target() -> None:
    sim = Sim(view(DAILY_9, retry={"attempts": 3, "backoff": "5m"}))
    failing = {"acme/report": (EMAIL,)}
    sim.tick(utc("2026-11-23T08:52"))
    sim.tick(utc("2026-11-23T09:07"), failing)
    pending = sim.states["acme/report"].pending_retry
    assert pending is not None
    assert (pending.attempt, pending.due, pending.failed_targets) == (
        1,
        utc("2026-11-23T09:12"),
        (EMAIL,),
    )
    assert sim.states["acme/report"].delivered == ("acme/report@2026-11-23T09:00:00Z|outbox:out",)
    dues = []
    for now in ("09:22", "09:37", "10:07"):
        [retry] = sim.tick(utc(f"2026-11-23T{now}"), failing).runs
        assert (retry.trigger, retry.targets, retry.fire) == (
            "retry",
            (EMAIL,),
            utc("2026-11-23T09:00"),
        )
        pending = sim.states["acme/report"].pending_retry
        dues.append(pending.due if pending else None)
    # attempt 2 at 09:22 -> retry due 10 min later; attempt 3 at 09:37 -> 20 min; attempt 4: last
    assert dues == [utc("2026-11-23T09:32"), utc("2026-11-23T09:57"), None]
    assert [r.attempt for r in sim.history] == [1, 2, 3, 4]
    state = sim.states["acme/report"]
    assert (state.failed, state.succeeded, state.status, state.consecutive_failures) == (
        1,
        0,
        "failed",
        1,
    )
    assert sim.tick(utc("2026-11-23T10:22")).runs == []  # given up: nothing until the next fire
    [run] = sim.tick(utc("2026-11-24T09:07")).runs
    assert run.trigger == "scheduled"
    assert sim.states["acme/report"].status == "active"


def test_a_retry_that_succeeds_settles_the_run() -> None:
    sim = Sim(view(DAILY_9))
    sim.tick(utc("2026-11-23T08:52"))
    sim.tick(utc("2026-11-23T09:07"), {"acme/report": (EMAIL,)})
    sim.tick(utc("2026-11-23T09:22"))
    state = sim.states["acme/report"]
    assert (state.runs, state.succeeded, state.failed, state.pending_retry) == (1, 1, 0, None)
    assert state.delivered == ()


def test_a_permanent_failure_is_not_retried() -> None:
    from gitcron.engine import outcomes
    from gitcron.state import Delivery, Record

    v = view(DAILY_9)
    state = ScheduleState(v.fingerprint, utc("2026-11-01T00:00"))
    record = Record(
        "acme/report@2026-11-23T09:00:00Z",
        v.id,
        utc("2026-11-23T09:00"),
        "scheduled",
        "partial",
        1,
        utc("2026-11-23T09:07"),
        deliveries=(
            Delivery(EMAIL, "failed", "550 no such user", permanent=True),
            Delivery("outbox:out", "succeeded"),
        ),
    )
    after = outcomes.apply(state, record, v)
    assert after.pending_retry is None
    assert after.failed == 1


def test_a_long_outage_records_a_bounded_number_of_missed_fires() -> None:
    v = view({"cron": "* * * * *"})
    state = ScheduleState(v.fingerprint, utc("2026-11-01T00:00"), last_fire=utc("2026-11-22T09:00"))
    the_plan = plan([v], {v.id: state}, utc("2026-11-22T09:00"), utc("2026-11-23T09:00"), SETTINGS)
    assert len(the_plan.records) == MAX_MISSED_RECORDS
    assert "earlier fires since 2026-11-22 09:01 UTC" in (the_plan.records[0].note or "")
    assert [r.fire for r in the_plan.runs] == [utc("2026-11-23T09:00")]
    assert the_plan.schedules[0].state.last_fire == utc("2026-11-23T09:00")


def test_skipped_days_are_recorded_with_the_reason() -> None:
    sim = Sim(view(DAILY_9, skip=["weekends"], catchup="all", max_delay="3d"))
    sim.tick(utc("2026-11-20T09:30"))  # Friday after the fire
    the_plan = sim.tick(utc("2026-11-23T09:07"))  # Monday
    assert [(r.fire, r.status, r.note) for r in the_plan.records] == [
        (utc("2026-11-21T09:00"), "skipped", "closed: weekend"),
        (utc("2026-11-22T09:00"), "skipped", "closed: weekend"),
    ]
    [run] = the_plan.runs
    assert run.interval_start == utc("2026-11-20T09:00")  # Friday: the data since the last run


def test_steps_are_in_fire_order_with_retries_last() -> None:
    sim = Sim(view(HOURLY, catchup="latest"))
    sim.tick(utc("2026-11-23T08:52"))
    part = sim.tick(utc("2026-11-23T11:07")).schedules[0]
    assert [s.fire for s in part.steps] == [
        utc("2026-11-23T09:00"),
        utc("2026-11-23T10:00"),
        utc("2026-11-23T11:00"),
    ]
    assert part.start.last_fire is None
    assert part.state.last_fire == utc("2026-11-23T11:00")
    assert timedelta(0) < part.state.next_fire - utc("2026-11-23T11:07") <= timedelta(hours=1)  # type: ignore[operator]
