from django.urls import path  # noqa: F401  (the patterns arrive with the cabinet's contract pages)

app_name = "contracts"

urlpatterns: list = []
