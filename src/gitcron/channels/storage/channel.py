"""The `storage:` channel: the run's file put into a folder or an S3 bucket under a per-run name.

A write never replaces what is there: a replay of the same run finds its own bytes ("already
there") and succeeds, while a different file under the same name is refused, so a file a customer
may already have fetched never changes under them. S3 writes are conditional (`If-None-Match: *`).
"""

from __future__ import annotations

import base64
import contextlib
import errno
import hashlib
import io
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import IO, Any
from urllib.parse import unquote, urlsplit

from gitcron.channels.base import DeliveryContext, DeliveryError
from gitcron.channels.outbox.channel import FILE_MODE, shown
from gitcron.channels.storage.target import StorageTarget
from gitcron.channels.templating import render
from gitcron.config.settings import S3Settings
from gitcron.core.artifact import Artifact
from gitcron.core.names import MAX_NAME, filename_problem

MAX_LINK = timedelta(days=7)  # the longest a SigV4 presigned URL may live
MAX_PUT = 5 * 1024**3  # the most one S3 PUT may carry
_NO_HARD_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS, errno.EMLINK}
# fmt: off
_TRANSIENT_CODES = frozenset({  # ConditionalRequestConflict: another write of the key is under way
    "SlowDown", "Throttling", "ThrottlingException", "TooManyRequests", "RequestLimitExceeded",
    "RequestTimeout", "InternalError", "ServiceUnavailable", "OperationAborted",
    "ConditionalRequestConflict",
})
_CREDENTIAL_CODES = frozenset({
    "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "AllAccessDisabled",
    "AccountProblem", "InvalidToken", "ExpiredToken",
})
# fmt: on


@dataclass(frozen=True, slots=True)
class Sums:
    """The artifact's digests: sha256 identifies it, md5 matches a plain S3 ETag."""

    sha256: str
    md5: str
    size: int


class StorageChannel:
    """`storage: {path: ...}`, `{url: file:///...}` or `{url: s3://bucket/prefix}`."""

    def deliver(self, target: StorageTarget, ctx: DeliveryContext) -> str | None:
        if (target.url is None) == (target.path is None):
            raise _permanent(ctx, "a storage delivery needs exactly one of url or path", _URL_HINT)
        name = object_name(target, ctx)
        if target.url is not None and urlsplit(target.url).scheme == "s3":
            return deliver_s3(target, target.url, name, ctx)
        if target.link_expires is not None:
            raise _permanent(
                ctx,
                "link_expires needs an s3:// url: a local folder has no link to send",
                "remove link_expires, or deliver to s3://bucket/prefix",
            )
        return deliver_local(local_folder(target, ctx), name, ctx)


_URL_HINT = (
    "write path: exports/acme (in the repository), url: file:///srv/exports or url: s3://..."
)


def object_name(target: StorageTarget, ctx: DeliveryContext) -> str:
    """The file or object name: the rendered `key:` template, else the artifact's own name."""
    if target.key is None:
        name = ctx.artifact.name
    else:
        name = render(target.key, ctx, "storage key", limit=MAX_NAME * 4)
    problem = filename_problem(name)
    if problem:
        raise _permanent(
            ctx,
            f"the storage key is not a safe file name: {problem} (rendered: {name[:MAX_NAME]!r})",
            'use a plain name, e.g. key: "{{ customer }}-{{ run.local_date }}.csv"; put folders'
            " in the url or path, not in the key",
        )
    return name


def sums(artifact: Artifact) -> Sums:
    """Hash the artifact once, in chunks, for both the comparison and the upload header."""
    sha, md5, size = hashlib.sha256(), hashlib.md5(usedforsecurity=False), 0
    with _opened(artifact) as handle:
        while chunk := handle.read(1024 * 1024):
            sha.update(chunk)
            md5.update(chunk)
            size += len(chunk)
    return Sums(sha.hexdigest(), md5.hexdigest(), size)


@contextlib.contextmanager
def _opened(artifact: Artifact) -> Iterator[IO[bytes]]:
    if artifact.path is not None:
        with artifact.path.open("rb") as handle:
            yield handle
    else:
        yield io.BytesIO(artifact.body or b"")


def _permanent(ctx: DeliveryContext, message: str, hint: str) -> DeliveryError:
    return DeliveryError(f"{ctx.run.schedule_id}: {message}", hint, permanent=True)


# --- a local folder -------------------------------------------------------------------------------


