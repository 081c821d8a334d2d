"""The storage channel against a real S3 server (moto on 127.0.0.1) and real folders.

Covers: byte-exact arrival under the key template, replays that change nothing, a different file
under a taken name, clear permanent errors, presigned links that reach the email body.
"""

from __future__ import annotations

import os
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import ValidationError

from channels.helpers import CSV, FILE_NAME, MakeCtx, schedule
from gitcron.channels.base import DeliveryContext, DeliveryError
from gitcron.channels.email.message import build_message
from gitcron.channels.email.target import EmailTarget
from gitcron.channels.registry import channel_for
from gitcron.channels.storage.channel import StorageChannel
from gitcron.channels.storage.target import StorageTarget
from gitcron.jobs.base import Artifact

pytest.importorskip("moto.server")

from channels import s3server
from channels.s3server import S3_ENV, admin, s3_settings
from channels.storage.helpers import with_roots

s3_endpoint, bucket = s3server.s3_endpoint, s3server.bucket  # the server's fixtures, used here

KEY = "{{ customer }}-{{ run.local_date }}.csv"
OBJECT_KEY = "exports/acme/customer-001-2026-11-23.csv"


def storage(**spec: Any) -> StorageTarget:
    return StorageTarget.model_validate(spec)


def s3_ctx(make_ctx: MakeCtx, endpoint: str, **parts: Any) -> DeliveryContext:
    return make_ctx(conf=s3_settings(endpoint), env=S3_ENV, **parts)


def versions(endpoint: str, name: str) -> list[dict[str, Any]]:
    listed = admin(endpoint).list_object_versions(Bucket=name)
    return list(listed.get("Versions", []))


def other_file(tmp_path: Path) -> Artifact:
    path = tmp_path / "other" / FILE_NAME
    path.parent.mkdir()
    path.write_bytes(CSV.replace(b"2.50", b"2.75"))
    return Artifact(name=FILE_NAME, content_type="text/csv", path=path, rows=3)


def plain_text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


# --- S3 -------------------------------------------------------------------------------------------


def test_the_file_arrives_byte_exact_under_the_key_template(
    make_ctx: MakeCtx, s3_endpoint: str, bucket: str
) -> None:
    target = storage(url=f"s3://{bucket}/exports/acme/", key=KEY)

    note = StorageChannel().deliver(target, s3_ctx(make_ctx, s3_endpoint))

    assert note == f"uploaded to s3://{bucket}/{OBJECT_KEY}"
    got = admin(s3_endpoint).get_object(Bucket=bucket, Key=OBJECT_KEY)
    assert got["Body"].read() == CSV
    assert got["ContentType"] == "text/csv"
    assert len(got["Metadata"]["sha256"]) == 64


def test_without_a_key_the_artifact_name_is_used(
    make_ctx: MakeCtx, s3_endpoint: str, bucket: str
) -> None:
    StorageChannel().deliver(storage(url=f"s3://{bucket}"), s3_ctx(make_ctx, s3_endpoint))
    assert [v["Key"] for v in versions(s3_endpoint, bucket)] == [FILE_NAME]


def test_a_replay_of_the_run_is_already_there_and_writes_nothing(
    make_ctx: MakeCtx, s3_endpoint: str, bucket: str
) -> None:
    target = storage(url=f"s3://{bucket}/exports/acme", key=KEY)
    StorageChannel().deliver(target, s3_ctx(make_ctx, s3_endpoint))
    first = versions(s3_endpoint, bucket)

    note = StorageChannel().deliver(target, s3_ctx(make_ctx, s3_endpoint))

    assert note == f"already there: s3://{bucket}/{OBJECT_KEY} (same bytes)"
    again = versions(s3_endpoint, bucket)
    assert len(again) == 1
    assert again[0]["VersionId"] == first[0]["VersionId"]
    assert again[0]["LastModified"] == first[0]["LastModified"]


def test_an_object_put_by_someone_else_with_the_same_bytes_counts_as_there(
    make_ctx: MakeCtx, s3_endpoint: str, bucket: str
) -> None:
    admin(s3_endpoint).put_object(Bucket=bucket, Key=FILE_NAME, Body=CSV)  # no sha256 metadata
    note = StorageChannel().deliver(storage(url=f"s3://{bucket}"), s3_ctx(make_ctx, s3_endpoint))
    assert note is not None
    assert note.startswith("already there")


