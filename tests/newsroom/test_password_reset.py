"""Staff reset a forgotten password by e-mail, from the admin's sign-in page."""

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core import mail

pytestmark = pytest.mark.django_db
ADMIN = f"/{settings.ADMIN_URL}"


@pytest.fixture
def editor():
    return User.objects.create_user(
        "bientapvien", email="bientap@toasoan.vn", password="mat-khau-cu-123", is_staff=True
    )


def ask(client, email: str, **extra):
    return client.post(f"{ADMIN}password_reset/", {"email": email}, follow=True, **extra)


def test_the_sign_in_page_offers_a_reset(client):
    html = client.get(f"{ADMIN}login/").content.decode()
    assert f'href="{ADMIN}password_reset/"' in html and "Bạn quên mật khẩu" in html
    page = client.get(f"{ADMIN}password_reset/").content.decode()
    assert "Toà soạn – bàn biên tập" in page and "Django" not in page.split("<body")[1]


def test_a_reset_by_email_sets_a_new_password_once(client, editor):
    response = ask(client, "BienTap@toasoan.vn")
    assert response.status_code == 200
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["bientap@toasoan.vn"]
    link = re.search(r"https?://testserver(/\S+/reset/\S+/)", mail.outbox[0].body).group(1)
    assert link.startswith(ADMIN)

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    new = {"new_password1": "mot-mat-khau-moi-dai", "new_password2": "mot-mat-khau-moi-dai"}
    done = client.post(set_url, new, follow=True)
    assert done.status_code == 200 and done.redirect_chain[-1][0] == f"{ADMIN}reset/done/"
    editor.refresh_from_db()
    assert editor.check_password("mot-mat-khau-moi-dai")
    assert not editor.check_password("mat-khau-cu-123")

    again = client.get(link, follow=True).content.decode()  # the link worked once
    assert 'name="new_password1"' not in again


def test_the_page_tells_nothing_and_floods_nobody(client, editor):
    unknown = ask(client, "khong-ai@toasoan.vn")
    known = ask(client, "bientap@toasoan.vn")
    assert unknown.redirect_chain == known.redirect_chain
    assert len(mail.outbox) == 1
    for _ in range(5):
        assert ask(client, "bientap@toasoan.vn").status_code == 200
    assert len(mail.outbox) == 3  # three an hour for one address


def test_a_new_password_lifts_the_sign_in_lockout(client, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(f"{ADMIN}login/", {"username": "bientapvien", "password": "sai"})
    ask(client, "bientap@toasoan.vn")
    link = re.search(r"https?://testserver(/\S+/reset/\S+/)", mail.outbox[0].body).group(1)
    set_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(set_url, {"new_password1": "mot-mat-khau-moi-dai",
                          "new_password2": "mot-mat-khau-moi-dai"})  # fmt: skip
    signed_in = client.post(
        f"{ADMIN}login/", {"username": "bientapvien", "password": "mot-mat-khau-moi-dai"}
    )
    assert signed_in.status_code == 302


def test_the_limit_is_the_account_s_however_its_address_is_typed(client, editor):
    """Django matches the address with Unicode case folding: ``ſ`` (U+017F) and
    capitals reach the same account, and share its three mails an hour."""
    for typed in ("bientap@toasoan.vn", "BIENTAP@TOASOAN.VN", "bientap@toaſoan.vn") * 2:
        assert ask(client, typed).status_code == 200
    assert len(mail.outbox) == 3
    assert {tuple(m.to) for m in mail.outbox} == {("bientap@toasoan.vn",)}


def test_one_client_cannot_ask_for_many_accounts_without_end(client, editor):
    User.objects.bulk_create(
        User(username=f"nv{n}", email=f"nv{n}@toasoan.vn", password=editor.password, is_staff=True)
        for n in range(15)
    )
    for number in range(15):
        ask(client, f"nv{number}@toasoan.vn")
    assert len(mail.outbox) == 10  # ten asks an hour from one address
    other = ask(client, "nv14@toasoan.vn", REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 200 and len(mail.outbox) == 11


def test_the_mail_is_sent_after_the_response(client, editor, monkeypatch):
    """The page answers before the mail goes: a known address takes no longer to
    answer than an unknown one."""
    from newsroom import password_reset

    at_response = []
    real = password_reset.PasswordResetView.form_valid

    def noting(self, form):
        response = real(self, form)
        at_response.append(len(mail.outbox))
        return response

    monkeypatch.setattr(password_reset.PasswordResetView, "form_valid", noting)
    ask(client, "bientap@toasoan.vn")
    assert at_response == [0] and len(mail.outbox) == 1


def test_the_limit_holds_across_processes(client, editor):
    """Counted in the database every worker shares, not in one worker's memory."""
    from django.core.cache import caches

    for _ in range(3):
        ask(client, "bientap@toasoan.vn")
    caches["default"].clear()  # another worker's memory: nothing of the count there
    ask(client, "bientap@toasoan.vn")
    assert len(mail.outbox) == 3


def test_a_known_and_an_unknown_address_cost_the_same_work(client, editor, monkeypatch):
    """Until the response, the same statements and one job either way (a job that
    sends nothing for nobody): neither the time taken nor the queue tells whether an
    address is known. The mail itself goes after the response."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from newsroom import jobs, password_reset

    deferred, counts = [], []
    defer, form_valid = jobs.defer, password_reset.PasswordResetView.form_valid

    def noting(job, **kwargs):
        deferred.append(kwargs.get("accounts"))
        return defer(job, **kwargs)

    def counted(self, form):
        with CaptureQueriesContext(connection) as queries:
            response = form_valid(self, form)
        counts.append(len(queries))
        return response

    monkeypatch.setattr(jobs, "defer", noting)
    monkeypatch.setattr(password_reset.PasswordResetView, "form_valid", counted)
    for email, address in (
        ("bientap@toasoan.vn", "203.0.113.1"),
        ("khong-ai@toasoan.vn", "203.0.113.2"),
    ):
        client.post(f"{ADMIN}password_reset/", {"email": email}, REMOTE_ADDR=address)
    assert counts[0] == counts[1] > 0
    assert deferred == [[editor.pk], []] and len(mail.outbox) == 1
