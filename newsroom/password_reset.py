"""Staff who forgot their password reset it by e-mail, with Django's own views
under the admin's address (its templates, its Content-Security-Policy, never
the page cache). The page never says whether an address belongs to anyone, in
its words or its timing: the mail is a job, sent after the response. An account
gets at most RESETS_PER_HOUR mails, however its address is typed (Django matches
it with Unicode case folding), and one client may ask at most
REQUESTS_PER_ADDRESS_PER_HOUR times, counted in the database every worker shares
(the ``limits`` cache), so the form cannot flood an inbox. Setting a new password
lifts that account's sign-in lockout (django-axes)."""

from axes.utils import reset as reset_lockouts
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.core.cache import caches
from django.urls import path, reverse_lazy

from . import jobs
from .proxy import client_address

RESETS_PER_HOUR = 3
REQUESTS_PER_ADDRESS_PER_HOUR = 10
HOUR = 60 * 60


def take_slot(key: str, most: int) -> bool:
    """Whether one more use of ``key`` fits in ``most`` an hour: each use takes one
    of ``most`` slots, added atomically (Redis' SET NX, or a unique row), each
    free again an hour after it was taken."""
    limits = caches["limits"]
    return any(limits.add(f"{key}:{slot}", 1, HOUR) for slot in range(most))


class AccountsForm(PasswordResetForm):
    """Django's form, mailing only the accounts ``only`` names."""

    only: set[int] = set()

    def get_users(self, email):
        return (user for user in super().get_users(email) if user.pk in self.only)


@jobs.task("accounts.password_reset_mail")
def send_reset_mail(email: str, accounts: list[int], domain: str, use_https: bool) -> None:
    """The reset mail to ``accounts`` (those the address matched, within their limit)."""
    if not accounts:
        return
    form = AccountsForm({"email": email})
    if form.is_valid():
        form.only = set(accounts)
        form.save(domain_override=domain, use_https=use_https)


class AdminPage:
    """The reset pages wear the admin's header and title, as its sign-in page does."""

    def get_context_data(self, **kwargs):
        return {**admin.site.each_context(self.request), **super().get_context_data(**kwargs)}


class PasswordResetView(AdminPage, auth_views.PasswordResetView):
    success_url = reverse_lazy("admin_password_reset_done")

    def form_valid(self, form):
        """Told the same whatever happens: nothing to learn. The accounts the address
        matches, each within its limit, get their mail after the response."""
        email = form.cleaned_data["email"]
        if take_slot(f"password-reset:client:{client_address(self.request)}",
                     REQUESTS_PER_ADDRESS_PER_HOUR):  # fmt: skip
            users = list(form.get_users(email))
            accounts = [
                user.pk
                for user in users
                if take_slot(f"password-reset:account:{user.pk}", RESETS_PER_HOUR)
            ]
            if not users:  # the same writes as for an account, so the same time taken
                take_slot(f"password-reset:nobody:{email.casefold()}", RESETS_PER_HOUR)
            jobs.defer(  # for nobody, too: a job that sends nothing
                send_reset_mail,
                after_response=True,
                email=email,
                accounts=accounts,
                domain=self.request.get_host(),
                use_https=self.request.is_secure(),
            )
        # the "done" page, as Django's view would answer after sending
        return super(auth_views.PasswordResetView, self).form_valid(form)


class PasswordResetDoneView(AdminPage, auth_views.PasswordResetDoneView):
    pass


class PasswordResetCompleteView(AdminPage, auth_views.PasswordResetCompleteView):
    pass


class PasswordResetConfirmView(AdminPage, auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        reset_lockouts(username=form.user.get_username())
        return response


def urlpatterns(prefix: str) -> list:
    """The reset pages, under ``prefix`` (the admin's address)."""
    return [
        path(f"{prefix}password_reset/", PasswordResetView.as_view(), name="admin_password_reset"),
        path(
            f"{prefix}password_reset/done/",
            PasswordResetDoneView.as_view(),
            name="admin_password_reset_done",
        ),
        path(
            f"{prefix}reset/<uidb64>/<token>/",
            PasswordResetConfirmView.as_view(),
            name="password_reset_confirm",
        ),
        path(
            f"{prefix}reset/done/",
            PasswordResetCompleteView.as_view(),
            name="password_reset_complete",
        ),
    ]
