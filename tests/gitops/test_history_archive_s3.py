"""`gitcron history-archive` to a real S3 server (moto on 127.0.0.1): stored, checked, removed."""

from __future__ import annotations

import gzip
from datetime import date
from pathlib import Path

import pytest
import yaml

from gitcron.errors import GitcronError
from gitcron.gitops.archive import archive
from gitcron.state.archive import read_manifest
from gitcron.state.history import day_files
from gitops.gitrepo import env, git
from gitops.test_history_archive import NOW, make_repo, settings, tracked_days

pytest.importorskip("moto.server")

from channels import s3server
from channels.s3server import KEY_ENV, S3_ENV, SECRET_ENV, admin

s3_endpoint, bucket = s3server.s3_endpoint, s3server.bucket  # the server's fixtures, used here


def s3_repo(tmp_path: Path, endpoint: str, bucket: str) -> Path:
    root = make_repo(tmp_path, f"s3://{bucket}/gitcron/history", ["exports"])
    data = yaml.safe_load((root / "gitcron.yaml").read_text())
    data["channels"]["s3"] = {
        "endpoint_url": endpoint,
        "region": "us-east-1",
        "access_key_id_env": KEY_ENV,
        "secret_access_key_env": SECRET_ENV,
    }
    (root / "gitcron.yaml").write_text(yaml.safe_dump(data))
    git(root, "commit", "-q", "-am", "archive to S3")
    return root


def test_old_months_go_to_s3_checked_and_a_stored_month_is_never_replaced(
    tmp_path: Path, s3_endpoint: str, bucket: str
) -> None:
    root = s3_repo(tmp_path, s3_endpoint, bucket)
    january = b"".join(p.read_bytes() for d, p in day_files(root) if d.month == 1)
    variables = {**env(root), **S3_ENV}
    archive(root, settings(root), date(2026, 3, 1), NOW, variables, None, True, lambda _: None)
    client = admin(s3_endpoint)
    listed = client.list_object_versions(Bucket=bucket)["Versions"]
    assert sorted(v["Key"] for v in listed) == [
        "gitcron/history/history-2026-01.jsonl.gz",
        "gitcron/history/history-2026-02.jsonl.gz",
    ]
    body = client.get_object(Bucket=bucket, Key="gitcron/history/history-2026-01.jsonl.gz")
    assert gzip.decompress(body["Body"].read()) == january
    assert tracked_days(root)[0].endswith("2026-03-01.jsonl")
    assert git(root, "status", "--porcelain") == ""
    assert [m.where for m in read_manifest(root)] == [
        f"s3://{bucket}/gitcron/history/history-2026-01.jsonl.gz",
        f"s3://{bucket}/gitcron/history/history-2026-02.jsonl.gz",
    ]
    # two days of January come back (a restore): their lines are not what was stored
    git(root, "checkout", "HEAD~", "--", "state/history/2026-01-20.jsonl")
    git(root, "checkout", "HEAD~", "--", "state/history/2026-01-21.jsonl")
    git(root, "commit", "-q", "-m", "restore")
    said: list[str] = []
    with pytest.raises(GitcronError, match="could not be archived"):  # not the stored lines
        archive(root, settings(root), date(2026, 3, 1), NOW, variables, None, True, said.append)
    assert len(client.list_object_versions(Bucket=bucket)["Versions"]) == 2  # nothing replaced
