"""Staff roles: which permissions each staff group has.

This map is the single place to declare them. `apply_group_permissions` runs
after every `migrate` and makes each group's permissions exactly what is listed
here (so removing a codename here removes it from the group). Codenames whose
model or app does not exist yet are skipped silently: other apps add their
codenames here as they arrive. Domain code checks permissions, never group names.
"""

import logging

from django.contrib.auth.models import Group, Permission
from django.db import transaction

logger = logging.getLogger(__name__)

OPERATORS = "Операторы"
SUPERVISORS = "Руководители"
CONTENT_EDITORS = "Редакторы контента"
ADMINISTRATORS = "Администраторы"

_ACCOUNTS_READ = [
    "accounts.view_user",
    "accounts.view_organisation",
    "accounts.view_membership",
    "accounts.view_invitation",
    "accounts.view_consentdocument",
    "accounts.view_consent",
    "accounts.view_closurerequest",
]

_DEADLINES_READ = [
    "deadlines.view_deadlinerule",
    "deadlines.view_calendaryear",
    "deadlines.view_calendarday",
]

# Operators work the appeals assigned to them and the unassigned ones;
# supervisors see every appeal. Appeals are never deleted (retention 5 years).
_APPEALS_WORK = [
    "appeals.view_appeal",
    "appeals.add_appeal",
    "appeals.change_appeal",
]

# Content editors run the public information: pages, news, FAQ, offices, documents, tariffs.
_PAGES_EDIT = [
    f"pages.{action}_{model}"
    for model in (
        "page",
        "news",
        "faqtopic",
        "faqentry",
        "office",
        "officehours",
        "officeexception",
        "document",
        "tariffperiod",
        "tariffrate",
    )
    for action in ("view", "add", "change", "delete")
]

# Supervisors and administrators watch the outbox, resend what failed and tune the reminder ladder.
_NOTIFICATIONS_WATCH = [
    "notifications.view_notification",
    "notifications.resend_notification",
    "notifications.view_reminder",
    "notifications.view_reminderpolicy",
]

# Contracts, supply points and meters come from billing: operators look them up, administrators correct
# them and run the billing import. Binding attempts are a record, never edited.
_CONTRACTS_READ = [
    "contracts.view_contract",
    "contracts.view_contractbinding",
    "contracts.view_supplypoint",
    "contracts.view_meter",
    "contracts.view_tariffzone",
    "contracts.view_bindingattempt",
]
_CONTRACTS_EDIT = [
    "contracts.add_contract",
    "contracts.change_contract",
    "contracts.import_billing",
    "contracts.add_supplypoint",
    "contracts.change_supplypoint",
    "contracts.add_meter",
    "contracts.change_meter",
    "contracts.change_tariffzone",
]

# Contract applications (ПП 442 п. 39): operators and supervisors review them and keep the checklist;
# supervisors and administrators get the overdue alarms (the `review_contractapplication` holders).
_CONTRACT_APPLICATIONS_WORK = [
    "contracts.view_contractapplication",
    "contracts.change_contractapplication",
    "contracts.review_contractapplication",
    "contracts.view_requireddocument",
    "contracts.add_requireddocument",
    "contracts.change_requireddocument",
]

GROUP_PERMISSIONS: dict[str, list[str]] = {
    OPERATORS: [
        *_ACCOUNTS_READ,
        *_DEADLINES_READ,
        *_APPEALS_WORK,
        *_CONTRACTS_READ,
        *_CONTRACT_APPLICATIONS_WORK,
        # Not the outbox: its bodies carry appeals assigned to colleagues, which
        # operators may not see. They read their own notices in the inbox.
    ],
    SUPERVISORS: [
        *_ACCOUNTS_READ,
        *_DEADLINES_READ,
        *_APPEALS_WORK,
        "appeals.view_all_appeals",
        *_CONTRACTS_READ,
        *_CONTRACT_APPLICATIONS_WORK,
        "contracts.supervise_contractapplication",
        "deadlines.change_deadlinerule",
        *_NOTIFICATIONS_WATCH,
        "notifications.change_reminderpolicy",
        # Supervisors decide on closure requests (152-ФЗ ст. 21 ч. 5).
        "accounts.change_closurerequest",
        # The service-quality dashboard (monitoring/), every operator's figures.
        "monitoring.view_dashboard",
    ],
    CONTENT_EDITORS: [
        "accounts.view_consentdocument",
        *_PAGES_EDIT,
    ],
    ADMINISTRATORS: [
        *_ACCOUNTS_READ,
        # The journals (152-ФЗ): who looked at a customer's data, security events, bulk changes.
        "audit.view_personaldataread",
        "audit.view_customer_changes",
        "audit.view_securityevent",
        "audit.view_bulkchange",
        # Data-subject requests (152-ФЗ ст. 14, 20, 21): registering paper ones, answering, erasing.
        "privacy.view_subjectrequest",
        "privacy.add_subjectrequest",
        "privacy.change_subjectrequest",
        "privacy.view_retentionrule",
        "privacy.change_retentionrule",
        "accounts.add_user",
        "accounts.change_user",
        "accounts.change_organisation",
        "accounts.change_membership",
        "accounts.delete_membership",
        "accounts.change_invitation",
        "accounts.add_consentdocument",
        "accounts.change_closurerequest",
        "auth.view_group",
        *_APPEALS_WORK,
        "appeals.view_all_appeals",
        *_NOTIFICATIONS_WATCH,
        "notifications.change_reminderpolicy",
        *_DEADLINES_READ,
        # The production calendar and the rules table change with decrees and laws.
        "deadlines.add_calendaryear",
        "deadlines.change_calendaryear",
        "deadlines.add_calendarday",
        "deadlines.change_calendarday",
        "deadlines.delete_calendarday",
        "deadlines.add_deadlinerule",
        "deadlines.change_deadlinerule",
        *_CONTRACTS_READ,
        *_CONTRACTS_EDIT,
        *_CONTRACT_APPLICATIONS_WORK,
        "monitoring.view_dashboard",
    ],
}


def _permissions_for(codenames):
    wanted = {tuple(c.split(".", 1)) for c in codenames}
    found = Permission.objects.filter(
        content_type__app_label__in={app for app, _ in wanted},
        codename__in={code for _, code in wanted},
    ).select_related("content_type")
    return [p for p in found if (p.content_type.app_label, p.codename) in wanted]


@transaction.atomic
def apply_group_permissions(group_permissions=None):
    """Make every group's permissions match the map; create missing groups."""
    group_permissions = GROUP_PERMISSIONS if group_permissions is None else group_permissions
    for name, codenames in group_permissions.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(_permissions_for(codenames))


def apply_group_permissions_after_migrate(sender, using="default", **kwargs):
    """post_migrate receiver. Runs once per migrate, after the last app's signal.

    Permissions of every app are created first (auth's own receiver may not have
    run for the later apps yet), then the map is applied.
    """
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    configs = [c for c in apps.get_app_configs() if c.models_module is not None]
    if not configs or sender is not configs[-1]:
        return
    for config in configs:
        create_permissions(config, verbosity=0, using=using)
    apply_group_permissions()
