"""The transition table: every allowed move, and the refusals with their messages."""

from datetime import timedelta

import pytest

from appeals import workflow
from appeals.models import Appeal
from appeals.tests.factories import NOW

S = Appeal.Status
ALL = list(S)

ALLOWED = {
    (S.REGISTERED, S.IN_PROGRESS, "staff"),
    (S.REGISTERED, S.WITHDRAWN, "customer"),
    (S.REGISTERED, S.REDIRECTED, "staff"),
    (S.IN_PROGRESS, S.WAITING_FOR_CUSTOMER, "staff"),
    (S.IN_PROGRESS, S.ANSWERED, "staff"),
    (S.IN_PROGRESS, S.WITHDRAWN, "customer"),
    (S.IN_PROGRESS, S.REDIRECTED, "staff"),
    (S.WAITING_FOR_CUSTOMER, S.IN_PROGRESS, "staff"),
    (S.WAITING_FOR_CUSTOMER, S.IN_PROGRESS, "customer"),
    (S.WAITING_FOR_CUSTOMER, S.WITHDRAWN, "customer"),
    (S.ANSWERED, S.CLOSED, "staff"),
    (S.ANSWERED, S.REOPENED, "customer"),
    (S.REOPENED, S.IN_PROGRESS, "staff"),
    (S.REOPENED, S.WITHDRAWN, "customer"),
}


def appeal_in(status, **fields):
    defaults = {"answer_text": "Ответ", "redirected_to": "Прокуратура", "redirected_on": NOW.date(),
                "answered_at": NOW, "reopened_count": 0}
    return Appeal(status=status, **{**defaults, **fields})


@pytest.mark.parametrize("source", ALL)
@pytest.mark.parametrize("target", ALL)
@pytest.mark.parametrize("role", ["staff", "customer"])
def test_the_table_allows_exactly_the_listed_moves(source, target, role):
    allowed = (source, target, role) in ALLOWED
    if allowed:
        workflow.check_transition(appeal_in(source), target, role, NOW)
    else:
        with pytest.raises(workflow.TransitionNotAllowed):
            workflow.check_transition(appeal_in(source), target, role, NOW)


def test_an_unknown_status_is_refused_not_crashed():
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.check_transition(appeal_in(S.REGISTERED), "archived", "staff", NOW)


def test_no_way_out_of_final_statuses():
    for final in (S.CLOSED, S.WITHDRAWN, S.REDIRECTED):
        assert workflow.targets_from(final, "staff") == []
        assert workflow.targets_from(final, "customer") == []


def test_withdrawal_is_impossible_once_answered():
    assert not workflow.can_withdraw(appeal_in(S.ANSWERED))
    assert not workflow.can_withdraw(appeal_in(S.CLOSED))
    assert workflow.can_withdraw(appeal_in(S.WAITING_FOR_CUSTOMER))


def test_illegal_move_message_names_both_statuses():
    with pytest.raises(workflow.TransitionNotAllowed) as refused:
        workflow.check_transition(appeal_in(S.CLOSED), S.IN_PROGRESS, "staff", NOW)
    assert "«закрыто»" in str(refused.value.message)
    assert "«в работе»" in str(refused.value.message)


def test_customer_cannot_do_staff_moves_and_is_told_so():
    with pytest.raises(workflow.TransitionNotAllowed) as refused:
        workflow.check_transition(appeal_in(S.IN_PROGRESS), S.ANSWERED, "customer", NOW)
    assert "сотрудник" in str(refused.value.message)


def test_answer_needs_text_and_redirect_needs_organisation():
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.check_transition(appeal_in(S.IN_PROGRESS, answer_text="  "), S.ANSWERED, "staff", NOW)
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.check_transition(appeal_in(S.IN_PROGRESS, redirected_to=""), S.REDIRECTED, "staff", NOW)


def test_reopen_once_within_30_days_of_the_answer():
    answered = appeal_in(S.ANSWERED, answered_at=NOW)
    assert workflow.can_reopen(answered, NOW + timedelta(days=30))
    assert not workflow.can_reopen(answered, NOW + timedelta(days=30, seconds=1))
    assert not workflow.can_reopen(appeal_in(S.ANSWERED, reopened_count=1), NOW)
    assert not workflow.can_reopen(appeal_in(S.CLOSED), NOW)
