"""What billing computed for a contract — charges, booked payments, balances, documents — and the portal's
own online payments.

The portal never recomputes money: charges, payments and balances are copies of billing's rows, upserted by
billing's ids through the billing import (`billing.importers`, the same `import_billing` command and admin
page as contracts). Amounts are `Decimal` in roubles with kopecks, never float. Who may see them is
`billing.access`'s business (it leans on `contracts.access`).

`OnlinePayment` is what a customer starts in the cabinet: pending → succeeded | cancelled, changed only by
`billing.services.payments` under a row lock, each change written as a `PaymentEvent`. Billing books the
money later (it then arrives as a `Payment` row with its own id).
"""

import uuid as uuid_lib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contracts.models import Contract
from core.uploads import PrivateFileStorage, random_stored_name

MONEY = {"max_digits": 14, "decimal_places": 2}


class Charge(models.Model):
    """One line of a month's charges: the month's charge or a recalculation (with its reason)."""

    class Kind(models.TextChoices):
        CHARGE = "charge", _("начисление")
        RECALCULATION = "recalculation", _("перерасчёт")

    billing_id = models.CharField(_("код в биллинге"), max_length=64, unique=True)
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="charges", verbose_name=_("договор"))
    period = models.DateField(_("период"), help_text=_("Первое число расчётного месяца."))
    kind = models.CharField(_("вид"), max_length=16, choices=Kind.choices, default=Kind.CHARGE)
    # Consumption per zone, kWh (an organisation's may be fractional); T1 alone for a single-zone tariff.
    t1_kwh = models.DecimalField(_("T1, кВт·ч"), max_digits=14, decimal_places=3, null=True, blank=True)
    t2_kwh = models.DecimalField(_("T2, кВт·ч"), max_digits=14, decimal_places=3, null=True, blank=True)
    t3_kwh = models.DecimalField(_("T3, кВт·ч"), max_digits=14, decimal_places=3, null=True, blank=True)
    tariff = models.CharField(_("тариф или цена"), max_length=200, blank=True)
    price = models.DecimalField(_("цена, руб./кВт·ч"), max_digits=12, decimal_places=5, null=True, blank=True)
    amount = models.DecimalField(_("сумма, руб."), **MONEY)
    reason = models.CharField(_("причина перерасчёта"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("начисление")
        verbose_name_plural = _("начисления")
        ordering = ["contract", "-period", "kind", "pk"]
        indexes = [models.Index(fields=["contract", "period"], name="billing_charge_contract_period")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="charge") | ~Q(reason=""), name="billing_charge_recalculation_has_reason"
            ),
        ]

    def __str__(self):
        return f"{self.contract_id} {self.period:%m.%Y} {self.amount}"

    @property
    def consumption(self):
        values = [v for v in (self.t1_kwh, self.t2_kwh, self.t3_kwh) if v is not None]
        return sum(values) if values else None


