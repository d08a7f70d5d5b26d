"""Admin sign-in is throttled (django-axes): a password cannot be guessed
by trying, and one attacker cannot lock a whole newsroom out."""

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import override_settings

pytestmark = pytest.mark.django_db
LOGIN = f"/{settings.ADMIN_URL}login/"


def sign_in(client, username, password, address="203.0.113.7"):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": f"/{settings.ADMIN_URL}"},
        REMOTE_ADDR=address,
    )


@pytest.fixture
def editor():
    return User.objects.create_user("bientap", password="mat-khau-dung-1", is_staff=True)


def test_after_five_wrong_passwords_even_the_right_one_is_refused(client, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "bientap", "doan-mo").status_code == 200  # the form again
    locked = sign_in(client, "bientap", "doan-mo")
    assert locked.status_code == 429
    assert "Tạm khoá đăng nhập" in locked.content.decode()
    assert "15 phút" in locked.content.decode()
    assert sign_in(client, "bientap", "mat-khau-dung-1").status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lock_is_for_that_account_from_that_address(client, editor):
    User.objects.create_user("phongvien", password="mat-khau-khac-2", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "bientap", "doan-mo")
    assert sign_in(client, "phongvien", "mat-khau-khac-2").status_code == 302
    client.logout()
    assert sign_in(client, "bientap", "mat-khau-dung-1", "198.51.100.9").status_code == 302


def test_a_right_password_clears_earlier_mistakes(client, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "bientap", "doan-mo")
    assert sign_in(client, "bientap", "mat-khau-dung-1").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "bientap", "doan-mo").status_code == 200


def through_proxy(client, password, forged, real="203.0.113.7"):
    return client.post(
        LOGIN,
        {"username": "bientap", "password": password, "next": f"/{settings.ADMIN_URL}"},
        REMOTE_ADDR="10.0.0.2",  # the proxy
        HTTP_X_FORWARDED_FOR=f"{forged}, {real}",
    )


@override_settings(BEHIND_TLS_PROXY=True)
def test_behind_the_proxy_a_forged_forwarded_address_does_not_escape_the_lock(client, editor):
    """The proxy appends the address it sees to X-Forwarded-For; what comes
    before is the client's own say, and changing it must not make a new client."""
    for n in range(settings.AXES_FAILURE_LIMIT):
        through_proxy(client, "doan-mo", forged=f"192.0.2.{n}")
    assert through_proxy(client, "mat-khau-dung-1", forged="192.0.2.99").status_code == 429
    # Someone else behind the same proxy is not locked out with the attacker.
    other = through_proxy(client, "mat-khau-dung-1", forged="192.0.2.1", real="198.51.100.9")
    assert other.status_code == 302


def test_without_the_proxy_the_forwarded_header_is_not_believed(client, editor):
    for n in range(settings.AXES_FAILURE_LIMIT):
        through_proxy(client, "doan-mo", forged="192.0.2.1", real=f"198.51.100.{n}")
    assert through_proxy(client, "mat-khau-dung-1", forged="x", real="y").status_code == 429
