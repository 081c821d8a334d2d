"""The size policy: an email never goes out larger than its server takes, nor without the file.

Two limits apply to an attached file, both measured as it travels: base64 turns every 3 bytes
into 4 and breaks the lines every 76 characters, so a file grows by about 35% in the message.
`channels.email.max_attachment_mb` (gitcron.yaml) caps the encoded attachment, and the SIZE the
mail server advertises in its EHLO answer (RFC 1870) caps the whole message. Over either, the
email's `too_large:` decides before anything is sent: `link` sends the message without the file
and with the storage link (a storage delivery with link_expires above it makes one), `zip`
attaches the file deflated in a zip when that fits, and `fail` (the default) fails permanently,
saying both sizes. So a relay never bounces the report, and no email goes out with neither the
file nor its link.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, replace
from email.message import EmailMessage
from pathlib import Path

from gitcron.channels.base import DeliveryContext, DeliveryError
from gitcron.channels.email.message import build_message
from gitcron.channels.email.target import EmailTarget
from gitcron.core.artifact import Artifact

MB = 1024 * 1024
PART_HEADERS = 512  # bytes the attachment's MIME part headers and boundary take, at most
_CHUNK = 1024 * 1024


def encoded_size(size: int) -> int:
    """Bytes `size` bytes take in base64 with a CRLF after every 76 characters."""
    chars = 4 * ((size + 2) // 3)
    return chars + 2 * ((chars + 75) // 76)


@dataclass(frozen=True, slots=True)
class Sized:
    """The message to send, and what the delivery's note says about its size (or nothing)."""

    message: EmailMessage
    note: str = ""


def sized_message(target: EmailTarget, ctx: DeliveryContext, advertised: int | None) -> Sized:
    """The message for `target` within both limits; `advertised` is the server's SIZE (0 or
    None: it gave none). Raises a permanent DeliveryError when `too_large: fail` applies."""
    artifact = ctx.artifact
    if not target.attach or artifact.path is None:
        return Sized(build_message(target, ctx))
    over = _over(target, ctx, artifact, advertised)
    if over is None:
        return Sized(build_message(target, ctx))
    if target.too_large == "link":
        bare = build_message(target.model_copy(update={"attach": False, "link": True}), ctx)
        return Sized(bare, f"{over}: sent as a link")
    if target.too_large == "zip":
        zipped = zip_artifact(artifact, ctx)
        zipped_ctx = replace(ctx, artifact=zipped)
        still = _over(target, zipped_ctx, zipped, advertised)
        if still is None:
            return Sized(build_message(target, zipped_ctx), f"{over}: sent as {zipped.name}")
        raise DeliveryError(
            f"{ctx.run.schedule_id}: {still}, even zipped; nothing was sent",
            "send it as a link instead: too_large: link, with a storage delivery that has"
            " link_expires above the email",
            permanent=True,
        )
    raise DeliveryError(
        f"{ctx.run.schedule_id}: {over}; nothing was sent",
        "add too_large: link to the email (with a storage delivery with link_expires above it)"
        " or too_large: zip; or raise channels.email.max_attachment_mb if the server allows it",
        permanent=True,
    )


def _over(
    target: EmailTarget, ctx: DeliveryContext, artifact: Artifact, advertised: int | None
) -> str | None:
    """What is over a limit, in words; None when the message fits both."""
    assert artifact.path is not None
    encoded = encoded_size(artifact.path.stat().st_size) + PART_HEADERS
    allowed = ctx.settings.channels.email.max_attachment_mb * MB
    if encoded > allowed:
        return (
            f"{artifact.name} takes {shown(encoded)} in the email (base64), over the"
            f" {allowed / MB:g} MB email attachment limit (channels.email.max_attachment_mb)"
        )
    if not advertised:
        return None
    bare = build_message(target.model_copy(update={"attach": False}), ctx)
    total = len(bare.as_bytes()) + encoded
    if total > advertised:
        return (
            f"the email with {artifact.name} takes {shown(total)}, over the"
            f" {shown(advertised)} the mail server accepts (its SIZE)"
        )
    return None


def shown(size: float) -> str:
    """A size in words: `24.8 MB`, `3.9 KB`, `512 bytes`."""
    if size >= MB:
        return f"{size / MB:.1f} MB"
    return f"{size / 1024:.1f} KB" if size >= 1024 else f"{int(size)} bytes"


def zip_artifact(artifact: Artifact, ctx: DeliveryContext) -> Artifact:
    """`artifact` deflated in `<name>.zip` beside it, the same bytes for the same run."""
    assert artifact.path is not None
    path = artifact.path.with_name(f"{artifact.path.name}.zip")
    stamp = ctx.run.local_fire.timetuple()[:6]
    info = zipfile.ZipInfo(artifact.name, date_time=(max(stamp[0], 1980), *stamp[1:]))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    try:
        with (
            zipfile.ZipFile(path, "w") as archive,
            archive.open(info, "w") as out,
            Path(artifact.path).open("rb") as source,
        ):
            while chunk := source.read(_CHUNK):
                out.write(chunk)
    except OSError as error:
        raise DeliveryError(
            f"cannot write {path.name} to zip the report: {error.strerror or error}",
            "check the disk has room; this is retried",
        ) from error
    return replace(artifact, name=f"{artifact.name}.zip", content_type="application/zip", path=path)
