"""The staff side of appeals in the Django admin: the queue, registration, and one appeal's work page.

A thin interface, as the cabinet's views are: appeals are fetched through `appeals.access`
(acting as staff), read through `appeals.selectors`, and changed through `appeals.services`;
nothing here queries the ORM or writes a field.
"""

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

from appeals import access, notifying, search, selectors, services, workflow
from appeals.admin_actions import WORK_ACTIONS
from appeals.forms import StaffRegisterForm
from appeals.models import Appeal
from appeals.views import serve_attachment
from audit.admin import HistoryAdmin
from audit.models import PersonalDataRead
from audit.services import read_record
from core.choices import choice_label
from core.forms import add_service_error
from core.paginators import CappedCountPaginator
from deadlines import services as deadline_services
from deadlines.display import due_display, time_left

S = Appeal.Status
SOON_WORKING_DAYS = 3


class DeadlineFilter(admin.SimpleListFilter):
    title = gettext_lazy("срок")
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return [
            ("overdue", gettext_lazy("просрочено")),
            ("soon", gettext_lazy("истекает в ближайшие 3 рабочих дня")),
        ]

    def queryset(self, request, queryset):
        return selectors.queue_by_deadline(queryset, self.value(), now=timezone.now(),
                                           soon_working_days=SOON_WORKING_DAYS)


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
        return selectors.queue_by_status(queryset, self.value(), everything=self.ALL)


class AssigneeFilter(admin.SimpleListFilter):
    title = gettext_lazy("исполнитель")
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        return [("mine", gettext_lazy("мои")), ("none", gettext_lazy("не назначен"))]

    def queryset(self, request, queryset):
        return selectors.queue_by_assignee(queryset, self.value(), request.user)


class ContractFilter(admin.SimpleListFilter):
    """Appeals about one contract or personal account (`?contract=<number>`), reached from an appeal's page.

    There are too many contracts to list as choices: the filter offers only the one chosen.
    """

    title = gettext_lazy("договор / лицевой счёт")
    parameter_name = "contract"

    def lookups(self, request, model_admin):
        value = self.value()
        return [(value, value)] if value else []

    def has_output(self):
        return bool(self.value())

    def queryset(self, request, queryset):
        return queryset.filter(contract__number=self.value()) if self.value() else queryset


class AppealChangeList(ChangeList):
    """Adds what is left until the due moment to every row of the page, from one calendar query:
    hours for an hour term, working days for a day term."""

    def get_results(self, request):
        super().get_results(request)
        rows = deadline_services.with_rules(list(self.result_list))
        if not rows:
            return
        now = timezone.now()
        days_left = deadline_services.working_days_left_each([r.due_at for r in rows], now=now)
        for row, left in zip(rows, days_left, strict=True):
            row.days_left = left if row.is_open else None
            row.time_left = (
                time_left(row.due_at, row.deadline_rule.unit, now=now, working_days_left=left,
                          soon_working_days=SOON_WORKING_DAYS)
                if row.is_open else None
            )
        self.result_list = rows