def test_different_bytes_under_a_taken_key_are_refused(
    make_ctx: MakeCtx, s3_endpoint: str, bucket: str, tmp_path: Path
) -> None:
    target = storage(url=f"s3://{bucket}/exports/acme", key=KEY)
    StorageChannel().deliver(target, s3_ctx(make_ctx, s3_endpoint))

    with pytest.raises(DeliveryError, match="a different file already has this name") as caught:
        StorageChannel().deliver(target, s3_ctx(make_ctx, s3_endpoint, art=other_file(tmp_path)))

    assert caught.value.permanent
    assert "run.local_time" in str(caught.value.hint)
    got = admin(s3_endpoint).get_object(Bucket=bucket, Key=OBJECT_KEY)
    assert got["Body"].read() == CSV
    assert len(versions(s3_endpoint, bucket)) == 1


def test_a_missing_bucket_is_a_clear_permanent_error(make_ctx: MakeCtx, s3_endpoint: str) -> None:
    with pytest.raises(DeliveryError, match="the bucket 'no-such-bucket' does not exist") as caught:
        StorageChannel().deliver(
            storage(url="s3://no-such-bucket/x"), s3_ctx(make_ctx, s3_endpoint)
        )
    assert caught.value.permanent
    assert "create it" in str(caught.value.hint)


def test_an_unreachable_endpoint_is_transient(make_ctx: MakeCtx, bucket: str) -> None:
    from channels.mailserver import free_port

    ctx = s3_ctx(make_ctx, f"http://127.0.0.1:{free_port()}")
    with pytest.raises(DeliveryError, match="cannot reach S3") as caught:
        StorageChannel().deliver(storage(url=f"s3://{bucket}"), ctx)
    assert not caught.value.permanent


def test_an_unset_credential_variable_is_named(
    make_ctx: MakeCtx, s3_endpoint: str, bucket: str
) -> None:
    ctx = make_ctx(conf=s3_settings(s3_endpoint), env={"TEST_S3_KEY_ID": "testing"})
    with pytest.raises(DeliveryError, match="TEST_S3_SECRET is not set") as caught:
        StorageChannel().deliver(storage(url=f"s3://{bucket}"), ctx)
    assert caught.value.permanent


def test_the_presigned_link_serves_the_file_and_reaches_the_email(
    make_ctx: MakeCtx, s3_endpoint: str, bucket: str
) -> None:
    sched = schedule(
        {"storage": {"url": f"s3://{bucket}/exports/acme", "key": KEY, "link_expires": "3d"}},
        {"email": {"to": ["buyer@acme.example"], "attach": False, "link": True}},
    )
    ctx = s3_ctx(make_ctx, s3_endpoint, sched=sched)
    storage_target, email_target = (item.storage or item.email for item in sched.deliver)
    assert isinstance(storage_target, StorageTarget)
    assert isinstance(email_target, EmailTarget)

    note = StorageChannel().deliver(storage_target, ctx)

    assert note is not None
    assert note.endswith("link valid for 3 days")
    [link] = ctx.links
    assert "X-Amz-Expires=259200" in link
    assert httpx.get(link).content == CSV
    text = plain_text(build_message(email_target, ctx))
    assert f"Download it here:\n{link}\n" in text


def test_a_link_longer_than_seven_days_is_refused_before_uploading(
    make_ctx: MakeCtx, s3_endpoint: str, bucket: str
) -> None:
    ctx = s3_ctx(make_ctx, s3_endpoint)
    with pytest.raises(DeliveryError, match="longer than 7 days") as caught:
        StorageChannel().deliver(storage(url=f"s3://{bucket}", link_expires="8d"), ctx)
    assert caught.value.permanent
    assert versions(s3_endpoint, bucket) == []
    assert ctx.links == []


# --- email links ----------------------------------------------------------------------------------


def link_email(**spec: Any) -> dict[str, Any]:
    return {"email": {"to": ["buyer@acme.example"], "link": True, **spec}}


STORAGE_WITH_LINK = {"storage": {"url": "s3://exports-bucket/acme", "link_expires": "1d"}}


@pytest.mark.parametrize(
    "deliveries",
    [
        pytest.param([link_email()], id="no storage"),
        pytest.param([link_email(), STORAGE_WITH_LINK], id="storage listed after"),
        pytest.param([{"storage": {"url": "s3://exports-bucket/acme"}}, link_email()], id="no ttl"),
    ],
)
def test_a_link_email_without_a_link_before_it_is_a_validation_error(
    deliveries: list[dict[str, Any]],
) -> None:
    with pytest.raises(ValidationError, match="link_expires listed before it"):
        schedule(*deliveries)


