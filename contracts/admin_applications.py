"""The staff side of contract applications in the Django admin: the queue, one application's work page,
and the checklist of required documents.

Thin, as the appeals' admin is: reads through `selectors_applications`, every change through
`contracts.services.application_staff`; the status is never a form field.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.admin import HistoryAdmin
from audit.models import PersonalDataRead
from audit.services import read_record
from contracts import application_workflow as workflow
from contracts import selectors_applications
from contracts.models_applications import ContractApplication, RequiredDocument
from contracts.services import application_staff as staff
from core.admin import SafeChangeList
from core.choices import choice_labels
from core.paginators import CappedCountPaginator
from core.private_files import serve_private
from deadlines import services as deadline_services
from deadlines.display import due_display, time_left

S = ContractApplication.Status
SOON_WORKING_DAYS = 3


@admin.register(RequiredDocument)
class RequiredDocumentAdmin(HistoryAdmin):
    list_display = ("title", "kind", "customer_kind", "position", "is_active")
    list_filter = ("kind", "customer_kind", "is_active")
    list_editable = ("position", "is_active")
    ordering = ("kind", "customer_kind", "position", "pk")

    def has_delete_permission(self, request, obj=None):
        return False  # switch a line off instead: documents uploaded for it keep their label


class StatusFilter(admin.SimpleListFilter):
    """The queue is work to do: open applications unless a status (or all) is asked for."""

    title = gettext_lazy("статус")
    parameter_name = "status"
    ALL = "all"

    def lookups(self, request, model_admin):
        return [(self.ALL, gettext_lazy("все")), *[(v, label) for v, label in S.choices if v != S.DRAFT]]

    def choices(self, changelist):
        yield {"selected": self.value() is None,
               "query_string": changelist.get_query_string(remove=[self.parameter_name]),
               "display": _("открытые (все в работе)")}
        for value, label in self.lookup_choices:
            yield {"selected": self.value() == str(value),
                   "query_string": changelist.get_query_string({self.parameter_name: value}), "display": label}

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset.filter(status__in=ContractApplication.OPEN_STATUSES)
        if value == self.ALL:
            return queryset
        if value not in S.values:
            return queryset.none()
        return queryset.filter(status=value)


class DeadlineFilter(admin.SimpleListFilter):
    title = gettext_lazy("срок")
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return [("overdue", gettext_lazy("просрочено")),
                ("soon", gettext_lazy("истекает в ближайшие 3 рабочих дня"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        running = queryset.filter(status__in=ContractApplication.RUNNING_STATUSES)
        if self.value() == "overdue":
            return running.filter(due_at__lt=now)
        if self.value() == "soon":
            cutoff = deadline_services.working_days_cutoff(now=now, days=SOON_WORKING_DAYS)
            return running.filter(due_at__gte=now, due_at__lte=cutoff)
        return queryset


class AssigneeFilter(admin.SimpleListFilter):
    title = gettext_lazy("исполнитель")
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        return [("mine", gettext_lazy("мои")), ("none", gettext_lazy("не назначен"))]

    def queryset(self, request, queryset):
        if self.value() == "mine":
            return queryset.filter(assignee=request.user)
        if self.value() == "none":
            return queryset.filter(assignee__isnull=True)
        return queryset


class ApplicationChangeList(SafeChangeList):
    """Working days left for every row of the page, from one calendar query; a stopped clock says so."""

    def get_results(self, request):
        super().get_results(request)
        rows = list(self.result_list)
        if not rows:
            return
        labels = {name: choice_labels(ContractApplication, name) for name in ("kind", "status", "customer_kind")}
        now = timezone.now()
        days_left = deadline_services.working_days_left_each([r.due_at for r in rows], now=now)
        for row, left in zip(rows, days_left, strict=True):
            row.labels = {name: labels[name].get(getattr(row, name), getattr(row, name)) for name in labels}
            row.time_left = (
                time_left(row.due_at, "working_days", now=now, working_days_left=left,
                          soon_working_days=SOON_WORKING_DAYS)
                if row.status in ContractApplication.RUNNING_STATUSES else None
            )
        self.result_list = rows


# --- the work page's forms ---------------------------------------------------------------------


class CommentForm(forms.Form):
    comment = forms.CharField(label=gettext_lazy("Текст для заявителя"), widget=forms.Textarea(attrs={"rows": 3}),
                              max_length=3000)


class DraftForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Проект договора (PDF)"))


class SignForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Подписанный договор (PDF)"))
    contract_number = forms.CharField(
        label=gettext_lazy("Номер договора (у гражданина — лицевого счёта)"), max_length=40, required=False,
        help_text=gettext_lazy("Нужен при заключении нового договора; для остальных заявок — договор заявки."),
    )


class CheckDocumentForm(forms.Form):
    document = forms.IntegerField(widget=forms.HiddenInput)
    verdict = forms.ChoiceField(choices=[("accept", gettext_lazy("принять")), ("refuse", gettext_lazy("не принять"))],
                                label=gettext_lazy("Решение"))
    reason = forms.CharField(label=gettext_lazy("Почему не принят"), max_length=500, required=False)


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Исполнитель"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = get_user_model().objects.filter(is_staff=True, is_active=True).order_by(
            "last_name", "first_name", "email")


def _do(name, application, user, data):
    """Run the action's service; returns the message for staff."""
    expected = data.get("_status")
    if name == "take":
        staff.application_take(application.pk, actor=user, expected_status=expected)
        return _("Заявка взята на проверку.")
    if name == "request":
        staff.application_request_documents(application.pk, actor=user, comment=data["comment"],
                                            expected_status=expected)
        return _("Документы запрошены, срок приостановлен; заявитель уведомлён.")
    if name == "resume":
        staff.application_transition(application.pk, to=S.CHECKING, actor=user, expected_status=expected)
        return _("Проверка продолжена, срок возобновлён.")
    if name == "reject":
        staff.application_reject(application.pk, actor=user, reason=data["comment"], expected_status=expected)
        return _("Заявителю отказано; причина ему видна.")
    if name == "draft":
        staff.application_send_draft(application.pk, actor=user, draft=data["file"], expected_status=expected)
        return _("Проект договора направлен заявителю.")
    if name == "sign":
        staff.application_sign(application.pk, actor=user, signed=data["file"],
                               contract_number=data.get("contract_number", ""), expected_status=expected)
        return _("Договор подписан и размещён в личном кабинете заявителя.")
    if name == "check":
        staff.application_check_document(application.pk, data["document"], actor=user,
                                         accepted=data["verdict"] == "accept", reason=data.get("reason", ""))
        return _("Решение по документу сохранено.")
    if name == "assign":
        staff.application_assign(application.pk, actor=user, assignee=data["assignee"])
        return _("Исполнитель назначен.")
    raise Http404


