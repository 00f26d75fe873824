"""Data-subject requests (152-ФЗ ст. 14, 20, 21): see, correct or delete one's data, or withdraw consent."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from audit import history as audit_history


class SubjectRequest(models.Model):
    class Kind(models.TextChoices):
        ACCESS = "access", _("ознакомиться с моими данными")
        CORRECTION = "correction", _("исправить мои данные")
        DELETION = "deletion", _("удалить мои данные")
        WITHDRAWAL = "withdrawal", _("отзыв согласия и уничтожение данных")

    class Channel(models.TextChoices):
        CABINET = "cabinet", _("личный кабинет")
        PAPER = "paper", _("на бумаге")

    class Status(models.TextChoices):
        OPEN = "open", _("на рассмотрении")
        ANSWERED = "answered", _("ответ дан")
        ERASED = "erased", _("данные удалены, составлен акт")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="subject_requests",
                             verbose_name=_("субъект"))
    kind = models.CharField(_("что просит"), max_length=12, choices=Kind.choices)
    channel = models.CharField(_("как поступил"), max_length=8, choices=Channel.choices, default=Channel.CABINET)
    text = models.TextField(_("текст запроса"), blank=True)
    status = models.CharField(_("состояние"), max_length=10, choices=Status.choices, default=Status.OPEN)
    received_at = models.DateTimeField(_("поступил"))
    due_at = models.DateTimeField(_("срок ответа"))
    deadline_rule = models.ForeignKey("deadlines.DeadlineRule", on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("правило срока"))
    extended_at = models.DateTimeField(_("срок продлён"), null=True, blank=True)
    extension_reason = models.TextField(_("причина продления (мотивированное уведомление)"), blank=True)
    answered_at = models.DateTimeField(_("ответ дан"), null=True, blank=True)
    answer = models.TextField(_("ответ"), blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("сотрудник"))
    # The act of destruction (PDF), kept with the request: the proof 152-ФЗ asks for.
    act_pdf = models.BinaryField(_("акт об уничтожении"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("запрос субъекта персональных данных")
        verbose_name_plural = _("Запросы субъектов персональных данных")
        ordering = ["due_at", "pk"]
        indexes = [models.Index(fields=["status", "due_at"], name="privacy_request_queue")]

    def __str__(self):
        return _("Запрос №%(pk)s: %(kind)s") % {"pk": self.pk, "kind": self.get_kind_display()}

    @property
    def erases(self) -> bool:
        return self.kind in (self.Kind.DELETION, self.Kind.WITHDRAWAL)


audit_history.register(SubjectRequest, exclude=("act_pdf",))


class RetentionRule(models.Model):
    """How long a kind of record is kept, as data (like the deadline rules): the law changes.

    The periodic job (privacy.retention) applies each active rule and records what it did.
    """

    class Action(models.TextChoices):
        ANONYMISE = "anonymise", _("обезличить")

    code = models.CharField(_("код"), max_length=40, unique=True)
    title = models.CharField(_("что хранится"), max_length=200)
    keep_days = models.PositiveIntegerField(_("срок хранения, дней"))
    action = models.CharField(_("что сделать по истечении"), max_length=12, choices=Action.choices,
                              default=Action.ANONYMISE)
    legal_basis = models.TextField(_("правовое основание"))
    is_active = models.BooleanField(_("действует"), default=True)

    class Meta:
        verbose_name = _("правило хранения")
        verbose_name_plural = _("Правила хранения данных")
        ordering = ["code"]

    def __str__(self):
        return self.title


audit_history.register(RetentionRule)
