"""The periodic job that applies the retention rules (privacy.RetentionRule) and reports what it did.

`appeals.closed`: a closed appeal registered longer ago than the rule's term (5 years by the
archival list) loses its applicant's name, contacts, free text and files; its number, dates, kind,
topic and status stay, so the statistics still count it. Each run is one audit.BulkChange with its
totals; a second run finds nothing left to do.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from audit.services import bulk_change_record

from .erasure import REMOVED, anonymise_appeals
from .models import RetentionRule

logger = logging.getLogger(__name__)
BATCH = 500


def _closed_appeals_due(cutoff):
    from appeals.models import Appeal

    return (Appeal.objects.filter(registered_at__lt=cutoff).exclude(status__in=Appeal.OPEN_STATUSES)
            .exclude(contact_name=REMOVED).order_by("pk").values_list("pk", flat=True))


APPLIERS = {"appeals.closed": _closed_appeals_due}


def retention_apply(*, now=None) -> dict[str, int]:
    now = now or timezone.now()
    report = {}
    for rule in RetentionRule.objects.filter(is_active=True, code__in=list(APPLIERS)):
        due = APPLIERS[rule.code](now - timedelta(days=rule.keep_days))
        done = 0
        while True:
            with transaction.atomic():
                ids = list(due[:BATCH])
                if not ids:
                    break
                done += anonymise_appeals(ids)
        report[rule.code] = done
    if any(report.values()):
        bulk_change_record(what="retention rules applied", summary=report, now=now)
    logger.info("retention rules applied: %s", report)
    return report
