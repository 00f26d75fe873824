"""Staff work the data-subject requests: register a paper one, extend, answer, erase with an act."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.admin import HistoryAdmin
from audit.models import PersonalDataRead
from audit.services import read_record

from . import services
from .models import RetentionRule, SubjectRequest


class PaperRequestForm(forms.ModelForm):
    class Meta:
        model = SubjectRequest
        fields = ("user", "kind", "text", "received_at")


class WorkForm(forms.Form):
    DECISIONS = (
        ("answer", _("Дать ответ")),
        ("extend", _("Продлить срок на 5 рабочих дней (мотивированное уведомление)")),
        ("erase", _("Удалить данные и составить акт")),
    )
    decision = forms.ChoiceField(label=_("Решение"), choices=DECISIONS, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Ответ или причина продления"), required=False, widget=forms.Textarea)


@admin.register(SubjectRequest)
class SubjectRequestAdmin(HistoryAdmin):
    list_display = ("pk", "due_at", "kind", "status", "channel", "user", "received_at")
    list_filter = ("status", "kind", "channel")
    list_select_related = ("user",)
    search_fields = ("=user__email", "=pk")
    autocomplete_fields = ("user",)
    show_facets = admin.ShowFacets.NEVER
    change_form_template = "admin/privacy/subjectrequest/change_form.html"
    readonly_fields = ("user", "kind", "channel", "text", "status", "received_at", "due_at", "deadline_rule",
                       "extended_at", "extension_reason", "answered_at", "answer", "handled_by")

    def has_delete_permission(self, request, obj=None):
        return False

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = PaperRequestForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else ()

    def save_model(self, request, obj, form, change):
        if change:
            return
        filed = services.subject_request_file(
            user=form.cleaned_data["user"], kind=form.cleaned_data["kind"], text=form.cleaned_data["text"],
            channel=SubjectRequest.Channel.PAPER, received_at=form.cleaned_data["received_at"], actor=request.user,
        )
        obj.pk = filed.pk

    def save_related(self, request, form, formsets, change):
        pass

    def get_urls(self):
        return [
            path("<id:object_id>/work/", self.admin_site.admin_view(self.work_view),
                 name="privacy_subjectrequest_work"),
            path("<id:object_id>/act.pdf", self.admin_site.admin_view(self.act_view),
                 name="privacy_subjectrequest_act"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Everything on the card is read-only: the decision form below is the only way to act.
        extra_context = {**(extra_context or {}), "work_form": WorkForm(), "show_save": False,
                         "show_save_and_continue": False, "show_save_and_add_another": False,
                         "show_delete": False}
        return super().change_view(request, object_id, form_url, extra_context)

    def work_view(self, request, object_id):
        subject_request = SubjectRequest.objects.filter(pk=object_id).first()
        if subject_request is None or not self.has_view_permission(request, subject_request):
            raise Http404
        if request.method != "POST" or not self.has_change_permission(request, subject_request):
            raise PermissionDenied
        form = WorkForm(request.POST)
        change_url = reverse("admin:privacy_subjectrequest_change", args=[object_id])
        if not form.is_valid():
            messages.error(request, _("Выберите решение."))
            return redirect(change_url)
        decision, comment = form.cleaned_data["decision"], form.cleaned_data["comment"]
        try:
            if decision == "answer":
                services.subject_request_answer(request_id=subject_request.pk, actor=request.user, answer=comment)
            elif decision == "extend":
                services.subject_request_extend(request_id=subject_request.pk, actor=request.user, reason=comment)
            else:
                services.subject_request_erase(request_id=subject_request.pk, actor=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Готово."))
        return redirect(change_url)

    def act_view(self, request, object_id):
        subject_request = SubjectRequest.objects.filter(pk=object_id, act_pdf__isnull=False).first()
        if subject_request is None or not self.has_view_permission(request, subject_request):
            raise Http404
        read_record(request, kind=PersonalDataRead.Kind.DOCUMENT, subject_id=subject_request.user_id,
                    reference=f"act/{subject_request.pk}", now=timezone.now())
        response = HttpResponse(bytes(subject_request.act_pdf), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="act-{subject_request.pk}.pdf"'
        response["Cache-Control"] = "no-store"
        return response


@admin.register(RetentionRule)
class RetentionRuleAdmin(HistoryAdmin):
    list_display = ("code", "title", "keep_days", "action", "is_active")
    readonly_fields = ("code",)

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False  # a rule does something only with its code's applier (privacy.retention)
