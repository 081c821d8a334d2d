"""The keys of an sftp delivery: the server's (pinned by known_hosts) and the login's.

Host keys come only from the schedule (`known_hosts:`) or an env var (`known_hosts_env:`), never
from ~/.ssh, so a tick behaves the same on every runner and an unknown server is refused. The
target model guarantees that one of them is given, and a login (password or key).
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gitcron.channels.base import DeliveryError, permanent
from gitcron.channels.sftp.address import SftpPlace, keyscan
from gitcron.channels.sftp.target import SftpTarget

if TYPE_CHECKING:
    import paramiko

_LINE_FORM = (
    "each line is `host key-type base64-key`, as ssh-keyscan prints it (markers such as"
    " @revoked are not supported)"
)
_KEY_FORM = (
    "put the whole key file in it, from -----BEGIN to -----END (Ed25519, ECDSA or RSA, in"
    " OpenSSH or PEM format)"
)


def host_keys(target: SftpTarget, place: SftpPlace, env: Mapping[str, str]) -> paramiko.HostKeys:
    """The pinned keys from the target's known_hosts text; permanent errors when unusable."""
    import paramiko

    text = _known_hosts_text(target, place, env)
    keys = paramiko.HostKeys()
    for number, line in enumerate(text.splitlines(), 1):
        entry = _entry(line, number, place)
        if entry is not None and entry.key is not None:
            for name in entry.hostnames:
                keys.add(name, entry.key.get_name(), entry.key)
    if keys.lookup(place.key_name) is None:
        raise DeliveryError(
            f"known_hosts has no key for {place.key_name}, so the server cannot be checked",
            f"the line must start with {place.key_name}, as `{keyscan(place)}` prints it",
            permanent=True,
        )
    return keys


def _known_hosts_text(target: SftpTarget, place: SftpPlace, env: Mapping[str, str]) -> str:
    """known_hosts, else the variable known_hosts_env names; blank text identifies nothing."""
    text = target.known_hosts or ""
    if target.known_hosts_env and not text.strip():
        text = env.get(target.known_hosts_env, "")
        if not text.strip():
            raise DeliveryError(
                f"{target.known_hosts_env} (known_hosts_env) is not set",
                f"set it to the server's known_hosts line(s), from `{keyscan(place)}`",
                permanent=True,
            )
    if not text.strip():  # `known_hosts: ""`: the model asks only that the key is there
        raise DeliveryError(
            f"no known_hosts for {place.where}: gitcron never connects to a server it cannot"
            " identify",
            f"run `{keyscan(place)}` from a trusted network, confirm the fingerprint with the"
            " server's owner, and paste the line under `known_hosts:` in this sftp delivery (or"
            " put it in an environment variable named by `known_hosts_env:`)",
            permanent=True,
        )
    return text


def _entry(line: str, number: int, place: SftpPlace) -> paramiko.hostkeys.HostKeyEntry | None:
    """One known_hosts line (None: blank, a comment, or a key type paramiko does not know).

    A bare `key-type key` line names this target's host. Markers (@revoked, @cert-authority)
    are refused rather than skipped, so a revocation is never silently ignored.
    """
    import paramiko

    fields = line.split()
    if not fields or fields[0].startswith("#"):
        return None
    if _looks_like_key_type(fields[0]):
        fields.insert(0, place.key_name)
    if fields[0].startswith("@") or len(fields) < 3 or not _looks_like_key_type(fields[1]):
        raise _bad_line(number)
    try:
        return paramiko.hostkeys.HostKeyEntry.from_line(" ".join(fields[:3]), number)
    except (paramiko.SSHException, ValueError):
        raise _bad_line(number) from None


def _bad_line(number: int) -> DeliveryError:
    return permanent(f"line {number} of known_hosts is not a known_hosts line", _LINE_FORM)


def _looks_like_key_type(field: str) -> bool:
    return field.startswith(("ssh-", "ecdsa-sha2-", "sk-", "rsa-sha2-"))


# --- the login -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Login:
    """How to log in; never printed (the fields hold secrets)."""

    sources: str  # the env var names used, for messages
    password: str | None = None
    key: paramiko.PKey | None = None

    def __repr__(self) -> str:
        return f"Login({self.sources})"


def credentials(password_env: str | None, key_env: str | None, env: Mapping[str, str]) -> Login:
    """The password and/or private key held in the variables the target's granted credentials
    name (the channel has checked the grants)."""
    password = _secret(env, password_env, "the SFTP password")
    key_text = _secret(env, key_env, "the private key (the whole file's text)")
    key = private_key(key_text, key_env) if key_text and key_env else None
    used = " and ".join(name for name in (key_env, password_env) if name)
    return Login(used, password, key)


def _secret(env: Mapping[str, str], name: str | None, what: str) -> str | None:
    if not name:
        return None
    value = env.get(name, "")
    if not value.strip():
        raise DeliveryError(f"{name} is not set", f"set it to {what}, as a secret", permanent=True)
    return value


def private_key(text: str, env_name: str) -> paramiko.PKey:
    """A private key from its text (OpenSSH or PEM): Ed25519, ECDSA or RSA, unencrypted.

    cryptography reads the text: paramiko's own OpenSSH reader misreads some valid ECDSA keys
    (those without a comment whose length needs no padding).
    """
    import paramiko
    from cryptography.hazmat.primitives import serialization as ser
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

    loaded = _load_key(text, env_name)
    if isinstance(loaded, rsa.RSAPrivateKey):
        return paramiko.RSAKey(key=loaded)
    if isinstance(loaded, ec.EllipticCurvePrivateKey):
        return paramiko.ECDSAKey(vals=(loaded, loaded.public_key()))
    if isinstance(loaded, ed25519.Ed25519PrivateKey):  # fixed size: paramiko reads it right
        openssh = loaded.private_bytes(
            ser.Encoding.PEM, ser.PrivateFormat.OpenSSH, ser.NoEncryption()
        )
        return paramiko.Ed25519Key.from_private_key(io.StringIO(openssh.decode()))
    raise _unreadable_key(env_name)


def _load_key(text: str, env_name: str) -> object:
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives import serialization as ser

    data = text.strip().replace("\r\n", "\n").encode() + b"\n"
    try:
        try:
            return ser.load_ssh_private_key(data, password=None)
        except ValueError:
            return ser.load_pem_private_key(data, password=None)
    except TypeError:  # "Password was not given but private key is encrypted"
        raise DeliveryError(
            f"the private key in {env_name} is protected by a passphrase",
            "store a key without a passphrase in the secret (a key made for this upload"
            " only: ssh-keygen -t ed25519 -N '')",
            permanent=True,
        ) from None
    except (ValueError, UnsupportedAlgorithm):
        raise _unreadable_key(env_name) from None


def _unreadable_key(env_name: str) -> DeliveryError:
    return permanent(f"{env_name} does not hold a private key gitcron can read", _KEY_FORM)