def test_a_link_email_whose_storage_failed_waits_for_a_later_tick(make_ctx: MakeCtx) -> None:
    sched = schedule(STORAGE_WITH_LINK, link_email())
    email = sched.deliver[1].email
    assert email is not None
    with pytest.raises(DeliveryError, match="made no link in this run") as caught:
        build_message(email, make_ctx(sched=sched))
    assert not caught.value.permanent
    assert caught.value.retry_after is not None


def test_a_dry_run_shows_where_the_link_goes(make_ctx: MakeCtx, root: Path) -> None:
    sched = schedule(STORAGE_WITH_LINK, link_email())
    email = sched.deliver[1].email
    assert email is not None
    text = plain_text(build_message(email, make_ctx(sched=sched, outbox=root / "dry")))
    assert f"<link to {FILE_NAME}, made by the storage delivery>" in text


def test_a_body_template_gets_the_links_after_its_text(make_ctx: MakeCtx) -> None:
    sched = schedule(STORAGE_WITH_LINK, link_email(body="Rows: {{ rows }}", html="<p>Hi</p>"))
    email = sched.deliver[1].email
    assert email is not None
    ctx = make_ctx(sched=sched)
    ctx.links.append("https://example.test/file?sig=a&b=c")

    message = build_message(email, ctx)

    assert (
        plain_text(message) == "Rows: 3\n\nDownload it here:\nhttps://example.test/file?sig=a&b=c\n"
    )
    html = message.get_body(preferencelist=("html",))
    assert html is not None
    assert 'href="https://example.test/file?sig=a&amp;b=c"' in html.get_content()


def test_a_body_template_can_place_the_links_itself(make_ctx: MakeCtx) -> None:
    # `links` is not yet a name config validation allows, so the target is built unchecked
    email = EmailTarget.model_construct(
        to=["buyer@acme.example"], body="Get it: {{ links | join(' ') }}", link=True, attach=False
    )
    ctx = make_ctx(sched=schedule(STORAGE_WITH_LINK, link_email()))
    ctx.links.append("https://example.test/f")
    assert plain_text(build_message(email, ctx)).strip() == "Get it: https://example.test/f"


# --- local folders --------------------------------------------------------------------------------


def test_a_repository_folder_receives_the_file(make_ctx: MakeCtx, root: Path) -> None:
    note = StorageChannel().deliver(storage(path="exports/acme", key=KEY), make_ctx())

    written = root / "exports/acme/customer-001-2026-11-23.csv"
    assert note == "written to exports/acme/customer-001-2026-11-23.csv"
    assert written.read_bytes() == CSV
    assert written.stat().st_mode & 0o777 == 0o644
    assert [p.name for p in written.parent.iterdir()] == [written.name]  # no temp file left


def test_a_file_url_names_an_absolute_folder(make_ctx: MakeCtx, tmp_path: Path) -> None:
    folder = tmp_path / "srv exports"
    ctx = make_ctx(conf=with_roots(str(folder)))  # file:// writes only under a declared root
    StorageChannel().deliver(storage(url=(folder).as_uri()), ctx)
    assert (folder / FILE_NAME).read_bytes() == CSV


