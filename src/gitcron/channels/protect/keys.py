"""Recipients' public keys, read from the repository's keys/ folder: age lines and OpenPGP certs.

An age key file holds one recipient per line (`age1...`, or an SSH public key), with `#`
comments; an OpenPGP file holds armored certificates. A key that cannot be read is the
schedule's to fix: the error names the file and the line. Validate reads the same files, to say
so before a run and to warn when an OpenPGP key is about to expire (`expiring`).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from gitcron.errors import GitcronError

WARN_BEFORE = timedelta(days=30)  # validate warns when a key expires sooner than this
MAX_KEY_FILE = 256 * 1024  # bytes: a public key file is small; anything larger is not one


class KeyFileError(GitcronError):
    """A key file that cannot be used, with the file (and line) and what to do."""


@dataclass(frozen=True, slots=True)
class Expiry:
    """When a certificate in a key file stops working, and whose it is."""

    file: str
    who: str
    expires: datetime


def read_text(root: Path, rel: str) -> str:
    path = root / rel
    try:
        if path.is_symlink() or not path.is_file():
            raise KeyFileError(
                f"{rel}: there is no such key file in the repository",
                "add the recipient's public key there, or fix the path under protect:",
            )
        data = path.read_bytes()[: MAX_KEY_FILE + 1]
    except OSError as error:
        raise KeyFileError(f"{rel}: cannot be read: {error.strerror or error}") from error
    if len(data) > MAX_KEY_FILE:
        raise KeyFileError(f"{rel}: is over 256 KB, which no public key is", "check the file")
    return data.decode("utf-8", "replace")


def age_recipients(root: Path, rel: str) -> list[Any]:
    """The age recipients a key file lists (pyrage objects)."""
    from pyrage import ssh, x25519

    found: list[Any] = []
    for number, raw in enumerate(read_text(root, rel).splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        try:
            found.append(
                ssh.Recipient.from_str(line)
                if line.startswith("ssh-")
                else x25519.Recipient.from_str(line)
            )
        except Exception as error:  # pyrage raises its own ValueError-like types
            raise KeyFileError(
                f"{rel}:{number}: this is not an age public key ({error})",
                "each line holds one recipient: age1... (from age-keygen -y), or an SSH public"
                " key; never the private key (AGE-SECRET-KEY-...)",
            ) from None
    if not found:
        raise KeyFileError(f"{rel}: holds no age public key", "add the recipient's age1... line")
    return found


def openpgp_certs(root: Path, rel: str) -> list[Any]:
    """The OpenPGP certificates a key file holds (pysequoia Certs), public parts only."""
    from pysequoia import Cert

    try:
        certs = Cert.split_bytes(read_text(root, rel).encode())
    except Exception as error:
        raise KeyFileError(
            f"{rel}: this is not an OpenPGP public key ({error})",
            "export it armored: gpg --armor --export buyer@acme.example > " + rel,
        ) from None
    if not certs:
        raise KeyFileError(f"{rel}: holds no OpenPGP key", "export it with gpg --armor --export")
    for cert in certs:
        with warnings.catch_warnings():  # deprecated in favour of Tsk, which cannot tell
            warnings.simplefilter("ignore", DeprecationWarning)
            secret = cert.has_secret_keys
        if secret:
            raise KeyFileError(
                f"{rel}: holds a private key, which must never be in the repository",
                "remove it from the repository (and its history), revoke it, and commit only"
                " the public key: gpg --armor --export",
            )
    return list(certs)


def current_certs(root: Path, rel: str, at: datetime) -> list[Any]:
    """The certificates of an OpenPGP key file, refusing any expired at `at` (the run's fire):
    a file sealed to a key its owner let expire may be one they can no longer open."""
    certs = openpgp_certs(root, rel)
    for cert in certs:
        expires = cert.expiration
        if expires is not None and expires <= at:
            raise KeyFileError(
                f"{rel}: the OpenPGP key of {_who(cert)} expired on {expires.date().isoformat()}",
                "ask the recipient for their renewed public key and replace the file",
            )
    return certs


def _who(cert: Any) -> str:
    return ", ".join(str(uid) for uid in cert.user_ids) or str(cert.fingerprint)


def expiring(root: Path, rel: str, now: datetime) -> list[Expiry]:
    """The certificates of an OpenPGP key file expiring within WARN_BEFORE of `now` (or past)."""
    found = []
    for cert in openpgp_certs(root, rel):
        expires = cert.expiration
        if expires is not None and expires - now < WARN_BEFORE:
            found.append(Expiry(rel, _who(cert), expires))
    return found
