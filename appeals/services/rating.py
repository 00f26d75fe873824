"""The customer's assessment of an answer (the company measures satisfaction)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from appeals import access, workflow
from appeals.models import Appeal
from appeals.services import common
from appeals.services.common import Event, now_or


def appeal_rate(appeal_id: int, *, actor, rating: int, comment: str = "", now=None) -> Appeal:
    """The customer's satisfaction with the answer, 1–5, once per answer."""
    now = now_or(now)
    if rating not in (1, 2, 3, 4, 5):
        raise ValidationError({"rating": _("Поставьте оценку от 1 до 5.")})
    with transaction.atomic():
        appeal, role = common.lock_as(appeal_id, actor, access.CUSTOMER)
        if not workflow.is_answered(appeal):
            raise ValidationError(_("Оценить можно обращение, на которое дан ответ."))
        if workflow.rated_this_answer(appeal):
            raise ValidationError(_("Вы уже оценили этот ответ."))
        appeal.rating = rating
        appeal.rating_comment = comment.strip()
        appeal.rated_at = now
        common.record_event(
            appeal, kind=Event.RATING, actor=actor, role=role, now=now,
            comment=f"{rating}/5" + (f": {appeal.rating_comment}" if appeal.rating_comment else ""),
        )
        common.save(appeal, ["rating", "rating_comment", "rated_at"])
    return appeal
