"""The upload of an sftp delivery: a temp name in the target folder, then a rename onto the name.

The customer never sees half a file; a replay that finds the same bytes there sends nothing, and
a different file of the same name is replaced in one step (posix-rename) or left alone.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import stat
from typing import IO, TYPE_CHECKING

from gitcron.channels.base import DeliveryError
from gitcron.channels.sftp.address import SftpPlace
from gitcron.channels.sftp.connection import transient
from gitcron.core.artifact import Artifact

if TYPE_CHECKING:
    import paramiko

READBACK_LIMIT = 16 * 1024 * 1024  # a file already there is compared by reading it back up to this
CHUNK = 64 * 1024


def upload(sftp: paramiko.SFTPClient, place: SftpPlace, artifact: Artifact, run_id: str) -> str:
    """Put the artifact at folder/name via a temp name and a rename; a short note."""
    import paramiko

    name = artifact.name
    final = place.path(name)
    temp = place.path(f".{name}.{hashlib.sha256(run_id.encode()).hexdigest()[:12]}.part")
    try:
        _check_folder(sftp, place)
        size = _local_size(artifact)
        existing = _stat(sftp, final)
        if existing is not None and _is_dir(existing):
            raise DeliveryError(
                f"'{final}' on {place.where} is a folder, so the file cannot be put there",
                "rename that folder on the server, or change the report's file name",
                permanent=True,
            )
        if existing is not None and _same_file(sftp, final, existing, artifact, size):
            return f"already there: {place.url(name)} (same bytes, not sent again)"
        _put(sftp, artifact, temp, size)
        _replace(sftp, place, temp, final, existed=existing is not None)
    except OSError as error:
        raise _sftp_error(place, name, error) from None
    except (EOFError, paramiko.SSHException) as error:
        raise transient(place, "lost the connection to", error) from None
    return f"uploaded to {place.url(name)}"


def _check_folder(sftp: paramiko.SFTPClient, place: SftpPlace) -> None:
    folder = place.folder or "."
    attrs = _stat(sftp, folder)
    if attrs is None or not _is_dir(attrs):
        what = "does not exist" if attrs is None else "is not a folder"
        raise DeliveryError(
            f"the folder '{folder}' {what} on {place.where}",
            "create it on the server, or fix the path in the sftp address",
            permanent=True,
        )


def _stat(sftp: paramiko.SFTPClient, path: str) -> paramiko.SFTPAttributes | None:
    try:
        return sftp.stat(path)
    except FileNotFoundError:  # paramiko's IOError(ENOENT, ...) becomes this
        return None


def _is_dir(attrs: paramiko.SFTPAttributes) -> bool:
    return attrs.st_mode is not None and stat.S_ISDIR(attrs.st_mode)


def _local_size(artifact: Artifact) -> int:
    if artifact.body is not None:
        return len(artifact.body)
    if artifact.path is None:
        raise DeliveryError(
            f"the artifact '{artifact.name}' has no content",
            "this is a bug in the job that made it; please report it",
            permanent=True,
        )
    return artifact.path.stat().st_size


def _open_local(artifact: Artifact) -> IO[bytes]:
    if artifact.body is not None:
        return io.BytesIO(artifact.body)
    assert artifact.path is not None  # _local_size checked it
    return artifact.path.open("rb")


def _same_file(
    sftp: paramiko.SFTPClient,
    path: str,
    attrs: paramiko.SFTPAttributes,
    artifact: Artifact,
    size: int,
) -> bool:
    """Is the file already there this one? Same size, and the same bytes when read back.

    A name can repeat across runs (`products.csv` every week) with a new content of the same
    size, so size alone is not trusted; a file over READBACK_LIMIT is simply uploaded again.
    """
    if attrs.st_size != size or size > READBACK_LIMIT:
        return False
    with sftp.open(path, "rb") as remote, _open_local(artifact) as local:
        remote.prefetch(size)
        while True:
            mine = local.read(CHUNK)
            theirs = remote.read(len(mine)) if mine else remote.read(1)
            if mine != theirs:
                return False
            if not mine:
                return True


def _put(sftp: paramiko.SFTPClient, artifact: Artifact, temp: str, size: int) -> None:
    """Write the temp file (a retry's leftover is overwritten); removed again on failure."""
    try:
        with _open_local(artifact) as local:
            sftp.putfo(local, temp, file_size=size, confirm=True)
    except BaseException:
        _remove_quietly(sftp, temp)
        raise


def _replace(
    sftp: paramiko.SFTPClient, place: SftpPlace, temp: str, final: str, existed: bool
) -> None:
    """Rename temp onto final atomically (posix-rename), or plainly when final is absent."""
    try:
        try:
            sftp.posix_rename(temp, final)
        except OSError as error:
            if error.errno is not None:  # ENOENT/EACCES: a real failure, not a missing extension
                raise
            if existed or _stat(sftp, final) is not None:
                raise _cannot_replace(place, final, error) from None
            sftp.rename(temp, final)
    except BaseException:
        _remove_quietly(sftp, temp)
        raise


def _cannot_replace(place: SftpPlace, final: str, error: OSError) -> DeliveryError:
    return DeliveryError(
        f"'{final}' on {place.where} holds a different file, and the server cannot replace files"
        f" in one step (posix-rename: {error})",
        "move or delete the old file on the server, then the next try uploads the new one",
        permanent=True,
    )


def _remove_quietly(sftp: paramiko.SFTPClient, path: str) -> None:
    with contextlib.suppress(Exception):  # the original error matters more
        sftp.remove(path)


def _sftp_error(place: SftpPlace, name: str, error: OSError) -> DeliveryError:
    if isinstance(error, PermissionError):
        return DeliveryError(
            f"permission denied writing '{name}' in '{place.folder or '.'}' on {place.where}",
            f"ask the server's owner to let '{place.user}' create and rename files there",
            permanent=True,
        )
    return transient(place, f"could not upload '{name}' to", error)
