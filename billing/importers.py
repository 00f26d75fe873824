"""Billing's money and papers in the one billing import (`contracts.imports`): charges, payments, balances and
documents, each upserted by billing's id, all or nothing per file, with the same per-row report.

Charges, payments and balances are tables (CSV or XLSX) like contracts'. Documents come as a ZIP archive: a
`manifest.csv` (or `manifest.xlsx`) in its root lists one document a row, its `file` column naming a PDF inside
the archive. The PDFs are stored privately (`billing.models.document_storage`); when the file is not saved
(a refused row, a dry run) the PDFs already written are removed again, and a document replaced by a new file
loses its old file only after the import committed.
"""

import datetime
import hashlib
import io
import re
from decimal import Decimal, InvalidOperation

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from billing.models import Balance, Charge, Document, Payment
from contracts.imports import register_importer, register_layout
from contracts.imports.columns import BILLING_ID, CellError, Column, boolean, choice, date, text
from contracts.imports.service import Importer
from contracts.models import Contract
from core.uploads import PDF, detect_content_type

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


def _decimal(cell, places: int, *, what: str) -> Decimal:
    raw = str(cell).strip().replace(" ", "").replace("\u00a0", "").replace(",", ".")
    raw = raw.replace("\u2212", "-")  # a typographic minus from a spreadsheet
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise CellError(_("«%(value)s» — не число") % {"value": str(cell)[:20]}) from None
    if not value.is_finite():
        raise CellError(_("«%(value)s» — не число") % {"value": str(cell)[:20]})
    quantum = Decimal(1).scaleb(-places)
    if abs(value) >= Decimal("1e11") or value != value.quantize(quantum):
        raise CellError(
            _("%(what)s: не больше %(places)d знаков после запятой и меньше 100 000 000 000")
            % {"what": what, "places": places}
        )
    return value.quantize(quantum)


def money(cell) -> Decimal:
    """Roubles with kopecks, may be negative (a recalculation, an advance)."""
    return _decimal(cell, 2, what=_("сумма"))


def positive_money(cell) -> Decimal:
    value = money(cell)
    if value <= 0:
        raise CellError(_("сумма должна быть больше нуля"))
    return value


def kwh(cell) -> Decimal:
    value = _decimal(cell, 3, what=_("потребление"))
    if value < 0:
        raise CellError(_("потребление не может быть отрицательным (перерасчёт указывается суммой)"))
    return value


def price(cell) -> Decimal:
    value = _decimal(cell, 5, what=_("цена"))
    if value < 0:
        raise CellError(_("цена не может быть отрицательной"))
    return value


_MONTH_RES = (re.compile(r"([0-9]{2})\.([0-9]{4})"), re.compile(r"([0-9]{4})-([0-9]{2})"))


def month(cell) -> datetime.date:
    """A month: ММ.ГГГГ, ГГГГ-ММ or any date in it; stored as its first day."""
    if not isinstance(cell, datetime.date):
        raw = str(cell).strip()
        first, second = _MONTH_RES
        for pattern, (y, m) in ((first, (2, 1)), (second, (1, 2))):
            match = pattern.fullmatch(raw)
            if match:
                if 1 <= int(match[m]) <= 12 and 1900 <= int(match[y]) <= 2200:
                    return datetime.date(int(match[y]), int(match[m]), 1)
                raise CellError(_("неверный месяц «%(value)s»") % {"value": raw[:20]})
    try:
        value = date(cell)
    except CellError:
        raise CellError(
            _("неверный период «%(value)s» (нужно ММ.ГГГГ, ГГГГ-ММ или дата)") % {"value": str(cell)[:20]}
        ) from None
    return value.replace(day=1)


CONTRACT_BILLING_ID = Column(
    "contract_billing_id", True, text(64), gettext_lazy("код договора (лицевого счёта) в биллинге"), "LS-0001"
)
CHARGE_KINDS = {"charge": Charge.Kind.CHARGE, "recalculation": Charge.Kind.RECALCULATION,
                "начисление": Charge.Kind.CHARGE, "перерасчёт": Charge.Kind.RECALCULATION}  # fmt: skip
DOCUMENT_KINDS = {
    "bill": Document.Kind.BILL, "квитанция": Document.Kind.BILL,
    "invoice": Document.Kind.INVOICE, "счёт": Document.Kind.INVOICE, "счет": Document.Kind.INVOICE,
    "vat_invoice": Document.Kind.VAT_INVOICE, "счёт-фактура": Document.Kind.VAT_INVOICE,
    "счет-фактура": Document.Kind.VAT_INVOICE,
    "upd": Document.Kind.UPD, "упд": Document.Kind.UPD,
    "reconciliation": Document.Kind.RECONCILIATION, "акт сверки": Document.Kind.RECONCILIATION,
}  # fmt: skip

