"""The `storage:` channel: the run's file put into a folder or an S3 bucket under a per-run name.

A write never replaces what is there: a replay of the same run finds its own bytes ("already
there") and succeeds, while a different file under the same name is refused, so a file a customer
may already have fetched never changes under them. Folders (`local`) and buckets (`s3`, with
`links` for presigned URLs) each have their module; the target model names exactly one place.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from gitcron.channels.base import DeliveryContext
from gitcron.channels.storage.common import object_name, permanent_for
from gitcron.channels.storage.local import deliver_local, local_folder
from gitcron.channels.storage.s3 import deliver_s3
from gitcron.channels.storage.target import StorageTarget


class StorageChannel:
    """`storage: {path: ...}`, `{url: file:///...}` or `{url: s3://bucket/prefix}`."""

    def deliver(self, target: StorageTarget, ctx: DeliveryContext) -> str | None:
        name = object_name(target, ctx)
        if target.url is not None and urlsplit(target.url).scheme == "s3":
            return deliver_s3(target, target.url, name, ctx)
        if target.link_expires is not None:
            raise permanent_for(
                ctx,
                "link_expires needs an s3:// url: a local folder has no link to send",
                "remove link_expires, or deliver to s3://bucket/prefix",
            )
        return deliver_local(local_folder(target, ctx), name, ctx)