class Payment(models.Model):
    """A payment billing booked to the contract (from any channel: bank, post office, the portal)."""

    billing_id = models.CharField(_("код в биллинге"), max_length=64, unique=True)
    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="booked_payments", verbose_name=_("договор")
    )
    paid_on = models.DateField(_("дата оплаты"))
    amount = models.DecimalField(_("сумма, руб."), **MONEY)
    channel = models.CharField(_("способ оплаты"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("оплата (учтена биллингом)")
        verbose_name_plural = _("оплаты (учтены биллингом)")
        ordering = ["contract", "-paid_on", "-pk"]
        indexes = [models.Index(fields=["contract", "paid_on"], name="billing_payment_contract_date")]

    def __str__(self):
        return f"{self.contract_id} {self.paid_on:%d.%m.%Y} {self.amount}"


# A balance's state, by the one debt rule (`balance_state`): billing's amount above zero is a debt, below zero
# an advance (overpayment); no balance yet is NONE.
DEBT, ADVANCE, ZERO, NONE = "debt", "advance", "zero", "none"


def balance_state(amount) -> str:
    """DEBT, ADVANCE, ZERO or NONE for a balance's amount (None: billing has sent no balance yet)."""
    if amount is None:
        return NONE
    if amount > 0:
        return DEBT
    if amount < 0:
        return ADVANCE
    return ZERO


class Balance(models.Model):
    """The contract's balance at a date: positive — a debt, negative — an advance (overpayment).

    `debt_warning` is billing's mark that a household debt warning was issued (ПП 354 п. 119): the customer
    is notified once (`warned_at`) by the reminder scan, with the 20 days the law gives to pay.
    """

    billing_id = models.CharField(_("код в биллинге"), max_length=64, unique=True)
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="balances", verbose_name=_("договор"))
    as_of = models.DateField(_("на дату"))
    amount = models.DecimalField(_("сумма к оплате, руб."), **MONEY, help_text=_("Долг — больше нуля, аванс — меньше."))
    debt_warning = models.BooleanField(_("предупреждение о долге"), default=False)
    warned_at = models.DateTimeField(_("клиент уведомлён о долге"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("сальдо")
        verbose_name_plural = _("сальдо")
        ordering = ["contract", "-as_of", "-pk"]
        indexes = [
            models.Index(fields=["contract", "-as_of", "-id"], name="billing_balance_latest"),
            models.Index(
                fields=["id"], condition=Q(debt_warning=True, warned_at__isnull=True), name="billing_balance_to_warn"
            ),
        ]

    def __str__(self):
        return f"{self.contract_id} {self.as_of:%d.%m.%Y} {self.amount}"

    @property
    def state(self) -> str:
        return balance_state(self.amount)

    @property
    def due(self):
        """The amount to pay: the debt, or None when there is none."""
        return self.amount if self.state == DEBT else None

    @property
    def advance(self):
        return -self.amount


class DocumentStorage(PrivateFileStorage):
    """Billing's documents under MEDIA_ROOT, served only by billing.views (access checked)."""


document_storage = DocumentStorage()


def document_path(instance, filename):
    return random_stored_name("billing", f"{instance.period:%Y}", f"{instance.period:%m}", extension="pdf")


class Document(models.Model):
    class Kind(models.TextChoices):
        BILL = "bill", _("квитанция")
        INVOICE = "invoice", _("счёт")
        VAT_INVOICE = "vat_invoice", _("счёт-фактура")
        UPD = "upd", _("УПД")
        RECONCILIATION = "reconciliation", _("акт сверки")

    billing_id = models.CharField(_("код в биллинге"), max_length=64, unique=True)
    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="documents", verbose_name=_("договор")
    )
    kind = models.CharField(_("вид"), max_length=16, choices=Kind.choices)
    period = models.DateField(_("период"), help_text=_("Первое число месяца, к которому относится документ."))
    number = models.CharField(_("номер"), max_length=64, blank=True)
    issued_on = models.DateField(_("дата документа"), null=True, blank=True)
    amount = models.DecimalField(_("сумма, руб."), **MONEY, null=True, blank=True)
    file = models.FileField(_("файл"), storage=document_storage, upload_to=document_path, max_length=200)
    size = models.PositiveIntegerField(_("размер, байт"))
    sha256 = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("загружен"))
    # The "new bill" notification, sent once by the scan (billing.reminders).
    notified_at = models.DateTimeField(_("клиент уведомлён"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("документ")
        verbose_name_plural = _("документы")
        ordering = ["contract", "-period", "kind", "pk"]
        indexes = [
            models.Index(fields=["contract", "period"], name="billing_document_contract"),
            models.Index(fields=["id"], condition=Q(notified_at__isnull=True), name="billing_document_to_notify"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number} {self.period:%m.%Y}"

    @property
    def download_name(self) -> str:
        number = f" № {self.number}" if self.number else ""
        return f"{self.get_kind_display()}{number} за {self.period:%m.%Y}.pdf".replace("/", "-")


class OnlinePayment(models.Model):
    """A payment a customer started in the cabinet through the payment provider."""

    class Status(models.TextChoices):
        PENDING = "pending", _("ожидает оплаты")
        SUCCEEDED = "succeeded", _("оплачен")
        CANCELLED = "cancelled", _("отменён")

    uuid = models.UUIDField(default=uuid_lib.uuid4, unique=True, editable=False)
    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="online_payments", verbose_name=_("договор")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("плательщик")
    )
    amount = models.DecimalField(_("сумма, руб."), **MONEY)
    status = models.CharField(_("состояние"), max_length=10, choices=Status.choices, default=Status.PENDING)
    provider = models.CharField(_("платёжный сервис"), max_length=30)
    provider_payment_id = models.CharField(_("номер платежа у сервиса"), max_length=100, blank=True)
    # Sent with the creation request: a retried request never creates a second payment at the provider.
    idempotence_key = models.UUIDField(default=uuid_lib.uuid4, unique=True, editable=False)
    confirmation_url = models.URLField(_("страница оплаты"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("создан"))
    finished_at = models.DateTimeField(_("завершён"), null=True, blank=True)

    class Meta:
        verbose_name = _("онлайн-платёж")
        verbose_name_plural = _("онлайн-платежи")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_payment_id"],
                condition=~Q(provider_payment_id=""),
                name="billing_online_payment_provider_id",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="billing_online_payment_positive"),
        ]
        indexes = [models.Index(fields=["contract", "-created_at"], name="billing_onlinepay_contract")]

    def __str__(self):
        return f"{self.uuid} {self.amount} {self.status}"


class PaymentEvent(models.Model):
    """What happened to an online payment: created, a notification (accepted, repeated or refused), the outcome."""

    class Kind(models.TextChoices):
        CREATED = "created", _("создан")
        SUCCEEDED = "succeeded", _("оплачен")
        CANCELLED = "cancelled", _("отменён")
        REPEATED = "repeated", _("повторное уведомление")
        REFUSED = "refused", _("уведомление отклонено")

    payment = models.ForeignKey(OnlinePayment, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("событие"), max_length=10, choices=Kind.choices)
    detail = models.CharField(_("подробности"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("время"))

    class Meta:
        verbose_name = _("событие платежа")
        verbose_name_plural = _("события платежей")
        ordering = ["payment", "created_at", "pk"]

    def __str__(self):
        return f"{self.payment_id} {self.kind}"


class DevProviderPayment(models.Model):
    """The development payment provider's own side (billing.payments.development): what its "API" answers.

    Only the development provider writes and reads this table; in production it stays empty.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "pending"
        SUCCEEDED = "succeeded", "succeeded"
        CANCELED = "canceled", "canceled"

    provider_id = models.CharField(max_length=100, unique=True)
    amount = models.DecimalField(**MONEY)
    description = models.CharField(max_length=300, blank=True)
    return_url = models.CharField(max_length=1000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    idempotence_key = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("платёж тестового сервиса")
        verbose_name_plural = _("платежи тестового сервиса")

    def __str__(self):
        return self.provider_id