CHARGE_COLUMNS = [
    BILLING_ID,
    CONTRACT_BILLING_ID,
    Column("period", True, month, gettext_lazy("расчётный месяц: ММ.ГГГГ, ГГГГ-ММ или дата в нём"), "11.2026"),
    Column(
        "kind",
        False,
        choice(CHARGE_KINDS, gettext_lazy("вид начисления")),
        gettext_lazy("charge — начисление за месяц, recalculation — перерасчёт; пусто — charge"),
        "charge",
        default=Charge.Kind.CHARGE,
    ),
    Column("t1_kwh", False, kwh, gettext_lazy("потребление, кВт·ч: зона T1 (или всё при одноставочном)"), "180"),
    Column("t2_kwh", False, kwh, gettext_lazy("потребление, кВт·ч: зона T2 (ночь)"), "95"),
    Column("t3_kwh", False, kwh, gettext_lazy("потребление, кВт·ч: зона T3 (полупик)"), ""),
    Column(
        "tariff", False, text(200), gettext_lazy("тариф или цена словами, как в квитанции"), "двухзонный", default=""
    ),
    Column("price", False, price, gettext_lazy("цена, руб. за кВт·ч (до 5 знаков после запятой)"), "6,43"),
    Column("amount", True, money, gettext_lazy("сумма, руб. (у перерасчёта может быть отрицательной)"), "1 741,20"),
    Column(
        "reason",
        False,
        text(500),
        gettext_lazy("причина перерасчёта: у перерасчёта обязательна"),
        "показания за 10.2026 переданы позже",
        default="",
    ),
]
PAYMENT_COLUMNS = [
    BILLING_ID,
    CONTRACT_BILLING_ID,
    Column("paid_on", True, date, gettext_lazy("дата оплаты"), "05.11.2026"),
    Column("amount", True, positive_money, gettext_lazy("сумма, руб., больше нуля"), "1 500,00"),
    Column("channel", False, text(100), gettext_lazy("способ: банк, почта, личный кабинет…"), "СБП", default=""),
]
BALANCE_COLUMNS = [
    BILLING_ID,
    CONTRACT_BILLING_ID,
    Column("as_of", True, date, gettext_lazy("дата, на которую посчитано сальдо"), "30.11.2026"),
    Column(
        "amount",
        True,
        money,
        gettext_lazy("сумма к оплате, руб.: долг — больше нуля, аванс (переплата) — меньше нуля"),
        "2 310,55",
    ),
    Column(
        "debt_warning",
        False,
        boolean,
        gettext_lazy("выдано предупреждение о долге (ПП 354 п. 119): да/нет; пусто — нет"),
        "нет",
        default=False,
    ),
]
DOCUMENT_COLUMNS = [
    BILLING_ID,
    CONTRACT_BILLING_ID,
    Column(
        "kind",
        True,
        choice(DOCUMENT_KINDS, gettext_lazy("вид документа")),
        gettext_lazy(
            "bill — квитанция (граждане); invoice — счёт, vat_invoice — счёт-фактура, upd — УПД, "
            "reconciliation — акт сверки (организации)"
        ),
        "bill",
    ),
    Column("period", True, month, gettext_lazy("месяц, к которому относится документ"), "11.2026"),
    Column("number", False, text(64), gettext_lazy("номер документа"), "К-2026-11-0001", default=""),
    Column("issued_on", False, date, gettext_lazy("дата документа"), "01.12.2026"),
    Column("amount", False, money, gettext_lazy("сумма документа, руб."), "1 741,20"),
    Column(
        "file", True, text(300), gettext_lazy("имя файла PDF внутри архива (до 20 МБ)"), "bills/LS-0001-2026-11.pdf"
    ),
]

ORGANISATION_DOCUMENTS = {Document.Kind.INVOICE, Document.Kind.VAT_INVOICE, Document.Kind.UPD,
                          Document.Kind.RECONCILIATION}  # fmt: skip


class _ContractRowImporter(Importer):
    """Rows that refer to a contract by its billing id."""

    def prefetch(self, rows):
        wanted = {r.values["contract_billing_id"] for r in rows if r.values.get("contract_billing_id")}
        self.contracts = {
            billing_id: (pk, kind)
            for billing_id, pk, kind in Contract.objects.filter(billing_id__in=wanted).values_list(
                "billing_id", "id", "kind"
            )
        }

    def check(self, row, current):
        if row.values["contract_billing_id"] not in self.contracts:
            row.errors.append(
                _("contract_billing_id: договор «%(id)s» не найден — загрузите сначала файл договоров")
                % {"id": row.values["contract_billing_id"]}
            )

    def model_values(self, row):
        values = {name: row.values[name] for name in self.fields if name != "contract_id"}
        values["contract_id"] = self.contracts[row.values["contract_billing_id"]][0]
        return values


