"""Contract applications: conclude, re-register, amend or terminate a contract online (ПП 442 п. 39).

An application starts as the customer's draft; submitting a complete one registers it with a
number and a due date (15 working days by the rule `contract.application`). Staff check each
document; asking for missing ones stops the clock (`ApplicationPause`, with its legal basis), the
customer's upload starts it again and the due date moves by the working days it stood still.
Staff attach the draft contract, then mark it signed — which creates or changes the contract, its
supply points and meters — or reject the application with a reason the customer sees.

The status is written only by `contracts.services.applications` (the transition table is
`contracts.application_workflow`); who may reach an application is `contracts.access`'s business.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from audit import history as audit_history
from contracts.models import Contract, SupplyPoint, Tariff
from core.uploads import PrivateFileStorage, random_stored_name


class ApplicationKind(models.TextChoices):
    CONCLUDE = "conclude", _("заключить договор")
    REREGISTER = "reregister", _("переоформить договор на нового владельца или арендатора")
    AMEND = "amend", _("изменить условия договора")
    TERMINATE = "terminate", _("расторгнуть договор")


# Kinds that start from an existing contract of the customer.
KINDS_ON_A_CONTRACT = (ApplicationKind.REREGISTER, ApplicationKind.AMEND, ApplicationKind.TERMINATE)


class ApplicationFileStorage(PrivateFileStorage):
    """Private files under MEDIA_ROOT: served only by the application's views (named in migrations)."""


application_file_storage = ApplicationFileStorage()


def application_file_path(instance, filename):
    return random_stored_name("contract_applications", "files")


class RequiredDocument(models.Model):
    """One line of the checklist: a document an application of this kind needs from this type of customer."""

    kind = models.CharField(_("вид заявки"), max_length=12, choices=ApplicationKind.choices)
    customer_kind = models.CharField(_("потребитель"), max_length=12, choices=Contract.CustomerKind.choices)
    title = models.CharField(_("документ"), max_length=200)
    hint = models.CharField(_("пояснение для заявителя"), max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(_("порядок"), default=0)
    is_active = models.BooleanField(_("требуется"), default=True)

    class Meta:
        verbose_name = _("обязательный документ заявки")
        verbose_name_plural = _("обязательные документы заявок")
        ordering = ["kind", "customer_kind", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "customer_kind", "title"], name="contracts_requireddocument_unique_title"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} / {self.get_customer_kind_display()}: {self.title}"


