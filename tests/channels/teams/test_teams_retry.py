"""A Teams message that failed gets its link on the retry: its storage delivery is re-run."""

from __future__ import annotations

from pathlib import Path

from channels import s3server
from channels.chatserver import CHAT_GRANTS, SIG, Teams, serve
from channels.helpers import FIRE, RUN_ID
from channels.s3server import S3_ENV, s3_settings
from gitcron.config.settings import Settings
from gitcron.engine.executor import RunEnv, run_one
from gitcron.engine.planner import PlannedRun
from gitcron.schedule import Schedule
from gitcron.state import Record

s3_endpoint, bucket = s3server.s3_endpoint, s3server.bucket
TEAMS = "teams:teams-hook"


def schedule(bucket: str) -> Schedule:
    return Schedule.model_validate(
        {
            "timezone": "America/New_York",
            "schedule": {"weekly": {"on": "monday", "at": "09:00"}},
            "report": {"dataset": "products", "params": {"customer": "acme"}, "format": "csv"},
            "deliver": [
                {"storage": {"url": f"s3://{bucket}/acme", "link_expires": "2d"}},
                {"teams": {"webhook": "teams-hook"}},
            ],
        }
    )


def settings(endpoint: str) -> Settings:
    base = s3_settings(endpoint)
    extra = Settings.model_validate(
        {"network": {"allow": ["127.0.0.1"]}, "credentials": CHAT_GRANTS}
    )
    return base.model_copy(update={"network": extra.network, "credentials": extra.credentials})


def attempt(
    root: Path, endpoint: str, bucket: str, port: int, targets: tuple[str, ...] | None
) -> Record:
    run = PlannedRun(RUN_ID, RUN_ID.split("@")[0], FIRE, None, "retry", 2, targets)
    env = {**S3_ENV, "TEAMS_HOOK_URL": f"http://127.0.0.1:{port}/workflows/x?sig={SIG}"}
    run_env = RunEnv(root, settings(endpoint), FIRE, env, sleep=lambda _: None)
    return run_one(run, schedule(bucket), "America/New_York", run_env)


def test_the_retried_message_carries_a_link_again(
    tmp_path: Path, s3_endpoint: str, bucket: str
) -> None:
    teams = Teams().then(400, b'{"error":{"code":"Broken","message":"for now"}}')
    with serve(teams) as port:
        first = attempt(tmp_path, s3_endpoint, bucket, port, None)
        second = attempt(tmp_path, s3_endpoint, bucket, port, (TEAMS,))
    assert [d.status for d in first.deliveries] == ["succeeded", "failed"]
    storage, sent = second.deliveries
    assert "already there" in (storage.note or "")
    assert (sent.target, sent.status) == (TEAMS, "succeeded")
    [card] = teams.cards
    [action] = card["actions"]
    assert action["url"].startswith(f"{s3_endpoint}/{bucket}/acme/")
