from django.contrib import admin
from django.urls import path

from audit import views

app_name = "audit"

# Under /admin/ and through admin_view: the admin's login and the staff second factor guard them.
urlpatterns = [
    path("", admin.site.admin_view(views.customer_changes_view), name="customer_changes"),
    path("export.csv", admin.site.admin_view(views.customer_changes_export), name="customer_changes_export"),
]
