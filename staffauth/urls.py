from django.urls import path

from staffauth import views

app_name = "staffauth"

urlpatterns = [
    path("", views.verify, name="verify"),
    path("setup/", views.setup, name="setup"),
]