def local_folder(target: StorageTarget, ctx: DeliveryContext) -> Path:
    """`path:` is a folder inside the repository; `url: file:///...` any absolute folder."""
    if target.path is not None:
        if Path(target.path).is_absolute():
            raise _permanent(
                ctx,
                f"storage path '{target.path}' is absolute; path: is a folder in the repository",
                f"for a folder outside it write url: file://{Path(target.path).as_posix()}",
            )
        base = ctx.root.resolve()
        folder = (base / target.path).resolve()
        if not folder.is_relative_to(base):
            raise _permanent(
                ctx,
                f"storage path '{target.path}' leads outside the repository",
                "use a folder inside the repository, e.g. path: exports/acme",
            )
        return folder
    assert target.url is not None
    parts = urlsplit(target.url)
    folder = Path(unquote(parts.path))
    if parts.netloc not in ("", "localhost") or not folder.is_absolute():
        raise _permanent(
            ctx, f"'{target.url}' is not a local folder", "write url: file:///srv/exports"
        )
    return folder


def deliver_local(folder: Path, name: str, ctx: DeliveryContext) -> str:
    """Write folder/name without ever replacing an existing file; a replay is 'already there'."""
    path = folder / name
    mine = sums(ctx.artifact)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if path.is_symlink():
            raise _permanent(ctx, f"{path} is a symbolic link", "remove it; gitcron writes files")
        placed = _place(path, ctx.artifact)
        if not placed and _file_sha256(path) != mine.sha256:
            raise _different(ctx, shown(path, ctx.root))
    except OSError as error:
        raise DeliveryError(
            f"{ctx.run.schedule_id}: cannot write {path}: {error.strerror or error}",
            "check that the folder is writable and the disk has room; this is retried",
        ) from error
    where = shown(path, ctx.root)
    return f"written to {where}" if placed else f"already there: {where} (same bytes)"


def _place(path: Path, artifact: Artifact) -> bool:
    """Write a temp file beside `path`, then link it in; False when `path` already exists."""
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out, _opened(artifact) as source:
            while chunk := source.read(1024 * 1024):
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, FILE_MODE)
        return _link_new(temp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)


def _link_new(temp: str, path: Path) -> bool:
    """os.link fails on an existing name, atomically; without hard links, check then rename."""
    try:
        os.link(temp, path)
    except FileExistsError:
        return False
    except OSError as error:
        if error.errno not in _NO_HARD_LINKS:
            raise
        if path.exists():  # a tiny race remains on such file systems (some SMB, FUSE mounts)
            return False
        os.rename(temp, path)
    return True


def _file_sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _different(ctx: DeliveryContext, where: str) -> DeliveryError:
    return _permanent(
        ctx,
        f"a different file already has this name: {where}",
        "include the run's time in the key, e.g. key: \"{{ customer }}-{{ run.local_date }}-"
        '{{ run.local_time }}.csv", or move the old file away if it is wrong',
    )


# --- S3 -------------------------------------------------------------------------------------------


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
        raise _permanent(
            ctx,
            f"'{url}' is not a bucket and a plain prefix",
            "write url: s3://bucket/folder/subfolder (no empty, '.' or '..' parts)",
        )
    return S3Object(parts.netloc, f"{prefix}/{name}" if prefix else name)


def deliver_s3(target: StorageTarget, url: str, name: str, ctx: DeliveryContext) -> str:
    """One conditional PUT, the existing object compared on 412, then the link if asked."""
    seconds = _link_seconds(target, ctx)
    obj = s3_object(url, name, ctx)
    mine = sums(ctx.artifact)
    if mine.size > MAX_PUT:
        raise _permanent(ctx, f"{name} is over 5 GiB, the most one S3 upload takes", _SPLIT_HINT)
    client = s3_client(ctx)
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        placed = _put(client, obj, mine, ctx)
        if not placed and not _same_object(client, obj, mine):
            raise _different(ctx, str(obj))
        link = None
        if seconds is not None:
            params = {"Bucket": obj.bucket, "Key": obj.key}
            link = client.generate_presigned_url("get_object", Params=params, ExpiresIn=seconds)
    except (BotoCoreError, ClientError) as error:
        raise _s3_error(error, obj, ctx) from error
    if link is not None:
        ctx.links.append(str(link))
    note = f"uploaded to {obj}" if placed else f"already there: {obj} (same bytes)"
    return note if seconds is None else f"{note}, link valid for {_lasting(seconds)}"


def _lasting(seconds: int) -> str:
    """259200 -> '3 days', 5400 -> '90 minutes'."""
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds % size == 0:
            return f"{seconds // size} {unit}{'s' * (seconds != size)}"
    return f"{seconds} seconds"


