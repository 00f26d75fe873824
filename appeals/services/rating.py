"""The customer's assessment of an answer: the company measures satisfaction with the service and the supply.

The answers are a satisfaction survey (surveys.Survey, subject "appeals.appeal"); the service rating is also
kept on the appeal, where its page shows it. A low rating (1–2) tells the supervisors, through the outbox.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from appeals import access, notifying, workflow
from appeals.models import Appeal
from appeals.services import common
from appeals.services.common import Event, now_or
from surveys.services import survey_record

SURVEY_SUBJECT = "appeals.appeal"


def appeal_rate(
    appeal_id: int, *, actor, rating: int, comment: str = "", supply_rating: int | None = None,
    solved: bool | None = None, now=None,
) -> Appeal:
    """The customer's satisfaction with the answer (1–5), with the supply (1–5) and whether the issue was
    solved, once per answer."""
    now = now_or(now)
    if rating not in (1, 2, 3, 4, 5):
        raise ValidationError({"rating": _("Поставьте оценку от 1 до 5.")})
    with transaction.atomic():
        appeal, role = common.lock_as(appeal_id, actor, access.CUSTOMER)
        if not workflow.is_answered(appeal):
            raise ValidationError(_("Оценить можно обращение, на которое дан ответ."))
        if workflow.rated_this_answer(appeal):
            raise ValidationError(_("Вы уже оценили этот ответ."))
        survey = survey_record(
            subject=SURVEY_SUBJECT, object_id=appeal.pk, respondent=actor, service_rating=rating,
            supply_rating=supply_rating, solved=solved, comment=comment, now=now,
        )
        appeal.rating = rating
        appeal.rating_comment = survey.comment
        appeal.rated_at = now
        event = common.record_event(
            appeal, kind=Event.RATING, actor=actor, role=role, now=now,
            comment=f"{rating}/5" + (f": {appeal.rating_comment}" if appeal.rating_comment else ""),
        )
        common.save(appeal, ["rating", "rating_comment", "rated_at"])
        if survey.is_low:
            notifying.low_rating(appeal, survey, event=event)
    return appeal
