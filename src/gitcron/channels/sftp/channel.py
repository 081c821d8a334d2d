"""`sftp:` deliveries: one upload per call, to a server whose host key the config pins.

Host keys come only from the schedule (`known_hosts:`) or an env var (`known_hosts_env:`), never
from ~/.ssh, so a tick behaves the same on every runner and an unknown server is refused. The
file goes to a hidden temp name in the target folder and is renamed onto its final name, so the
customer never sees half a file; a replay that finds the same bytes there sends nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import posixpath
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from gitcron.channels.base import DeliveryContext, DeliveryError
from gitcron.channels.sftp.target import SftpTarget
from gitcron.core.artifact import Artifact

if TYPE_CHECKING:
    import paramiko

TIMEOUT_SECONDS = 30.0  # connect, banner, auth and each SFTP request
READBACK_LIMIT = 16 * 1024 * 1024  # a file already there is compared by reading it back up to this
CHUNK = 64 * 1024
SSH_PORT = 22


@dataclass(frozen=True, slots=True)
class SftpPlace:
    """Where a target's URL points: `folder` is absolute, or relative to the login folder."""

    user: str
    host: str
    port: int
    folder: str  # "/uploads/acme", "out" (from /~/out), or "" (the login folder)

    @property
    def where(self) -> str:
        return f"{self._host}:{self.port}"

    @property
    def key_name(self) -> str:
        """The name known_hosts files it under: `host`, or `[host]:port` off port 22."""
        return self.host if self.port == SSH_PORT else f"[{self.host}]:{self.port}"

    def path(self, name: str) -> str:
        """The remote path of `name` in the folder, as the server is asked for it."""
        return posixpath.join(self.folder, name)

    def url(self, name: str) -> str:
        """`sftp://user@host:port/folder/name`, for notes (it holds no secret)."""
        shown = self.path(name) if self.folder.startswith("/") else f"/~/{self.path(name)}"
        return f"sftp://{self.user}@{self.where}{shown}"

    @property
    def _host(self) -> str:
        return f"[{self.host}]" if ":" in self.host else self.host


def parse_url(url: str) -> SftpPlace:
    """`sftp://user@host:port/path` → SftpPlace; `/~/x` is x in the login folder."""
    try:
        parts = urlsplit(url)
        port = parts.port or SSH_PORT
    except ValueError as error:
        raise _bad_url(url, f"it cannot be read ({error})") from None
    if not parts.hostname:
        raise _bad_url(url, "it names no host")
    if not parts.username:
        raise _bad_url(url, "it names no user")
    path = unquote(parts.path)
    if ".." in path.split("/"):
        raise _bad_url(url, "its path contains '..'")
    if path == "/~" or path.startswith("/~/"):
        folder = path[3:].strip("/")
    else:
        folder = path.rstrip("/") or ("/" if path else "")
    return SftpPlace(unquote(parts.username), parts.hostname, port, folder)


def _bad_url(url: str, problem: str) -> DeliveryError:
    return DeliveryError(
        f"'{url}' is not a usable sftp address: {problem}",
        "write sftp://user@host:port/folder (the port defaults to 22; /~/folder is inside the"
        " login folder)",
        permanent=True,
    )


class SftpChannel:
    """`sftp: {url, password_env | key_env, known_hosts | known_hosts_env}`."""

    def deliver(self, target: SftpTarget, ctx: DeliveryContext) -> str | None:
        _require_paramiko()
        place = parse_url(target.url)
        keys = host_keys(target, place, ctx.env)
        login = credentials(target, ctx.env)
        with _session(place, keys, login) as sftp:
            return upload(sftp, place, ctx.artifact, ctx.run.run_id)


def _require_paramiko() -> None:
    try:
        import paramiko  # noqa: F401
    except ImportError:
        raise DeliveryError(
            "the sftp channel needs paramiko, which is not installed",
            "install gitcron[sftp] (pip install 'gitcron[sftp]')",
            permanent=True,
        ) from None


# --- host keys -------------------------------------------------------------------------------


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
            f"the line must start with {place.key_name}, as `{_keyscan(place)}` prints it",
            permanent=True,
        )
    return keys


def _known_hosts_text(target: SftpTarget, place: SftpPlace, env: Mapping[str, str]) -> str:
    if target.known_hosts and target.known_hosts.strip():
        return target.known_hosts
    if target.known_hosts_env:
        value = env.get(target.known_hosts_env, "")
        if value.strip():
            return value
        raise DeliveryError(
            f"{target.known_hosts_env} (known_hosts_env) is not set",
            f"set it to the server's known_hosts line(s), from `{_keyscan(place)}`",
            permanent=True,
        )
    raise DeliveryError(
        f"no known_hosts for {place.where}: gitcron never connects to a server it cannot identify",
        f"run `{_keyscan(place)}` from a trusted network, confirm the fingerprint with the"
        " server's owner, and paste the line under `known_hosts:` in this sftp delivery (or put"
        " it in an environment variable named by `known_hosts_env:`)",
        permanent=True,
    )


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
        raise _bad_known_hosts(number)
    try:
        return paramiko.hostkeys.HostKeyEntry.from_line(" ".join(fields[:3]), number)
    except (paramiko.SSHException, ValueError):
        raise _bad_known_hosts(number) from None


