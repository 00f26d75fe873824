"""The customer's appeals: file, list, follow, reply, withdraw, rate, reopen.

Every view here acts as the customer (`access.CUSTOMER`), also for a staff member
following their own appeal: their staff powers belong to the admin.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.security import client_ip
from accounts.selectors import memberships_for
from appeals import access, selectors, services, workflow
from appeals.forms import AppealForm, RateForm, ReopenForm, ReplyForm, WithdrawForm
from appeals.models import Appeal
from contracts import access as contract_access
from core.forms import add_service_error
from core.paginators import page_of
from core.private_files import serve_private
from deadlines.display import due_display

PAGE_SIZE = 20


@require_GET
@login_required
def appeal_list(request):
    status = request.GET.get("status", "")
    if status not in Appeal.Status.values:
        status = ""
    page = page_of(selectors.appeal_list_for_customer(request.user, status=status or None), request.GET.get("page"),
                   PAGE_SIZE)
    return render(
        request,
        "appeals/appeal_list.html",
        {"page": page, "status": status, "statuses": Appeal.Status.choices, "now": timezone.now()},
    )


@require_http_methods(["GET", "POST"])
@login_required
def appeal_new(request):
    memberships = memberships_for(request.user)
    bindings = contract_access.binding_list_for_customer(
        request.user, organisation_ids=[m.organisation_id for m in memberships]
    )
    status = 200
    if request.method == "POST":
        form = AppealForm(request.POST, request.FILES, memberships=memberships, bindings=bindings)
        if form.is_valid():
            data = form.cleaned_data
            try:
                appeal, _created = services.appeal_submit(
                    author=request.user,
                    organisation=data.get("organisation"),
                    contract=data.get("contract", ""),
                    kind=data["kind"],
                    topic=data["topic"],
                    subject=data["subject"],
                    text=data["text"],
                    answer_channel=data["answer_channel"],
                    postal_address=data["postal_address"],
                    files=data["files"],
                    idempotency_key=data["idempotency_key"],
                    ip_address=client_ip(request),
                )
            except ValidationError as error:
                add_service_error(form, error)
                if any(getattr(e, "code", None) == "rate_limited" for e in getattr(error, "error_list", [])):
                    status = 429
            else:
                return redirect("appeals:submitted", number=appeal.number)
    else:
        initial = {}
        if request.GET.get("topic") in Appeal.Topic.values:
            initial["topic"] = request.GET["topic"]
        if request.GET.get("kind") in Appeal.Kind.values:
            initial["kind"] = request.GET["kind"]
        for_organisation = request.GET.get("organisation")
        chosen = next((b for b in bindings if b.contract.number == request.GET.get("contract")), None)
        if chosen is not None:
            # From an organisation's contract page the appeal is the organisation's.
            initial["contract"] = chosen.contract.number
            for_organisation = chosen.organisation_id or for_organisation
            if chosen.organisation_id is None:
                initial["organisation"] = ""
        form = AppealForm(initial=initial, memberships=memberships, bindings=bindings,
                          for_organisation=for_organisation)
    return render(request, "appeals/appeal_new.html", {"form": form}, status=status)


@require_GET
@login_required
def appeal_submitted(request, number):
    appeal = access.access_appeal_for_customer(request.user, number)
    return render(request, "appeals/appeal_submitted.html", {"appeal": appeal})


def _detail_context(request, number, **forms):
    page = selectors.appeal_page_for_customer(request.user, number)
    appeal = page.appeal
    now = timezone.now()
    can_reply, can_write = workflow.can_reply(appeal), workflow.can_write(appeal)
    can_rate, can_reopen = workflow.can_rate(appeal), workflow.can_reopen(appeal, now)
    # Each action's form only when the page shows it (a form sent back with errors always is).
    context = {
        "page": page,
        "appeal": appeal,
        "can_reply": can_reply,
        "can_write": can_write,
        "can_withdraw": workflow.can_withdraw(appeal),
        "can_rate": can_rate,
        "can_reopen": can_reopen,
        "info_request": page.info_request if can_reply else None,
        "due_explanation": selectors.due_explanation(page),
        "reply_form": forms.get("reply_form") or (ReplyForm(appeal=appeal) if can_write else None),
        "rate_form": forms.get("rate_form") or (RateForm() if can_rate else None),
        "reopen_form": forms.get("reopen_form") or (ReopenForm(appeal=appeal) if can_reopen else None),
        "answers": [e for e in page.events if e.kind == e.Kind.ANSWER],
    }
    return context


@require_GET
@login_required
def appeal_detail(request, number):
    return render(request, "appeals/appeal_detail.html", _detail_context(request, number))


def _conflict(error) -> bool:
    return any(getattr(e, "code", None) == "conflict" for e in getattr(error, "error_list", []))


def _run(request, form, action):
    """Run a customer action's service; on refusal put the reason on the form and at the top of the page.

    Returns None on success, else the HTTP status to re-render with: 409 when the appeal
    changed since the page was shown, 400 for any other refusal.
    """
    try:
        action(form.cleaned_data)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        add_service_error(form, error)
        # The action's form may not be on the page any more (e.g. withdrawing an
        # appeal answered meanwhile): say why at the top as well.
        for message in form.non_field_errors():
            messages.error(request, message)
        return 409 if _conflict(error) else 400
    return None


def _act(request, number, form_class, form_key, action, success_message):
    """Run a customer action on one appeal: scoped fetch, form, service, redirect or re-render."""
    appeal = access.access_appeal_for_customer(request.user, number)
    form_kwargs = {"appeal": appeal}
    if form_class is ReplyForm:
        form_kwargs["already_attached"] = access.files_sent_by_customer(appeal).count()
    form = form_class(request.POST, request.FILES, **form_kwargs)
    status = 400
    if form.is_valid():
        status = _run(request, form, lambda data: action(appeal, data))
        if status is None:
            messages.success(request, success_message() if callable(success_message) else success_message)
            return redirect("appeals:detail", number=appeal.number)
    context = _detail_context(request, number, **{form_key: form})
    return render(request, "appeals/appeal_detail.html", context, status=status)


@require_POST
@login_required
def appeal_reply(request, number):
    """The customer's message: a reply to the operator's request, or a message to an open appeal."""
    sent = {}

    def send(appeal, data):
        message = services.appeal_add_message(
            appeal.pk, actor=request.user, as_role=access.CUSTOMER, text=data["text"], files=data["files"],
            expected_status=data["shown_status"] or None,
        )
        # A reply to a request for information returns the appeal to work; any other message does not.
        sent["reply"] = Appeal.objects.filter(pk=appeal.pk).values_list("status", flat=True).first() != appeal.status
        return message

    def told():
        if sent.get("reply"):
            return _("Ответ отправлен, обращение снова в работе.")
        return _("Сообщение отправлено: исполнитель увидит его в обращении.")

    return _act(request, number, ReplyForm, "reply_form", send, told)


@require_http_methods(["GET", "POST"])
@login_required
def appeal_withdraw(request, number):
    """Withdrawing asks first: a page that says what it means, then the withdrawal itself."""
    appeal = access.access_appeal_for_customer(request.user, number)
    status = 200
    if request.method == "POST":
        form = WithdrawForm(request.POST, appeal=appeal)
        status = 400
        if form.is_valid():
            status = _run(request, form, lambda data: services.appeal_withdraw(
                appeal.pk, actor=request.user, as_role=access.CUSTOMER, comment=data["comment"],
                expected_status=data["shown_status"] or None,
            ))
            if status is None:
                messages.success(request, _("Обращение отозвано."))
                return redirect("appeals:detail", number=appeal.number)
            appeal = access.access_appeal_for_customer(request.user, number)
    else:
        form = WithdrawForm(appeal=appeal)
    return render(
        request, "appeals/appeal_withdraw.html",
        {"appeal": appeal, "form": form, "can_withdraw": workflow.can_withdraw(appeal)}, status=status,
    )


@require_POST
@login_required
def appeal_rate(request, number):
    return _act(
        request, number, RateForm, "rate_form",
        lambda appeal, data: services.appeal_rate(
            appeal.pk, actor=request.user, rating=data["rating"], comment=data["comment"],
            supply_rating=data["supply_rating"], solved=data["solved"],
        ),
        _("Спасибо за оценку."),
    )


@require_POST
@login_required
def appeal_reopen(request, number):
    reopened = {}

    def reopen(appeal, data):
        reopened["appeal"] = services.appeal_reopen(
            appeal.pk, actor=request.user, as_role=access.CUSTOMER, comment=data["comment"],
            expected_status=data["shown_status"] or None,
        )

    def told():
        appeal = reopened["appeal"]
        return _(
            "Обращение возобновлено: мы рассмотрим его повторно. Новый срок ответа — %(due)s."
        ) % {"due": due_display(appeal.due_at, appeal.deadline_rule.unit)}

    return _act(request, number, ReopenForm, "reopen_form", reopen, told)


def serve_attachment(attachment):
    """Send a private file as a download, never rendered inline by the browser."""
    return serve_private(attachment.file, filename=attachment.original_name, content_type=attachment.content_type)


@require_GET
@login_required
def attachment_download(request, number, attachment_id):
    return serve_attachment(access.access_attachment_for_customer(request.user, number, attachment_id))