FORMS = {"take": forms.Form, "request": CommentForm, "resume": forms.Form, "reject": CommentForm,
         "draft": DraftForm, "sign": SignForm, "check": CheckDocumentForm, "assign": AssignForm}


@admin.register(ContractApplication)
class ContractApplicationAdmin(HistoryAdmin):
    # The most urgent first: what is left, the due date, then whose and what.
    list_display = ("time_left_label", "due", "number_label", "status_label", "kind_label", "customer",
                    "assignee")
    list_display_links = ("number_label",)
    list_filter = (DeadlineFilter, StatusFilter, AssigneeFilter, "kind", "customer_kind")
    list_select_related = ("organisation", "assignee", "author")
    list_per_page = 50
    # The page count stops at 1,000 rows (core.paginators); the unfiltered total is never counted.
    paginator = CappedCountPaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    ordering = ("due_at", "id")
    search_fields = ("=number", "customer_name", "=inn")
    actions = None

    def get_queryset(self, request):
        # Customers' drafts are theirs until submitted.
        return super().get_queryset(request).exclude(status=S.DRAFT)

    def get_changelist(self, request, **kwargs):
        return ApplicationChangeList

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("осталось"), ordering="due_at")
    def time_left_label(self, obj):
        if obj.status == S.WAITING_DOCUMENTS:
            return format_html('<span class="time-left time-left-paused" data-time-left>{}</span>',
                               _("срок стоит с %(d)s") % {"d": timezone.localtime(obj.paused_since).strftime("%d.%m")}
                               if obj.paused_since else _("срок стоит"))
        left = getattr(obj, "time_left", None)
        if left is None:
            return "—"
        return format_html('<span class="time-left time-left-{}" data-time-left>{}</span>', left.urgency, left.text)

    @admin.display(description=gettext_lazy("срок"), ordering="due_at")
    def due(self, obj):
        return due_display(obj.due_at, "working_days")

    @admin.display(description=gettext_lazy("номер"), ordering="number")
    def number_label(self, obj):
        return obj.number

    @admin.display(description=gettext_lazy("статус"), ordering="status")
    def status_label(self, obj):
        return getattr(obj, "labels", {}).get("status") or obj.get_status_display()

    @admin.display(description=gettext_lazy("вид"), ordering="kind")
    def kind_label(self, obj):
        labels = getattr(obj, "labels", None) or {}
        return format_html("{}<br><small>{}</small>", labels.get("kind") or obj.get_kind_display(),
                           labels.get("customer_kind") or obj.get_customer_kind_display())

    @admin.display(description=gettext_lazy("заявитель"), ordering="customer_name")
    def customer(self, obj):
        if obj.organisation_id:
            return format_html("{}<br><small>{}</small>", obj.organisation.name, obj.author)
        return obj.customer_name or str(obj.author)

    # --- urls: files ---------------------------------------------------------------------

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path("<int:object_id>/documents/<int:document_id>/", self.admin_site.admin_view(self.document_view),
                 name=f"{name}_document"),
            path("<int:object_id>/file/<str:which>/", self.admin_site.admin_view(self.file_view),
                 name=f"{name}_file"),
            *super().get_urls(),
        ]

    def _application(self, request, object_id):
        application = self.get_queryset(request).select_related(
            "organisation", "author", "contract", "assignee", "deadline_rule"
        ).filter(pk=object_id).first()
        if application is None or not self.has_view_or_change_permission(request, application):
            raise Http404
        return application

    def document_view(self, request, object_id, document_id):
        application = self._application(request, object_id)
        document = application.documents.filter(pk=document_id).first()
        if document is None:
            raise Http404
        self._record_read(request, application, PersonalDataRead.Kind.DOCUMENT, f"{application.pk}/{document.pk}")
        return serve_private(document.file, filename=document.original_name, content_type=document.content_type)

    def file_view(self, request, object_id, which):
        application = self._application(request, object_id)
        field = {"draft": application.draft_file, "signed": application.signed_file}.get(which)
        if field is None:
            raise Http404
        self._record_read(request, application, PersonalDataRead.Kind.DOCUMENT, f"{application.pk}/{which}")
        return serve_private(field, filename=f"{which}-{application.number}.pdf", content_type="application/pdf")

    # --- one application: read everything, act through services --------------------------------

    @staticmethod
    def _record_read(request, application, kind, reference):
        read_record(request, kind=kind, subject_id=application.author_id, organisation_id=application.organisation_id,
                    reference=reference)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        application = self._application(request, object_id)
        if request.method == "GET":
            reference = application.number or application.pk
            self._record_read(request, application, PersonalDataRead.Kind.APPLICATION, reference)
        can_change = self.has_change_permission(request, application) and request.user.has_perm(
            "contracts.review_contractapplication")
        bound = {}
        if request.method == "POST":
            if not can_change:
                raise PermissionDenied
            name = request.POST.get("action")
            if name not in FORMS:
                raise Http404
            form = FORMS[name](request.POST, request.FILES, prefix=name)
            if form.is_valid():
                data = {**form.cleaned_data, "_status": request.POST.get("shown_status") or None}
                try:
                    done = _do(name, application, request.user, data)
                except ValidationError as error:
                    messages.error(request, " ".join(error.messages))
                else:
                    messages.success(request, done)
                    return HttpResponseRedirect(request.path)
            bound[name] = form
        return self._render(request, application, can_change, bound)

    def _render(self, request, application, can_change, bound):
        page = selectors_applications.application_page(application, staff=True)
        staff_targets = {t.target for t in workflow.targets_from(application.status, workflow.STAFF)}
        forms_ = {name: bound.get(name) or cls(prefix=name) for name, cls in FORMS.items()} if can_change else {}
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Заявка на договор № %(number)s") % {"number": application.number},
            "application": application,
            "original": application,
            "page": page,
            "documents": [d for row in page["checklist"] for d in row["documents"]] + page["extra_documents"],
            "can_change": can_change,
            "forms": forms_,
            "can_take": can_change and S.CHECKING in staff_targets and application.status == S.SUBMITTED,
            "can_resume": can_change and application.status == S.WAITING_DOCUMENTS,
            "can_request": can_change and S.WAITING_DOCUMENTS in staff_targets,
            "can_reject": can_change and S.REJECTED in staff_targets,
            "can_draft": can_change and workflow.can_send_draft(application),
            "can_sign": can_change and workflow.can_sign(application),
            "can_check": can_change and workflow.can_check_documents(application),
            "can_assign": can_change and application.is_open,
            "has_view_permission": True,
        }
        return TemplateResponse(request, "admin/contracts/contractapplication/work.html", context)
