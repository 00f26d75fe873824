from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from accounts import views

app_name = "accounts"

urlpatterns = [
    # Registration and email confirmation
    path("register/", views.register_choice, name="register"),
    path("register/resident/", views.register_resident, name="register_resident"),
    path("register/organisation/", views.register_organisation, name="register_organisation"),
    path("register/sole-proprietor/", views.register_sole_proprietor, name="register_sole_proprietor"),
    path("register/done/", views.register_done, name="register_done"),
    path("email/confirm/<str:token>/", views.email_confirm, name="email_confirm"),
    path("email/resend/", views.email_confirmation_resend, name="email_resend"),
    # Login and passwords
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html", success_url=reverse_lazy("accounts:password_change_done")
        ),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html"),
        name="password_change_done",
    ),
    # Profile
    path("profile/", views.profile, name="profile"),
    path("email/change/", views.email_change, name="email_change"),
    path("email/change/confirm/<str:token>/", views.email_change_confirm, name="email_change_confirm"),
    # Consents and personal data
    path("consent/", views.consent_document, name="consent_current"),
    path("consent/v<str:version>/", views.consent_document, name="consent_document"),
    path("consents/", views.consents, name="consents"),
    path("consents/give/", views.consent_give, name="consent_give"),
    path("consents/<id:pk>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("personal-data.json", views.personal_data_export, name="personal_data_export"),
    # Organisations
    path("organisations/<id:pk>/", views.organisation_detail, name="organisation"),
    path("organisations/<id:pk>/invite/", views.organisation_invite, name="organisation_invite"),
    path(
        "organisations/<id:pk>/members/<id:membership_pk>/role/",
        views.organisation_member_role,
        name="organisation_member_role",
    ),
    path(
        "organisations/<id:pk>/members/<id:membership_pk>/readings/",
        views.organisation_member_readings,
        name="organisation_member_readings",
    ),
    path(
        "organisations/<id:pk>/members/<id:membership_pk>/finances/",
        views.organisation_member_finances,
        name="organisation_member_finances",
    ),
    path(
        "organisations/<id:pk>/members/<id:membership_pk>/remove/",
        views.organisation_member_remove,
        name="organisation_member_remove",
    ),
    path(
        "organisations/<id:pk>/invitations/<id:invitation_pk>/revoke/",
        views.organisation_invitation_revoke,
        name="organisation_invitation_revoke",
    ),
    path("organisations/<id:pk>/leave/", views.organisation_leave, name="organisation_leave"),
    path("invitations/<id:pk>/accept/", views.invitation_accept_mine, name="invitation_accept_mine"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
]
