"""`gitcron resend`: a past run delivered again, to the schedule's own targets only."""

from __future__ import annotations

import email
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("aiosmtpd")
from engine.byhand import MAIL, STORE, Place, hook, place

RUN_ID = "acme/daily@2026-11-02T08:00:00Z"


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[Place]:
    with place(tmp_path) as where:
        yield where


def first_run(repo: Place, deliver: str) -> None:
    repo.write(deliver)
    assert repo.gitcron("run", "--at", "2026-11-01T07:00:00Z").code == 0
    ran = repo.gitcron("run", "--at", "2026-11-02T08:05:00Z")
    assert ran.code == 0, ran.both


def test_the_stored_copy_goes_again_with_a_new_attempt_and_ids_of_its_own(repo: Place) -> None:
    first_run(repo, STORE + MAIL + hook(repo.hook_port))
    repo.data("A1,99\n")  # the data changed since: the stored copy is still what was sent
    run = repo.gitcron("resend", RUN_ID, "--at", "2026-11-05T10:00:00Z")
    assert run.code == 0, run.both
    assert "note: the stored copy, from exports/acme/acme-2026-11-02.csv" in run.out

    first, again = (email.message_from_bytes(m) for m in repo.mails())
    assert first.get_payload()[1].get_payload(decode=True) == again.get_payload()[1].get_payload(
        decode=True
    )
    assert b",10\r\n" in again.get_payload()[1].get_payload(decode=True)
    assert first["Message-ID"] != again["Message-ID"]  # a receiver that drops duplicates takes it
    posted = repo.hooks.received
    assert [p.headers["webhook-id"] for p in posted] == [RUN_ID, f"{RUN_ID}#2"]
    assert all(p.verified for p in posted)

    record = repo.history()[-1]
    assert (record["trigger"], record["attempt"], record["status"]) == ("resend", 2, "succeeded")
    assert record["file"] == repo.history()[-2]["file"]  # the same bytes as the first time
    course = repo.course()  # a re-send leaves the schedule's course alone
    assert (course["runs"], course["last_fire"]) == (1, "2026-11-02T08:00:00Z")


def test_without_a_stored_copy_it_is_rebuilt_for_the_runs_own_interval(repo: Place) -> None:
    first_run(repo, MAIL)
    repo.data("A1,99\n")
    run = repo.gitcron("resend", RUN_ID, "--at", "2026-11-05T10:00:00Z")
    assert run.code == 0, run.both
    assert (
        "rebuilt for its data interval (2026-11-01T08:00:00Z to 2026-11-02T08:00:00Z):"
        " the data changed since (no storage delivery of this run kept a copy)" in run.out
    )
    attached = email.message_from_bytes(repo.mails()[-1]).get_payload()[1]
    assert b",99\r\n" in attached.get_payload(decode=True)
    first, again = repo.history()[-2:]
    assert first["file"]["sha256"] != again["file"]["sha256"]
    assert (again["trigger"], again["attempt"]) == ("resend", 2)


def test_a_stored_copy_whose_bytes_changed_is_not_trusted(repo: Place) -> None:
    first_run(repo, STORE + MAIL)
    (repo.root / "exports" / "acme" / "acme-2026-11-02.csv").write_text("tampered\n")
    run = repo.gitcron("resend", RUN_ID, "--target", "2", "--at", "2026-11-05T10:00:00Z")
    assert run.code == 0, run.both
    assert "exports/acme/acme-2026-11-02.csv no longer holds the bytes first sent" in run.out
    assert b"tampered" not in repo.mails()[-1]


def test_only_the_chosen_targets_are_sent(repo: Place) -> None:
    first_run(repo, MAIL + hook(repo.hook_port))
    run = repo.gitcron("resend", RUN_ID, "--target", "2", "--at", "2026-11-05T10:00:00Z")
    assert run.code == 0, run.both
    assert len(repo.mails()) == 1
    assert len(repo.hooks.received) == 2
    deliveries = {d["target"]: d for d in repo.history()[-1]["deliveries"]}
    assert deliveries["email:buyer@acme.example"]["status"] == "skipped"
    assert deliveries["email:buyer@acme.example"]["note"] == "not asked for"


def test_a_target_outside_the_schedule_is_refused_with_the_list(repo: Place) -> None:
    first_run(repo, STORE + MAIL)
    run = repo.gitcron("resend", RUN_ID, "--target", "3", "--at", "2026-11-05T10:00:00Z")
    assert run.code == 2
    assert (
        "--target 3: acme/daily has 2 target(s) under deliver:"
        " (1: storage:exports/acme; 2: email:buyer@acme.example)" in run.err
    )
    assert "the schedule's own targets only" in run.err
    assert len(repo.mails()) == 1
    assert repo.history()[-1]["trigger"] == "scheduled"


def test_runs_that_cannot_be_sent_again_are_refused_with_what_to_do(repo: Place) -> None:
    first_run(repo, MAIL)
    at = ("--at", "2026-11-05T10:00:00Z")
    unknown = repo.gitcron("resend", "acme/daily@2026-11-03T08:00:00Z", *at)
    assert unknown.code == 1
    assert "there is no run acme/daily@2026-11-03T08:00:00Z in state/history/" in unknown.err
    missed = repo.gitcron("resend", "acme/daily@2026-11-01T08:00:00Z", *at)
    assert missed.code == 1
    assert "was missed: it never ran" in missed.err
    assert "gitcron backfill acme/daily --from 2026-11-01 --until 2026-11-01" in missed.err
    garbled = repo.gitcron("resend", "acme/daily", *at)
    assert garbled.code == 2
    assert "'acme/daily' is not a run id" in garbled.err


def test_a_dry_run_writes_the_outbox_and_records_nothing(repo: Place) -> None:
    first_run(repo, MAIL)
    before = repo.history()
    run = repo.gitcron("resend", RUN_ID, "--dry-run", "--at", "2026-11-05T10:00:00Z")
    assert run.code == 0, run.both
    assert repo.history() == before
    assert len(repo.mails()) == 1
    assert list((repo.root / "outbox" / "acme").glob("*.eml"))


def test_the_stored_copy_is_read_back_from_a_bucket(repo: Place) -> None:
    pytest.importorskip("moto.server")
    from moto.server import ThreadedMotoServer

    from channels.s3server import KEY_ENV, S3_ENV, SECRET_ENV, admin

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        endpoint = f"http://127.0.0.1:{server._server.server_port}"  # type: ignore[attr-defined]
        admin(endpoint).create_bucket(Bucket="exports")
        settings = repo.root / "gitcron.yaml"
        settings.write_text(
            settings.read_text().replace(
                "  retry: { attempts: 0 }\n",
                "  retry: { attempts: 0 }\n"
                f"  s3: {{ endpoint_url: '{endpoint}', region: us-east-1,"
                f" access_key_id_env: {KEY_ENV}, secret_access_key_env: {SECRET_ENV} }}\n",
            )
        )
        repo.env.update(S3_ENV)
        first_run(repo, "  - storage: { url: s3://exports/acme }\n" + MAIL)
        repo.data("A1,99\n")
        run = repo.gitcron("resend", RUN_ID, "--target", "2", "--at", "2026-11-05T10:00:00Z")
        assert run.code == 0, run.both
        assert "note: the stored copy, from s3://exports/acme/acme-2026-11-02.csv" in run.out
        attached = email.message_from_bytes(repo.mails()[-1]).get_payload()[1]
        assert b",10\r\n" in attached.get_payload(decode=True)
    finally:
        server.stop()
