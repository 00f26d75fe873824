"""The cabinet home is a list of sections, each a template and a context built from selectors.

Later apps add theirs here (appeals, contracts, notifications), in the order
they should appear: `Section("appeals", "cabinet/sections/appeals.html", appeals_section)`.
A section's function gets the user and returns its context, or None to hide the section.
"""

from collections.abc import Callable
from dataclasses import dataclass

from accounts import selectors as account_selectors
from appeals import selectors as appeal_selectors
from billing import selectors as billing_selectors
from contracts import selectors as contract_selectors


@dataclass(frozen=True)
class Section:
    name: str
    template: str
    context: Callable[[object], dict | None]


def account_section(user) -> dict:
    return {"user": user}


def invitations_section(user) -> dict | None:
    invitations = account_selectors.invitations_pending_for(user)
    return {"invitations": invitations} if invitations else None


def organisations_section(user) -> dict:
    return {"memberships": account_selectors.memberships_for(user)}


def consents_section(user) -> dict:
    return {"summary": account_selectors.consent_summary_for(user)}


SECTIONS: list[Section] = [
    Section("account", "cabinet/sections/account.html", account_section),
    Section("invitations", "cabinet/sections/invitations.html", invitations_section),
    Section("organisations", "cabinet/sections/organisations.html", organisations_section),
    Section("appeals", "appeals/includes/cabinet_section.html", appeal_selectors.cabinet_section),
    Section("notifications", "notifications/cabinet_section.html", lambda user: {}),
    Section("contracts", "contracts/cabinet_section.html", contract_selectors.cabinet_section),
    Section("billing", "billing/cabinet_section.html", billing_selectors.cabinet_section),
    Section("consents", "cabinet/sections/consents.html", consents_section),
]


def sections_for(user) -> list[tuple[Section, dict]]:
    rendered = []
    for section in SECTIONS:
        context = section.context(user)
        if context is not None:
            rendered.append((section, context))
    return rendered
