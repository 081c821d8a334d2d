"""Sealing a delivery's file before its channel sends it: age, OpenPGP, or an AES-256 zip.

The registry calls `sealed` when a `deliver:` item has `protect:`, so every channel (and the
outbox of a dry run) gets the sealed file in place of the report, named `<file>.age`, `.gpg` or
`.zip`, and nothing downstream needs to know. Each way streams the file from disk to disk. The
libraries are imported only here (`pip install 'gitcron[protect]'`): a repository that protects
nothing never loads them. A zip's password is a credential granted `for: zip` to this customer,
read only after its grant is checked.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from gitcron.channels.base import DeliveryContext, DeliveryError
from gitcron.channels.grants import named_by, variable_value
from gitcron.channels.protect.keys import KeyFileError, age_recipients, current_certs
from gitcron.channels.protect.target import Protect
from gitcron.config.credentials import Refusal
from gitcron.core.artifact import Artifact

SUFFIX = {"age": ".age", "openpgp": ".gpg", "zip": ".zip"}
TYPES = {"age": "application/octet-stream", "openpgp": "application/pgp-encrypted"}
PACKAGES = {"age": "pyrage", "openpgp": "pysequoia", "zip": "pyzipper"}


def sealed(protect: Protect, ctx: DeliveryContext) -> Artifact:
    """The run's file sealed as `protect` says, beside the original; DeliveryError otherwise."""
    artifact = ctx.artifact
    if artifact.path is None:
        raise DeliveryError(
            f"{ctx.run.schedule_id}: protect: seals report files, and this run made an event",
            "remove protect: from this delivery; webhooks are signed instead",
            permanent=True,
        )
    way = protect.way
    out = artifact.path.with_name(f"{artifact.path.name}{SUFFIX[way]}")
    try:
        if way == "age":
            _age(artifact.path, out, protect, ctx)
        elif way == "openpgp":
            _openpgp(artifact.path, out, protect, ctx)
        else:
            _zip(artifact.path, out, artifact.name, _password(protect, ctx))
    except KeyFileError as error:
        raise DeliveryError(error.message, error.hint, permanent=True) from None
    except ImportError:
        raise DeliveryError(
            f"{ctx.run.schedule_id}: protect: {way} needs the {PACKAGES[way]} package",
            "install gitcron with its protect extra: pip install 'gitcron[protect]'",
            permanent=True,
        ) from None
    name = f"{artifact.name}{SUFFIX[way]}"
    kind = TYPES.get(way, "application/zip")
    return replace(artifact, name=name, content_type=kind, path=out)


def _age(source: Path, out: Path, protect: Protect, ctx: DeliveryContext) -> None:
    import pyrage

    recipients = [r for rel in protect.age or [] for r in age_recipients(ctx.root, rel)]
    try:
        pyrage.encrypt_file(str(source), str(out), recipients)
    except Exception as error:
        raise _failed(ctx, "age", error) from None


def _openpgp(source: Path, out: Path, protect: Protect, ctx: DeliveryContext) -> None:
    import pysequoia

    at = ctx.run.fire
    certs = [c for rel in protect.openpgp or [] for c in current_certs(ctx.root, rel, at)]
    try:
        pysequoia.encrypt_file(str(source), str(out), recipients=certs, armor=False)
    except Exception as error:  # an expired or revoked key, a key that cannot encrypt
        raise DeliveryError(
            f"{ctx.run.schedule_id}: the file cannot be encrypted to"
            f" {', '.join(protect.openpgp or [])}: {error}",
            "a key may have expired or been revoked: ask the recipient for a current public"
            " key and replace the file under keys/",
            permanent=True,
        ) from None


def _zip(source: Path, out: Path, name: str, password: str) -> None:
    import pyzipper

    with pyzipper.AESZipFile(
        out, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES
    ) as archive:
        archive.setpassword(password.encode())
        archive.setencryption(pyzipper.WZ_AES, nbits=256)
        archive.write(source, arcname=name)


def _password(protect: Protect, ctx: DeliveryContext) -> str:
    use = protect.uses()["zip"]
    found = ctx.settings.grants().check_unaddressed(use, "zip", ctx.run.customer)
    if isinstance(found, Refusal):
        raise DeliveryError(f"{found.message}; nothing was sent", found.hint, permanent=True)
    return variable_value(found.credential.env, ctx.env, named_by(use), "protected zip")


def _failed(ctx: DeliveryContext, way: str, error: Exception) -> DeliveryError:
    return DeliveryError(
        f"{ctx.run.schedule_id}: the file cannot be encrypted with {way}: {error}",
        "check the disk has room; this is retried",
    )
