from django.contrib import admin
from django.urls import include, path, register_converter
from django.utils.translation import gettext_lazy as _

from core.converters import IdConverter
from pages import views as pages_views
from portal import views

admin.site.site_header = admin.site.site_title = _("Личный кабинет: администрирование")
admin.site.index_title = _("Рабочее место сотрудника")

# Object ids in every app's URLs (`<id:pk>`): registered before the includes below import them.
register_converter(IdConverter, "id")

# The portal's own error pages (portal/errors.py), in its layout and language.
handler400 = "portal.errors.bad_request"
handler403 = "portal.errors.permission_denied"
handler404 = "portal.errors.page_not_found"
handler500 = "portal.errors.server_error"

urlpatterns = [
    path("", pages_views.home, name="home"),
    path("sitemap.xml", pages_views.sitemap, name="sitemap"),
    path("robots.txt", pages_views.robots_txt, name="robots_txt"),
    path("", include("pages.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("cabinet/", include("cabinet.urls")),
    path("notifications/", include("notifications.urls")),
    path("appeals/", include("appeals.urls")),
    path("contracts/", include("contracts.urls")),
    path("billing/", include("billing.urls")),
    path("personal-data/", include("privacy.urls")),
    path("staff/second-factor/", include("staffauth.urls")),
    # The supervisors' dashboard lives in the admin (before the admin's own catch-all patterns).
    path("admin/monitoring/", include("monitoring.urls")),
    path("admin/customer-changes/", include("audit.urls")),
    path("admin/", admin.site.urls),
]
