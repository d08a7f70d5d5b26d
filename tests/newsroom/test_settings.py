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


def deploy_check(**env) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL"}}
    production = {"DEBUG": "0", "ALLOWED_HOSTS": "news.example.org", "SECRET_KEY": STRONG_KEY}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={**base, **production, **env},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )


def test_the_deployment_checklist_finds_nothing_in_production_mode():
    result = deploy_check()
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_the_deployment_checklist_would_catch_a_weakened_setting():
    """The check above is worth something only if it looks at our settings."""
    for setting, warning in (("SECURE_HSTS_SECONDS", "W004"), ("SECURE_SSL_REDIRECT", "W008")):
        result = deploy_check(**{setting: "0"})
        assert result.returncode != 0 and f"security.{warning}" in result.stderr, setting
