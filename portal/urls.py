from django.contrib import admin
from django.urls import include, path

from portal import views

admin.site.site_header = admin.site.site_title = "Личный кабинет: администрирование"
admin.site.index_title = "Рабочее место сотрудника"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("cabinet/", include("cabinet.urls")),
    path("notifications/", include("notifications.urls")),
    path("appeals/", include("appeals.urls")),
    path("admin/", admin.site.urls),
]