def _bad_known_hosts(number: int) -> DeliveryError:
    return DeliveryError(
        f"line {number} of known_hosts is not a known_hosts line",
        "each line is `host key-type base64-key`, as ssh-keyscan prints it (markers such as"
        " @revoked are not supported)",
        permanent=True,
    )


def _looks_like_key_type(field: str) -> bool:
    return field.startswith(("ssh-", "ecdsa-sha2-", "sk-", "rsa-sha2-"))


def _keyscan(place: SftpPlace) -> str:
    return f"ssh-keyscan -p {place.port} {place.host}"


# --- credentials ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Login:
    """How to log in; never printed (the fields hold secrets)."""

    sources: str  # the env var names used, for messages
    password: str | None = None
    key: paramiko.PKey | None = None

    def __repr__(self) -> str:
        return f"Login({self.sources})"


def credentials(target: SftpTarget, env: Mapping[str, str]) -> Login:
    """The password (password_env) and/or private key (key_env); at least one is required."""
    if not target.password_env and not target.key_env:
        raise DeliveryError(
            "the sftp delivery names no way to log in",
            "add password_env: (an env var holding the password) or key_env: (one holding a"
            " private key)",
            permanent=True,
        )
    password = _secret(env, target.password_env, "the SFTP password")
    key_text = _secret(env, target.key_env, "the private key (the whole file's text)")
    key = private_key(key_text, target.key_env) if key_text and target.key_env else None
    used = " and ".join(name for name in (target.key_env, target.password_env) if name)
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
    return DeliveryError(
        f"{env_name} does not hold a private key gitcron can read",
        "put the whole key file in it, from -----BEGIN to -----END (Ed25519, ECDSA or RSA, in"
        " OpenSSH or PEM format)",
        permanent=True,
    )


# --- the connection ------------------------------------------------------------------------------


@contextlib.contextmanager
def _session(
    place: SftpPlace, keys: paramiko.HostKeys, login: Login
) -> Iterator[paramiko.SFTPClient]:
    """A logged-in SFTP session on a verified server; closed on the way out."""
    import paramiko

    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.RejectPolicy())
    client.get_host_keys().update(keys)  # only these: no ~/.ssh, no system keys
    try:
        _connect(client, place, login)
        try:
            sftp = client.open_sftp()
            channel = sftp.get_channel()
            if channel is not None:
                channel.settimeout(TIMEOUT_SECONDS)
        except (OSError, EOFError, paramiko.SSHException) as error:
            raise _transient(place, "cannot start SFTP on", error) from None
        with sftp:
            yield sftp
    finally:
        client.close()


def _connect(client: paramiko.SSHClient, place: SftpPlace, login: Login) -> None:
    import paramiko

    try:
        client.connect(
            place.host,
            port=place.port,
            username=place.user,
            password=login.password,
            pkey=login.key,
            timeout=TIMEOUT_SECONDS,
            banner_timeout=TIMEOUT_SECONDS,
            auth_timeout=TIMEOUT_SECONDS,
            channel_timeout=TIMEOUT_SECONDS,
            look_for_keys=False,
            allow_agent=False,
        )
    except paramiko.BadHostKeyException:
        raise _key_mismatch(place) from None
    except paramiko.AuthenticationException as error:
        raise _auth_failed(place, login, error) from None
    except paramiko.SSHException as error:
        if "host key" in str(error) or "known_hosts" in str(error):
            raise _key_mismatch(place) from None
        raise _transient(place, "cannot talk to", error, _CHECK_ADDRESS) from None
    except (OSError, EOFError) as error:
        raise _transient(place, "cannot connect to", error, _CHECK_ADDRESS) from None


_CHECK_ADDRESS = "check the host and port in the address; this is retried"


def _key_mismatch(place: SftpPlace) -> DeliveryError:
    return DeliveryError(
        f"the server's host key does not match known_hosts ({place.where}): someone may be"
        " intercepting, or the server's key changed",
        "ask the server's owner whether its key changed; only then replace the known_hosts line"
        f" with the output of `{_keyscan(place)}`. Nothing was sent",
        permanent=True,
    )


def _auth_failed(place: SftpPlace, login: Login, error: Exception) -> DeliveryError:
    allowed = getattr(error, "allowed_types", None)
    offer = f" (it accepts: {', '.join(allowed)})" if allowed else ""
    return DeliveryError(
        f"{place.where} refused the login of '{place.user}'{offer}",
        f"check the user in the address and the secret in {login.sources}",
        permanent=True,
    )


def _transient(
    place: SftpPlace, doing: str, error: BaseException, hint: str = "this is retried"
) -> DeliveryError:
    reason = str(error) or type(error).__name__
    if isinstance(error, TimeoutError):
        reason = f"no answer within {TIMEOUT_SECONDS:g}s"
    return DeliveryError(f"{doing} the SFTP server {place.where}: {reason}", hint)


# --- the upload ----------------------------------------------------------------------------------


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
        raise _transient(place, "lost the connection to", error) from None
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
    return _transient(place, f"could not upload '{name}' to", error)
