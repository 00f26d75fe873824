from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("", views.request_list, name="requests"),
    path("<id:pk>/", views.request_detail, name="detail"),
]
