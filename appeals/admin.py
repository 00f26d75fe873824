"""The staff side of appeals in the Django admin: the queue, registration, and one appeal's work page.

Every change goes through `appeals.services`; nothing here writes a field.
"""

import re

from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organisation
from appeals import search, selectors, services, workflow
from appeals.forms import (
    AnswerForm,
    AssignForm,
    ExtendForm,
    RedirectForm,
    StaffMessageForm,
    StaffRegisterForm,
    TransitionForm,
)
from appeals.models import NUMBER_PATTERN, Appeal, AppealEvent, AppealMessage, Attachment
from appeals.views import serve_attachment
from deadlines import services as deadline_services
from deadlines.display import due_display

S = Appeal.Status
SOON_WORKING_DAYS = 3


def _open(queryset):
    return queryset.filter(status__in=Appeal.OPEN_STATUSES)


class DeadlineFilter(admin.SimpleListFilter):
    title = gettext_lazy("срок")
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return [
            ("overdue", gettext_lazy("просрочено")),
            ("soon", gettext_lazy("истекает в ближайшие 3 рабочих дня")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "overdue":
            return _open(queryset).filter(due_at__lt=now)
        if self.value() == "soon":
            cutoff = deadline_services.working_days_cutoff(now=now, days=SOON_WORKING_DAYS)
            return _open(queryset).filter(due_at__gte=now, due_at__lte=cutoff)
        return queryset


class StatusFilter(admin.SimpleListFilter):
    """The queue is work to do: open appeals unless another status (or all) is asked for."""

    title = gettext_lazy("статус")
    parameter_name = "status"
    ALL = "all"

    def lookups(self, request, model_admin):
        return [(self.ALL, gettext_lazy("все")), *Appeal.Status.choices]

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": _("в работе (все открытые)"),
        }
        for value, label in self.lookup_choices:
            yield {
                "selected": self.value() == str(value),
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return _open(queryset)
        if value == self.ALL:
            return queryset
        if value in Appeal.Status.values:
            return queryset.filter(status=value)
        return queryset.none()


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


class AppealChangeList(ChangeList):
    """Adds the working days left to every row of the page from one calendar query."""

    def get_results(self, request):
        super().get_results(request)
        rows = list(self.result_list)
        if not rows:
            return
        days_left = deadline_services.working_days_left_each([r.due_at for r in rows], now=timezone.now())
        for row, left in zip(rows, days_left, strict=True):
            row.days_left = left if row.is_open else None
        self.result_list = rows


@admin.register(Appeal)
class AppealAdmin(admin.ModelAdmin):
    list_display = ("number_label", "customer", "kind", "topic", "status_label", "assignee", "due", "days_left_label")
    list_display_links = ("number_label",)
    list_filter = (DeadlineFilter, AssigneeFilter, StatusFilter, "kind", "topic", "channel")
    list_select_related = ("organisation", "assignee")
    list_per_page = 50
    show_full_result_count = False
    ordering = ("due_at", "id")
    search_fields = ("number",)  # the real search is get_search_results
    search_help_text = gettext_lazy("Номер обращения, ФИО или наименование заявителя, почта, ИНН или слова из текста")
    actions = None
    date_hierarchy = None

    class Media:
        css = {"all": ("appeals/admin.css",)}

    # --- the queue ---------------------------------------------------------------------

    def get_queryset(self, request):
        return (
            selectors.appeals_for_staff(request.user)
            .select_related("organisation", "assignee", "deadline_rule")
            .defer("text", "answer_text", "extension_reason", "rating_comment", "postal_address",
                   "deadline_rule__legal_basis")
        )

    def get_changelist(self, request, **kwargs):
        return AppealChangeList

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        if re.fullmatch(NUMBER_PATTERN, term):
            return queryset.filter(number=term), False
        if term.isdigit() and len(term) <= 6:
            # "123" is most likely this or a recent year's 2026-000123: exact numbers, through the unique index.
            year = timezone.localdate().year
            return queryset.filter(number__in=[f"{y}-{int(term):06d}" for y in range(year - 5, year + 1)]), False
        if term.isdigit() and len(term) in (10, 12):
            return queryset.filter(organisation__inn=term), False
        if "@" in term:
            return queryset.filter(contact_email=term.lower()), False
        # Organisations first (a small table), so the appeal filter stays two index scans.
        organisation_ids = list(Organisation.objects.filter(name__icontains=term).values_list("pk", flat=True)[:200])
        return search.text_match(queryset, term, or_organisation_ids=organisation_ids), False

    @admin.display(description=gettext_lazy("заявитель"), ordering="contact_name")
    def customer(self, obj):
        if obj.organisation_id:
            return format_html("{}<br><small>{}</small>", obj.organisation.name, obj.contact_name)
        return obj.contact_name

    @admin.display(description=gettext_lazy("номер"), ordering="number")
    def number_label(self, obj):
        return format_html('<span class="appeal-number">{}</span>', obj.number)

    @admin.display(description=gettext_lazy("статус"), ordering="status")
    def status_label(self, obj):
        return format_html('<span class="appeal-status appeal-status-{}">{}</span>', obj.status,
                           obj.get_status_display())

    @admin.display(description=gettext_lazy("срок ответа"), ordering="due_at")
    def due(self, obj):
        return due_display(obj.due_at, obj.deadline_rule.unit)

    @admin.display(description=gettext_lazy("осталось раб. дн."))
    def days_left_label(self, obj):
        days = getattr(obj, "days_left", None)
        if days is None:
            return "—"
        if days < 0:
            css, text = "days-left-overdue", _("просрочено на %(n)d") % {"n": -days}
        elif days == 0:
            css, text = "days-left-today", _("сегодня")
        elif days <= SOON_WORKING_DAYS:
            css, text = "days-left-soon", str(days)
        else:
            css, text = "days-left-ok", str(days)
        return format_html('<span class="{}">{}</span>', css, text)

    # --- permissions: never deleted, status never edited ---------------------------------

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is not None and allowed:
            return services.staff_may_access(obj, request.user)
        return allowed

    # --- urls ---------------------------------------------------------------------------

    def get_urls(self):
        custom = [
            path(
                "<int:object_id>/files/<int:attachment_id>/",
                self.admin_site.admin_view(self.attachment_view),
                name=f"{self.opts.app_label}_{self.opts.model_name}_attachment",
            ),
        ]
        return custom + super().get_urls()

    def attachment_view(self, request, object_id, attachment_id):
        appeal = self.get_queryset(request).filter(pk=object_id).first()
        if appeal is None or not self.has_view_or_change_permission(request, appeal):
            raise Http404
        attachment = Attachment.objects.filter(pk=attachment_id, appeal=appeal).first()
        if attachment is None:
            raise Http404
        return serve_attachment(attachment)

    # --- registering an appeal that came by mail, phone or in person -------------------

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = StaffRegisterForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                appeal = services.appeal_register_by_staff(
                    actor=request.user,
                    channel=data["channel"],
                    received_at=data["received_at"],
                    author=data["author_email"],
                    organisation=data["organisation_inn"],
                    contact_name=data["contact_name"],
                    contact_email=data["contact_email"] or "",
                    contact_phone=data["contact_phone"],
                    kind=data["kind"],
                    topic=data["topic"],
                    subject=data["subject"],
                    text=data["text"],
                    answer_channel=data["answer_channel"],
                    postal_address=data["postal_address"],
                    files=data["files"],
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Обращение зарегистрировано под № %(number)s, срок ответа %(due)s.")
                    % {"number": appeal.number, "due": timezone.localtime(appeal.due_at).strftime("%d.%m.%Y %H:%M")},
                )
                if services.registration_late(appeal):
                    messages.warning(request, _(
                        "Обращение зарегистрировано позже трёх дней с момента поступления (59-ФЗ, ст. 8 ч. 2)."
                    ))
                return HttpResponseRedirect(reverse("admin:appeals_appeal_change", args=[appeal.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Регистрация обращения"),
            "form": form,
            "has_view_permission": True,
        }
        return TemplateResponse(request, "admin/appeals/appeal/register.html", context)

    # --- one appeal: read everything, act through services --------------------------------

    ACTIONS = ("assign", "transition", "message", "extend", "redirect", "answer")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        appeal = (
            self.get_queryset(request)
            .select_related("author", "answered_by", "extended_by", "deadline_rule", "visitor_consent")
            .defer(None)
            .filter(pk=object_id)
            .first()
        )
        if appeal is None and request.method == "POST":
            taken = self._taken_by_a_colleague(request, object_id)
            if taken is not None:
                return taken
        if appeal is None or not self.has_view_or_change_permission(request, appeal):
            raise Http404
        can_change = self.has_change_permission(request, appeal)
        bound = {}
        if request.method == "POST":
            if not can_change:
                raise PermissionDenied
            action = request.POST.get("action")
            if action not in self.ACTIONS:
                raise Http404
            form = self._action_form(action, appeal, request, data=request.POST, files=request.FILES)
            if form.is_valid():
                try:
                    self._perform(action, appeal, request, form.cleaned_data)
                except ValidationError as error:
                    _add_errors(form, error)
                    messages.error(request, " ".join(error.messages))
                except PermissionDenied as denied:
                    messages.error(request, str(denied) or _("Нет прав на это действие."))
                else:
                    return HttpResponseRedirect(request.path)
            bound[action] = form
        return self._render_work_page(request, appeal, can_change, bound)

    def _taken_by_a_colleague(self, request, object_id):
        """An operator's form for an appeal a colleague took meanwhile (e.g. by answering it first):
        not a bare 404, but the conflict, with what they typed, on the queue page."""
        if not request.user.has_perm("appeals.change_appeal"):
            return None
        number = Appeal.objects.filter(pk=object_id).values_list("number", flat=True).first()
        if number is None:
            return None
        message = _(
            "Обращение № %(number)s уже взял в работу другой сотрудник, пока была открыта ваша страница. "
            "Ваши изменения не сохранены."
        ) % {"number": number}
        typed = (request.POST.get("answer-text") or request.POST.get("message-text") or "").strip()
        if typed:
            message += " " + _("Ваш текст: «%(text)s»") % {"text": typed[:2000]}
        messages.error(request, message)
        return HttpResponseRedirect(reverse("admin:appeals_appeal_changelist"))

    def _action_form(self, action, appeal, request, data=None, files=None):
        initial = {"version": appeal.version}
        if action == "assign":
            return AssignForm(data, initial={**initial, "assignee": appeal.assignee_id},
                              assignees=selectors.assignees_for(request.user), prefix="assign")
        if action == "transition":
            return TransitionForm(data, initial=initial, prefix="transition")
        if action == "message":
            return StaffMessageForm(data, files, initial=initial, prefix="message")
        if action == "extend":
            return ExtendForm(data, initial={**initial, "amount": appeal.deadline_rule.extension_amount or None},
                              prefix="extend")
        if action == "redirect":
            return RedirectForm(data, initial={**initial, "sent_on": timezone.localdate()}, prefix="redirect")
        return AnswerForm(data, files, initial=initial, prefix="answer")

    def _perform(self, action, appeal, request, data):
        user, version = request.user, data["version"]
        if action == "assign":
            services.appeal_assign(appeal.pk, assignee=data["assignee"], actor=user, expected_version=version)
            messages.success(request, _("Исполнитель назначен."))
        elif action == "transition":
            services.appeal_transition(appeal.pk, to=data["to"], actor=user, comment=data["comment"],
                                       expected_version=version)
            messages.success(request, _("Статус изменён."))
        elif action == "message":
            # The form checks each file; the service re-checks the count under the row lock.
            services.appeal_add_message(appeal.pk, actor=user, text=data["text"], internal=data["internal"],
                                        files=data["files"])
            messages.success(request, _("Заметка сохранена.") if data["internal"] else _("Сообщение отправлено."))
        elif action == "extend":
            services.appeal_extend(appeal.pk, actor=user, amount=data["amount"], reason=data["reason"],
                                   expected_version=version)
            messages.success(request, _("Срок продлён."))
        elif action == "redirect":
            services.appeal_redirect(appeal.pk, actor=user, organisation_name=data["organisation_name"],
                                     sent_on=data["sent_on"], comment=data["comment"], expected_version=version)
            messages.success(request, _("Обращение отмечено как перенаправленное."))
        else:
            services.appeal_answer(appeal.pk, actor=user, text=data["text"], letter=data["letter"],
                                   expected_version=version)
            messages.success(request, _("Ответ сохранён и доступен заявителю."))

    def _render_work_page(self, request, appeal, can_change, bound):
        events = list(AppealEvent.objects.filter(appeal=appeal).select_related("actor").order_by("created_at", "id"))
        conversation = list(
            AppealMessage.objects.filter(appeal=appeal).select_related("author").order_by("created_at", "id")
        )
        attachments = list(Attachment.objects.filter(appeal=appeal).order_by("created_at", "id"))
        for message in conversation:
            message.files = [a for a in attachments if a.message_id == message.pk]
        role_transitions = [
            t for t in workflow.targets_from(appeal.status, workflow.STAFF)
            if t.target not in (S.ANSWERED, S.REDIRECTED)
        ]
        forms = {}
        if can_change:
            for action in self.ACTIONS:
                forms[action] = bound.get(action) or self._action_form(action, appeal, request)
        rule = appeal.deadline_rule
        can_redirect = can_change and workflow.transition_for(appeal.status, S.REDIRECTED) is not None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Обращение № %(number)s") % {"number": appeal.number},
            "appeal": appeal,
            "original": appeal,
            "events": events,
            "conversation": conversation,
            "appeal_files": [a for a in attachments if a.message_id is None],
            "can_change": can_change,
            "forms": forms,
            "transitions": role_transitions,
            "can_answer": can_change and workflow.can_answer(appeal),
            "can_redirect": can_redirect,
            "redirect_due": services.redirect_due_at(appeal) if can_redirect else None,
            "can_extend": can_change and workflow.can_extend(appeal),
            "can_assign": can_change and appeal.is_open,
            "can_message": can_change,
            "rule": rule,
            # After a conflict the operator keeps what they typed, to compare and reuse.
            "unsaved_answer": bound["answer"].data.get("answer-text", "") if "answer" in bound else "",
            "has_view_permission": True,
        }
        return TemplateResponse(request, "admin/appeals/appeal/work.html", context)


def _add_errors(form, error: ValidationError):
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
