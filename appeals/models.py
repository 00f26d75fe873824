"""Customer appeals (обращения), their history, conversation and files.

The status is written by `appeals.services` only (through `appeal_transition`);
the field is not editable in any form. Appeals are kept for 5 years and are
never deleted from the portal.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from audit import history as audit_history
from core.uploads import PrivateFileStorage, random_stored_name

NUMBER_PATTERN = r"\d{4}-\d{6}"


class Appeal(models.Model):
    class Kind(models.TextChoices):
        REQUEST = "request", _("запрос информации")
        APPLICATION = "application", _("заявление")
        COMPLAINT = "complaint", _("жалоба")
        CLAIM = "claim", _("претензия")
        SUGGESTION = "suggestion", _("предложение")

    class Topic(models.TextChoices):
        BILLING = "billing", _("начисления и оплата")
        METERING = "metering", _("приборы учёта и показания")
        POWER_QUALITY = "power_quality", _("качество электроэнергии и перерывы в подаче")
        CONTRACT = "contract", _("договор энергоснабжения")
        CONNECTION = "connection", _("технологическое присоединение")
        RESTRICTION = "restriction", _("ограничение подачи за долг")
        ACCOUNT = "account", _("лицевой счёт и личный кабинет")
        OTHER = "other", _("другое")

    class Channel(models.TextChoices):
        CABINET = "cabinet", _("личный кабинет")
        SITE = "site", _("сайт (без учётной записи)")
        EMAIL = "email", _("электронная почта")
        PHONE = "phone", _("телефон")
        POST = "post", _("почта")
        OFFICE = "office", _("офис обслуживания")

    class AnswerChannel(models.TextChoices):
        CABINET = "cabinet", _("в личном кабинете")
        EMAIL = "email", _("по электронной почте")
        POST = "post", _("почтой по адресу")

    class Status(models.TextChoices):
        REGISTERED = "registered", _("зарегистрировано")
        IN_PROGRESS = "in_progress", _("в работе")
        WAITING_FOR_CUSTOMER = "waiting_for_customer", _("ожидает ответа заявителя")
        ANSWERED = "answered", _("дан ответ")
        CLOSED = "closed", _("закрыто")
        WITHDRAWN = "withdrawn", _("отозвано заявителем")
        REDIRECTED = "redirected", _("перенаправлено")
        REOPENED = "reopened", _("возобновлено")

    # Statuses in which the company still owes an answer: the queue, the
    # reminder scan and the partial index below work over these.
    OPEN_STATUSES = (Status.REGISTERED, Status.IN_PROGRESS, Status.WAITING_FOR_CUSTOMER, Status.REOPENED)

    number = models.CharField(_("номер"), max_length=11, unique=True, editable=False)
    # No single-column indexes on these three: the composite ones below start with them.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals",
        verbose_name=_("заявитель (учётная запись)"),
        db_index=False,
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals",
        verbose_name=_("организация"),
        db_index=False,
    )
    # The applicant as of filing: kept for every appeal (with or without an
    # account) so the record stays complete and the queue needs no joins.
    contact_name = models.CharField(_("заявитель"), max_length=300)
    contact_email = models.EmailField(_("электронная почта"), blank=True)
    contact_phone = models.CharField(_("телефон"), max_length=32, blank=True)

    kind = models.CharField(_("вид"), max_length=16, choices=Kind.choices)
    topic = models.CharField(_("тема"), max_length=16, choices=Topic.choices)
    channel = models.CharField(_("канал поступления"), max_length=10, choices=Channel.choices)
    # The customer's contract or personal account the appeal is about, when they chose one.
    contract = models.ForeignKey(
        "contracts.Contract",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals",
        verbose_name=_("договор / лицевой счёт"),
        editable=False,
    )
    subject = models.CharField(_("предмет обращения"), max_length=200)
    text = models.TextField(_("текст обращения"), editable=False)
    answer_channel = models.CharField(
        _("способ получения ответа"), max_length=10, choices=AnswerChannel.choices, default=AnswerChannel.CABINET
    )
    postal_address = models.CharField(_("почтовый адрес для ответа"), max_length=500, blank=True)

    status = models.CharField(
        _("статус"), max_length=24, choices=Status.choices, default=Status.REGISTERED, editable=False
    )
    # Incremented by every change of state: staff forms carry the version they
    # were rendered with, so two operators never overwrite each other.
    version = models.PositiveIntegerField(_("версия"), default=0, editable=False)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_appeals",
        verbose_name=_("исполнитель"),
        editable=False,
        db_index=False,
    )

    received_at = models.DateTimeField(_("поступило"))
    registered_at = models.DateTimeField(_("зарегистрировано"))
    due_at = models.DateTimeField(_("срок ответа"))
    deadline_rule = models.ForeignKey(
        "deadlines.DeadlineRule",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("правило срока"),
        editable=False,
    )
    # The rule may be edited later; the appeal keeps what it was given.
    deadline_basis = models.CharField(_("основание срока"), max_length=300, blank=True, editable=False)

    extended_at = models.DateTimeField(_("срок продлён"), null=True, blank=True, editable=False)
    extended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    extension_reason = models.TextField(_("причина продления"), blank=True, editable=False)
    due_at_before_extension = models.DateTimeField(_("срок до продления"), null=True, blank=True, editable=False)

    redirected_to = models.CharField(_("направлено в организацию"), max_length=300, blank=True, editable=False)
    redirected_on = models.DateField(_("дата направления"), null=True, blank=True, editable=False)

    answer_text = models.TextField(_("ответ"), blank=True, editable=False)
    answered_at = models.DateTimeField(_("дата ответа"), null=True, blank=True, editable=False)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )

    # The operator's answer before it is sent: kept across visits, never shown to the customer.
    answer_draft = models.TextField(_("черновик ответа"), blank=True, editable=False)
    answer_draft_saved_at = models.DateTimeField(_("черновик сохранён"), null=True, blank=True, editable=False)
    answer_draft_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False,
        verbose_name=_("автор черновика"),
    )

    rating = models.PositiveSmallIntegerField(_("оценка"), null=True, blank=True, editable=False)
    rating_comment = models.TextField(_("комментарий к оценке"), blank=True, editable=False)
    rated_at = models.DateTimeField(_("оценено"), null=True, blank=True, editable=False)
    # The company's first public word on the appeal (a message, a request for information, an extension,
    # a redirect or the answer), set once by the service that records it: the dashboard's response times.
    first_response_at = models.DateTimeField(_("первый ответ сотрудника"), null=True, blank=True, editable=False)
    reopened_count = models.PositiveSmallIntegerField(_("возобновлялось раз"), default=0, editable=False)
    closed_at = models.DateTimeField(_("закрыто"), null=True, blank=True, editable=False)

    # A re-POST of the same form (double click, reload) finds the appeal it
    # already created instead of filing a second one.
    idempotency_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    submitted_ip = models.GenericIPAddressField(_("IP-адрес подачи"), null=True, blank=True, editable=False)
    # 152-ФЗ: a visitor without an account consents with the question itself; which text
    # they agreed to is kept with the time (registered_at) and the address (submitted_ip).
    visitor_consent = models.ForeignKey(
        "accounts.ConsentDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("согласие посетителя на обработку ПДн (версия текста)"),
    )
    created_at = models.DateTimeField(_("создано"), auto_now_add=True)
    updated_at = models.DateTimeField(_("изменено"), auto_now=True)
    last_activity_at = models.DateTimeField(_("последнее действие"), editable=False)

    class Meta:
        verbose_name = _("обращение")
        verbose_name_plural = _("обращения")
        permissions = [("view_all_appeals", _("Видеть все обращения, а не только свои и неназначенные"))]
        indexes = [
            # The customer's list: their own (not an organisation's) appeals, newest activity first.
            models.Index(fields=["author", "-last_activity_at"], name="appeal_author_activity"),
            models.Index(fields=["organisation", "-last_activity_at"], name="appeal_org_activity"),
            # The staff queue, by status and deadline, and an operator's own work.
            models.Index(fields=["status", "due_at"], name="appeal_status_due"),
            models.Index(fields=["assignee", "status", "due_at"], name="appeal_assignee_status_due"),
            # The reminder scan and the overdue filter touch only open appeals.
            models.Index(
                fields=["due_at"],
                name="appeal_open_due",
                condition=Q(status__in=["registered", "in_progress", "waiting_for_customer", "reopened"]),
            ),
            # An operator's open work ("my open appeals", the queue's "mine or unassigned" and its
            # counts): only open rows, already in deadline order, so the index stays small at any volume.
            models.Index(
                fields=["assignee", "due_at"],
                name="appeal_open_assignee_due",
                condition=Q(status__in=["registered", "in_progress", "waiting_for_customer", "reopened"]),
            ),
            # A visitor's status check and staff search by email.
            models.Index(fields=["contact_email"], name="appeal_contact_email"),
            # The supervisors' dashboard (monitoring/selectors.py): each figure reads a period's rows of one
            # of these, index-only (every column it needs is in the key), whatever the table's size.
            models.Index(
                fields=["registered_at", "assignee", "status", "topic", "kind", "reopened_count"],
                name="appeal_figures_registered",
            ),
            models.Index(
                fields=["answered_at", "assignee", "due_at", "registered_at"],
                name="appeal_figures_answered",
                condition=Q(answered_at__isnull=False),
            ),
            # «Open now» among a period's appeals: only open rows, by registration time. The predicate names
            # registered_at so that only a query filtering on it (a period) may use this index, never the queue's.
            models.Index(
                fields=["registered_at", "assignee"],
                name="appeal_figures_open_registered",
                condition=Q(status__in=["registered", "in_progress", "waiting_for_customer", "reopened"],
                            registered_at__isnull=False),
            ),
            models.Index(
                fields=["first_response_at", "assignee", "registered_at"],
                name="appeal_figures_first_response",
                condition=Q(first_response_at__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="appeal_rating_1_to_5"
            ),
            models.CheckConstraint(
                condition=~Q(answer_channel="post") | ~Q(postal_address=""), name="appeal_post_needs_address"
            ),
        ]

    def __str__(self):
        return f"№ {self.number}: {self.subject}"

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES

    def is_overdue(self, now) -> bool:
        """Open past its due time (the lists mark it; the reminders' overdue rung selects the same in SQL)."""
        return self.is_open and self.due_at is not None and self.due_at < now


class AppealNumberCounter(models.Model):
    """The last number issued in a year; locked while the next one is taken."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("счётчик номеров обращений")
        verbose_name_plural = _("счётчики номеров обращений")

    def __str__(self):
        return f"{self.year}: {self.last_value}"


class AppealEvent(models.Model):
    """One thing that happened to an appeal: the audit trail and the hook for notices."""

    class Kind(models.TextChoices):
        TRANSITION = "transition", _("смена статуса")
        MESSAGE = "message", _("сообщение")
        NOTE = "note", _("внутренняя заметка")
        EXTENSION = "extension", _("продление срока")
        ASSIGNMENT = "assignment", _("назначение исполнителя")
        REDIRECT = "redirect", _("перенаправление")
        ANSWER = "answer", _("ответ")
        RATING = "rating", _("оценка")
        DECISION = "decision", _("принято решение по жалобе")
        DECISION_DONE = "decision_done", _("решение выполнено")
        DECISION_CANCELLED = "decision_cancel", _("решение отменено")

    # Kinds a customer may see in their appeal's history.
    PUBLIC_KINDS = (
        Kind.TRANSITION, Kind.MESSAGE, Kind.EXTENSION, Kind.REDIRECT, Kind.ANSWER, Kind.RATING,
        Kind.DECISION, Kind.DECISION_DONE, Kind.DECISION_CANCELLED,
    )
    # The company's public word to the customer: the first of these sets Appeal.first_response_at.
    RESPONSE_KINDS = (Kind.MESSAGE, Kind.EXTENSION, Kind.REDIRECT, Kind.ANSWER)

    appeal = models.ForeignKey(Appeal, on_delete=models.PROTECT, related_name="events", db_index=False)
    kind = models.CharField(_("событие"), max_length=16, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("когда"))
    from_status = models.CharField(_("из статуса"), max_length=24, choices=Appeal.Status.choices, blank=True)
    to_status = models.CharField(_("в статус"), max_length=24, choices=Appeal.Status.choices, blank=True)
    comment = models.TextField(_("комментарий"), blank=True)

    class Meta:
        verbose_name = _("событие обращения")
        verbose_name_plural = _("события обращений")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["appeal", "created_at"], name="appeal_event_appeal_time")]

    def __str__(self):
        return f"{self.appeal_id}: {self.get_kind_display()}"

class AppealDecision(models.Model):
    """An action an answer promised (recalculate a bill, check a meter…): who does it, by when, and its outcome.

    Created, completed and cancelled by appeals.services.decisions only, under the row lock, each with
    an event on the appeal; the reminder scan follows the planned ones to their due date and past it.
    """

    class Action(models.TextChoices):
        RECALCULATION = "recalculation", _("перерасчёт начислений")
        METER_REPLACEMENT = "meter_replacement", _("замена прибора учёта")
        METER_CHECK = "meter_check", _("проверка прибора учёта")
        POWER_QUALITY = "power_quality", _("проверка качества электроэнергии")
        OTHER = "other", _("другое")

    class Status(models.TextChoices):
        PLANNED = "planned", _("запланировано")
        DONE = "done", _("выполнено")
        CANCELLED = "cancelled", _("отменено")

    appeal = models.ForeignKey(Appeal, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("обращение"))
    action = models.CharField(_("что сделать"), max_length=20, choices=Action.choices)
    description = models.TextField(_("описание"), max_length=2000)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appeal_decisions",
        verbose_name=_("ответственный"),
    )
    due_on = models.DateField(_("срок исполнения"))
    status = models.CharField(_("состояние"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    done_on = models.DateField(_("выполнено"), null=True, blank=True)
    result_note = models.TextField(_("что сделано"), blank=True)
    cancel_reason = models.TextField(_("причина отмены"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("записано"))
    closed_at = models.DateTimeField(_("закрыто"), null=True, blank=True)

    class Meta:
        verbose_name = _("решение по жалобе")
        verbose_name_plural = _("решения по жалобам")
        ordering = ["due_on", "id"]
        indexes = [
            # The reminder scan and the dashboard's overdue list read planned decisions only.
            models.Index(fields=["due_on"], name="appeal_decision_planned_due",
                         condition=Q(status="planned")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | Q(done_on__isnull=False), name="appeal_decision_done_has_date"
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display()}: {self.due_on:%d.%m.%Y}"

    @property
    def is_planned(self):
        return self.status == self.Status.PLANNED


class AppealMessage(models.Model):
    """A public message in the conversation or a staff-only note."""

    appeal = models.ForeignKey(Appeal, on_delete=models.PROTECT, related_name="messages", db_index=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    is_internal = models.BooleanField(_("внутренняя заметка"), default=False)
    from_staff = models.BooleanField(_("от сотрудника"), default=False)
    text = models.TextField(_("текст"))
    created_at = models.DateTimeField(_("когда"))

    class Meta:
        verbose_name = _("сообщение по обращению")
        verbose_name_plural = _("сообщения по обращениям")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["appeal", "created_at"], name="appeal_message_appeal_time")]

    def __str__(self):
        return f"{self.appeal_id}: {self.text[:40]}"


class AppealFileStorage(PrivateFileStorage):
    """Private files under MEDIA_ROOT, served only by appeals.views.attachment_download (named in migrations)."""


appeal_file_storage = AppealFileStorage()


def random_attachment_name(when) -> str:
    # Never the customer's name on disk: a random name in a dated folder.
    return random_stored_name("appeals", f"{when:%Y}", f"{when:%m}")


def attachment_path(instance, filename):
    return random_attachment_name(instance.created_at)


class Attachment(models.Model):
    class Purpose(models.TextChoices):
        APPEAL = "appeal", _("к обращению")
        MESSAGE = "message", _("к сообщению")
        ANSWER_LETTER = "answer_letter", _("письмо с ответом")

    appeal = models.ForeignKey(Appeal, on_delete=models.PROTECT, related_name="attachments", db_index=False)
    message = models.ForeignKey(
        AppealMessage, on_delete=models.PROTECT, null=True, blank=True, related_name="attachments"
    )
    purpose = models.CharField(_("назначение"), max_length=16, choices=Purpose.choices, default=Purpose.APPEAL)
    file = models.FileField(_("файл"), storage=appeal_file_storage, upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("имя файла"), max_length=150)
    content_type = models.CharField(_("тип"), max_length=100)
    size = models.PositiveIntegerField(_("размер, байт"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("загружен"))

    class Meta:
        verbose_name = _("вложение")
        verbose_name_plural = _("вложения")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["appeal", "created_at"], name="appeal_attachment_appeal")]

    def __str__(self):
        return self.original_name

    @property
    def is_internal(self):
        return self.message_id is not None and self.message.is_internal


# The audit trail (audit.history). Events are an append-only record already.
audit_history.register(Appeal)
audit_history.register(AppealMessage)
audit_history.register(AppealDecision)
