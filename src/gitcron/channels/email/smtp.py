"""Sending one message over SMTP from an `smtp://` or `smtps://` URL, mapping failures to retries.

The URL holds a password, so it is only ever shown redacted, and errors name the server, never it.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from gitcron.channels.base import DeliveryError, unreachable
from gitcron.net.guard import Allowlist, NetError, Pinned, Purpose, Unresolved, pin
from gitcron.net.smtp import smtp_client

TIMEOUT_SECONDS = 30.0
_LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})
MAIL = Purpose("connect to the mail server", "mail server")
Build = Callable[[int], EmailMessage]  # the message, given the server's advertised SIZE
_URL_HINT = (
    "set it to smtp://user:password@host:587 (or smtps://...:465); percent-encode the password"
)


@dataclass(frozen=True, slots=True)
class SmtpServer:
    """Where and how to connect; built from the URL in the environment."""

    secure: bool  # smtps://: TLS from the first byte
    host: str
    port: int
    user: str | None
    password: str | None = None

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"


def redact(url: str) -> str:
    """The URL with its password replaced by ***, safe for errors and records."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    return parts._replace(netloc=f"{parts.username}:***@{netloc}").geturl()


def parse_smtp_url(url: str, env_name: str) -> SmtpServer:
    """`smtp://user:pass@host:587` → SmtpServer; a bad URL is a permanent DeliveryError."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:  # its text may hold the password: never echo it, nor chain the error
        raise DeliveryError(
            f"{env_name} is not an SMTP address (it cannot be read)", _URL_HINT, permanent=True
        ) from None
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:  # the value is never echoed
        problem = (
            "it names no host"
            if parts.scheme in ("smtp", "smtps")
            else "it does not start with smtp:// or smtps://"
        )
        raise DeliveryError(
            f"{env_name} is not an SMTP address ({problem})", _URL_HINT, permanent=True
        )
    secure = parts.scheme == "smtps"
    user = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password is not None else None
    return SmtpServer(secure, parts.hostname, port or (465 if secure else 587), user, password)


def send(message: EmailMessage | Build, server: SmtpServer, allow: Allowlist) -> None:
    """Hand `message` to the server (Bcc is stripped by smtplib); raise DeliveryError on failure.

    The server's address is checked first (`network.allow` lets a private relay through) and the
    connection goes to that address, before anything is sent. `message` may be a function of the
    SIZE the server advertises (0: none), called once the server has said it.
    """
    try:
        to = pin(server.host, server.port, allow, MAIL)
        with _connect(server, to) as client:
            if callable(message):
                message = message(advertised_size(client))
            refused = client.send_message(message)
    except Unresolved as error:
        raise _unreachable(server, error.cause or error) from error
    except NetError as error:
        raise unreachable(error) from None
    except smtplib.SMTPRecipientsRefused as error:
        raise _refused(error.recipients, server, partial=False) from error
    except smtplib.SMTPResponseException as error:
        raise _response_error(error.smtp_code, error.smtp_error, server) from error
    except ssl.SSLCertVerificationError as error:
        raise DeliveryError(
            f"the certificate of {server.where} cannot be trusted: {error.verify_message}",
            "fix the server's certificate or point the SMTP URL at the name it was issued for",
            permanent=True,
        ) from error
    except smtplib.SMTPNotSupportedError as error:
        raise DeliveryError(
            f"the mail server {server.where} does not support {error}",
            "check the SMTP URL's port (587 or 465): login needs AUTH, non-ASCII addresses"
            " need SMTPUTF8",
            permanent=True,
        ) from error
    except (OSError, smtplib.SMTPException) as error:
        raise _unreachable(server, error) from error
    if refused:
        raise _refused(refused, server, partial=True)


def advertised_size(client: smtplib.SMTP) -> int:
    """The largest message the server takes, from its EHLO answer `SIZE n`; 0 when it says none."""
    value = client.esmtp_features.get("size", "").strip()
    return int(value) if value.isdigit() else 0


def tls_context() -> ssl.SSLContext:
    """Certificates are always verified against the system's trust store."""
    return ssl.create_default_context()


def _unreachable(server: SmtpServer, error: BaseException) -> DeliveryError:
    return DeliveryError(
        f"cannot talk to the mail server {server.where}: {str(error) or type(error).__name__}",
        "check the host and port in the SMTP URL; this is retried",
    )


def _connect(server: SmtpServer, to: Pinned) -> smtplib.SMTP:
    context = tls_context()
    client = smtp_client(to, secure=server.secure, timeout=TIMEOUT_SECONDS, context=context)
    try:
        client.ehlo()
        tls = server.secure
        if not tls and server.port != 465 and client.has_extn("starttls"):
            client.starttls(context=context)
            client.ehlo()
            tls = True
        if server.user is not None:
            _login(client, server, tls)
    except BaseException:
        client.close()
        raise
    return client


def _login(client: smtplib.SMTP, server: SmtpServer, tls: bool) -> None:
    if not tls and server.host not in _LOOPBACK:
        raise DeliveryError(
            f"the mail server {server.where} offers no STARTTLS, so the password would travel"
            " in clear text",
            "use smtps:// (port 465) or a server that offers STARTTLS",
            permanent=True,
        )
    client.login(server.user or "", server.password or "")


def _response_error(code: int, text: bytes | str, server: SmtpServer) -> DeliveryError:
    said = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    permanent = code >= 500
    return DeliveryError(
        f"the mail server {server.where} said {code} {said.strip()}",
        "check the addresses and the SMTP account"
        if permanent
        else "the server asked to try later; this is retried",
        permanent=permanent,
    )


def _refused(
    recipients: dict[str, tuple[int, bytes]], server: SmtpServer, partial: bool
) -> DeliveryError:
    listed = ", ".join(
        f"{address} ({code} {text.decode('utf-8', 'replace').strip()})"
        for address, (code, text) in sorted(recipients.items())
    )
    others = " (the other recipients got it)" if partial else ""
    return DeliveryError(
        f"the mail server {server.where} refused {listed}{others}",
        "fix or remove the refused addresses in the schedule",
        permanent=partial or all(code >= 500 for code, _ in recipients.values()),
    )
