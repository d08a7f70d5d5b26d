"""Production mode serves static files through WhiteNoise: hashed names,
compressed copies, cached for ever."""

import json
import os
import subprocess
import sys

from django.conf import settings

from tests.newsroom.test_settings import STRONG_KEY

PROBE = """
import json, django
django.setup()
from django.contrib.staticfiles.storage import staticfiles_storage
from django.test import Client
url = staticfiles_storage.url("css/site.css")
response = Client().get(url, secure=True, HTTP_ACCEPT_ENCODING="gzip")
print(json.dumps({"url": url, "status": response.status_code,
                  "encoding": response.get("Content-Encoding"),
                  "cache": response.get("Cache-Control")}))
"""


def test_production_static_files_are_hashed_compressed_and_cached(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DEBUG": "0",
        "SECRET_KEY": STRONG_KEY,
        "ALLOWED_HOSTS": "testserver",
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    run = {"env": env, "cwd": settings.BASE_DIR, "capture_output": True, "text": True}
    collected = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], **run
    )
    assert collected.returncode == 0, collected.stderr
    assert list((tmp_path / "static" / "css").glob("site.*.css.gz"))

    probe = subprocess.run([sys.executable, "-c", PROBE], **run)
    assert probe.returncode == 0, probe.stderr
    served = json.loads(probe.stdout)
    assert served["url"].startswith("/static/css/site.") and served["url"] != "/static/css/site.css"
    assert served["status"] == 200
    assert served["encoding"] == "gzip"
    assert "immutable" in served["cache"]
