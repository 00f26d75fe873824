"""The billing notices' scan: a new bill or document is available; billing marked a household debt warning.

One periodic task (billing.tasks.scan_billing_notices) calls `billing_notices_scan`. It claims the rows still
to tell (partial indexes on `notified_at IS NULL` / `debt_warning AND warned_at IS NULL`, so the scan touches
only due rows) under `select_for_update(skip_locked=True)`, writes the notices through the outbox and marks the
rows in the same transaction — a second scan or a second beat finds nothing, and `notify`'s dedup key would
refuse a repeat anyway.

Who is told: the person the contract is bound to, or the organisation's administrators and the members allowed
to see its finances. A debt warning (ПП 354 п. 119, households only) gives `BILLING_DEBT_PAYMENT_DAYS` (20)
calendar days to pay, counted by the production calendar from the day after the warning's date.
"""

import datetime
import logging
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from billing import access
from billing.models import DEBT, Balance, Document
from billing.payments import provider_configured
from contracts.models import Contract, ContractBinding
from deadlines.arithmetic import Term, Unit
from deadlines.services import company_timezone, term_end
from notifications.scans import ScanResult
from notifications.services import notify

logger = logging.getLogger(__name__)

BATCH = 500


def recipients_for(contract_ids) -> dict[int, list]:
    """{contract id: [users who see its finances]}: two queries for any number of contracts."""
    bindings = list(
        ContractBinding.objects.filter(contract_id__in=contract_ids, unbound_at__isnull=True).select_related("user")
    )
    organisation_ids = {b.organisation_id for b in bindings if b.organisation_id}
    members = defaultdict(list)
    if organisation_ids:
        for membership in (
            Membership.objects.filter(access.FINANCE_MEMBERSHIPS, organisation_id__in=organisation_ids)
            .select_related("user")
            .order_by("pk")
        ):
            if membership.user.is_active:
                members[membership.organisation_id].append(membership.user)
    result = defaultdict(list)
    for binding in bindings:
        if binding.user_id:
            if binding.user.is_active:
                result[binding.contract_id].append(binding.user)
        else:
            result[binding.contract_id].extend(members[binding.organisation_id])
    return result


def debt_pay_by(as_of: datetime.date) -> datetime.date:
    tz = company_timezone()
    event = datetime.datetime.combine(as_of, datetime.time(12), tzinfo=tz)
    days = getattr(settings, "BILLING_DEBT_PAYMENT_DAYS", 20)
    return term_end(Term(days, Unit.CALENDAR_DAYS), event).astimezone(tz).date()


def billing_notices_scan(*, now=None) -> ScanResult:
    now = now or timezone.now()
    result = ScanResult()
    # The notices offer paying online only when the cabinet takes payments.
    online_payment = provider_configured()
    _new_documents(now, result, online_payment)
    _debt_warnings(now, result, online_payment)
    return result


def _new_documents(now, result, online_payment):
    with transaction.atomic():
        documents = list(
            Document.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(notified_at__isnull=True)
            .select_related("contract")
            .defer("file")
            .order_by("pk")[:BATCH]
        )
        if not documents:
            return
        people = recipients_for({d.contract_id for d in documents})
        for document in documents:
            contract = document.contract
            for user in people.get(document.contract_id, []):
                notify(
                    recipient=user,
                    event="billing.new_document",
                    context={
                        "kind": document.get_kind_display().capitalize(),
                        "period": f"{document.period:%m.%Y}",
                        "number": contract.number,
                        "amount": document.amount,
                        "online_payment": online_payment,
                    },
                    dedup_key=f"billing:document:{document.pk}:user:{user.pk}",
                    link=reverse("billing:contract", args=[contract.number]),
                    now=now,
                )
                result.count("new_document")
        Document.objects.filter(pk__in=[d.pk for d in documents]).update(notified_at=now)


def _debt_warnings(now, result, online_payment):
    with transaction.atomic():
        balances = list(
            Balance.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(debt_warning=True, warned_at__isnull=True)
            .select_related("contract")
            .order_by("pk")[:BATCH]
        )
        if not balances:
            return
        households = [b for b in balances if b.contract.kind == Contract.Kind.RESIDENTIAL and b.state == DEBT]
        people = recipients_for({b.contract_id for b in households})
        # The term needs the calendar: once per billing date, not once per balance (they share a few dates).
        pay_by = {as_of: debt_pay_by(as_of) for as_of in {b.as_of for b in households}}
        for balance in households:
            for user in people.get(balance.contract_id, []):
                notify(
                    recipient=user,
                    event="billing.debt_warning",
                    context={
                        "number": balance.contract.number,
                        "amount": balance.amount,
                        "as_of": balance.as_of,
                        "pay_by": pay_by[balance.as_of],
                        "online_payment": online_payment,
                    },
                    dedup_key=f"billing:debt-warning:{balance.pk}:user:{user.pk}",
                    link=reverse("billing:contract", args=[balance.contract.number]),
                    now=now,
                )
                result.count("debt_warning")
        Balance.objects.filter(pk__in=[b.pk for b in balances]).update(warned_at=now)
