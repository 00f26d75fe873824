"""Contracts, personal accounts, supply points, meters and their readings.

The supplier's billing system is the source of these records: the portal keeps
a copy, upserted by billing's own ids (`billing_id`) through `import_billing`,
and staff may create and correct them in the admin. A resident's contract is
identified by the personal account number (лицевой счёт), which is its `number`.

Who may see a contract is `contracts.access`'s business: a contract is bound to
one person or to one organisation at a time (`ContractBinding`), and nothing
here is ever shown to anybody else.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from audit import history as audit_history


class Tariff(models.TextChoices):
    SINGLE = "single", _("одноставочный (круглосуточный)")
    TWO_ZONE = "two_zone", _("двухзонный (день / ночь)")
    THREE_ZONE = "three_zone", _("трёхзонный (пик / полупик / ночь)")


ZONES_BY_TARIFF = {Tariff.SINGLE: 1, Tariff.TWO_ZONE: 2, Tariff.THREE_ZONE: 3}


class TariffZone(models.Model):
    """The hours of one zone of a time-of-day tariff: data, because regions differ (design §2.4).

    `hours` lists the intervals as «07-10,17-21»; an interval may cross midnight («23-07»).
    """

    class Code(models.TextChoices):
        T1 = "T1", "T1"
        T2 = "T2", "T2"
        T3 = "T3", "T3"

    tariff = models.CharField(_("тариф"), max_length=12, choices=Tariff.choices)
    code = models.CharField(_("зона"), max_length=2, choices=Code.choices)
    name = models.CharField(_("название"), max_length=50)
    hours = models.CharField(_("часы"), max_length=60, help_text=_("Например: 07-10,17-21"))

    class Meta:
        verbose_name = _("зона суток")
        verbose_name_plural = _("зоны суток")
        ordering = ["tariff", "code"]
        constraints = [models.UniqueConstraint(fields=["tariff", "code"], name="contracts_tariffzone_unique")]

    def __str__(self):
        return f"{self.get_tariff_display()}: {self.code} {self.name} {self.hours}"


class Contract(models.Model):
    class Kind(models.TextChoices):
        RESIDENTIAL = "residential", _("энергоснабжение гражданина (лицевой счёт)")
        SUPPLY = "supply", _("энергоснабжение организации")
        PURCHASE = "purchase", _("купля-продажа электроэнергии")

    class Status(models.TextChoices):
        ACTIVE = "active", _("действует")
        SUSPENDED = "suspended", _("приостановлен")
        TERMINATED = "terminated", _("расторгнут")

    class CustomerKind(models.TextChoices):
        PERSON = "person", _("гражданин")
        ORGANISATION = "organisation", _("организация или ИП")

    billing_id = models.CharField(_("код в биллинге"), max_length=64, unique=True)
    number = models.CharField(
        _("номер договора / лицевого счёта"),
        max_length=40,
        unique=True,
        help_text=_("У гражданина — номер лицевого счёта."),
    )
    kind = models.CharField(_("вид"), max_length=12, choices=Kind.choices)
    status = models.CharField(_("состояние"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    customer_kind = models.CharField(_("потребитель"), max_length=12, choices=CustomerKind.choices)
    customer_name = models.CharField(_("потребитель (ФИО или наименование)"), max_length=300)
    inn = models.CharField(_("ИНН потребителя"), max_length=12, blank=True, db_index=True)
    address = models.CharField(_("адрес"), max_length=500, blank=True)
    signed_on = models.DateField(_("дата заключения"), null=True, blank=True)
    effective_from = models.DateField(_("действует с"), null=True, blank=True)
    effective_to = models.DateField(_("действует по"), null=True, blank=True)
    tariff = models.CharField(_("тариф"), max_length=12, choices=Tariff.choices, blank=True)
    price_category = models.PositiveSmallIntegerField(
        _("ценовая категория"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(6)],
    )
    # The second factor printed on the bill: stored hashed (django's password hashers), never shown.
    binding_code = models.CharField(_("код привязки (хеш)"), max_length=256, blank=True, editable=False)
    created_at = models.DateTimeField(_("создан"), auto_now_add=True)
    updated_at = models.DateTimeField(_("изменён"), auto_now=True)

    class Meta:
        verbose_name = _("договор")
        verbose_name_plural = _("договоры")
        ordering = ["number"]
        permissions = [("import_billing", _("Может загружать данные из биллинга"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(price_category__isnull=True) | Q(price_category__gte=1, price_category__lte=6),
                name="contracts_contract_price_category_1_6",
            ),
            # A resident's contract has a tariff and no price category; an organisation's the other way round.
            models.CheckConstraint(
                condition=Q(kind="residential", price_category__isnull=True) | (~Q(kind="residential") & Q(tariff="")),
                name="contracts_contract_tariff_or_category",
            ),
        ]

    def __str__(self):
        return f"{self.number} — {self.customer_name}"

    @property
    def is_residential(self) -> bool:
        return self.kind == self.Kind.RESIDENTIAL


class ContractBinding(models.Model):
    """A contract bound to a login (a resident's account) or to an organisation; one active binding at a time."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="bindings")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contract_bindings",
        verbose_name=_("пользователь"),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contract_bindings",
        verbose_name=_("организация"),
    )
    bound_at = models.DateTimeField(_("привязан"))
    bound_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("кем привязан"),
    )
    unbound_at = models.DateTimeField(_("отвязан"), null=True, blank=True)

    class Meta:
        verbose_name = _("привязка договора")
        verbose_name_plural = _("привязки договоров")
        constraints = [
            models.UniqueConstraint(
                fields=["contract"], condition=Q(unbound_at__isnull=True), name="contracts_binding_one_active"
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False, organisation__isnull=True)
                | Q(user__isnull=True, organisation__isnull=False),
                name="contracts_binding_user_xor_organisation",
            ),
        ]
        indexes = [
            models.Index(fields=["user"], condition=Q(unbound_at__isnull=True), name="contracts_binding_user_active"),
            models.Index(
                fields=["organisation"], condition=Q(unbound_at__isnull=True), name="contracts_binding_org_active"
            ),
        ]

    def __str__(self):
        return f"{self.contract} → {self.user or self.organisation}"


