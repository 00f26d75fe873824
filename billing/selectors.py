"""Reads for the cabinet's money pages, always scoped through `billing.access`.

Every page runs a constant number of queries whatever the volume: one contract's page reads its latest balance,
its charges, payments, online payments and documents of the last 24 months — one indexed query each (on
(contract, period/date)); an organisation's summary reads its contracts with their latest balance as two
correlated subqueries over the (contract, -as_of, -id) index.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import quote

from django.db.models import F, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from billing import access
from billing.formatting import Formatter
from billing.models import ADVANCE, DEBT, NONE, ZERO, Balance, Charge, Document, OnlinePayment, Payment, balance_state
from contracts.models import Contract
from core.choices import choice_labels

MONTHS = 24
# An organisation's summary shows this many contracts a page.
SUMMARY_PAGE = 200
# The cabinet home lists this many contracts with their balances.
CABINET_CONTRACTS = 10
ONLINE_PAYMENTS_SHOWN = 10


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def latest_balance(contract, *, since: datetime.date | None = None) -> Balance | None:
    """The contract's latest balance; with `since` (a customer's `finances_since`), only one as of that date or
    later — an older one is the previous holder's."""
    balances = Balance.objects.filter(contract=contract)
    if since is not None:
        balances = balances.filter(as_of__gte=since)
    return balances.order_by("-as_of", "-id").first()


@dataclass
class Month:
    period: datetime.date
    lines: list = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))

    @property
    def consumption(self):
        values = [line.consumption for line in self.lines if line.kind == Charge.Kind.CHARGE and line.consumption]
        return sum(values) if values else None


def charges_by_month(contract, *, since: datetime.date) -> list[Month]:
    """The charges and recalculations from `since` on, grouped by month, newest first."""
    months: dict[datetime.date, Month] = {}
    for charge in Charge.objects.filter(contract=contract, period__gte=since).order_by("-period", "kind", "pk"):
        months.setdefault(charge.period, Month(charge.period)).lines.append(charge)
    return list(months.values())


def chart_data(months: list[Month]) -> dict:
    rows = list(reversed(months))
    # Chart.js gets numbers; the amounts themselves stay Decimal everywhere else (str keeps them exact).
    return {"labels": [f"{m.period:%m.%Y}" for m in rows], "values": [str(m.total) for m in rows]}


def contract_page(user, number: str, *, today=None) -> dict:
    """Everything one contract's money page shows: six queries. Only the months from the user's binding on
    (`finances_since`), and at most the last MONTHS of them."""
    contract = access.access_contract_finances(user, number)
    today = today or timezone.localdate()
    holder_since = contract.finances_since or datetime.date.max
    since = max(add_months(first_of_month(today), -MONTHS), holder_since)
    months = charges_by_month(contract, since=since)
    payments = list(Payment.objects.filter(contract=contract, paid_on__gte=since).order_by("-paid_on", "-pk"))
    documents = list(
        Document.objects.filter(contract=contract, period__gte=since).defer("file").order_by("-period", "kind")
    )
    _format(months, payments, documents)
    return {
        "contract": contract,
        "balance": latest_balance(contract, since=holder_since),
        "months": months,
        "chart": chart_data(months),
        "payments": payments,
        "online_payments": list(
            OnlinePayment.objects.filter(contract=contract, created_at__date__gte=holder_since).order_by(
                "-created_at"
            )[:ONLINE_PAYMENTS_SHOWN]
        ),
        "documents": documents,
    }


def _format(months, payments, documents) -> None:
    """Display strings for the page's rows (billing.formatting): far cheaper than the template filters."""
    fmt = Formatter()
    charge_kinds = choice_labels(Charge, "kind")
    document_kinds = choice_labels(Document, "kind")
    for month in months:
        for line in month.lines:
            line.period_text = f"{line.period:%m.%Y}"
            line.kind_text = charge_kinds.get(line.kind, line.kind)
            line.amount_text = fmt.money(line.amount)
            line.price_text = fmt.quantity(line.price, 5)
            zones = [(name, value) for name, value in (("T1", line.t1_kwh), ("T2", line.t2_kwh), ("T3", line.t3_kwh))
                     if value is not None]  # fmt: skip
            if len(zones) == 1:
                line.consumption_text = fmt.quantity(zones[0][1])
            else:
                line.consumption_text = ", ".join(f"{name} {fmt.quantity(value)}" for name, value in zones)
    for payment in payments:
        payment.date_text = f"{payment.paid_on:%d.%m.%Y}"
        payment.amount_text = fmt.money(payment.amount)
    for document in documents:
        kind = document_kinds.get(document.kind, document.kind)
        document.title_text = f"{kind[:1].upper()}{kind[1:]}" + (f" № {document.number}" if document.number else "")
        document.period_text = f"{document.period:%m.%Y}"
        document.size_text = fmt.size(document.size)
        document.amount_text = fmt.money(document.amount)


