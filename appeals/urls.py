from django.urls import path, register_converter

from appeals import views
from appeals.models import NUMBER_PATTERN


class AppealNumberConverter:
    regex = NUMBER_PATTERN

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(AppealNumberConverter, "appeal_number")

app_name = "appeals"

urlpatterns = [
    path("", views.appeal_list, name="list"),
    path("new/", views.appeal_new, name="new"),
    path("<appeal_number:number>/", views.appeal_detail, name="detail"),
    path("<appeal_number:number>/submitted/", views.appeal_submitted, name="submitted"),
    path("<appeal_number:number>/reply/", views.appeal_reply, name="reply"),
    path("<appeal_number:number>/withdraw/", views.appeal_withdraw, name="withdraw"),
    path("<appeal_number:number>/rate/", views.appeal_rate, name="rate"),
    path("<appeal_number:number>/reopen/", views.appeal_reopen, name="reopen"),
    path("<appeal_number:number>/files/<id:attachment_id>/", views.attachment_download, name="attachment"),
]