_SPLIT_HINT = "filter the dataset to fewer rows, or split the schedule by parameter"


def _link_seconds(target: StorageTarget, ctx: DeliveryContext) -> int | None:
    """`link_expires` in seconds, checked before uploading: S3 signs links for 7 days at most."""
    if target.link_expires is None:
        return None
    if target.link_expires > MAX_LINK:
        raise _permanent(
            ctx,
            f"link_expires {target.link_expires} is longer than 7 days, the most S3 allows",
            "use link_expires: 7d or less",
        )
    return int(target.link_expires.total_seconds())


def s3_client(ctx: DeliveryContext) -> Any:
    """A client for `channels.s3`, trying once per call: the channel registry does the retries."""
    try:
        import boto3
        from botocore.config import Config
    except ImportError as error:
        raise _permanent(
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
        raise _permanent(ctx, f"channels.s3 cannot be used: {error}", _SETTINGS_HINT) from error


_SETTINGS_HINT = "check channels.s3 (endpoint_url, region) in gitcron.yaml"


def _credentials(conf: S3Settings, ctx: DeliveryContext) -> tuple[str | None, str | None]:
    """Keys from the env vars gitcron.yaml names; none named means boto3's own chain."""
    names = (conf.access_key_id_env, conf.secret_access_key_env)
    if names == (None, None):
        return None, None
    if None in names:
        raise _permanent(
            ctx,
            "channels.s3 names only one of access_key_id_env and secret_access_key_env",
            "name both, or neither to use the runner's AWS credentials (role, profile)",
        )
    missing = [n for n in names if n and not ctx.env.get(n, "").strip()]
    if missing:
        raise _permanent(ctx, f"{missing[0]} is not set", f"set {missing[0]} on the runner")
    key_id, secret = (ctx.env[n].strip() for n in names if n)
    return key_id, secret


def _put(client: Any, obj: S3Object, mine: Sums, ctx: DeliveryContext) -> bool:
    """PUT only if the key is free; False when it is taken (HTTP 412)."""
    from botocore.exceptions import ClientError

    checksum = base64.b64encode(bytes.fromhex(mine.sha256)).decode()
    try:
        with _opened(ctx.artifact) as body:
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
        if _code(error) == "PreconditionFailed" or _status(error) == 412:
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


def _code(error: Any) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def _status(error: Any) -> int:
    return int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)


def _s3_error(error: Exception, obj: S3Object, ctx: DeliveryContext) -> DeliveryError:
    """botocore's errors in words, permanent unless another try could work."""
    from botocore import exceptions as boto

    sid = ctx.run.schedule_id
    if isinstance(error, boto.ClientError):
        return _client_error(error, obj, ctx)
    if isinstance(error, boto.NoCredentialsError | boto.PartialCredentialsError):
        return _permanent(ctx, "there are no S3 credentials", _CREDENTIALS_HINT)
    if isinstance(error, boto.ConnectionError | boto.HTTPClientError):
        return DeliveryError(f"{sid}: cannot reach S3 for {obj}: {error}", _REACH_HINT)
    return _permanent(ctx, f"the upload to {obj} failed: {error}", _SETTINGS_HINT)


_CREDENTIALS_HINT = (
    "set channels.s3.access_key_id_env and secret_access_key_env in gitcron.yaml and those"
    " variables on the runner, or give the runner an AWS role"
)
_REACH_HINT = "check channels.s3.endpoint_url and the network; this is retried"


def _client_error(error: Any, obj: S3Object, ctx: DeliveryContext) -> DeliveryError:
    code, status = _code(error), _status(error)
    message = error.response.get("Error", {}).get("Message") or code
    if code == "NoSuchBucket":
        return _permanent(
            ctx,
            f"the bucket '{obj.bucket}' does not exist",
            "create it, or fix the bucket in the storage url (and channels.s3.endpoint_url and"
            " region in gitcron.yaml)",
        )
    if code in _CREDENTIAL_CODES or status in (401, 403):
        return _permanent(
            ctx,
            f"S3 refused access to {obj} ({code}: {message})",
            f"check the credentials; they need s3:PutObject and s3:GetObject on {obj.bucket}",
        )
    if code in _TRANSIENT_CODES or status == 429 or status >= 500:
        return DeliveryError(f"{ctx.run.schedule_id}: S3 is busy ({code}): {message}", _RETRIED)
    return _permanent(ctx, f"S3 refused {obj} ({code}: {message})", _SETTINGS_HINT)


_RETRIED = "this is retried; if it lasts, check the provider's status page"