class ContractApplication(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("черновик")
        SUBMITTED = "submitted", _("подана")
        CHECKING = "checking", _("проверка документов")
        WAITING_DOCUMENTS = "waiting_documents", _("ждём документы от вас")
        DRAFT_SENT = "draft_sent", _("проект договора направлен")
        SIGNED = "signed", _("договор подписан")
        REJECTED = "rejected", _("отказано")
        WITHDRAWN = "withdrawn", _("отозвана")

    # The clock runs in these; it stands still while documents are awaited.
    RUNNING_STATUSES = (Status.SUBMITTED, Status.CHECKING, Status.DRAFT_SENT)
    OPEN_STATUSES = (*RUNNING_STATUSES, Status.WAITING_DOCUMENTS)
    FINAL_STATUSES = (Status.SIGNED, Status.REJECTED, Status.WITHDRAWN)

    number = models.CharField(_("номер"), max_length=20, unique=True, null=True, blank=True)
    kind = models.CharField(_("вид заявки"), max_length=12, choices=ApplicationKind.choices)
    status = models.CharField(_("статус"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    customer_kind = models.CharField(_("потребитель"), max_length=12, choices=Contract.CustomerKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contract_applications",
        verbose_name=_("заявитель (пользователь)"),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True,
        related_name="contract_applications", verbose_name=_("организация"),
    )
    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, null=True, blank=True, related_name="applications",
        verbose_name=_("договор"),
    )

    # What the customer applies for (which of these a kind uses: contracts.forms_applications).
    customer_name = models.CharField(_("потребитель (ФИО или наименование)"), max_length=300, blank=True)
    inn = models.CharField(_("ИНН"), max_length=12, blank=True)
    address = models.CharField(_("адрес"), max_length=500, blank=True)
    tariff = models.CharField(_("тариф"), max_length=12, choices=Tariff.choices, blank=True)
    price_category = models.PositiveSmallIntegerField(
        _("ценовая категория"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(6)]
    )
    contact_phone = models.CharField(_("контактный телефон"), max_length=20, blank=True)
    starts_on = models.DateField(_("с какой даты"), null=True, blank=True)
    details = models.TextField(_("пояснения"), blank=True, max_length=3000)

    deadline_rule = models.ForeignKey(
        "deadlines.DeadlineRule", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("правило срока"),
    )
    submitted_at = models.DateTimeField(_("подана"), null=True, blank=True)
    due_at = models.DateTimeField(_("срок"), null=True, blank=True)
    paused_since = models.DateTimeField(_("срок приостановлен с"), null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("исполнитель"),
    )
    rejection_reason = models.TextField(_("причина отказа"), blank=True)
    draft_file = models.FileField(
        _("проект договора"), storage=application_file_storage, upload_to=application_file_path, max_length=200,
        blank=True,
    )
    signed_file = models.FileField(
        _("подписанный договор"), storage=application_file_storage, upload_to=application_file_path,
        max_length=200, blank=True,
    )
    closed_at = models.DateTimeField(_("завершена"), null=True, blank=True)
    version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("создана"))
    updated_at = models.DateTimeField(_("изменена"), auto_now=True)

    class Meta:
        verbose_name = _("заявка на договор")
        verbose_name_plural = _("заявки на договор")
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("review_contractapplication", _("Может рассматривать заявки на договор")),
            ("supervise_contractapplication", _("Получает сигналы о просроченных заявках на договор")),
        ]
        indexes = [
            # The staff queue and the reminder scan: open applications by due date.
            models.Index(
                fields=["due_at", "id"],
                condition=Q(status__in=["submitted", "checking", "waiting_documents", "draft_sent"]),
                name="contracts_app_open_due",
            ),
            models.Index(fields=["author", "-created_at"], name="contracts_app_author"),
            models.Index(fields=["organisation", "-created_at"], name="contracts_app_org"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True) | Q(number__isnull=False, due_at__isnull=False),
                name="contracts_app_registered_has_number_and_due",
            ),
        ]

    def __str__(self):
        return self.number or _("черновик заявки от %(date)s") % {"date": f"{self.created_at:%d.%m.%Y}"}

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_paused(self) -> bool:
        return self.paused_since is not None

    @property
    def is_final(self) -> bool:
        return self.status in self.FINAL_STATUSES


class ApplicationSupplyPoint(models.Model):
    """A supply point the application asks for (concluding) or changes (amending), with its meter if known."""

    application = models.ForeignKey(
        ContractApplication, on_delete=models.CASCADE, related_name="points", verbose_name=_("заявка")
    )
    address = models.CharField(_("адрес точки поставки"), max_length=500)
    max_power_kw = models.DecimalField(
        _("максимальная мощность, кВт"), max_digits=10, decimal_places=2,
        validators=[MinValueValidator(0.01)],
    )
    voltage = models.CharField(
        _("уровень напряжения"), max_length=3, choices=SupplyPoint.Voltage.choices, default=SupplyPoint.Voltage.LV
    )
    meter_serial = models.CharField(_("заводской номер счётчика"), max_length=40, blank=True)
    meter_zones = models.PositiveSmallIntegerField(
        _("число зон счётчика"), default=1, validators=[MinValueValidator(1), MaxValueValidator(3)]
    )

    class Meta:
        verbose_name = _("точка поставки в заявке")
        verbose_name_plural = _("точки поставки в заявке")
        ordering = ["pk"]

    def __str__(self):
        return self.address


