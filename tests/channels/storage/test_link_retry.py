"""A retried `link: true` email gets a link: its storage delivery is re-run (already there)."""

from __future__ import annotations

import email
from email.policy import default
from pathlib import Path

from channels import s3server
from channels.helpers import FIRE, RUN_ID
from channels.s3server import S3_ENV, s3_settings
from gitcron.engine.executor import RunEnv, run_one
from gitcron.engine.planner import PlannedRun
from gitcron.schedule import Schedule

s3_endpoint, bucket = s3server.s3_endpoint, s3server.bucket
EMAIL = "email:buyer@acme.example"


def linked(bucket: str) -> Schedule:
    return Schedule.model_validate(
        {
            "timezone": "America/New_York",
            "schedule": {"weekly": {"on": "monday", "at": "09:00"}},
            "report": {"dataset": "products", "params": {"customer": "acme"}, "format": "csv"},
            "deliver": [
                {"storage": {"url": f"s3://{bucket}/acme", "link_expires": "2d"}},
                {"email": {"to": ["buyer@acme.example"], "attach": False, "link": True}},
            ],
        }
    )


def attempt(root: Path, schedule: Schedule, endpoint: str, targets: tuple[str, ...] | None):
    run = PlannedRun(RUN_ID, RUN_ID.split("@")[0], FIRE, None, "retry", 2, targets)
    env = RunEnv(root, s3_settings(endpoint), FIRE, S3_ENV, sleep=lambda _: None)
    return run_one(run, schedule, "America/New_York", env)


def test_the_retried_email_carries_a_link_again(
    tmp_path: Path, s3_endpoint: str, bucket: str
) -> None:
    schedule = linked(bucket)
    attempt(tmp_path, schedule, s3_endpoint, None)  # the first attempt uploaded the file
    for old in (tmp_path / "outbox").rglob("*.eml"):
        old.unlink()  # as if the email had failed

    record = attempt(tmp_path, schedule, s3_endpoint, (EMAIL,))

    assert record.status == "succeeded"
    storage, sent = record.deliveries
    assert storage.status == "succeeded"
    assert "already there" in (storage.note or "")
    assert (sent.target, sent.status) == (EMAIL, "succeeded")
    [eml] = (tmp_path / "outbox").rglob("*.eml")
    text = email.message_from_bytes(eml.read_bytes(), policy=default).get_body(("plain",))
    assert text is not None
    assert f"{s3_endpoint}/{bucket}/acme/" in text.get_content()