def _advances(rows):
    """Each row's balance as display strings (`balance_state`: debt, advance, zero or none; `balance_text`,
    `balance_as_of_text`), its kind's label and its page's address: computed once, not per template filter."""
    fmt = Formatter()
    kinds = choice_labels(Contract, "kind")
    debt, advance = gettext("долг %(a)s"), gettext("аванс %(a)s")
    base = reverse("billing:contract", args=["0"])[: -len("0/")]
    texts = {
        DEBT: lambda amount: debt % {"a": fmt.money(amount)},
        ADVANCE: lambda amount: advance % {"a": fmt.money(-amount)},
        ZERO: fmt.money,
        NONE: lambda amount: "—",
    }
    for contract in rows:
        contract.balance_state = balance_state(contract.balance_amount)
        contract.balance_text = texts[contract.balance_state](contract.balance_amount)
        contract.balance_as_of_text = f"{contract.balance_as_of:%d.%m.%Y}" if contract.balance_as_of else ""
        contract.kind_text = kinds.get(contract.kind, contract.kind)
        contract.finances_url = f"{base}{quote(contract.number, safe='/')}/"
    return rows


def _with_latest_balance(contracts):
    """`contracts` come annotated with `finances_since` (billing.access): a balance older is not the holder's."""
    latest = Balance.objects.filter(contract=OuterRef("pk"), as_of__gte=OuterRef("finances_since")).order_by(
        "-as_of", "-id"
    )
    return contracts.annotate(
        balance_amount=Subquery(latest.values("amount")[:1]), balance_as_of=Subquery(latest.values("as_of")[:1])
    )


def organisation_summary(user, organisation_id, *, page: int = 1) -> dict:
    """An organisation's contracts with their latest balances, the total debt and advance: four queries."""
    organisation = access.access_organisation_finances(user, organisation_id)
    contracts = _with_latest_balance(
        access.contracts_with_finances_for(user).filter(
            bindings__organisation=organisation, bindings__unbound_at__isnull=True
        )
    ).order_by("number")
    rows = list(contracts[(page - 1) * SUMMARY_PAGE : page * SUMMARY_PAGE + 1])
    more = len(rows) > SUMMARY_PAGE
    rows = _advances(rows[:SUMMARY_PAGE])
    debt = sum((c.balance_amount for c in rows if c.balance_state == DEBT), Decimal("0.00"))
    advance = sum((-c.balance_amount for c in rows if c.balance_state == ADVANCE), Decimal("0.00"))
    return {"organisation": organisation, "contracts": rows, "debt": debt, "advance": advance, "more": more,
            "page": page}  # fmt: skip


def overview(user, *, limit: int = SUMMARY_PAGE) -> dict:
    """The user's own accounts (at most `limit`) and each organisation whose finances they see, with balances:
    two queries, however many organisations and contracts."""
    personal = _with_latest_balance(access.personal_contracts_for(user)).order_by("number")
    organisations = list(access.finance_organisations_for(user).order_by("name"))
    return {"personal": _advances(list(personal[:limit])), "organisations": organisations}


def cabinet_section(user) -> dict | None:
    """The cabinet home's «Начисления и оплата» (cabinet.sections): None when there is nothing to show."""
    data = overview(user, limit=CABINET_CONTRACTS + 1)  # one more than shown: whether to link to the rest
    if not data["personal"] and not data["organisations"]:
        return None
    data["more"] = len(data["personal"]) > CABINET_CONTRACTS
    data["personal"] = data["personal"][:CABINET_CONTRACTS]
    return data


def organisation_documents(user, organisation_id, *, first: datetime.date, last: datetime.date):
    """The organisation's documents from month `first` to month `last` (both included), with their contracts;
    of each contract only those from the organisation's binding on (`access.holder_since`)."""
    organisation = access.access_organisation_finances(user, organisation_id)
    documents = (
        Document.objects.filter(
            contract__bindings__organisation=organisation,
            contract__bindings__unbound_at__isnull=True,
            period__gte=first,
            period__lte=last,
        )
        .alias(finances_since=access.holder_since("contract"))
        .filter(period__gte=F("finances_since"))
        .select_related("contract")
        .order_by("contract__number", "period", "kind", "pk")
    )
    return organisation, documents


def last_quarter(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    start_of_this = datetime.date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    first = add_months(start_of_this, -3)
    return first, add_months(start_of_this, -1)