class BindingAttempt(models.Model):
    """Every attempt to bind a contract, successful or not: the lockout counts the failed ones per (user, number)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    number = models.CharField(_("введённый номер"), max_length=40)
    contract = models.ForeignKey(Contract, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    succeeded = models.BooleanField(_("успешно"), default=False)
    reason = models.CharField(_("причина отказа"), max_length=40, blank=True)
    ip_address = models.GenericIPAddressField(_("IP-адрес"), null=True, blank=True)
    created_at = models.DateTimeField(_("время"))

    class Meta:
        verbose_name = _("попытка привязки")
        verbose_name_plural = _("попытки привязки")
        indexes = [models.Index(fields=["user", "number", "created_at"], name="contracts_attempt_user_number")]

    def __str__(self):
        return f"{self.number} {self.created_at:%Y-%m-%d %H:%M}"


class SupplyPoint(models.Model):
    class Voltage(models.TextChoices):
        HV = "HV", _("ВН (110 кВ и выше)")
        MV1 = "MV1", _("СН-1 (35 кВ)")
        MV2 = "MV2", _("СН-2 (1–20 кВ)")
        LV = "LV", _("НН (0,4 кВ и ниже)")

    billing_id = models.CharField(_("код в биллинге"), max_length=64, unique=True)
    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="supply_points", verbose_name=_("договор")
    )
    address = models.CharField(_("адрес"), max_length=500)
    max_power_kw = models.DecimalField(_("максимальная мощность, кВт"), max_digits=10, decimal_places=2)
    voltage = models.CharField(_("уровень напряжения"), max_length=3, choices=Voltage.choices, default=Voltage.LV)
    grid_company = models.CharField(_("сетевая организация"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("точка поставки")
        verbose_name_plural = _("точки поставки")
        ordering = ["contract", "address"]

    def __str__(self):
        return self.address


class Meter(models.Model):
    billing_id = models.CharField(_("код в биллинге"), max_length=64, unique=True)
    supply_point = models.ForeignKey(
        SupplyPoint, on_delete=models.CASCADE, related_name="meters", verbose_name=_("точка поставки")
    )
    serial_number = models.CharField(_("заводской номер"), max_length=40, unique=True)
    model = models.CharField(_("модель"), max_length=120, blank=True)
    zones = models.PositiveSmallIntegerField(
        _("число зон"), default=1, validators=[MinValueValidator(1), MaxValueValidator(3)]
    )
    installed_on = models.DateField(_("дата установки"), null=True, blank=True)
    next_verification_on = models.DateField(_("дата очередной поверки"), null=True, blank=True)
    remote = models.BooleanField(
        _("дистанционный сбор показаний"),
        default=False,
        help_text=_("Показания такого счётчика вручную не принимаются."),
    )
    removed_on = models.DateField(_("снят"), null=True, blank=True)
    replaced_by = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaces",
        verbose_name=_("заменён на"),
    )

    class Meta:
        verbose_name = _("прибор учёта")
        verbose_name_plural = _("приборы учёта")
        ordering = ["serial_number"]
        constraints = [
            models.CheckConstraint(condition=Q(zones__gte=1, zones__lte=3), name="contracts_meter_zones_1_3"),
        ]
        indexes = [
            models.Index(
                fields=["next_verification_on"],
                condition=Q(removed_on__isnull=True),
                name="contracts_meter_verification",
            ),
        ]

    def __str__(self):
        return f"№ {self.serial_number}"

    @property
    def in_service(self) -> bool:
        return self.removed_on is None


class Reading(models.Model):
    """One meter's readings for one month: whole kWh, one value per zone (T1; T2; T3)."""

    class Source(models.TextChoices):
        CABINET = "cabinet", _("личный кабинет")
        UPLOAD = "upload", _("файл из личного кабинета")
        STAFF = "staff", _("сотрудник")
        REMOTE = "remote", _("дистанционный сбор")
        BILLING = "billing", _("биллинг")

    meter = models.ForeignKey(Meter, on_delete=models.CASCADE, related_name="readings", verbose_name=_("счётчик"))
    period = models.DateField(_("период"), help_text=_("Первое число месяца, за который переданы показания."))
    t1 = models.PositiveBigIntegerField(_("T1, кВт·ч"))
    t2 = models.PositiveBigIntegerField(_("T2, кВт·ч"), null=True, blank=True)
    t3 = models.PositiveBigIntegerField(_("T3, кВт·ч"), null=True, blank=True)
    source = models.CharField(_("источник"), max_length=10, choices=Source.choices)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("кто передал"),
    )
    submitted_at = models.DateTimeField(_("передано"))
    # An unusually high consumption the customer confirmed (contracts.services.readings): staff review it.
    comment = models.TextField(_("комментарий передавшего"), blank=True, max_length=1000)
    needs_review = models.BooleanField(_("нужна проверка"), default=False)

    class Meta:
        verbose_name = _("показания")
        verbose_name_plural = _("показания")
        ordering = ["meter", "-period"]
        constraints = [
            models.UniqueConstraint(fields=["meter", "period"], name="contracts_reading_one_per_period"),
        ]
        # The unique constraint's index (meter, period) serves "last reading" and history.
        indexes = [
            models.Index(fields=["period"], name="contracts_reading_period"),
            models.Index(fields=["period"], condition=Q(needs_review=True), name="contracts_reading_review"),
        ]

    def __str__(self):
        return f"{self.meter} {self.period:%m.%Y}"

    @property
    def values(self) -> list[int]:
        return [v for v in (self.t1, self.t2, self.t3) if v is not None]


# Contract applications live beside the contracts they create or change (their own module for size).
from contracts.models_applications import (  # noqa: E402,F401
    ApplicationDocument,
    ApplicationEvent,
    ApplicationKind,
    ApplicationNumberCounter,
    ApplicationPause,
    ApplicationSupplyPoint,
    ContractApplication,
    RequiredDocument,
)

# The audit trail (audit.history). The billing import's bulk writes record one audit.BulkChange instead.
audit_history.register(Contract)
audit_history.register(ContractBinding)
audit_history.register(SupplyPoint)
audit_history.register(Meter)
audit_history.register(Reading)
audit_history.register(TariffZone)
