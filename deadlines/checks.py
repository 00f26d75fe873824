"""System checks that repeat the admin's warnings: a missing production calendar year, a code without its rule.

Registered as a database check, so it runs only where Django checks the
database (`migrate` on deploy, `check --database default`), never in the
static `check --deploy`.
"""

from django.core.checks import Tags, register
from django.core.checks import Warning as CheckWarning
from django.db import DatabaseError
from django.utils import timezone


@register(Tags.database)
def check_calendar_coverage(app_configs=None, databases=None, **kwargs):
    if not databases or "default" not in databases:
        return []
    from deadlines.services import calendar_coverage_warning

    try:
        message = calendar_coverage_warning(timezone.localdate())
    except DatabaseError:
        # Before the first migrate the table does not exist yet.
        return []
    if not message:
        return []
    return [CheckWarning(message, id="deadlines.W001")]


@register(Tags.database)
def check_rule_gaps(app_configs=None, databases=None, **kwargs):
    if not databases or "default" not in databases:
        return []
    from deadlines.services import rule_gap_warning

    try:
        message = rule_gap_warning()
    except DatabaseError:
        return []
    return [CheckWarning(message, id="deadlines.W002")] if message else []
