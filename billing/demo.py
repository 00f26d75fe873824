"""Demo money and papers for `manage.py seed_demo` (development only): safe to run again.

The demo resident's account gets 24 months of charges (two-zone, seasonal), a recalculation, the payments of
all months but the last, a debt equal to the last month's charge, and a bill (PDF) for every month; the demo
organisation's contracts get 6 months of charges, счета and УПД, and their balances. Upserted by billing id,
like the import does.
"""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from billing.models import Balance, Charge, Document, Payment
from contracts.demo import ORGANISATION_CONTRACTS, RESIDENT_ACCOUNT
from contracts.models import Contract

PRICE_DAY, PRICE_NIGHT = Decimal("7.53"), Decimal("3.12")


def demo_pdf(lines: list[str]) -> bytes:
    """A small, valid one-page PDF (ASCII text: the built-in Helvetica has no Cyrillic)."""
    safe = [line.encode("ascii", "replace").decode().replace("(", "[").replace(")", "]") for line in lines]
    text = "BT /F1 12 Tf 50 780 Td 16 TL " + " ".join(f"({line}) '" for line in safe) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(text)} >>\nstream\n{text}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = "%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n"
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    return out.encode("ascii")


def _months(today: datetime.date, count: int) -> list[datetime.date]:
    """The `count` months before the current one, oldest first."""
    index = today.year * 12 + today.month - 1
    return [datetime.date((index - n) // 12, (index - n) % 12 + 1, 1) for n in range(count, 0, -1)]


def _seasonal(period: datetime.date) -> Decimal:
    return Decimal("1.35") if period.month in (11, 12, 1, 2) else Decimal("0.85") if period.month in (5, 6, 7, 8) else 1


def _document(billing_id, contract, kind, period, number, amount, now):
    if Document.objects.filter(billing_id=billing_id).exists():
        return
    data = demo_pdf([f"DEMO {kind.upper()} No {number}", f"Contract {contract.billing_id}", f"Period {period:%m.%Y}",
                     f"Amount {amount} RUB", "Demo document: not a real bill."])  # fmt: skip
    document = Document(billing_id=billing_id, contract=contract, kind=kind, period=period, number=number,
                        issued_on=period.replace(day=28), amount=amount, size=len(data), sha256="", created_at=now,
                        notified_at=now)  # fmt: skip
    document.file.save("demo.pdf", ContentFile(data), save=False)
    document.save()


def seed(*, people: dict, organisation, now) -> list[str]:
    today = timezone.localdate(now)
    account = Contract.objects.get(billing_id=RESIDENT_ACCOUNT["billing_id"])
    months = _months(today, 24)
    last_amount = Decimal("0.00")
    for index, period in enumerate(months):
        day = (Decimal(180) * _seasonal(period)).quantize(Decimal(1))
        night = (Decimal(75) * _seasonal(period)).quantize(Decimal(1))
        amount = (day * PRICE_DAY + night * PRICE_NIGHT).quantize(Decimal("0.01"))
        key = f"{account.billing_id}-{period:%Y%m}"
        Charge.objects.update_or_create(billing_id=f"DEMO-N-{key}", defaults={
            "contract": account, "period": period, "kind": Charge.Kind.CHARGE, "t1_kwh": day, "t2_kwh": night,
            "tariff": "двухзонный (день / ночь)", "price": PRICE_DAY, "amount": amount})  # fmt: skip
        if index == len(months) - 3:
            Charge.objects.update_or_create(billing_id=f"DEMO-R-{key}", defaults={
                "contract": account, "period": period, "kind": Charge.Kind.RECALCULATION, "amount": Decimal("-84.30"),
                "reason": "показания за прошлый месяц переданы после расчёта"})  # fmt: skip
            amount -= Decimal("84.30")
        if index < len(months) - 1:
            Payment.objects.update_or_create(billing_id=f"DEMO-P-{key}", defaults={
                "contract": account, "paid_on": period + datetime.timedelta(days=40), "amount": amount,
                "channel": "СБП"})  # fmt: skip
        _document(f"DEMO-D-{key}", account, Document.Kind.BILL, period, f"К-{period:%Y%m}-0001", amount, now)
        last_amount = amount
    as_of = months[-1].replace(day=28) + datetime.timedelta(days=4)
    as_of = as_of - datetime.timedelta(days=as_of.day)  # the last day of the month
    Balance.objects.update_or_create(billing_id=f"DEMO-S-{account.billing_id}", defaults={
        "contract": account, "as_of": as_of, "amount": last_amount, "debt_warning": False})  # fmt: skip

    for number, spec in enumerate(ORGANISATION_CONTRACTS, start=1):
        contract = Contract.objects.get(billing_id=spec["billing_id"])
        amount = Decimal("0.00")
        for period in _months(today, 6):
            kwh = Decimal(12_000 * number) * _seasonal(period)
            price = Decimal("7.91200")
            amount = (kwh * price).quantize(Decimal("0.01"))
            key = f"{contract.billing_id}-{period:%Y%m}"
            Charge.objects.update_or_create(billing_id=f"DEMO-N-{key}", defaults={
                "contract": contract, "period": period, "t1_kwh": kwh, "price": price, "amount": amount,
                "tariff": f"{spec['price_category']} ЦК, нерегулируемая цена"})  # fmt: skip
            Payment.objects.update_or_create(billing_id=f"DEMO-P-{key}", defaults={
                "contract": contract, "paid_on": period + datetime.timedelta(days=18), "amount": amount,
                "channel": "платёжное поручение"})  # fmt: skip
            for kind, prefix in ((Document.Kind.INVOICE, "С"), (Document.Kind.UPD, "У")):
                _document(f"DEMO-D-{kind}-{key}", contract, kind, period, f"{prefix}-{period:%Y%m}-{number:03d}",
                          amount, now)  # fmt: skip
        Balance.objects.update_or_create(billing_id=f"DEMO-S-{contract.billing_id}", defaults={
            "contract": contract, "as_of": as_of, "amount": -Decimal("1500.00") * number})  # fmt: skip
    return [
        f"Начисления и оплата: лицевой счёт {account.number} — долг {last_amount} руб. на {as_of:%d.%m.%Y}, "
        "квитанции за 24 месяца; онлайн-оплата — тестовым платёжным сервисом (/billing/)."
    ]