class ApplicationDocument(models.Model):
    class Check(models.TextChoices):
        PENDING = "pending", _("на проверке")
        ACCEPTED = "accepted", _("принят")
        REFUSED = "refused", _("не принят")

    application = models.ForeignKey(
        ContractApplication, on_delete=models.PROTECT, related_name="documents", verbose_name=_("заявка")
    )
    requirement = models.ForeignKey(
        RequiredDocument, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("по списку"),
    )
    title = models.CharField(_("документ"), max_length=200)
    file = models.FileField(
        _("файл"), storage=application_file_storage, upload_to=application_file_path, max_length=200
    )
    original_name = models.CharField(_("имя файла"), max_length=150)
    content_type = models.CharField(_("тип"), max_length=100)
    size = models.PositiveIntegerField(_("размер"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("загружен"))
    check_status = models.CharField(
        _("проверка"), max_length=10, choices=Check.choices, default=Check.PENDING
    )
    refusal_reason = models.CharField(_("почему не принят"), max_length=500, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    checked_at = models.DateTimeField(_("проверен"), null=True, blank=True)

    class Meta:
        verbose_name = _("документ заявки")
        verbose_name_plural = _("документы заявок")
        ordering = ["application", "pk"]

    def __str__(self):
        return f"{self.title}: {self.original_name}"


class ApplicationPause(models.Model):
    """A stretch of time the clock stood still, with the legal basis staff relied on."""

    application = models.ForeignKey(
        ContractApplication, on_delete=models.CASCADE, related_name="pauses", verbose_name=_("заявка")
    )
    started_at = models.DateTimeField(_("приостановлен"))
    ended_at = models.DateTimeField(_("возобновлён"), null=True, blank=True)
    reason = models.TextField(_("что запрошено"))
    legal_basis = models.CharField(_("основание"), max_length=300)
    working_days = models.PositiveSmallIntegerField(_("рабочих дней без хода срока"), null=True, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("приостановка срока")
        verbose_name_plural = _("приостановки срока")
        ordering = ["application", "started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"], condition=Q(ended_at__isnull=True), name="contracts_app_one_open_pause"
            ),
        ]

    def __str__(self):
        return f"{self.application}: {self.started_at:%d.%m.%Y}"


class ApplicationEvent(models.Model):
    class Kind(models.TextChoices):
        CREATED = "created", _("черновик создан")
        TRANSITION = "transition", _("смена статуса")
        DOCUMENT_UPLOADED = "document_uploaded", _("документ загружен")
        DOCUMENT_CHECKED = "document_checked", _("документ проверен")
        PAUSED = "paused", _("срок приостановлен")
        RESUMED = "resumed", _("срок возобновлён")
        ASSIGNMENT = "assignment", _("назначен исполнитель")
        DRAFT_ATTACHED = "draft_attached", _("приложен проект договора")

    # What the customer sees on the application's page.
    PUBLIC_KINDS = (Kind.CREATED, Kind.TRANSITION, Kind.DOCUMENT_UPLOADED, Kind.DOCUMENT_CHECKED, Kind.PAUSED,
                    Kind.RESUMED, Kind.DRAFT_ATTACHED)

    application = models.ForeignKey(
        ContractApplication, on_delete=models.CASCADE, related_name="events", verbose_name=_("заявка")
    )
    kind = models.CharField(_("событие"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("кто"),
    )
    created_at = models.DateTimeField(_("когда"))
    from_status = models.CharField(
        _("был статус"), max_length=20, blank=True, choices=ContractApplication.Status.choices
    )
    to_status = models.CharField(
        _("стал статус"), max_length=20, blank=True, choices=ContractApplication.Status.choices
    )
    comment = models.TextField(_("комментарий"), blank=True)

    class Meta:
        verbose_name = _("событие заявки")
        verbose_name_plural = _("события заявок")
        ordering = ["application", "created_at", "pk"]

    def __str__(self):
        return f"{self.application}: {self.get_kind_display()}"


class ApplicationNumberCounter(models.Model):
    """One gap-free sequence of application numbers per year, under a row lock."""

    year = models.PositiveSmallIntegerField(unique=True)
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("счётчик номеров заявок")
        verbose_name_plural = _("счётчики номеров заявок")

    def __str__(self):
        return f"{self.year}: {self.last_value}"


# The audit trail (audit.history). Events are an append-only record already.
audit_history.register(ContractApplication)
audit_history.register(ApplicationSupplyPoint)
audit_history.register(RequiredDocument)
