"""A run's file read back from where a storage delivery kept it, for `gitcron resend`.

The name is worked out as the delivery worked it out (the target's `key:` rendered for the same
run, else the file's own name), and a local folder is confined to its storage root as on the
way in, so a read follows the same grant as the write that made the file.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlsplit

from gitcron.channels.base import DeliveryContext, DeliveryError
from gitcron.channels.storage.common import object_name
from gitcron.channels.storage.local import local_folder
from gitcron.channels.storage.s3 import s3_client, s3_object
from gitcron.channels.storage.s3_errors import s3_error
from gitcron.channels.storage.target import StorageTarget
from gitcron.files import display_path


def read_back(target: StorageTarget, ctx: DeliveryContext, into: Path) -> str:
    """Copy the file `target` stored for `ctx.run` to `into`; where it was read from.

    DeliveryError when it is not there or cannot be read (the caller then makes it again)."""
    name = object_name(target, ctx)
    if target.url is not None and urlsplit(target.url).scheme == "s3":
        return _from_s3(target.url, name, ctx, into)
    path = local_folder(target, ctx).folder / name
    where = display_path(path, ctx.root)
    try:
        if path.is_symlink():
            raise DeliveryError(f"{where} is a symbolic link, not a stored file")
        with path.open("rb") as source, into.open("wb") as out:
            shutil.copyfileobj(source, out, 1024 * 1024)
    except OSError as error:
        raise DeliveryError(f"{where} cannot be read: {error.strerror or error}") from error
    return where


def _from_s3(url: str, name: str, ctx: DeliveryContext, into: Path) -> str:
    from botocore.exceptions import BotoCoreError, ClientError

    obj = s3_object(url, name, ctx)
    client = s3_client(ctx)
    try:
        answer = client.get_object(Bucket=obj.bucket, Key=obj.key)
        with into.open("wb") as out:
            for chunk in answer["Body"].iter_chunks(1024 * 1024):
                out.write(chunk)
    except (BotoCoreError, ClientError) as error:
        raise s3_error(error, obj, ctx) from error
    return str(obj)
