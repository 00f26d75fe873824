"""Login and password reset."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.exceptions import NON_FIELD_ERRORS
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django_ratelimit.decorators import ratelimit

from accounts import forms
from accounts.security import ratelimit_ip_key, registration_rate
from accounts.views.common import too_many_requests


class LoginView(auth_views.LoginView):
    """The cabinet's login. Rate limits and the per-account slowdown are accounts.login_guard's,
    shared with the admin's login; axes locks the pair (account, address)."""

    form_class = forms.LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["email_unconfirmed"] = context["form"].has_error(NON_FIELD_ERRORS, "email_unconfirmed")
        return context


@method_decorator(
    ratelimit(key=ratelimit_ip_key, rate=registration_rate, method="POST", block=False, group="accounts.reset"),
    name="dispatch",
)
class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset flow (single-use, expiring links) with our templates; answers the same for any address."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request, *args, **kwargs):
        if getattr(request, "limited", False):
            return too_many_requests(request)
        return super().post(request, *args, **kwargs)

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["email"].label = _("Электронная почта")
        return form

    def form_valid(self, form):
        self.extra_email_context = {"company_name": settings.PORTAL_COMPANY_NAME}
        return super().form_valid(form)
