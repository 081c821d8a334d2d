"""botocore's errors in words: permanent unless another try could work."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gitcron.channels.base import DeliveryContext, DeliveryError
from gitcron.channels.storage.common import permanent_for

if TYPE_CHECKING:
    from gitcron.channels.storage.s3 import S3Object

SETTINGS_HINT = "check channels.s3 (endpoint_url, region) in gitcron.yaml"
# fmt: off
_TRANSIENT_CODES = frozenset({  # ConditionalRequestConflict: another write of the key is under way
    "SlowDown", "Throttling", "ThrottlingException", "TooManyRequests", "RequestLimitExceeded",
    "RequestTimeout", "InternalError", "ServiceUnavailable", "OperationAborted",
    "ConditionalRequestConflict",
})
_CREDENTIAL_CODES = frozenset({
    "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "AllAccessDisabled",
    "AccountProblem", "InvalidToken", "ExpiredToken",
})
# fmt: on


def error_code(error: Any) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def http_status(error: Any) -> int:
    return int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)


def s3_error(error: Exception, obj: S3Object, ctx: DeliveryContext) -> DeliveryError:
    """botocore's errors in words, permanent unless another try could work."""
    from botocore import exceptions as boto

    sid = ctx.run.schedule_id
    if isinstance(error, boto.ClientError):
        return _client_error(error, obj, ctx)
    if isinstance(error, boto.NoCredentialsError | boto.PartialCredentialsError):
        return permanent_for(ctx, "there are no S3 credentials", _CREDENTIALS_HINT)
    if isinstance(error, boto.ConnectionError | boto.HTTPClientError):
        return DeliveryError(f"{sid}: cannot reach S3 for {obj}: {error}", _REACH_HINT)
    return permanent_for(ctx, f"the upload to {obj} failed: {error}", SETTINGS_HINT)


_CREDENTIALS_HINT = (
    "set channels.s3.access_key_id_env and secret_access_key_env in gitcron.yaml and those"
    " variables on the runner, or give the runner an AWS role"
)

_REACH_HINT = "check channels.s3.endpoint_url and the network; this is retried"


def _client_error(error: Any, obj: S3Object, ctx: DeliveryContext) -> DeliveryError:
    code, status = error_code(error), http_status(error)
    message = error.response.get("Error", {}).get("Message") or code
    if code == "NoSuchBucket":
        return permanent_for(
            ctx,
            f"the bucket '{obj.bucket}' does not exist",
            "create it, or fix the bucket in the storage url (and channels.s3.endpoint_url and"
            " region in gitcron.yaml)",
        )
    if code in _CREDENTIAL_CODES or status in (401, 403):
        return permanent_for(
            ctx,
            f"S3 refused access to {obj} ({code}: {message})",
            f"check the credentials; they need s3:PutObject and s3:GetObject on {obj.bucket}",
        )
    if code in _TRANSIENT_CODES or status == 429 or status >= 500:
        return DeliveryError(f"{ctx.run.schedule_id}: S3 is busy ({code}): {message}", _RETRIED)
    return permanent_for(ctx, f"S3 refused {obj} ({code}: {message})", SETTINGS_HINT)


_RETRIED = "this is retried; if it lasts, check the provider's status page"
