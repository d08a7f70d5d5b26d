"""Staff who forgot their password reset it by e-mail, with Django's own views
under the admin's address (its templates, its Content-Security-Policy, never
the page cache). The page never says whether an address belongs to anyone;
an address gets at most RESETS_PER_HOUR mails, so the form cannot be used to
flood someone's inbox; setting a new password lifts that account's sign-in
lockout (django-axes)."""

from axes.utils import reset as reset_lockouts
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.urls import path, reverse_lazy

RESETS_PER_HOUR = 3
HOUR = 60 * 60


class AdminPage:
    """The reset pages wear the admin's header and title, as its sign-in page does."""

    def get_context_data(self, **kwargs):
        return {**admin.site.each_context(self.request), **super().get_context_data(**kwargs)}


class PasswordResetView(AdminPage, auth_views.PasswordResetView):
    success_url = reverse_lazy("admin_password_reset_done")

    def form_valid(self, form):
        key = f"password-reset:{form.cleaned_data['email'].strip().lower()}"
        cache.add(key, 0, HOUR)
        try:
            sent = cache.incr(key)
        except ValueError:  # evicted in between
            sent = 1
            cache.set(key, sent, HOUR)
        if sent > RESETS_PER_HOUR:
            # Told the same as any other request: nothing to learn, nothing sent.
            return super(auth_views.PasswordResetView, self).form_valid(form)
        return super().form_valid(form)


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
