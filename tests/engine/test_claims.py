"""Claims in the tick: another tick's live claim holds its schedule, an expired one is taken over
(sent again with the same run id within max_delay, else recorded abandoned), and a claim ends
with its run's record."""

from __future__ import annotations

import email
from datetime import timedelta
from pathlib import Path

import pytest

from engine.test_tick import FIRST, LATE, NO_SMTP
from gitcron.engine.phases import TickOptions
from gitcron.engine.tick import run_tick
from gitcron.engine.trigger import trigger
from gitcron.state import StateStore, make_run_id, write_json
from gitcron.state.claims import CLAIMS_FILE, Claim, claims_to_json
from gitcron.state.files import StateError
from support import utc

MONTHLY = "customer-002/monthly-products"
MONTHLY_FIRE = utc("2026-12-07T10:00")
SIX_HOURLY = "customer-004/products-every-6h"


def plant(root: Path, sid: str, fire: object, expires: object) -> None:
    claim = Claim(make_run_id(sid, fire), sid, fire, 1, "a-dead-tick", LATE - timedelta(hours=1),
                  expires)  # type: ignore[arg-type]  # fmt: skip
    write_json(root / CLAIMS_FILE, claims_to_json([claim]))


@pytest.fixture
def ticked(repo: Path) -> Path:
    run_tick(repo, FIRST, NO_SMTP)
    return repo


def test_a_schedule_another_tick_holds_a_live_claim_on_is_left_to_it(ticked: Path) -> None:
    plant(ticked, MONTHLY, MONTHLY_FIRE, LATE + timedelta(minutes=30))
    before = StateStore(ticked).load_customer("customer-002")
    result = run_tick(ticked, LATE, NO_SMTP)
    assert MONTHLY not in {r.schedule for r in result.records}
    assert len(result.ran) == 3  # the other schedules ran
    assert StateStore(ticked).load_customer("customer-002") == before
    assert len(StateStore(ticked).load_claims()) == 1  # still the other tick's


def test_an_expired_claim_is_taken_over_with_the_same_run_id(ticked: Path) -> None:
    plant(ticked, MONTHLY, MONTHLY_FIRE, LATE - timedelta(minutes=1))
    result = run_tick(ticked, LATE, NO_SMTP)
    [run] = [r for r in result.ran if r.schedule == MONTHLY]
    assert run.run_id == make_run_id(MONTHLY, MONTHLY_FIRE)
    assert run.status == "succeeded"
    assert not (ticked / CLAIMS_FILE).exists()  # ended with its record


def test_a_claimed_fire_too_late_to_send_again_is_abandoned_not_missed(ticked: Path) -> None:
    fire = utc("2026-12-07T06:00")  # more than max_delay (6h) before the tick
    plant(ticked, SIX_HOURLY, fire, LATE - timedelta(minutes=1))
    result = run_tick(ticked, LATE, NO_SMTP)
    [old] = [r for r in result.records if r.run_id == make_run_id(SIX_HOURLY, fire)]
    assert old.status == "abandoned"
    assert old.note is not None
    assert old.note.startswith("may have been delivered: the tick that claimed it at")
    assert "more than 6h late (max_delay)" in old.note
    assert not (ticked / CLAIMS_FILE).exists()
    # the owner is told, as of a failure: the customer may or may not have the file
    told = [
        email.message_from_bytes(p.read_bytes())
        for p in (ticked / "outbox" / "_notifications").rglob("*.eml")
    ]
    subjects = [" ".join(m["Subject"].split()) for m in told]
    [at] = [n for n, s in enumerate(subjects) if "may have been delivered" in s]
    assert subjects[at].startswith(f"{SIX_HOURLY} may have been delivered, but its tick died")
    notice = told[at]
    assert "Ask them before sending it again." in notice.get_payload(decode=True).decode()


def test_a_pushing_tick_does_not_hold_off_its_own_claims(ticked: Path) -> None:
    plant(ticked, MONTHLY, MONTHLY_FIRE, LATE + timedelta(minutes=30))
    result = run_tick(ticked, LATE, TickOptions(env={}, holder="a-dead-tick"))
    assert MONTHLY in {r.schedule for r in result.ran}
    assert not (ticked / CLAIMS_FILE).exists()


def test_a_damaged_claims_file_stops_the_tick_with_its_way_out(ticked: Path) -> None:
    (ticked / CLAIMS_FILE).write_text('{"format": 1, "claims": [{"run_id": 3}]}')
    with pytest.raises(StateError) as caught:
        run_tick(ticked, LATE, NO_SMTP)
    assert "state/claims.json" in str(caught.value)
    assert "git checkout -- state/claims.json" in str(caught.value)


def test_a_manual_trigger_is_not_held_off_by_a_claim(ticked: Path) -> None:
    """Even of a schedule with no state yet, claimed by a tick that planned it first."""
    new = ticked / "schedules/customer-005/monthly.yaml"
    new.parent.mkdir()
    new.write_text((ticked / f"schedules/{MONTHLY}.yaml").read_text("utf-8"), "utf-8")
    plant(ticked, "customer-005/monthly", MONTHLY_FIRE, LATE + timedelta(minutes=30))
    result = trigger(ticked, LATE, "customer-005/monthly", NO_SMTP)
    [manual] = result.records
    assert (manual.trigger, manual.status) == ("manual", "succeeded")
    assert len(StateStore(ticked).load_claims()) == 1  # the scheduled run stays the other tick's
