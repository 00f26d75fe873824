"""Satisfaction surveys: the customer's view of the service and of the supply itself.

A survey belongs to whatever it follows — an answered appeal today, a completed contract
application later — named by `subject` ("appeals.appeal") and the object's id, the way the
reminder ledger names its objects: this app knows people, never what an appeal is. The domain
that asks the questions records the answers (surveys.services.survey_record) and decides who
hears of a low rating.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

RATINGS = [(i, str(i)) for i in range(5, 0, -1)]
LOW_RATING = 2  # 1–2: the supervisors are told


class Survey(models.Model):
    subject = models.CharField(_("о чём"), max_length=40)
    object_id = models.PositiveBigIntegerField(_("код объекта"))
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("кто ответил"),
    )
    service_rating = models.PositiveSmallIntegerField(_("оценка обслуживания"))
    # Null for the ratings given before the survey asked about the supply.
    supply_rating = models.PositiveSmallIntegerField(_("оценка электроснабжения"), null=True, blank=True)
    solved = models.BooleanField(_("вопрос решён"), null=True, blank=True)
    comment = models.TextField(_("комментарий"), blank=True)
    created_at = models.DateTimeField(_("когда"))

    class Meta:
        verbose_name = _("опрос удовлетворённости")
        verbose_name_plural = _("опросы удовлетворённости")
        indexes = [
            # The dashboard: a period's answers on one subject, index-only.
            models.Index(fields=["subject", "created_at", "service_rating", "supply_rating", "solved", "object_id"],
                         name="survey_subject_time"),
            models.Index(fields=["subject", "object_id"], name="survey_object"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(service_rating__gte=1, service_rating__lte=5),
                                   name="survey_service_rating_1_to_5"),
            models.CheckConstraint(
                condition=Q(supply_rating__isnull=True) | Q(supply_rating__gte=1, supply_rating__lte=5),
                name="survey_supply_rating_1_to_5",
            ),
        ]

    def __str__(self):
        return f"{self.subject}:{self.object_id} {self.service_rating}/5"

    @property
    def is_low(self):
        low_supply = self.supply_rating is not None and self.supply_rating <= LOW_RATING
        return self.service_rating <= LOW_RATING or low_supply
