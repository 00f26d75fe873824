"""The customer's contract applications: start one, complete the draft and its documents, submit, follow,
withdraw, download the draft and the signed contract.

Every fetch goes through `contracts.access`: another customer's application is a 404. An organisation's
member without the administrator's role sees its applications but gets a plain refusal when acting.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contracts import access, selectors_applications
from contracts import application_workflow as workflow
from contracts.forms_applications import (
    ApplicationForm,
    DocumentUploadForm,
    WithdrawForm,
    point_formset,
    points_of,
)
from contracts.models_applications import KINDS_ON_A_CONTRACT, ApplicationKind
from contracts.services import applications as services
from contracts.services.applications import NOT_ADMIN_MESSAGE
from core.forms import add_service_error
from core.private_files import serve_private

PAGE_SIZE = 20
KIND_HINTS = {
    ApplicationKind.CONCLUDE: _("Новое подключение или первый письменный договор: гражданину — на квартиру или "
                                "дом, организации — на её точки поставки."),
    ApplicationKind.REREGISTER: _("Сменился собственник или арендатор помещения: договор переходит к новому "
                                  "потребителю."),
    ApplicationKind.AMEND: _("Тариф, ценовая категория, максимальная мощность или контактные данные."),
    ApplicationKind.TERMINATE: _("Договор перестаёт действовать с указанной даты (например, при продаже "
                                 "помещения)."),
}


@require_GET
@login_required
def apply_start(request):
    kinds = [(kind, label, KIND_HINTS[kind]) for kind, label in ApplicationKind.choices]
    return render(request, "contracts/applications/apply_start.html", {
        "kinds": kinds,
        "contract": request.GET.get("contract", ""),
        "member_only": access.member_without_apply_right(request.user),
    })


def _form_kwargs(user, kind):
    return {
        "kind": kind,
        "organisations": list(access.organisations_user_may_apply_for(user)),
        "contracts": selectors_applications.contracts_to_apply_on(user) if kind in KINDS_ON_A_CONTRACT else [],
    }


def _save_draft(request, form, formset, save):
    """Validate the form and its supply points, then `save(organisation, contract, points)`; errors stay on them."""
    if not (form.is_valid() & (formset is None or formset.is_valid())):
        return None
    points = points_of(formset)
    organisation, contract = form.chosen()
    try:
        return save(organisation, contract, points)
    except PermissionDenied as refused:
        form.add_error(None, str(refused) or NOT_ADMIN_MESSAGE)
    except ValidationError as error:
        add_service_error(form, error)
    return None


@require_http_methods(["GET", "POST"])
@login_required
def apply_form(request, kind):
    if kind not in ApplicationKind.values:
        raise Http404
    kwargs = _form_kwargs(request.user, kind)
    may_apply_for_organisation = bool(kwargs["organisations"])
    if request.method == "POST":
        form = ApplicationForm(request.POST, **kwargs)
        formset = point_formset(kind, organisation=may_apply_for_organisation, data=request.POST)

        def create(organisation, contract, points):
            return services.application_create_draft(
                actor=request.user, kind=kind, organisation=organisation, contract=contract,
                fields=form.service_fields(), points=points,
            )

        application = _save_draft(request, form, formset, create)
        if application is not None:
            messages.success(request, _("Черновик заявки сохранён. Загрузите документы и подайте заявку."))
            return redirect("contracts:application", application_id=application.pk)
    else:
        form = ApplicationForm(initial={"contract": request.GET.get("contract", "")}, **kwargs)
        formset = point_formset(kind, organisation=may_apply_for_organisation)
    no_contracts = kind in KINDS_ON_A_CONTRACT and not kwargs["contracts"]
    return render(request, "contracts/applications/apply_form.html", {
        "form": form, "formset": formset, "kind": kind, "kind_label": ApplicationKind(kind).label,
        "no_contracts": no_contracts, "member_only": access.member_without_apply_right(request.user),
    })


@require_GET
@login_required
def application_list(request):
    paginator = Paginator(selectors_applications.applications_for_list(request.user), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "contracts/applications/list.html", {"page": page})


@require_GET
@login_required
def application_detail(request, application_id):
    application = access.access_application_for_customer(
        request.user, application_id, related=("organisation", "contract", "deadline_rule")
    )
    return _render_detail(request, application)


def _render_detail(request, application, *, upload_form=None, status=200):
    page = selectors_applications.application_page(application)
    may_act = access.may_act_on_application(request.user, application)
    if upload_form is None and may_act and workflow.can_upload(application):
        upload_form = DocumentUploadForm(requirements=[row["requirement"] for row in page["checklist"]])
    return render(request, "contracts/applications/detail.html", {
        "application": application,
        "page": page,
        "due_explanation": selectors_applications.due_explanation(application, page["pauses"]),
        "may_act": may_act,
        "can_edit": may_act and workflow.can_edit(application),
        "can_withdraw": may_act and workflow.can_withdraw(application),
        "upload_form": upload_form if may_act and workflow.can_upload(application) else None,
        "withdraw_form": WithdrawForm(),
        "not_admin_message": NOT_ADMIN_MESSAGE,
    }, status=status)


def _acting(request, application_id):
    """The application, for an action: 404 for others, a clear refusal for a member without the right."""
    application = access.access_application_for_customer(request.user, application_id)
    if not access.may_act_on_application(request.user, application):
        messages.error(request, NOT_ADMIN_MESSAGE)
        return application, redirect("contracts:application", application_id=application.pk)
    return application, None


@require_http_methods(["GET", "POST"])
@login_required
def application_edit(request, application_id):
    application, refused = _acting(request, application_id)
    if refused:
        return refused
    if not workflow.can_edit(application):
        messages.error(request, _("Заявка уже подана: её поля больше не меняются."))
        return redirect("contracts:application", application_id=application.pk)
    kwargs = _form_kwargs(request.user, application.kind)
    kwargs["fixed_applicant"] = application.organisation or False
    for_organisation = application.organisation_id is not None
    if request.method == "POST":
        form = ApplicationForm(request.POST, **kwargs)
        formset = point_formset(application.kind, organisation=for_organisation, data=request.POST)

        def update(organisation, contract, points):
            return services.application_update_draft(application.pk, actor=request.user,
                                                     fields=form.service_fields(), points=points, contract=contract)

        if _save_draft(request, form, formset, update) is not None:
            messages.success(request, _("Черновик сохранён."))
            return redirect("contracts:application", application_id=application.pk)
    else:
        initial = {name: getattr(application, name) for name in services.DRAFT_FIELDS}
        initial["contract"] = application.contract.number if application.contract_id else ""
        form = ApplicationForm(initial=initial, **kwargs)
        formset = point_formset(application.kind, organisation=for_organisation, initial=[
            {"address": p.address, "max_power_kw": p.max_power_kw, "voltage": p.voltage,
             "meter_serial": p.meter_serial, "meter_zones": p.meter_zones}
            for p in application.points.all()
        ])
    return render(request, "contracts/applications/apply_form.html", {
        "form": form, "formset": formset, "kind": application.kind, "kind_label": application.get_kind_display(),
        "application": application,
    })


@require_POST
@login_required
def application_upload(request, application_id):
    application, refused = _acting(request, application_id)
    if refused:
        return refused
    page = selectors_applications.application_page(application)
    form = DocumentUploadForm(request.POST, request.FILES,
                              requirements=[row["requirement"] for row in page["checklist"]])
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.application_add_documents(application.pk, actor=request.user, files=data["files"],
                                               requirement_id=data["requirement"], title=data["title"])
        except PermissionDenied as denied:
            messages.error(request, str(denied))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Документ загружен."))
            return redirect("contracts:application", application_id=application.pk)
    application.refresh_from_db()
    return _render_detail(request, application, upload_form=form, status=400)


@require_POST
@login_required
def application_submit(request, application_id):
    application, refused = _acting(request, application_id)
    if refused:
        return refused
    try:
        application = services.application_submit(application.pk, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Заявка подана и зарегистрирована под № %(number)s.")
                         % {"number": application.number})
    return redirect("contracts:application", application_id=application.pk)


@require_http_methods(["GET", "POST"])
@login_required
def application_withdraw(request, application_id):
    application, refused = _acting(request, application_id)
    if refused:
        return refused
    if request.method == "POST":
        form = WithdrawForm(request.POST)
        if form.is_valid():
            try:
                services.application_withdraw(application.pk, actor=request.user,
                                              comment=form.cleaned_data["comment"])
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("Заявка отозвана."))
            return redirect("contracts:application", application_id=application.pk)
    else:
        form = WithdrawForm()
    return render(request, "contracts/applications/withdraw.html", {"application": application, "form": form})


def _serve(field_file, *, filename, content_type="application/pdf"):
    return serve_private(field_file, filename=filename, content_type=content_type)


@require_GET
@login_required
def application_document(request, application_id, document_id):
    document = access.access_application_document_for_customer(request.user, application_id, document_id)
    return _serve(document.file, filename=document.original_name, content_type=document.content_type)


@require_GET
@login_required
def application_draft(request, application_id):
    application = access.access_application_for_customer(request.user, application_id)
    return _serve(application.draft_file, filename=f"proekt-dogovora-{application.number}.pdf")


@require_GET
@login_required
def application_signed(request, application_id):
    application = access.access_application_for_customer(request.user, application_id)
    return _serve(application.signed_file, filename=f"dogovor-{application.number}.pdf")
