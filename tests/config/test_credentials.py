"""`credentials:` in gitcron.yaml: the model, and a grant's `to:` compared part by part."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from gitcron.config.credentials import Granted, Refusal, Use
from gitcron.config.destinations import Destination, destination, parse_place
from gitcron.config.settings import Settings
from gitcron.schedule import Delivery

HOOKS = "https://hooks.acme.example/gitcron"


def settings(**credentials: dict[str, Any]) -> Settings:
    return Settings.model_validate({"credentials": credentials})


def acme(**change: Any) -> dict[str, Any]:
    return {"env": "ACME_HOOK_SECRET", "for": "webhook", "to": [HOOKS], **change}


def check(
    grant: dict[str, Any], url: str, kind: str = "webhook", customer: str = "acme"
) -> Granted | Refusal:
    grants = settings(**{"acme-hooks": grant}).grants()
    return grants.check(Use("secret", "acme-hooks"), kind, destination(url), customer)


# --- a grant's addresses --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("to", "url"),
    [
        pytest.param(HOOKS, HOOKS, id="the same address"),
        pytest.param(HOOKS, HOOKS + "/", id="a trailing slash"),
        pytest.param(HOOKS, HOOKS + "/daily?x=1", id="under the prefix, with a query"),
        pytest.param(HOOKS, "https://HOOKS.Acme.Example./gitcron", id="host case and dot"),
        pytest.param(HOOKS, "https://hooks.acme.example:443/gitcron", id="the default port"),
        pytest.param(HOOKS, "https://hooks.acme.example/git%63ron", id="percent-encoded"),
        pytest.param("https://hooks.acme.example/", "https://hooks.acme.example/any/path", id="/"),
        pytest.param("https://hooks.acme.example", "https://hooks.acme.example/x", id="no path"),
        pytest.param("hooks.acme.example", "http://hooks.acme.example:8080/x", id="host name"),
        pytest.param("10.0.0.5", "https://10.0.0.5/x", id="an address"),
        pytest.param("[::1]", "http://[::1]:8000/x", id="an IPv6 address"),
        pytest.param("https://bücher.example/", "https://xn--bcher-kva.example/in", id="IDNA"),
    ],
)
def test_an_address_the_grant_covers(to: str, url: str) -> None:
    assert isinstance(check(acme(to=[to]), url), Granted)


@pytest.mark.parametrize(
    ("to", "url"),
    [
        pytest.param(HOOKS, "https://hooks.acme.example.evil.example/gitcron", id="longer host"),
        pytest.param(HOOKS, "https://evil.example/hooks.acme.example/gitcron", id="host in path"),
        pytest.param(HOOKS, "https://hooks.acme.example@evil.example/gitcron", id="host as user"),
        pytest.param(HOOKS, "https://evil.example/?https://hooks.acme.example/gitcron", id="query"),
        pytest.param(HOOKS, "http://hooks.acme.example/gitcron", id="another scheme"),
        pytest.param(HOOKS, "https://hooks.acme.example:8443/gitcron", id="another port"),
        pytest.param(HOOKS, "https://hooks.acme.example/gitcron-other", id="a longer segment"),
        pytest.param(HOOKS, "https://hooks.acme.example/", id="above the prefix"),
        pytest.param(HOOKS, "https://hooks.acme.example/gitcron/../admin", id="dot-dot"),
        pytest.param(HOOKS, "https://hooks.acme.example/gitcron/%2e%2e/admin", id="encoded .."),
        pytest.param(HOOKS, "https://hooks.acme.example/gitcron%2F..%2Fadmin", id="encoded /"),
        pytest.param("hooks.acme.example", "https://acme.example/x", id="parent domain"),
        pytest.param("hooks.acme.example", "https://x.hooks.acme.example/", id="subdomain"),
        pytest.param("10.0.0.5", "https://10.0.0.50/x", id="another address"),
    ],
)
def test_an_address_the_grant_does_not_cover(to: str, url: str) -> None:
    refused = check(acme(to=[to]), url)
    assert isinstance(refused, Refusal)
    assert "acme-hooks" in refused.message


def test_an_sftp_grant_may_name_the_login() -> None:
    grant = {"env": "ACME_SFTP_KEY", "for": "sftp", "to": ["sftp://acme@sftp.acme.example/in"]}
    assert isinstance(check(grant, "sftp://acme@sftp.acme.example/in/daily", "sftp"), Granted)
    assert isinstance(check(grant, "sftp://other@sftp.acme.example/in", "sftp"), Refusal)
    assert isinstance(check(grant, "sftp://acme@sftp.acme.example:2222/in", "sftp"), Refusal)


def test_the_destination_shown_has_no_user_and_no_default_port() -> None:
    assert (
        str(destination("sftp://acme@Sftp.Acme.Example:22/in/x/"))
        == "sftp://sftp.acme.example/in/x"
    )
    assert (
        str(Destination.of("https", "h.example", 8443, "/a%20b?q")) == "https://h.example:8443/a b"
    )


@pytest.mark.parametrize(
    ("to", "words"),
    [
        pytest.param("https://h.example/x?y=1", "query", id="query"),
        pytest.param("https://h.example/x#y", "fragment", id="fragment"),
        pytest.param("https://u:p@h.example/", "password", id="password"),
        pytest.param("https://h.example/a/../b", "'..'", id="dot-dot"),
        pytest.param("ftp://h.example/", "ftp://", id="scheme"),
        pytest.param("https:///x", "names no host", id="no host"),
        pytest.param("h.example/x", "neither a host name", id="host with a path"),
        pytest.param("h.example:8443", "neither a host name", id="host with a port"),
    ],
)
def test_a_grant_address_that_cannot_be_compared_exactly_is_refused(to: str, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        parse_place(to)
    with pytest.raises(ValidationError, match=words):
        settings(acme=acme(to=[to]))


def test_a_grant_address_must_fit_its_channel() -> None:
    with pytest.raises(
        ValidationError, match=r"'sftp://h\.example/' is not an address a webhook goes"
    ):
        settings(acme=acme(to=["sftp://h.example/"]))
    with pytest.raises(ValidationError, match="names a user"):
        settings(acme=acme(to=["https://me@h.example/"]))
    with pytest.raises(ValidationError, match="at least 1 item"):
        settings(acme=acme(to=[]))


# --- the grant's channel, customers, and gitcron's own secrets ----------------------------------


def test_the_wrong_channel_is_refused() -> None:
    refused = check(acme(), "sftp://u@hooks.acme.example/gitcron", kind="sftp")
    assert isinstance(refused, Refusal)
    assert refused.message == (
        "the credential 'acme-hooks' is granted to webhook deliveries, not to sftp deliveries"
    )


def test_customers_limit_who_may_use_it() -> None:
    grant = acme(customers=["acme", "acme-eu"])
    assert isinstance(check(grant, HOOKS, customer="acme-eu"), Granted)
    refused = check(grant, HOOKS, customer="globex")
    assert isinstance(refused, Refusal)
    assert refused.message == (
        "the credential 'acme-hooks' is granted to the customers acme and acme-eu only, not to"
        " globex"
    )
    assert "add globex to the credential's customers:" in refused.hint


@pytest.mark.parametrize(
    ("extra", "variable", "holds"),
    [
        pytest.param({}, "GITCRON_SMTP_URL", "the mail server's address", id="smtp url"),
        pytest.param(
            {"channels": {"email": {"smtp_url_env": "MAIL_URL"}}},
            "MAIL_URL",
            "the mail server's",
            id="own",
        ),
        pytest.param(
            {"liveness": {"heartbeat_url_env": "HB"}}, "HB", "the heartbeat", id="heartbeat"
        ),
        pytest.param(
            {"channels": {"s3": {"access_key_id_env": "K", "secret_access_key_env": "S"}}},
            "S",
            "a storage key",
            id="s3",
        ),
        pytest.param(
            {"datasets": {"orders": {"sql": "SELECT 1", "database": "DB_URL"}}},
            "DB_URL",
            "the database address of the dataset 'orders'",
            id="database",
        ),
        pytest.param(
            {
                "datasets": {
                    "p": {"http": {"url": "https://a.example", "headers_env": {"X": "AUTH"}}}
                }
            },
            "AUTH",
            "the X header of the dataset 'p'",
            id="headers",
        ),
    ],
)
def test_gitcrons_own_secrets_are_never_granted(
    extra: dict[str, Any], variable: str, holds: str
) -> None:
    conf = Settings.model_validate(extra)
    assert holds in conf.reserved_variables()[variable]
    for use in (Use("token_env", variable), Use("password_env", variable)):
        refused = conf.grants().check(use, "webhook", destination(HOOKS), "acme")
        assert isinstance(refused, Refusal)
        assert refused.message.startswith(f"{variable} holds {holds}")
        assert "a schedule can never send it anywhere" in refused.message
    granting = Settings.model_validate({**extra, "credentials": {"x": acme(env=variable)}})
    refused = granting.grants().check(Use("secret", "x"), "webhook", destination(HOOKS), "acme")
    assert isinstance(refused, Refusal)  # even a credential granting it by mistake


# --- the older *_env form ------------------------------------------------------------------------


def test_an_older_env_key_uses_the_credential_granting_its_variable() -> None:
    grants = settings(**{"acme-hooks": acme()}).grants()
    found = grants.check(Use("secret_env", "ACME_HOOK_SECRET"), "webhook", destination(HOOKS), "a")
    assert isinstance(found, Granted)
    assert found.name == "acme-hooks"
    outside = grants.check(
        Use("secret_env", "ACME_HOOK_SECRET"), "webhook", destination("https://e.example/"), "a"
    )
    assert isinstance(outside, Refusal)
    assert outside.message.startswith(
        "ACME_HOOK_SECRET (the credential 'acme-hooks' in gitcron.yaml) may only be sent to"
    )


def test_an_ungranted_variable_says_the_one_entry_to_add() -> None:
    conf = settings()
    use = Use("token_env", "ACME_TOKEN")
    refused = conf.grants().check(use, "webhook", destination(HOOKS + "?x=1"), "acme")
    assert isinstance(refused, Refusal)
    assert (
        refused.message
        == "ACME_TOKEN is not granted in gitcron.yaml, so this webhook cannot use it"
    )
    entry = refused.hint.split("(docs/grants.md): ", 1)[1]
    assert entry == (
        'acme-token: { env: ACME_TOKEN, for: webhook, to: ["https://hooks.acme.example/gitcron"],'
        " customers: [acme] }"
    )
    fixed = Settings.model_validate({"credentials": yaml.safe_load(entry)})  # the edit works
    assert isinstance(fixed.grants().check(use, "webhook", destination(HOOKS), "acme"), Granted)


def test_the_suggested_name_does_not_clash() -> None:
    conf = settings(**{"acme-token": acme(env="OTHER")})
    refused = conf.grants().check(
        Use("token_env", "ACME_TOKEN"), "webhook", destination(HOOKS), "a"
    )
    assert isinstance(refused, Refusal)
    assert "acme-token-2: { env: ACME_TOKEN" in refused.hint


def test_a_variable_granted_twice_is_not_guessed() -> None:
    conf = settings(one=acme(), two=acme(to=["https://e.example/"]))
    use = Use("secret_env", "ACME_HOOK_SECRET")
    refused = conf.grants().check(use, "webhook", destination(HOOKS), "acme")
    assert isinstance(refused, Refusal)
    assert "granted more than once in gitcron.yaml (one, two)" in refused.message


def test_an_unknown_credential_name_suggests_the_closest() -> None:
    conf = settings(**{"acme-hooks": acme()})
    refused = conf.grants().check(Use("secret", "acme-hook"), "webhook", destination(HOOKS), "a")
    assert isinstance(refused, Refusal)
    assert refused.message == "there is no credential named 'acme-hook' in gitcron.yaml"
    assert refused.hint == "did you mean 'acme-hooks'?"


# --- what a schedule writes ----------------------------------------------------------------------


def test_a_schedule_names_credentials_by_role() -> None:
    hook = Delivery.model_validate(
        {"webhook": {"url": HOOKS, "secret": "acme-hooks", "token_env": "ACME_TOKEN"}}
    ).webhook
    assert hook is not None
    assert hook.uses() == {
        "secret": Use("secret", "acme-hooks"),
        "token": Use("token_env", "ACME_TOKEN"),
    }
    sftp = Delivery.model_validate(
        {
            "sftp": {
                "url": "sftp://u@h.example/in",
                "key": "acme-key",
                "known_hosts": "h ssh-ed25519 A",
            }
        }
    ).sftp
    assert sftp is not None
    assert sftp.uses() == {"key": Use("key", "acme-key")}


@pytest.mark.parametrize(
    ("spec", "words"),
    [
        pytest.param({"secret": "a", "secret_env": "A"}, "both secret and secret_env", id="both"),
        pytest.param({"token": "Bad Name"}, "is not a valid name", id="not a name"),
        pytest.param(
            {"token": "9f8a7b6c5d4e3f2a1b0c9d8e7f6a"}, "looks like a secret value", id="a token"
        ),
        pytest.param(
            {"secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2"}, "looks like a secret", id="whsec"
        ),
    ],
)
def test_what_a_webhook_may_not_write(spec: dict[str, str], words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        Delivery.model_validate({"webhook": {"url": HOOKS, **spec}})


def test_long_credential_names_are_not_mistaken_for_secrets() -> None:
    hook = Delivery.model_validate(
        {"webhook": {"url": HOOKS, "secret": "customer-004-webhook-signing-secret-2026"}}
    ).webhook
    assert hook is not None


def test_an_sftp_login_is_one_of_password_or_key_in_either_form() -> None:
    base = {"url": "sftp://u@h.example/in", "known_hosts": "h ssh-ed25519 A"}
    with pytest.raises(ValidationError, match="neither password nor key is given"):
        Delivery.model_validate({"sftp": base})
    with pytest.raises(ValidationError, match="both password and password_env"):
        Delivery.model_validate({"sftp": {**base, "password": "p", "password_env": "P"}})


def test_credentials_never_show_a_value() -> None:
    conf = settings(**{"acme-hooks": acme()})
    assert "ACME_HOOK_SECRET" in repr(conf.credentials)  # names only: the model holds no value


def test_a_credentials_value_is_redacted_wherever_a_schedule_names_it_by_name() -> None:
    from gitcron.core.redact import Redactor, env_names

    conf = settings(**{"acme-hooks": acme()})
    assert "ACME_HOOK_SECRET" in env_names(conf)
    redact = Redactor.for_config({"ACME_HOOK_SECRET": "whsec_c2VjcmV0LXZhbHVl"}, conf)
    assert redact("echoed: whsec_c2VjcmV0LXZhbHVl") == "echoed: [redacted]"


def test_an_address_without_a_host_is_never_granted() -> None:
    refused = check(acme(to=["hooks.acme.example"]), "https:///gitcron")
    assert isinstance(refused, Refusal)
    assert "it names no host" in refused.message
