"""What a webhook posts: an event's JSON as it is, a report as multipart/form-data.

The body is the same bytes on every retry of a run (the multipart boundary comes from the run
id), so its signature only changes with the attempt's timestamp.
"""

from __future__ import annotations

import hashlib
import json
import re

from gitcron.channels.base import DeliveryContext
from gitcron.state.codec import format_instant

_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def payload(ctx: DeliveryContext) -> tuple[bytes, str]:
    """The body and its content type: an event as JSON, a report file as multipart/form-data."""
    artifact = ctx.artifact
    if artifact.body is not None:
        return artifact.body, "application/json"
    data = artifact.data()
    boundary = boundary_for(ctx.run.run_id, data)
    mark = f"--{boundary}".encode()
    file_type = one_line(artifact.content_type) or "application/octet-stream"
    parts = [
        _part('form-data; name="metadata"', "application/json", metadata(ctx, data)),
        _part(f'form-data; name="file"; {_filename(artifact.name)}', file_type, data),
    ]
    body = b"".join(mark + b"\r\n" + part + b"\r\n" for part in parts) + mark + b"--\r\n"
    return body, f"multipart/form-data; boundary={boundary}"


def boundary_for(run_id: str, data: bytes) -> str:
    """A boundary made from the run id (same run, same bytes), never one found in the file."""
    for number in range(100):
        digest = hashlib.sha256(f"{run_id}\n{number}".encode()).hexdigest()
        boundary = f"gitcron-{digest[:32]}"
        if boundary.encode() not in data:
            return boundary
    raise AssertionError("no free multipart boundary")  # 100 sha256 collisions: unreachable


def metadata(ctx: DeliveryContext, data: bytes) -> bytes:
    """The `metadata` part: which run made the file, and what the file is."""
    artifact, run = ctx.artifact, ctx.run
    fields = {
        "run_id": run.run_id,
        "schedule": run.schedule_id,
        "fire": format_instant(run.fire),
        "name": artifact.name,
        "content_type": artifact.content_type,
        "rows": artifact.rows,
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode()


def one_line(text: str) -> str:
    """`text` with every run of control characters (line breaks too) as one space, trimmed."""
    return _CONTROL.sub(" ", text).strip()


def _part(disposition: str, content_type: str, data: bytes) -> bytes:
    head = f"Content-Disposition: {disposition}\r\nContent-Type: {content_type}\r\n\r\n"
    return head.encode() + data


def _filename(name: str) -> str:
    plain = one_line(name).replace("\\", "_").replace('"', "_")
    if plain.isascii():
        return f'filename="{plain}"'
    ascii_name = plain.encode("ascii", "replace").decode().replace("?", "_")
    quoted = "".join(c if (c.isalnum() and c.isascii()) or c in "-._" else _pct(c) for c in plain)
    return f"filename=\"{ascii_name}\"; filename*=UTF-8''{quoted}"


def _pct(char: str) -> str:
    return "".join(f"%{b:02X}" for b in char.encode())
