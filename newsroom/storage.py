"""Where uploads and their renditions are kept: this server's disk by default,
or a bucket of S3-compatible object storage, through django-storages, when
``MEDIA_STORAGE_URL`` names one, so that any number of app servers share them:

- ``s3://BUCKET`` (``?region=eu-west-1``): a bucket on Amazon S3;
- ``http://HOST:PORT/BUCKET``: one on another S3-compatible server (SeaweedFS,
  MinIO, Ceph), addressed by path.

Readers get plain addresses, not signed ones (the bucket is readable by anyone,
as a newspaper's pictures are), under ``MEDIA_PUBLIC_URL`` when a CDN or a
domain of the site's own is in front of the bucket.
"""

from urllib.parse import SplitResult, parse_qs, urlsplit

from django.core.exceptions import ImproperlyConfigured

DISK = {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def media_storage(url: str, *, key_id: str = "", secret: str = "", public_url: str = "") -> dict:
    """``STORAGES["default"]`` for ``MEDIA_STORAGE_URL`` (empty: the disk). Without
    ``key_id``, boto3 finds its credentials itself (``AWS_ACCESS_KEY_ID``, a role)."""
    if not url:
        return dict(DISK)
    parts = urlsplit(url)
    refuse_credentials("MEDIA_STORAGE_URL", parts)
    if parts.scheme == "s3":
        bucket, endpoint = parts.netloc, None
    elif parts.scheme in ("http", "https") and parts.netloc:
        bucket, endpoint = parts.path.strip("/"), f"{parts.scheme}://{parts.netloc}"
    else:
        raise ImproperlyConfigured(
            f"MEDIA_STORAGE_URL {url!r}: s3://BUCKET or http(s)://HOST:PORT/BUCKET"
        )
    if not bucket or "/" in bucket:
        raise ImproperlyConfigured(f"MEDIA_STORAGE_URL {url!r} names no bucket")
    options = {
        "bucket_name": bucket,
        "querystring_auth": False,  # plain addresses, which the page cache can keep
        "file_overwrite": False,  # a second picture of the same name gets a name of its own
    }
    if endpoint:
        options |= {"endpoint_url": endpoint, "addressing_style": "path"}
    if region := parse_qs(parts.query).get("region"):
        options["region_name"] = region[-1]
    if key_id:
        options |= {"access_key": key_id, "secret_key": secret}
    if public_url:
        public = urlsplit(public_url)
        refuse_credentials("MEDIA_PUBLIC_URL", public)
        options |= {
            "custom_domain": f"{public.netloc}{public.path.rstrip('/')}",
            "url_protocol": f"{public.scheme}:",
        }
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


def refuse_credentials(setting: str, parts: SplitResult) -> None:
    """Refuse an address that carries a user or password (``http://KEY:SECRET@host``):
    the storage's addresses end up in every page's pictures and its Content Security
    Policy, so credentials there would be shown to every reader. The message names
    neither."""
    if "@" in parts.netloc:
        raise ImproperlyConfigured(
            f"{setting} must not carry credentials (user:password@): give the key in "
            "MEDIA_STORAGE_KEY_ID and the secret in MEDIA_STORAGE_SECRET, and the address "
            f"without them ({parts.scheme}://{parts.netloc.rpartition('@')[2]}{parts.path})."
        )


def media_origin(storage: dict) -> str:
    """Where readers' browsers fetch pictures from, for the pages' Content
    Security Policy: '' for this site's own addresses."""
    options = storage.get("OPTIONS", {})
    if "bucket_name" not in options:
        return ""
    if domain := options.get("custom_domain"):
        return f"{options['url_protocol']}//{domain.split('/')[0]}"
    if endpoint := options.get("endpoint_url"):
        return endpoint
    bucket, region = options["bucket_name"], options.get("region_name")
    regional = f" https://{bucket}.s3.{region}.amazonaws.com" if region else ""
    return f"https://{bucket}.s3.amazonaws.com{regional}"


def keep_versions(storage) -> bool:
    """Turn on the bucket's versioning, so that a picture overwritten or deleted
    (a rendition made again, a story removed) can still be fetched as it was.
    False where ``storage`` is the disk: there ``manage.py backup`` copies it."""
    bucket = getattr(storage, "bucket", None)
    if bucket is None:
        return False
    bucket.Versioning().enable()
    return bucket.Versioning().status == "Enabled"