@admin.register(Appeal)
class AppealAdmin(HistoryAdmin):
    # The most urgent first, in the row and in the list: what is left, the due moment, then whose and what.
    list_display = ("time_left_label", "due", "number_label", "status_label", "customer", "kind_topic", "assignee")
    list_display_links = ("number_label",)
    list_filter = (DeadlineFilter, AssigneeFilter, StatusFilter, "kind", "topic", "channel", ContractFilter)
    list_select_related = ("organisation", "assignee", "contract")
    list_per_page = 50
    # Counts that do not grow with the table: the page count stops at 1,000 rows (core.paginators),
    # the unfiltered total is never counted, and the sidebar offers no per-choice counters, which
    # Django computes over every row of the filtered queue (the supervisors' dashboard has the figures).
    paginator = CappedCountPaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    ordering = ("due_at", "id")
    search_fields = ("number",)  # the real search is get_search_results
    search_help_text = gettext_lazy("Номер обращения, ФИО или наименование заявителя, почта, ИНН или слова из текста")
    actions = None
    date_hierarchy = None

    class Media:
        css = {"all": ("appeals/admin.css",)}

    # --- the queue ---------------------------------------------------------------------

    def get_queryset(self, request):
        return selectors.staff_queue(request.user)

    def changelist_view(self, request, extra_context=None):
        # The queue is the operators' workspace: its width goes to the deadline columns and the
        # filters, not to the admin's app list (the breadcrumbs and the header still lead everywhere).
        return super().changelist_view(request, {"is_nav_sidebar_enabled": False, **(extra_context or {})})

    def get_changelist(self, request, **kwargs):
        return AppealChangeList

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        return self.paginator(queryset, per_page, orphans, allow_empty_first_page,
                              parts=access.staff_scope_parts(request.user))

    def get_search_results(self, request, queryset, search_term):
        return search.staff_search(queryset, search_term, today=timezone.localdate()), False

    @admin.display(description=gettext_lazy("заявитель"), ordering="contact_name")
    def customer(self, obj):
        name = (
            format_html("{}<br><small>{}</small>", obj.organisation.name, obj.contact_name)
            if obj.organisation_id
            else obj.contact_name
        )
        if obj.contract_id:
            return format_html(
                '{}<br><small><a href="?contract={}">{}</a></small>',
                name,
                obj.contract.number,
                _("договор № %(number)s") % {"number": obj.contract.number},
            )
        return name

    @admin.display(description=gettext_lazy("номер"), ordering="number")
    def number_label(self, obj):
        return format_html('<span class="appeal-number">{}</span>', obj.number)

    @admin.display(description=gettext_lazy("статус"), ordering="status")
    def status_label(self, obj):
        return format_html('<span class="appeal-status appeal-status-{}">{}</span>', obj.status,
                           choice_label(obj, "status"))

    @admin.display(description=gettext_lazy("срок ответа"), ordering="due_at")
    def due(self, obj):
        return due_display(obj.due_at, obj.deadline_rule.unit)

    @admin.display(description=gettext_lazy("осталось"), ordering="due_at")
    def time_left_label(self, obj):
        left = getattr(obj, "time_left", None)
        if left is None:
            return "—"
        return format_html('<span class="time-left time-left-{}" data-time-left>{}</span>', left.urgency, left.text)

    @admin.display(description=gettext_lazy("вид, тема"), ordering="kind")
    def kind_topic(self, obj):
        return format_html("{}<br><small>{}</small>", choice_label(obj, "kind"), choice_label(obj, "topic"))

    # --- permissions: never deleted, status never edited ---------------------------------

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is not None and allowed:
            return access.staff_may_access(obj, request.user)
        return allowed

    # --- urls ---------------------------------------------------------------------------

    def get_urls(self):
        custom = [
            path(
                "<int:object_id>/answer-preview/",
                self.admin_site.admin_view(self.answer_preview_view),
                name=f"{self.opts.app_label}_{self.opts.model_name}_answer_preview",
            ),
            path(
                "<int:object_id>/files/<int:attachment_id>/",
                self.admin_site.admin_view(self.attachment_view),
                name=f"{self.opts.app_label}_{self.opts.model_name}_attachment",
            ),
        ]
        return custom + super().get_urls()

    def attachment_view(self, request, object_id, attachment_id):
        attachment = access.access_attachment_for_staff(request.user, object_id, attachment_id)
        if not self.has_view_or_change_permission(request, attachment.appeal):
            raise Http404
        appeal = attachment.appeal
        read_record(request, kind=PersonalDataRead.Kind.DOCUMENT, subject_id=appeal.author_id,
                    organisation_id=appeal.organisation_id, reference=f"{appeal.number}/{attachment.pk}")
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
                add_service_error(form, error)
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

    def change_view(self, request, object_id, form_url="", extra_context=None):
        try:
            appeal = selectors.appeal_for_work_page(request.user, object_id)
        except Http404:
            number = access.number_taken_by_a_colleague(request.user, object_id) if request.method == "POST" else None
            if number is None:
                raise
            return self._taken_by_a_colleague(request, number)
        if not self.has_view_or_change_permission(request, appeal):
            raise Http404
        if request.method == "GET":
            read_record(request, kind=PersonalDataRead.Kind.APPEAL, subject_id=appeal.author_id,
                        organisation_id=appeal.organisation_id, reference=appeal.number)
        can_change = self.has_change_permission(request, appeal)
        bound = {}
        if request.method == "POST":
            if not can_change:
                raise PermissionDenied
            name = request.POST.get("action")
            if name not in WORK_ACTIONS:
                raise Http404
            action = WORK_ACTIONS[name]
            form = action.form(appeal, request, request.POST, request.FILES)
            if form.is_valid():
                try:
                    done = action.perform(appeal, request.user, form.cleaned_data)
                except ValidationError as error:
                    add_service_error(form, error)
                    messages.error(request, " ".join(error.messages))
                except PermissionDenied as denied:
                    messages.error(request, str(denied) or _("Нет прав на это действие."))
                else:
                    messages.success(request, done)
                    return HttpResponseRedirect((action.then and action.then(appeal, request)) or request.path)
            if name == "answer":
                # Sending failed (a bad letter, a changed draft): stay on the preview, with the reason.
                return self._render_answer_preview(request, appeal, form)
            bound[name] = form
        return self._render_work_page(request, appeal, can_change, bound)

    def answer_preview_view(self, request, object_id):
        """The saved draft as the customer will get it: the notice by the templates that send it, and the page."""
        appeal = selectors.appeal_for_work_page(request.user, object_id)
        if not self.has_change_permission(request, appeal):
            raise Http404
        if not appeal.answer_draft.strip() or not workflow.can_answer(appeal):
            messages.warning(request, _("Черновика ответа нет: сначала сохраните текст ответа."))
            return HttpResponseRedirect(reverse("admin:appeals_appeal_change", args=[appeal.pk]))
        return self._render_answer_preview(request, appeal, WORK_ACTIONS["answer"].form(appeal, request, None, None))

    def _render_answer_preview(self, request, appeal, form):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Ответ на обращение № %(number)s: как его увидит заявитель") % {"number": appeal.number},
            "appeal": appeal,
            "original": appeal,
            "notice": notifying.answer_preview(appeal),
            "recipient": notifying.customer_of(appeal),
            "form": form,
            "has_view_permission": True,
        }
        return TemplateResponse(request, "admin/appeals/appeal/answer_preview.html", context)

    def _taken_by_a_colleague(self, request, number):
        """An operator's form for an appeal a colleague took meanwhile (e.g. by answering it first):
        not a bare 404, but the conflict, with what they typed, on the queue page."""
        message = _(
            "Обращение № %(number)s уже взял в работу другой сотрудник, пока была открыта ваша страница. "
            "Ваши изменения не сохранены."
        ) % {"number": number}
        typed = (request.POST.get("draft-text") or request.POST.get("message-text") or "").strip()
        if typed:
            message += " " + _("Ваш текст: «%(text)s»") % {"text": typed[:2000]}
        messages.error(request, message)
        return HttpResponseRedirect(reverse("admin:appeals_appeal_changelist"))

    def _render_work_page(self, request, appeal, can_change, bound):
        page = selectors.work_page_for_staff(appeal)
        role_transitions = [
            t for t in workflow.targets_from(appeal.status, workflow.STAFF)
            if t.target not in (S.ANSWERED, S.REDIRECTED)
        ]
        forms = {}
        if can_change:
            for name, action in WORK_ACTIONS.items():
                forms[name] = bound.get(name) or action.form(appeal, request, None, None)
        rule = appeal.deadline_rule
        can_redirect = can_change and workflow.can_redirect(appeal)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Обращение № %(number)s") % {"number": appeal.number},
            "appeal": appeal,
            "original": appeal,
            "events": page.events,
            "conversation": page.conversation,
            "appeal_files": page.appeal_files,
            "decisions": page.decisions,
            "can_decide": can_change,
            "today": timezone.localdate(),
            "can_change": can_change,
            "forms": forms,
            "transitions": role_transitions,
            "can_answer": can_change and workflow.can_answer(appeal),
            "can_redirect": can_redirect,
            "redirect_due": services.redirect_due_at(appeal) if can_redirect else None,
            "can_extend": can_change and workflow.can_extend(appeal),
            "can_assign": can_change and workflow.can_assign(appeal),
            "can_message": can_change,
            "rule": rule,
            # After a conflict the operator keeps what they typed, to compare and reuse.
            "unsaved_answer": bound["draft"].data.get("draft-text", "") if "draft" in bound else "",
            "has_view_permission": True,
        }
        return TemplateResponse(request, "admin/appeals/appeal/work.html", context)
