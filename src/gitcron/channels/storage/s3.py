"""A storage delivery to an S3 (or S3-compatible) bucket: one conditional PUT per call.

The PUT carries `If-None-Match: *`, so a taken key answers 412 and is compared instead of
replaced; the client tries once, the channel registry does the retries.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from gitcron.channels.base import DeliveryContext
from gitcron.channels.storage.common import Sums, different, opened, permanent_for, sums
from gitcron.channels.storage.links import link_seconds, presign
from gitcron.channels.storage.s3_errors import SETTINGS_HINT, error_code, http_status, s3_error
from gitcron.channels.storage.target import StorageTarget
from gitcron.config.settings import S3Settings
from gitcron.timing.words import duration_words

MAX_PUT = 5 * 1024**3  # the most one S3 PUT may carry


@dataclass(frozen=True, slots=True)
class S3Object:
    """Where the file goes in a bucket."""

    bucket: str
    key: str

    def __str__(self) -> str:
        return f"s3://{self.bucket}/{self.key}"


def s3_object(url: str, name: str, ctx: DeliveryContext) -> S3Object:
    """`s3://bucket/prefix` and the name → bucket and `prefix/name`."""
    parts = urlsplit(url)
    prefix = parts.path.strip("/")
    if not parts.netloc or any(p in ("", ".", "..") for p in prefix.split("/") if prefix):
        raise permanent_for(
            ctx,
            f"'{url}' is not a bucket and a plain prefix",
            "write url: s3://bucket/folder/subfolder (no empty, '.' or '..' parts)",
        )
    return S3Object(parts.netloc, f"{prefix}/{name}" if prefix else name)


def deliver_s3(target: StorageTarget, url: str, name: str, ctx: DeliveryContext) -> str:
    """One conditional PUT, the existing object compared on 412, then the link if asked."""
    seconds = link_seconds(target, ctx)
    obj = s3_object(url, name, ctx)
    mine = sums(ctx.artifact)
    if mine.size > MAX_PUT:
        raise permanent_for(ctx, f"{name} is over 5 GiB, the most one S3 upload takes", _SPLIT_HINT)
    client = s3_client(ctx)
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        placed = _put(client, obj, mine, ctx)
        if not placed and not _same_object(client, obj, mine):
            raise different(ctx, str(obj))
        link = None if seconds is None else presign(client, obj.bucket, obj.key, seconds)
    except (BotoCoreError, ClientError) as error:
        raise s3_error(error, obj, ctx) from error
    if link is not None:
        ctx.links.append(link)
    note = f"uploaded to {obj}" if placed else f"already there: {obj} (same bytes)"
    return (
        note
        if seconds is None
        else f"{note}, link valid for {duration_words(timedelta(seconds=seconds))}"
    )


_SPLIT_HINT = "filter the dataset to fewer rows, or split the schedule by parameter"


def s3_client(ctx: DeliveryContext) -> Any:
    """A client for `channels.s3`, trying once per call: the channel registry does the retries."""
    try:
        import boto3
        from botocore.config import Config
    except ImportError as error:
        raise permanent_for(
            ctx, "s3:// storage needs boto3, which is not installed", "install gitcron[s3]"
        ) from error
    conf = ctx.settings.channels.s3
    config = Config(
        retries={"total_max_attempts": 1},
        connect_timeout=10,
        read_timeout=120,
        signature_version="s3v4",
        s3={"addressing_style": "path" if conf.endpoint_url else "auto"},
    )
    key_id, secret = _credentials(conf, ctx)
    try:  # a fresh session per call: boto3's default session is not safe across threads
        return boto3.session.Session().client(
            "s3",
            endpoint_url=conf.endpoint_url,
            region_name=conf.region,
            aws_access_key_id=key_id,
            aws_secret_access_key=secret,
            config=config,
        )
    except ValueError as error:
        raise permanent_for(ctx, f"channels.s3 cannot be used: {error}", SETTINGS_HINT) from error


def _credentials(conf: S3Settings, ctx: DeliveryContext) -> tuple[str | None, str | None]:
    """Keys from the env vars gitcron.yaml names; none named means boto3's own chain."""
    names = (conf.access_key_id_env, conf.secret_access_key_env)
    if names == (None, None):
        return None, None
    if None in names:
        raise permanent_for(
            ctx,
            "channels.s3 names only one of access_key_id_env and secret_access_key_env",
            "name both, or neither to use the runner's AWS credentials (role, profile)",
        )
    missing = [n for n in names if n and not ctx.env.get(n, "").strip()]
    if missing:
        raise permanent_for(ctx, f"{missing[0]} is not set", f"set {missing[0]} on the runner")
    key_id, secret = (ctx.env[n].strip() for n in names if n)
    return key_id, secret


def _put(client: Any, obj: S3Object, mine: Sums, ctx: DeliveryContext) -> bool:
    """PUT only if the key is free; False when it is taken (HTTP 412)."""
    from botocore.exceptions import ClientError

    checksum = base64.b64encode(bytes.fromhex(mine.sha256)).decode()
    try:
        with opened(ctx.artifact) as body:
            client.put_object(
                Bucket=obj.bucket,
                Key=obj.key,
                Body=body,
                ContentType=ctx.artifact.content_type,
                ContentLength=mine.size,
                IfNoneMatch="*",
                ChecksumSHA256=checksum,
                Metadata={"sha256": mine.sha256, "gitcron-run": ctx.run.run_id},
            )
    except ClientError as error:
        if error_code(error) == "PreconditionFailed" or http_status(error) == 412:
            return False
        raise
    return True


def _same_object(client: Any, obj: S3Object, mine: Sums) -> bool:
    """The object's sha256 metadata (ours), else its ETag as a plain MD5, matches the file."""
    head = client.head_object(Bucket=obj.bucket, Key=obj.key)
    stored = (head.get("Metadata") or {}).get("sha256")
    if stored:
        return bool(stored == mine.sha256)
    return bool(str(head.get("ETag", "")).strip('"') == mine.md5)
