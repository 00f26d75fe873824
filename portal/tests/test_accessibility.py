"""The accessibility gate: every page a visitor, a resident, an organisation's administrator and a staff
member can reach passes axe-core (WCAG 2.1 A/AA) in Chromium, and its HTML passes the Nu checker.

The pages come from walking the URL patterns (new URLs join automatically); object ids are filled from
demo-like data built here. One browser, one context per role. The tools are the npm packages pinned in
package-lock.json (`make test` and `.ci/run` install them with `npm ci`); nothing is fetched at run time.
Select it alone with `pytest -m a11y`.
"""

import json
import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import NoReverseMatch, get_resolver, reverse
from django.utils import timezone

from portal.tests.test_url_access import ADMIN_NAMESPACES, PUBLIC_URL_NAMES, _walk

pytestmark = [
    pytest.mark.browser,
    pytest.mark.a11y,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROOT = Path(settings.BASE_DIR)
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Named URLs that are not HTML pages (feeds, files, machine-readable answers, logging out).
NOT_PAGES = {
    "sitemap", "robots_txt", "healthz", "set_language", "pages:news_rss", "pages:news_atom",
    "pages:news_image", "pages:document_download", "appeals:attachment", "accounts:personal_data_export",
    "billing:document", "billing:notification",
    "accounts:logout", "admin:logout", "admin:jsi18n", "admin:view_on_site", "admin:autocomplete",
    "contracts:application_document", "contracts:application_draft", "contracts:application_signed",
    "admin:contracts_contractapplication_document", "admin:contracts_contractapplication_file",
    "monitoring:export", "audit:customer_changes_export",
}
# Actions that answer only POST are opened too: they answer 405 and are listed as not pages, and a confirmation
# page added later (GET) is checked without a change here.

# The Django admin's own markup that the Nu checker reports; each with the reason it is not ours to fix.
# Matched as substrings of the message, on admin pages only.
ADMIN_NU_EXCEPTIONS = {
    "The first “option” element in a “select” element with a “required” attribute": (
        "Django renders a required choice with a default (a membership's role) as a required <select> whose "
        "first option is a real value, not a placeholder; browsers and screen readers handle it correctly"
    ),
    "A “select” element with a “required” attribute, and without a “multiple” attribute": (
        "the admin's autocomplete fields start as an empty required <select> that select2 fills on demand"
    ),
}

# The roles, and the demo account each logs in as (None: a visitor without a session).
ROLES = {
    "visitor": None,
    "resident": "resident@demo.example",
    "organisation": "org.admin@demo.example",
    "staff": "admin@demo.example",
}


def _tools_or_skip():
    missing = [str(p.relative_to(ROOT)) for p in (AXE, VNU) if not p.exists()]
    if not shutil.which("java"):
        missing.append("java (apt-get install default-jre-headless)")
    if missing:
        message = f"Accessibility gate tools missing: {', '.join(missing)}. `make test` installs them (npm ci)."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def _demo_data(settings, tmp_path):
    """The demo accounts and pages, plus what makes every object page exist: appeals in each state,
    news, a document, an invitation and notifications."""
    from accounts import services as account_services
    from accounts.models import Consent, Invitation, Membership, Organisation, User
    from appeals import services as appeal_services
    from appeals.access import STAFF
    from appeals.models import Appeal
    from appeals.tests.factories import submit, upload
    from notifications.models import Notification
    from pages.models import News, TariffPeriod
    from pages.tests.factories import DocumentFactory, NewsFactory

    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.DEBUG = True  # the demo commands refuse to run otherwise
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("seed_demo_pages", stdout=open(os.devnull, "w"))  # noqa: SIM115
    settings.DEBUG = False

    now = timezone.now()
    people = {email: User.objects.get(email=email) for email in ROLES.values() if email}
    resident = people["resident@demo.example"]
    org_admin = people["org.admin@demo.example"]
    operator = User.objects.get(email="operator@demo.example")
    organisation = Organisation.objects.get(inn="7701000019")

    registered = submit(resident, now=now, files=[upload()], subject="Перерасчёт за октябрь")
    answered = submit(resident, now=now, subject="Счёт за сентябрь")
    appeal_services.appeal_answer(answered.pk, actor=operator, text="Начисления верны.", expected_version=None, now=now)
    waiting = submit(resident, now=now, subject="Показания не приняты")
    appeal_services.appeal_transition(waiting.pk, to=Appeal.Status.IN_PROGRESS, actor=operator, as_role=STAFF, now=now)
    appeal_services.appeal_transition(
        waiting.pk, to=Appeal.Status.WAITING_FOR_CUSTOMER, actor=operator, as_role=STAFF,
        comment="Пришлите фото счётчика.", now=now,
    )
    org_appeal = submit(org_admin, organisation=organisation, now=now, subject="Акт сверки")

    NewsFactory(title="Плановые работы", slug="planovye-raboty")
    DocumentFactory(title="Форма заявления")
    account_services.invitation_send(
        actor=org_admin, organisation_id=organisation.pk, email="new.colleague@demo.example",
        role=Membership.Role.MEMBER, site_url="http://testserver",
    )
    from contracts.models import Contract, Meter

    def contract_and_meter(**bound):
        contract = Contract.objects.filter(bindings__unbound_at__isnull=True, **bound).order_by("pk").first()
        meter = Meter.objects.filter(supply_point__contract=contract, remote=False).order_by("pk").first()
        return {"contracts:detail": contract.number, "contracts:unbind": contract.number, "meter_id": meter.pk}

    # Contract applications: the organisation's, registered and waiting for a document (the clock stopped),
    # first, so the admin's first object is a registered one; the resident's draft after it.
    from contracts.models_applications import ApplicationKind
    from contracts.services import application_staff, applications
    from contracts.tests.factories_applications import POINT, checked, upload_all

    org_application = applications.application_create_draft(
        actor=org_admin, kind=ApplicationKind.CONCLUDE, organisation=organisation,
        fields={"customer_name": organisation.name, "inn": organisation.inn, "price_category": 3},
        points=[POINT], now=now,
    )
    upload_all(org_application, org_admin, now=now)
    applications.application_submit(org_application.pk, actor=org_admin, now=now)
    application_staff.application_request_documents(org_application.pk, actor=operator, comment="Нужен акт.",
                                                     now=now)
    resident_application = applications.application_create_draft(
        actor=resident, kind=ApplicationKind.CONCLUDE,
        fields={"customer_name": "Иванова Мария", "address": "г. Москва", "tariff": "single"},
        points=[{**POINT, "voltage": "LV", "meter_serial": ""}], now=now,
    )
    applications.application_add_documents(resident_application.pk, actor=resident, files=checked(), now=now)

    from billing.services.payments import payment_start

    settings.PAYMENTS_PROVIDER = "billing.payments.development.DevelopmentProvider"
    resident_account = Contract.objects.filter(bindings__user=resident, bindings__unbound_at__isnull=True).first()
    payment = payment_start(user=resident, number=resident_account.number, amount=Decimal("100.00"),
                            return_url_for=lambda p: "http://testserver/")  # fmt: skip
    organisation_contract = Contract.objects.filter(bindings__organisation=organisation).order_by("pk").first()
    billing_ids = {
        "billing:contract": resident_account.number,
        "billing:pay": resident_account.number,
        "payment_uuid": payment.uuid,
        "provider_id": payment.provider_payment_id,
    }

    from privacy import services as privacy_services

    subject_request = privacy_services.subject_request_file(user=resident, kind="correction",
                                                            text="В фамилии ошибка.", now=now)
    privacy_services.subject_request_extend(request_id=subject_request.pk, actor=operator,
                                            reason="Нужна проверка в архиве.", now=now)

    ids = {
        "resident": {
            "privacy:detail": subject_request.pk,
            **contract_and_meter(bindings__user=resident),
            **billing_ids,
            "number": registered.number,
            "appeals:reply": waiting.number,
            "appeals:rate": answered.number,
            "appeals:reopen": answered.number,
            "appeals:detail": answered.number,
            "accounts:consent_withdraw": Consent.objects.filter(user=resident).first().pk,
            "application_id": resident_application.pk,
        },
        "organisation": {
            **contract_and_meter(bindings__organisation=organisation),
            "number": org_appeal.number,
            "application_id": org_application.pk,
            "organisation_id": organisation.pk,
            "billing:contract": organisation_contract.number,
            "billing:pay": organisation_contract.number,
        },
        "any": {
            "path": "pokazaniya",
            "kind": "conclude",
            "slug": News.objects.get(slug="planovye-raboty").slug,
            "pages:tariff_period": TariffPeriod.objects.order_by("pk").first().pk,
            "accounts:organisation": organisation.pk,
            "accounts:organisation_invite": organisation.pk,
            "accounts:organisation_leave": organisation.pk,
            "accounts:consent_document": Consent.objects.filter(user=resident).first().document.version,
            "invitation": Invitation.objects.first().pk,
            "notification": Notification.objects.filter(recipient=resident).values_list("pk", flat=True).first(),
        },
    }
    return people, ids


def _customer_urls(role, ids):
    """(name, url) of every non-admin named pattern, with ids from the role's own data."""
    own, shared = ids.get(role, {}), ids["any"]
    for name, pattern in _walk(get_resolver().url_patterns):
        if name.startswith("admin:") or name in NOT_PAGES:
            continue
        if name.startswith(ADMIN_NAMESPACES) and role != "staff":
            continue  # admin pages outside the admin's namespace (their refusal is tested in their apps)
        if role == "visitor" and name not in PUBLIC_URL_NAMES:
            continue
        if role in ("organisation", "staff") and name in PUBLIC_URL_NAMES and name != "home":
            continue  # the public pages are checked once, by the visitor and the resident
        kwargs = {}
        for key in pattern.pattern.regex.groupindex:
            value = own.get(name) or shared.get(name) or own.get(key) or shared.get(key)
            if value is None and key == "number":
                value = ids["resident"]["number"]
            kwargs[key] = value if value is not None else "x"
        try:
            yield name, reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue


def _admin_urls(user):
    """The admin's index, each app's list, and each registered model's list, add form and first object
    (the add form only where the admin offers one: read-only journals have none)."""
    request = RequestFactory().get(reverse("admin:index"))
    request.user = user
    yield "admin:index", reverse("admin:index")
    yield "admin:password_change", reverse("admin:password_change")
    labels = set()
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        labels.add(meta.app_label)
        prefix = f"admin:{meta.app_label}_{meta.model_name}"
        yield f"{prefix}_changelist", reverse(f"{prefix}_changelist")
        if model_admin.has_add_permission(request):
            yield f"{prefix}_add", reverse(f"{prefix}_add")
        first = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
        if first is not None:
            yield f"{prefix}_change", reverse(f"{prefix}_change", args=[first])
    for label in sorted(labels):
        yield "admin:app_list", reverse("admin:app_list", kwargs={"app_label": label})


def _login(browser, live_server, user):
    # bypass_csp: axe is injected as a script of the test, which the portal's CSP rightly refuses.
    context = browser.new_context(
        locale="ru-RU", timezone_id="Europe/Moscow", viewport={"width": 1280, "height": 900}, bypass_csp=True
    )
    # axe-core in every page of the context, before the page's own scripts: no extra round trip per page.
    context.add_init_script(path=str(AXE))
    if user is not None:
        client = Client()
        client.force_login(user)
        if user.is_staff:
            # Staff pass a second factor before the admin: without it every admin URL would show its form.
            from staffauth.testing import mark_client_verified

            mark_client_verified(client, user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return context


def _axe(page):
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(
                    n => n.target.join(' ') + ' — ' + n.failureSummary.split('\\n').slice(1, 2).join('')),
            }));
        }""",
        WCAG_TAGS,
    )


def _nu(html_dir):
    result = subprocess.run(  # noqa: S603 (fixed arguments)
        ["java", "-Xss8m", "-jar", str(VNU), "--format", "json", "--stdout", "--skip-non-html", str(html_dir)],  # noqa: S607
        capture_output=True, text=True, timeout=600, check=False,
    )
    return json.loads(result.stdout or "{}").get("messages", [])


def test_every_page_passes_axe_and_the_nu_checker(live_server, browser, seeded_database, settings, tmp_path):
    _tools_or_skip()
    people, ids = _demo_data(settings, tmp_path)
    html_dir = tmp_path / "html"
    html_dir.mkdir()
    checked, skipped, failures, sources = [], [], [], {}

    for role, email in ROLES.items():
        context = _login(browser, live_server, people.get(email))
        page = context.new_page()
        urls = list(_customer_urls(role, ids))
        if role in ("visitor", "resident"):
            # The portal's own error pages are pages people see too (404, and 405 for a POST-only URL).
            urls += [("error:404", "/no-such-page/"), ("error:405", reverse("notifications:mark_all_read"))]
        if role == "staff":
            urls += _admin_urls(people[email])
            # The customer's changes journal with a table of changes in it, not only its empty form.
            urls.append(("audit:customer_changes",
                         reverse("audit:customer_changes") + "?customer=resident%40demo.example&period=month"))
        seen = set()
        for name, url in urls:
            response = page.goto(live_server.url + url)
            final = page.url.removeprefix(live_server.url)
            content_type = (response.headers.get("content-type", "") if response else "")
            expected = int(name.removeprefix("error:")) if name.startswith("error:") else 200
            if response is None or response.status != expected or "text/html" not in content_type:
                skipped.append(f"{role:12} {name} {url} → {response.status if response else '—'} {content_type}")
                continue
            if (role, final) in seen:
                continue
            seen.add((role, final))
            label = f"{role} {name} {final}"
            checked.append(label)
            for violation in _axe(page):
                failures.append(
                    f"axe {violation['id']} ({violation['impact']}) on {label}: {violation['help']}\n      "
                    + "\n      ".join(violation["nodes"])
                )
            file = html_dir / f"{len(checked):03d}.html"
            file.write_text(response.text(), encoding="utf-8")
            sources[file.name] = (label, name.startswith(ADMIN_NAMESPACES))
        context.close()

    for message in _nu(html_dir):
        if message.get("type") != "error":
            continue
        label, is_admin = sources.get(Path(message.get("url", "")).name, (message.get("url"), False))
        text = message.get("message", "")
        if is_admin and any(fragment in text for fragment in ADMIN_NU_EXCEPTIONS):
            continue
        failures.append(f"Nu on {label} (line {message.get('lastLine')}): {text} «{message.get('extract', '')[:120]}»")

    summary = "\n".join(
        [f"Accessibility gate: {len(checked)} pages checked"]
        + [f"  {line}" for line in checked]
        + [f"Not pages for this role ({len(skipped)}):"]
        + [f"  {line}" for line in skipped]
    )
    print(summary)
    # make test prints this after the run (pytest keeps a passing test's output to itself).
    report = Path(settings.BASE_DIR) / "var" / "accessibility-gate.txt"
    report.parent.mkdir(exist_ok=True)
    report.write_text(summary + "\n", encoding="utf-8")
    assert {"visitor", "resident", "organisation", "staff"} == {line.split()[0] for line in checked}
    assert not failures, f"{len(failures)} accessibility problems:\n" + "\n".join(failures)
