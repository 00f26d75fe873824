"""Recording a survey's answers, inside the caller's transaction (the domain holds its row lock)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from surveys.models import Survey


def _check_rating(value, field, *, required):
    if value is None and not required:
        return
    if value not in (1, 2, 3, 4, 5):
        raise ValidationError({field: _("Поставьте оценку от 1 до 5.")})


def survey_record(*, subject: str, object_id: int, respondent, service_rating: int, supply_rating: int | None,
                  solved: bool | None, comment: str, now) -> Survey:
    _check_rating(service_rating, "rating", required=True)
    _check_rating(supply_rating, "supply_rating", required=False)
    if solved not in (True, False, None):
        raise ValidationError({"solved": _("Ответьте, решён ли вопрос: да или нет.")})
    return Survey.objects.create(
        subject=subject, object_id=object_id, respondent=respondent, service_rating=service_rating,
        supply_rating=supply_rating, solved=solved, comment=comment.strip(), created_at=now,
    )