def test_a_local_replay_is_already_there_and_a_different_file_is_refused(
    make_ctx: MakeCtx, root: Path, tmp_path: Path
) -> None:
    target = storage(path="exports")
    StorageChannel().deliver(target, make_ctx())
    stamp = (root / "exports" / FILE_NAME).stat().st_mtime_ns

    assert StorageChannel().deliver(target, make_ctx()) == (
        f"already there: exports/{FILE_NAME} (same bytes)"
    )
    with pytest.raises(DeliveryError, match="a different file already has this name") as caught:
        StorageChannel().deliver(target, make_ctx(art=other_file(tmp_path)))

    assert caught.value.permanent
    assert (root / "exports" / FILE_NAME).read_bytes() == CSV
    assert (root / "exports" / FILE_NAME).stat().st_mtime_ns == stamp
    assert sorted(p.name for p in (root / "exports").iterdir()) == [FILE_NAME]


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        pytest.param("../x", "contains '/'", id="traversal"),
        pytest.param(".hidden.csv", "cannot start with '.'", id="leading dot"),
        pytest.param("a..b.csv", "nor contain '..'", id="double dot"),
        pytest.param("x" * 201, "longer than 200", id="too long"),
        pytest.param("a\x00b", "'\\x00'", id="nul"),
    ],
)
def test_a_key_rendering_to_an_unsafe_name_is_refused(
    make_ctx: MakeCtx, root: Path, value: str, problem: str
) -> None:
    ctx = make_ctx(sched=schedule(labels={"dest": value}))
    with pytest.raises(DeliveryError, match="not a safe file name") as caught:
        StorageChannel().deliver(storage(path="exports", key="{{ labels.dest }}"), ctx)
    assert caught.value.permanent
    assert problem in caught.value.message
    assert not (root / "exports").exists()
    assert not (root / "x").exists()


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        pytest.param({"path": "../outside"}, "leads outside the repository", id="path escapes"),
        pytest.param({"path": "/srv/exports"}, "is absolute", id="absolute path"),
        pytest.param({"url": "file://host/srv"}, "is not a local folder", id="file url host"),
        pytest.param({"path": "x", "link_expires": "1d"}, "needs an s3:// url", id="local link"),
        pytest.param({"url": "s3://b/a/../x"}, "not a bucket and a plain prefix", id="s3 dots"),
    ],
)
def test_bad_targets_are_permanent(make_ctx: MakeCtx, spec: dict[str, Any], message: str) -> None:
    with pytest.raises(DeliveryError, match=message) as caught:
        StorageChannel().deliver(storage(**spec), make_ctx())
    assert caught.value.permanent


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        pytest.param({"path": "x", "url": "s3://b/x"}, "found url and path", id="both"),
        pytest.param({}, "names one place, but none is given", id="neither"),
    ],
)
def test_a_target_names_one_place_when_validated(spec: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        storage(**spec)


def test_a_symbolic_link_in_place_of_the_file_is_refused(
    make_ctx: MakeCtx, root: Path, tmp_path: Path
) -> None:
    (root / "exports").mkdir()
    elsewhere = tmp_path / "elsewhere.csv"
    elsewhere.write_bytes(CSV)
    os.symlink(elsewhere, root / "exports" / FILE_NAME)
    with pytest.raises(DeliveryError, match="symbolic link") as caught:
        StorageChannel().deliver(storage(path="exports"), make_ctx())
    assert caught.value.permanent


def test_storage_is_a_builtin_channel() -> None:
    assert isinstance(channel_for("storage"), StorageChannel)


def test_an_event_body_is_stored_like_a_file(make_ctx: MakeCtx, root: Path) -> None:
    event = Artifact(name="event.json", content_type="application/json", body=b'{"a": 1}')
    ctx = make_ctx(art=event, conf=with_roots("events"))  # a root besides the default, exports
    StorageChannel().deliver(storage(path="events"), ctx)
    assert (root / "events" / "event.json").read_bytes() == b'{"a": 1}'


@pytest.mark.parametrize(
    ("code", "status", "permanent", "words"),
    [
        pytest.param("SlowDown", 503, False, "S3 is busy", id="slow down"),
        pytest.param("InternalError", 500, False, "S3 is busy", id="internal error"),
        pytest.param("ConditionalRequestConflict", 409, False, "S3 is busy", id="write conflict"),
        pytest.param("AccessDenied", 403, True, "refused access", id="access denied"),
        pytest.param("InvalidAccessKeyId", 403, True, "refused access", id="bad key id"),
        pytest.param("NoSuchBucket", 404, True, "does not exist", id="no bucket"),
        pytest.param("InvalidArgument", 400, True, "S3 refused", id="other 4xx"),
    ],
)
def test_s3_errors_are_sorted_into_permanent_and_transient(
    make_ctx: MakeCtx, code: str, status: int, permanent: bool, words: str
) -> None:
    from botocore.exceptions import ClientError

    from gitcron.channels.storage.s3 import S3Object
    from gitcron.channels.storage.s3_errors import s3_error as _s3_error

    response: Any = {"Error": {"Code": code}, "ResponseMetadata": {"HTTPStatusCode": status}}
    error = _s3_error(ClientError(response, "PutObject"), S3Object("b", "k"), make_ctx())
    assert error.permanent is permanent
    assert words in error.message
