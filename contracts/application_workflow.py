"""The contract application workflow: which status may follow which, and who may move it.

The only place these rules live (the shape of `appeals.workflow`): the transitions table and
the checks that go with a move. `contracts.services.applications` enforces them; the pages ask
them. Pure: no ORM.
"""


from django.utils.translation import gettext_lazy as _

from contracts.models_applications import ContractApplication
from core.workflow import Transition, TransitionNotAllowed, TransitionTable

S = ContractApplication.Status

STAFF = "staff"
CUSTOMER = "customer"


_STAFF, _CUSTOMER = frozenset({STAFF}), frozenset({CUSTOMER})

TRANSITIONS = (
    Transition(S.DRAFT, S.SUBMITTED, _CUSTOMER, _("Подать заявку")),
    Transition(S.DRAFT, S.WITHDRAWN, _CUSTOMER, _("Удалить черновик")),
    Transition(S.SUBMITTED, S.CHECKING, _STAFF, _("Взять на проверку")),
    Transition(S.SUBMITTED, S.WAITING_DOCUMENTS, _STAFF, _("Запросить документы")),
    Transition(S.SUBMITTED, S.REJECTED, _STAFF, _("Отказать")),
    Transition(S.SUBMITTED, S.WITHDRAWN, _CUSTOMER, _("Отозвать заявку")),
    Transition(S.CHECKING, S.WAITING_DOCUMENTS, _STAFF, _("Запросить документы")),
    Transition(S.CHECKING, S.DRAFT_SENT, _STAFF, _("Направить проект договора")),
    Transition(S.CHECKING, S.REJECTED, _STAFF, _("Отказать")),
    Transition(S.CHECKING, S.WITHDRAWN, _CUSTOMER, _("Отозвать заявку")),
    # The customer's upload starts the clock again; staff may also stop waiting.
    Transition(S.WAITING_DOCUMENTS, S.CHECKING, frozenset({STAFF, CUSTOMER}), _("Продолжить проверку")),
    Transition(S.WAITING_DOCUMENTS, S.REJECTED, _STAFF, _("Отказать")),
    Transition(S.WAITING_DOCUMENTS, S.WITHDRAWN, _CUSTOMER, _("Отозвать заявку")),
    Transition(S.DRAFT_SENT, S.SIGNED, _STAFF, _("Договор подписан")),
    Transition(S.DRAFT_SENT, S.WAITING_DOCUMENTS, _STAFF, _("Запросить документы")),
    Transition(S.DRAFT_SENT, S.REJECTED, _STAFF, _("Отказать")),
    Transition(S.DRAFT_SENT, S.WITHDRAWN, _CUSTOMER, _("Отозвать заявку")),
)

_TABLE = TransitionTable(TRANSITIONS)
transition_for = _TABLE.get
targets_from = _TABLE.targets_from


def check_transition(application, target, role, *, comment: str = ""):
    """Raise TransitionNotAllowed with a clear Russian message unless the move is allowed."""
    source = application.status
    if target not in S.values:
        raise TransitionNotAllowed(_("Неизвестный статус заявки."))
    if source in (S.SIGNED, S.WITHDRAWN, S.REJECTED):
        raise TransitionNotAllowed(
            _("Заявка в статусе «%(status)s» закрыта: изменить её нельзя.") % {"status": S(source).label}
        )
    transition = transition_for(source, target)
    if transition is None:
        raise TransitionNotAllowed(
            _("Нельзя перевести заявку из статуса «%(source)s» в статус «%(target)s».")
            % {"source": S(source).label, "target": S(target).label}
        )
    if role not in transition.by:
        if role == CUSTOMER:
            raise TransitionNotAllowed(_("Это действие выполняет сотрудник, а не заявитель."))
        raise TransitionNotAllowed(_("Это действие выполняет только сам заявитель."))
    if target == S.WAITING_DOCUMENTS and not comment.strip():
        raise TransitionNotAllowed(_("Напишите, каких документов не хватает: заявитель увидит этот текст."))
    if target == S.REJECTED and not comment.strip():
        raise TransitionNotAllowed(_("Напишите причину отказа: заявитель увидит её."))
    if target == S.DRAFT_SENT and not application.draft_file:
        raise TransitionNotAllowed(_("Сначала приложите проект договора (PDF)."))
    if target == S.SIGNED and not application.signed_file and not application.draft_file:
        raise TransitionNotAllowed(_("Приложите подписанный договор (PDF)."))
    return transition


def can_edit(application) -> bool:
    """The customer changes the application's fields only while it is a draft."""
    return application.status == S.DRAFT


def can_upload(application) -> bool:
    """Documents may be added to a draft, and while staff wait for them or check them."""
    return application.status in (S.DRAFT, S.SUBMITTED, S.CHECKING, S.WAITING_DOCUMENTS)


def can_withdraw(application) -> bool:
    t = transition_for(application.status, S.WITHDRAWN)
    return t is not None and CUSTOMER in t.by


def _staff_may(source, target) -> bool:
    transition = transition_for(source, target)
    return transition is not None and STAFF in transition.by


def draft_steps(status) -> tuple | None:
    """The staff moves that attaching a draft contract makes from `status`, by the table: none to replace the
    draft already sent; straight to DRAFT_SENT where staff may; a submitted application is first taken for
    checking. None: no draft may be attached in this status."""
    if status == S.DRAFT_SENT:
        return ()
    if _staff_may(status, S.DRAFT_SENT):
        return (S.DRAFT_SENT,)
    if status == S.SUBMITTED and _staff_may(status, S.CHECKING) and _staff_may(S.CHECKING, S.DRAFT_SENT):
        return (S.CHECKING, S.DRAFT_SENT)
    return None


def can_send_draft(application) -> bool:
    return draft_steps(application.status) is not None


def can_sign(application) -> bool:
    return _staff_may(application.status, S.SIGNED)


def can_check_documents(application) -> bool:
    return application.status in (S.SUBMITTED, S.CHECKING, S.WAITING_DOCUMENTS)
