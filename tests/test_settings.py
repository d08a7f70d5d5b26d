"""Production mode (DEBUG off) must refuse to start without a real secret key."""

import os
import subprocess
import sys

from django.conf import settings

STRONG_KEY = "k3J9x-Qm2vL8pR4tW7yZ1aB5cD6eF0gH2iJ4kL6mN8oP0qR2sT4uV6wX8yZ0aB2cD4"


def start(**env):
    base = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"}
    }
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings as s; print(s.DEBUG)",
        ],
        env={**base, "DJANGO_SETTINGS_MODULE": "newsroom.settings", **env},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )


def test_production_refuses_a_missing_or_weak_secret_key():
    for key in (None, "django-insecure-" + "x" * 50, "short"):
        result = start(
            DEBUG="0", ALLOWED_HOSTS="example.org", **({"SECRET_KEY": key} if key else {})
        )
        assert result.returncode != 0
        assert "needs a real SECRET_KEY" in result.stderr


def test_production_starts_with_a_real_secret_key():
    result = start(DEBUG="0", ALLOWED_HOSTS="example.org", SECRET_KEY=STRONG_KEY)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_vietnamese_first():
    assert settings.LANGUAGE_CODE == "vi"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh" and settings.USE_TZ
