"""Presigned download links for `link_expires`: how long they last, and making one."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from gitcron.channels.base import DeliveryContext
from gitcron.channels.storage.common import permanent_for
from gitcron.channels.storage.target import StorageTarget

MAX_LINK = timedelta(days=7)  # the longest a SigV4 presigned URL may live


def link_seconds(target: StorageTarget, ctx: DeliveryContext) -> int | None:
    """`link_expires` in seconds, checked before uploading: S3 signs links for 7 days at most."""
    if target.link_expires is None:
        return None
    if target.link_expires > MAX_LINK:
        raise permanent_for(
            ctx,
            f"link_expires {target.link_expires} is longer than 7 days, the most S3 allows",
            "use link_expires: 7d or less",
        )
    return int(target.link_expires.total_seconds())


def presign(client: Any, bucket: str, key: str, seconds: int) -> str:
    """A GET link to the object that works for `seconds` without credentials."""
    params = {"Bucket": bucket, "Key": key}
    return str(client.generate_presigned_url("get_object", Params=params, ExpiresIn=seconds))
