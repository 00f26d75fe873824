"""The production calendar overrides and the deadline rules, both edited by staff.

Neither holds anything computed: `deadlines.arithmetic` does the counting,
`deadlines.services` is the only way other apps read these tables.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from audit import history as audit_history
from deadlines.arithmetic import Term, Unit
from deadlines.tables import TableQuerySet

WEEKDAY_NAMES = (
    _("понедельник"),
    _("вторник"),
    _("среда"),
    _("четверг"),
    _("пятница"),
    _("суббота"),
    _("воскресенье"),
)


class CalendarYear(models.Model):
    """A year whose production calendar has been entered in full from its decree.

    A year without this row is "not covered": deadlines still count over the
    Mon–Fri week, and staff are warned from 1 December of the year before.
    """

    year = models.PositiveSmallIntegerField(
        _("год"),
        unique=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )
    decree = models.CharField(
        _("постановление о переносе выходных"),
        max_length=300,
        help_text=_("Например: постановление Правительства РФ от 24.09.2025 № 1466."),
    )
    note = models.TextField(_("примечание"), blank=True)
    created_at = models.DateTimeField(_("внесён"), auto_now_add=True)
    updated_at = models.DateTimeField(_("изменён"), auto_now=True)

    objects = TableQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("год производственного календаря")
        verbose_name_plural = _("годы производственного календаря")

    def __str__(self):
        return str(self.year)


class CalendarDay(models.Model):
    """One date that differs from the Mon–Fri week in a covered year."""

    class Kind(models.TextChoices):
        NONWORKING = "nonworking", _("нерабочий день (праздник или перенесённый выходной)")
        WORKING = "working", _("рабочий выходной день")
        SHORTENED = "shortened", _("сокращённый предпраздничный рабочий день")

    calendar_year = models.ForeignKey(
        CalendarYear, on_delete=models.CASCADE, related_name="days", verbose_name=_("год")
    )
    day = models.DateField(_("дата"), unique=True)
    kind = models.CharField(_("вид"), max_length=16, choices=Kind.choices)
    note = models.CharField(
        _("основание"),
        max_length=200,
        blank=True,
        help_text=_("Например: «Перенос выходного с 3 января» или «Новогодние каникулы»."),
    )

    objects = TableQuerySet.as_manager()

    class Meta:
        ordering = ["day"]
        verbose_name = _("день производственного календаря")
        verbose_name_plural = _("дни производственного календаря")
        indexes = [models.Index(fields=["calendar_year", "day"], name="deadlines_day_year_idx")]

    def __str__(self):
        return f"{self.day:%d.%m.%Y} — {self.get_kind_display()}"

    @property
    def weekday_name(self):
        return WEEKDAY_NAMES[self.day.weekday()]

    def clean(self):
        super().clean()
        if self.day is None:
            return
        # The admin's inline sets an unsaved year on a new page: read the object, not the id.
        calendar_year = getattr(self, "calendar_year", None)
        if calendar_year is not None and calendar_year.year and self.day.year != calendar_year.year:
            raise ValidationError({"day": _("Дата должна относиться к %(year)s году.") % {"year": calendar_year.year}})
        weekend = self.day.weekday() >= 5
        if self.kind == self.Kind.NONWORKING and weekend:
            raise ValidationError(
                {
                    "kind": _(
                        "Суббота и воскресенье и так выходные: отмечайте нерабочими только будни "
                        "(праздник, выпавший на выходной, переносится на будний день — внесите его)."
                    )
                }
            )
        if self.kind == self.Kind.WORKING and not weekend:
            raise ValidationError(
                {"kind": _("Рабочим выходным днём может быть только суббота или воскресенье.")}
            )


class DeadlineRule(models.Model):
    """How long the company has for one kind of request, and why (the legal basis staff see)."""

    class StartEvent(models.TextChoices):
        RECEIPT = "receipt", _("со дня получения")
        REGISTRATION = "registration", _("со дня регистрации")

    code = models.CharField(
        _("код"),
        max_length=64,
        help_text=_(
            "Код, по которому правило находит программа, например appeal.request. Не меняйте без разработчиков."
        ),
    )
    topic = models.CharField(
        _("тематика"),
        max_length=32,
        blank=True,
        default="",
        help_text=_(
            "Пусто — правило для любой тематики; иначе код тематики, для которой закон устанавливает свой срок."
        ),
    )
    title = models.CharField(_("название"), max_length=200)
    amount = models.PositiveIntegerField(_("срок"))
    unit = models.CharField(_("единица"), max_length=16, choices=Unit.choices)
    start_event = models.CharField(_("начало отсчёта"), max_length=16, choices=StartEvent.choices)
    legal_basis = models.TextField(_("правовое основание"))
    extension_allowed = models.BooleanField(_("продление допускается"), default=False)
    extension_amount = models.PositiveIntegerField(
        _("продление не более чем на"),
        default=0,
        help_text=_("В тех же единицах, что и срок. 0, если продление не допускается."),
    )
    is_active = models.BooleanField(
        _("действует"),
        default=True,
        help_text=_("Чтобы изменить срок с новой даты, отключите старое правило и заведите новое."),
    )
    created_at = models.DateTimeField(_("создано"), auto_now_add=True)
    updated_at = models.DateTimeField(_("изменено"), auto_now=True)

    objects = TableQuerySet.as_manager()

    class Meta:
        ordering = ["code", "topic"]
        verbose_name = _("правило срока")
        verbose_name_plural = _("правила сроков")
        constraints = [
            models.UniqueConstraint(
                fields=["code", "topic"],
                condition=Q(is_active=True),
                name="deadlines_rule_one_active_per_code_topic",
                violation_error_message=_("Для этого кода и тематики уже есть действующее правило."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="deadlines_rule_amount_positive",
                violation_error_message=_("Срок должен быть больше нуля."),
            ),
            models.CheckConstraint(
                condition=Q(extension_allowed=False, extension_amount=0)
                | Q(extension_allowed=True, extension_amount__gt=0),
                name="deadlines_rule_extension_consistent",
                violation_error_message=_(
                    "Срок продления указывается, только если продление допускается, и тогда он больше нуля."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.term})" if self.amount and self.unit else self.title

    @property
    def term(self) -> Term:
        return Term(self.amount, Unit(self.unit))

    @property
    def extension_term(self) -> Term | None:
        if not self.extension_allowed or not self.extension_amount:
            return None
        return Term(self.extension_amount, Unit(self.unit))

    def clean(self):
        super().clean()
        errors = {}
        if self.amount is not None and self.amount < 1:
            errors["amount"] = _("Срок должен быть больше нуля.")
        if self.extension_amount is not None:
            if self.extension_allowed and self.extension_amount < 1:
                errors["extension_amount"] = _("Укажите, на сколько можно продлить срок.")
            elif not self.extension_allowed and self.extension_amount:
                errors["extension_amount"] = _(
                    "Продление не допускается: оставьте 0 или отметьте «продление допускается»."
                )
        if errors:
            raise ValidationError(errors)


# The audit trail (audit.history): the rules and the calendar decide every due date.
audit_history.register(DeadlineRule)
audit_history.register(CalendarYear)
audit_history.register(CalendarDay)
