"""The reference tools, for keys and for opening what was delivered: Debian's `age`, `gpg`, `7zz`.

`.ci/run` installs them. gpg runs in a home folder of its own (its agent is stopped after), with
a faked system time so a key's creation and expiry dates are the test's, not the machine's.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def run(*args: str, env: dict[str, str] | None = None, stdin: bytes | None = None) -> bytes:
    done = subprocess.run(
        list(args), input=stdin, capture_output=True, env={**os.environ, **(env or {})}, check=False
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    return done.stdout


def age_key(folder: Path) -> tuple[Path, str]:
    """A new age identity file and its public recipient line (age1...)."""
    identity = folder / "identity.txt"
    run("age-keygen", "-o", str(identity))
    return identity, run("age-keygen", "-y", str(identity)).decode().strip()


def age_decrypt(identity: Path, sealed: Path) -> bytes:
    return run("age", "--decrypt", "-i", str(identity), str(sealed))


class Gpg:
    """gpg with its own home: make keys, export them, decrypt."""

    def __init__(self, home: Path) -> None:
        home.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.env = {"GNUPGHOME": str(home)}

    def gpg(self, *args: str) -> bytes:
        return run(
            "gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", "", *args, env=self.env
        )

    def new_key(self, email: str, expires: str = "never", made: str = "20260101T000000") -> str:
        """A key (ed25519 to certify, cv25519 to encrypt) made at `made`; its armored public
        key. `expires` is a date (2027-06-01) or `never`."""
        faked = ("--faked-system-time", f"{made}!")
        self.gpg(*faked, "--quick-gen-key", f"Buyer <{email}>", "ed25519", "cert", expires)
        listing = self.gpg("--with-colons", "--list-keys", email).decode()
        fingerprint = next(
            line.split(":")[9] for line in listing.splitlines() if line.startswith("fpr")
        )
        self.gpg(*faked, "--quick-add-key", fingerprint, "cv25519", "encr", expires)
        return self.gpg("--armor", "--export", email).decode()

    def secret_key(self, email: str) -> str:
        return self.gpg("--armor", "--export-secret-keys", email).decode()

    def decrypt(self, sealed: Path) -> bytes:
        return self.gpg("--decrypt", str(sealed))

    def stop(self) -> None:
        subprocess.run(
            ["gpgconf", "--kill", "gpg-agent"], env={**os.environ, **self.env}, check=False
        )


@contextmanager
def gpg_home(folder: Path) -> Iterator[Gpg]:
    gpg = Gpg(folder)
    try:
        yield gpg
    finally:
        gpg.stop()