class ChargeImporter(_ContractRowImporter):
    model = Charge
    fields = ("contract_id", "period", "kind", "t1_kwh", "t2_kwh", "t3_kwh", "tariff", "price", "amount", "reason")

    def check(self, row, current):
        super().check(row, current)
        v = row.values
        if v["kind"] == Charge.Kind.RECALCULATION and not v["reason"]:
            row.errors.append(_("reason: у перерасчёта нужна причина"))
        if v["t3_kwh"] is not None and v["t2_kwh"] is None:
            row.errors.append(_("t2_kwh: зона T3 указана без зоны T2"))
        if (v["t2_kwh"] is not None or v["t3_kwh"] is not None) and v["t1_kwh"] is None:
            row.errors.append(_("t1_kwh: зоны T2/T3 указаны без зоны T1"))


class PaymentImporter(_ContractRowImporter):
    model = Payment
    fields = ("contract_id", "paid_on", "amount", "channel")


class BalanceImporter(_ContractRowImporter):
    model = Balance
    fields = ("contract_id", "as_of", "amount", "debt_warning")

    def finish_existing(self, obj, row):
        # A warning billing withdrew and issues again later is a new warning: told again.
        if not obj.debt_warning and obj.warned_at is not None:
            obj.warned_at = None
            return ["warned_at"]
        return []

    @property
    def update_fields(self):
        return [*self.fields, "warned_at"]


class DocumentImporter(_ContractRowImporter):
    model = Document
    fields = ("contract_id", "kind", "period", "number", "issued_on", "amount")
    archive_required = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.written: list[str] = []
        self.replaced: list[str] = []
        self.files: dict[int, bytes] = {}

    @property
    def update_fields(self):
        return [*self.fields, "file", "size", "sha256"]

    def check(self, row, current):
        super().check(row, current)
        v = row.values
        contract = self.contracts.get(v["contract_billing_id"])
        if contract is not None:
            residential = contract[1] == Contract.Kind.RESIDENTIAL
            if residential and v["kind"] in ORGANISATION_DOCUMENTS:
                row.errors.append(_("kind: у гражданина документ — квитанция (bill)"))
            if not residential and v["kind"] == Document.Kind.BILL:
                row.errors.append(_("kind: у организации — счёт, счёт-фактура, УПД или акт сверки, не квитанция"))
        data = self._member(row)
        if data is not None:
            self.files[row.number] = data

    def _member(self, row) -> bytes | None:
        name = row.values["file"]
        try:
            info = self.archive.getinfo(name)
        except KeyError:
            row.errors.append(_("file: в архиве нет файла «%(name)s»") % {"name": name[:100]})
            return None
        if info.file_size > MAX_DOCUMENT_BYTES:
            row.errors.append(_("file: файл «%(name)s» больше 20 МБ") % {"name": name[:100]})
            return None
        try:
            data = self.archive.read(info)
        except Exception:  # noqa: BLE001 - a broken member (bad CRC, unsupported compression) is the file's fault
            row.errors.append(_("file: файл «%(name)s» в архиве повреждён") % {"name": name[:100]})
            return None
        if not data or detect_content_type(io.BytesIO(data)) != PDF:
            row.errors.append(_("file: «%(name)s» — не документ PDF") % {"name": name[:100]})
            return None
        return data

    def finish_new(self, obj, row):
        data = self.files.pop(row.number)
        obj.created_at = self.now
        obj.size = len(data)
        obj.sha256 = hashlib.sha256(data).hexdigest()
        self._store(obj, data)

    def finish_existing(self, obj, row):
        data = self.files.pop(row.number)
        digest = hashlib.sha256(data).hexdigest()
        if digest == obj.sha256:
            return []
        if obj.file:
            self.replaced.append(obj.file.name)
        obj.size, obj.sha256 = len(data), digest
        self._store(obj, data)
        return ["file", "size", "sha256"]

    def _store(self, obj, data):
        # Only a file that will be kept is written; a dry run or a file with refused rows writes nothing
        # (and discard() removes what an earlier chunk wrote before a later row was refused).
        if self.write and not self.report.refused:
            obj.file.save("document.pdf", ContentFile(data), save=False)
            self.written.append(obj.file.name)

    def committed(self):
        storage = Document._meta.get_field("file").storage
        for name in self.replaced:
            storage.delete(name)

    def discard(self):
        storage = Document._meta.get_field("file").storage
        for name in self.written:
            storage.delete(name)
        self.written = []


ENTITIES = {
    "charges": (gettext_lazy("начисления и перерасчёты"), CHARGE_COLUMNS, ChargeImporter),
    "payments": (gettext_lazy("оплаты, учтённые биллингом"), PAYMENT_COLUMNS, PaymentImporter),
    "balances": (gettext_lazy("сальдо на дату"), BALANCE_COLUMNS, BalanceImporter),
    "documents": (gettext_lazy("документы (архив ZIP с описью)"), DOCUMENT_COLUMNS, DocumentImporter),
}


def register():
    for entity, (label, columns, importer) in ENTITIES.items():
        register_layout(entity, label, columns)
        register_importer(entity, importer)
