"""The appeal workflow: which status may follow which, and who may move it.

This module is the only place the rules of who may do what live (the transitions table
and the `can_*` predicates); `appeals.services` enforces them and the pages ask them.
Who *is* the customer or staff on an appeal is `appeals.access`'s question; here the
role is given. Pure: no ORM, `now` passed in.
"""

from datetime import datetime, timedelta

from django.utils.translation import gettext_lazy as _

from appeals.models import Appeal
from core.workflow import Transition, TransitionNotAllowed, TransitionTable

S = Appeal.Status

STAFF = "staff"
CUSTOMER = "customer"

# A customer unhappy with the answer may reopen the appeal once, within this
# many days after it was given.
REOPEN_WINDOW = timedelta(days=30)
MAX_REOPENINGS = 1


TRANSITIONS = (
    Transition(S.REGISTERED, S.IN_PROGRESS, frozenset({STAFF}), _("Взять в работу")),
    Transition(S.REGISTERED, S.WITHDRAWN, frozenset({CUSTOMER}), _("Отозвать обращение")),
    Transition(S.REGISTERED, S.REDIRECTED, frozenset({STAFF}), _("Перенаправить")),
    Transition(S.IN_PROGRESS, S.WAITING_FOR_CUSTOMER, frozenset({STAFF}), _("Запросить сведения у заявителя")),
    Transition(S.IN_PROGRESS, S.ANSWERED, frozenset({STAFF}), _("Дать ответ")),
    Transition(S.IN_PROGRESS, S.WITHDRAWN, frozenset({CUSTOMER}), _("Отозвать обращение")),
    Transition(S.IN_PROGRESS, S.REDIRECTED, frozenset({STAFF}), _("Перенаправить")),
    # The customer's reply returns it to work; staff may also stop waiting.
    Transition(S.WAITING_FOR_CUSTOMER, S.IN_PROGRESS, frozenset({STAFF, CUSTOMER}), _("Вернуть в работу")),
    Transition(S.WAITING_FOR_CUSTOMER, S.WITHDRAWN, frozenset({CUSTOMER}), _("Отозвать обращение")),
    Transition(S.ANSWERED, S.CLOSED, frozenset({STAFF}), _("Закрыть")),
    Transition(S.ANSWERED, S.REOPENED, frozenset({CUSTOMER}), _("Возобновить")),
    Transition(S.REOPENED, S.IN_PROGRESS, frozenset({STAFF}), _("Взять в работу")),
    Transition(S.REOPENED, S.WITHDRAWN, frozenset({CUSTOMER}), _("Отозвать обращение")),
)

_TABLE = TransitionTable(TRANSITIONS)
transition_for = _TABLE.get
targets_from = _TABLE.targets_from


def check_transition(appeal, target, role, now: datetime):
    """Raise TransitionNotAllowed with a clear message unless the move is allowed now."""
    source = appeal.status
    if target not in S.values:
        raise TransitionNotAllowed(_("Неизвестный статус обращения."))
    transition = transition_for(source, target)
    if transition is None:
        raise TransitionNotAllowed(
            _("Нельзя перевести обращение из статуса «%(source)s» в статус «%(target)s».")
            % {"source": S(source).label, "target": S(target).label}
        )
    if role not in transition.by:
        if role == CUSTOMER:
            raise TransitionNotAllowed(_("Это действие выполняет сотрудник, а не заявитель."))
        raise TransitionNotAllowed(_("Это действие выполняет только сам заявитель."))
    if target == S.ANSWERED and not appeal.answer_text.strip():
        raise TransitionNotAllowed(_("Сначала введите текст ответа."))
    if target == S.REDIRECTED and not (appeal.redirected_to and appeal.redirected_on):
        raise TransitionNotAllowed(_("Укажите организацию и дату, когда обращение ей направлено."))
    if target == S.REOPENED:
        if appeal.reopened_count >= MAX_REOPENINGS:
            raise TransitionNotAllowed(_("Обращение можно возобновить только один раз."))
        if appeal.answered_at is None or now > appeal.answered_at + REOPEN_WINDOW:
            raise TransitionNotAllowed(_("Возобновить обращение можно в течение 30 дней после ответа."))
    return transition


def can_reopen(appeal, now: datetime) -> bool:
    try:
        check_transition(appeal, S.REOPENED, CUSTOMER, now)
    except TransitionNotAllowed:
        return False
    return True


def can_withdraw(appeal) -> bool:
    t = transition_for(appeal.status, S.WITHDRAWN)
    return t is not None and CUSTOMER in t.by


def is_answered(appeal) -> bool:
    return appeal.status in (S.ANSWERED, S.CLOSED) and appeal.answered_at is not None


def rated_this_answer(appeal) -> bool:
    """A rating belongs to one answer: after a reopening and a new answer it may be given again."""
    return appeal.rated_at is not None and appeal.answered_at is not None and appeal.rated_at >= appeal.answered_at


def can_rate(appeal) -> bool:
    return is_answered(appeal) and not rated_this_answer(appeal)


def can_reply(appeal) -> bool:
    """The operator asked the customer for information: the customer's message answers it."""
    return appeal.status == S.WAITING_FOR_CUSTOMER


def can_write(appeal) -> bool:
    """A customer may add a message or a document to an open appeal at any time."""
    return appeal.is_open


def can_answer(appeal) -> bool:
    """Staff answer an appeal in work; a registered one is taken into work on the way."""
    status = S.IN_PROGRESS if appeal.status == S.REGISTERED else appeal.status
    t = transition_for(status, S.ANSWERED)
    return t is not None and STAFF in t.by


def can_redirect(appeal) -> bool:
    """Staff send an appeal to the competent organisation while it is registered or in work."""
    t = transition_for(appeal.status, S.REDIRECTED)
    return t is not None and STAFF in t.by


def can_assign(appeal) -> bool:
    return appeal.is_open


def can_extend(appeal) -> bool:
    """Once, while open, and only where the rule allows an extension (59-ФЗ ст. 12 ч. 2)."""
    rule = appeal.deadline_rule
    return appeal.is_open and appeal.extended_at is None and rule is not None and rule.extension_allowed
