from django.contrib import admin
from django.urls import path

from monitoring import views

app_name = "monitoring"

# Under /admin/ and through admin_view: the admin's login and the staff second factor guard them.
urlpatterns = [
    path("", admin.site.admin_view(views.dashboard), name="dashboard"),
    path("export/<slug:table>.<slug:fmt>", admin.site.admin_view(views.export), name="export"),
]
