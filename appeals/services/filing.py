"""Filing an appeal: from the cabinet, from the public site, and by staff for what came on paper.

Each filing gets its number, its rule and due date from the deadlines table, and its
registration event, in one transaction.
"""

import re
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import ConsentDocument, Membership, Organisation
from accounts.selectors import current_consent_document
from appeals import access
from appeals.files import CheckedFile
from appeals.models import Appeal, Attachment
from appeals.services import attachments, common
from appeals.services.common import Event, S, company_tz, now_or
from appeals.services.numbering import next_number
from contracts import access as contract_access
from core.prepared import prepared
from deadlines import services as deadline_services

# Laws whose terms protect citizens only: the consumer-protection law's consumer is a citizen buying for
# personal needs (Закон 2300-1, преамбула), so it is never an organisation's basis.
CITIZENS_ONLY_BASES = ("Закон 2300-1",)
# 59-ФЗ covers the appeals of associations of citizens, legal entities included (ст. 1 ч. 4):
# an organisation's appeal keeps the terms, and its basis says why the citizens' law applies.
ORGANISATIONS_UNDER_59 = "ст. 1 ч. 4"


def _short_basis(rule) -> str:
    return rule.legal_basis.split("\n", 1)[0].strip()


def _deadline(kind, topic, *, received_at, registered_at, organisation=None):
    # Filing never fails on configuration: without a rule for the kind, the general written-appeal term.
    rule = deadline_services.rule_for(f"appeal.{kind}", topic, fallback="appeal.request")
    if organisation is not None and _short_basis(rule).startswith(CITIZENS_ONLY_BASES):
        # An organisation is not a consumer: its claim is a written appeal under 59-ФЗ (ст. 1 ч. 4).
        rule = deadline_services.rule_for("appeal.request", fallback="appeal.request")
    due = deadline_services.deadline_for(rule, received_at=received_at, registered_at=registered_at)
    return rule, due


def _rule_basis(rule, *, organisation=None) -> str:
    """The short first line ("59-ФЗ, ст. 12 ч. 1 и 2"); the full text stays on the rule.

    For an organisation's appeal under 59-ФЗ the line also cites ст. 1 ч. 4, the article that
    extends the citizens' procedure to legal entities, so nobody reads it as a citizen's rule
    applied by mistake.
    """
    basis = _short_basis(rule) or rule.title
    if organisation is not None and basis.startswith("59-ФЗ") and ORGANISATIONS_UNDER_59 not in basis:
        basis = f"{basis}; {ORGANISATIONS_UNDER_59}"
    return basis[:300]


_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(value: str) -> tuple[int, timedelta]:
    """«10/h», «30/h», «5/10m», «100/d» → (10, one hour); a malformed setting is a startup-time error."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*", value or "", flags=re.ASCII)
    if not match:
        raise ValueError(f"a rate is 'N/period' such as '10/h', not {value!r}")
    count, multiplier, unit = int(match[1]), int(match[2] or 1), match[3]
    return count, timedelta(seconds=multiplier * _PERIODS[unit])


def _window_text(window: timedelta) -> str:
    seconds = int(window.total_seconds())
    if seconds == 3600:
        return _("час")
    if seconds == 86400:
        return _("сутки")
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return ngettext("%(n)d час", "%(n)d часов", hours) % {"n": hours}
    minutes = max(1, seconds // 60)
    return ngettext("%(n)d минуту", "%(n)d минут", minutes) % {"n": minutes}


def _over_limit(message, limit, window):
    return ValidationError(message % {"limit": limit, "window": _window_text(window)}, code="rate_limited")


def check_filing_rate(*, author, organisation, now):
    """Refuse a cabinet filing over the per-person or per-organisation limit (settings).

    Counted in the database — the appeals filed from the cabinet in the window — under a
    lock on the person's (and the organisation's) row, so parallel requests in any number
    of processes cannot all slip under the limit. Called inside the filing transaction.
    """
    _refuse_over(
        author.pk,
        by_organisation=False,
        rate=settings.APPEALS_FILING_RATE_USER,
        now=now,
        message=lambda limit: ngettext(
            "Из личного кабинета можно подать не больше %(limit)d обращения за %(window)s, и этот предел "
            "исчерпан. Обращение не сохранено: отправьте его позже, а если вопрос срочный — позвоните нам.",
            "Из личного кабинета можно подать не больше %(limit)d обращений за %(window)s, и этот предел "
            "исчерпан. Обращение не сохранено: отправьте его позже, а если вопрос срочный — позвоните нам.",
            limit),
    )
    if organisation is None:
        return
    _refuse_over(
        organisation.pk,
        by_organisation=True,
        rate=settings.APPEALS_FILING_RATE_ORGANISATION,
        now=now,
        message=lambda limit: ngettext(
            "От одной организации можно подать не больше %(limit)d обращения за %(window)s, и этот предел "
            "исчерпан. Обращение не сохранено: отправьте его позже, а если вопрос срочный — позвоните нам.",
            "От одной организации можно подать не больше %(limit)d обращений за %(window)s, и этот предел "
            "исчерпан. Обращение не сохранено: отправьте его позже, а если вопрос срочный — позвоните нам.",
            limit),
    )


# Both asked at every filing: compiled once per process (`core.prepared`).
@prepared
def _lock_owner(*, owner_id, by_organisation):
    owners = Organisation.objects if by_organisation else get_user_model().objects
    return owners.filter(pk=owner_id).select_for_update().values_list("pk", flat=True)


@prepared
def _cabinet_filings_since(*, owner_id, by_organisation, since):
    owner = "organisation_id" if by_organisation else "author_id"
    return (
        Appeal.objects.filter(**{owner: owner_id}, channel=Appeal.Channel.CABINET, registered_at__gt=since)
        .values(owner)
        .annotate(filed=Count("pk"))
        .values_list("filed", flat=True)
    )


def _refuse_over(owner_id, *, by_organisation, rate, now, message):
    """Lock the owner's row (the person's or the organisation's), count its cabinet filings in the rate's
    window, refuse at the limit."""
    limit, window = parse_rate(rate)
    _lock_owner(owner_id=owner_id, by_organisation=by_organisation)
    # One row with the count, or none when there is nothing to count.
    filed = sum(_cabinet_filings_since(owner_id=owner_id, by_organisation=by_organisation, since=now - window))
    if filed >= limit:
        raise _over_limit(message(limit), limit, window)


def _register(*, fields, files, uploaded_by, actor, role, now, received_at, comment="", before=None):
    def work(written):
        stored = attachments.write_files(files, now=now, written=written)
        if before is not None:
            before()
        registered_at = now
        organisation = fields.get("organisation")
        rule, due = _deadline(fields["kind"], fields["topic"], received_at=received_at, registered_at=registered_at,
                              organisation=organisation)
        appeal = Appeal(
            **fields,
            number=next_number(timezone.localtime(registered_at, company_tz()).year),
            status=S.REGISTERED,
            received_at=received_at,
            registered_at=registered_at,
            due_at=due,
            deadline_rule=rule,
            deadline_basis=_rule_basis(rule, organisation=organisation),
            last_activity_at=now,
        )
        # Field checks only: the database enforces the constraints, no need to ask it twice.
        appeal.full_clean(
            exclude=["number", "deadline_rule", "author", "organisation", "idempotency_key"], validate_constraints=False
        )
        appeal.save()
        common.record_event(appeal, kind=Event.TRANSITION, actor=actor, role=role, now=now, to_status=S.REGISTERED,
                            comment=comment)
        attachments.attach(appeal, stored, purpose=Attachment.Purpose.APPEAL, uploaded_by=uploaded_by, now=now)
        return appeal

    return attachments.with_file_cleanup(work)


def _check_answer_channel(answer_channel, postal_address, email):
    if answer_channel == Appeal.AnswerChannel.POST and not postal_address.strip():
        raise ValidationError({"postal_address": _("Укажите почтовый адрес, на который отправить ответ.")})
    if answer_channel == Appeal.AnswerChannel.EMAIL and not email:
        raise ValidationError({"answer_channel": _("Для ответа по электронной почте нужен адрес почты.")})


def _filing_fields(*, author, organisation, contact_name, contact_email, contact_phone, kind, topic, channel,
                   subject, text, answer_channel, postal_address) -> dict:
    return {
        "author": author,
        "organisation": organisation,
        "contact_name": contact_name.strip(),
        "contact_email": contact_email.strip().lower(),
        "contact_phone": contact_phone.strip(),
        "kind": kind,
        "topic": topic,
        "channel": channel,
        "subject": subject.strip(),
        "text": text.strip(),
        "answer_channel": answer_channel,
        "postal_address": postal_address.strip() if answer_channel == Appeal.AnswerChannel.POST else "",
    }


def appeal_submit(
    *,
    author,
    kind: str,
    topic: str,
    subject: str,
    text: str,
    organisation: Organisation | None = None,
    contract: str = "",
    answer_channel: str = Appeal.AnswerChannel.CABINET,
    postal_address: str = "",
    files: list[CheckedFile] = (),
    idempotency_key=None,
    ip_address: str | None = None,
    now: datetime | None = None,
) -> tuple[Appeal, bool]:
    """File an appeal from the cabinet. Returns (appeal, created).

    The same idempotency key returns the appeal it created the first time.
    """
    now = now_or(now)
    # A form sent again with its key (a double click, a reload) is not looked up first: nearly every
    # key is new, and a repeated one fails the insert on its unique constraint (or meets the filing
    # limit the first filing reached), after which the first filing is returned.
    if organisation is not None and not Membership.objects.filter(user=author, organisation=organisation).exists():
        raise ValidationError({"organisation": _("Вы не состоите в этой организации.")})
    # `contract`: the number of a contract bound to the author (filing personally) or to the organisation.
    bound_contract = contract_access.contract_for_filing(author, contract, organisation) if contract else None
    if contract and bound_contract is None:
        raise ValidationError({"contract": _("Выберите договор из списка.")})
    files = list(files)
    attachments.check_files_count(files)
    _check_answer_channel(answer_channel, postal_address, author.email)
    fields = _filing_fields(
        author=author, organisation=organisation, contact_name=author.get_full_name() or author.email,
        contact_email=author.email, contact_phone=str(author.phone or ""), kind=kind, topic=topic,
        channel=Appeal.Channel.CABINET, subject=subject, text=text, answer_channel=answer_channel,
        postal_address=postal_address,
    )
    fields.update(idempotency_key=idempotency_key, submitted_ip=ip_address, contract=bound_contract)
    try:
        appeal = _register(
            fields=fields, files=files, uploaded_by=author, actor=author, role=access.CUSTOMER, now=now,
            received_at=now, before=lambda: check_filing_rate(author=author, organisation=organisation, now=now),
        )
    except IntegrityError:
        # The same form posted twice: the other request won.
        if idempotency_key is None:
            raise
        existing = Appeal.objects.filter(idempotency_key=idempotency_key, author=author).first()
        if existing is None:
            # Someone else's key (a forged or replayed form): not an error worth a 500.
            raise ValidationError(_("Форма устарела. Обновите страницу и отправьте обращение ещё раз.")) from None
        return existing, False
    except ValidationError as error:
        # The repeat of a filing that reached the limit: that filing stands, the repeat is no new one.
        limited = any(getattr(e, "code", None) == "rate_limited" for e in getattr(error, "error_list", []))
        if idempotency_key is not None and limited:
            existing = Appeal.objects.filter(idempotency_key=idempotency_key, author=author).first()
            if existing is not None:
                return existing, False
        raise
    return appeal, True


def appeal_submit_for_visitor(
    *,
    name: str,
    email: str,
    phone: str,
    subject: str,
    text: str,
    topic: str = "other",
    ip_address: str | None = None,
    consent_document: ConsentDocument | None = None,
    idempotency_key=None,
    now: datetime | None = None,
) -> Appeal:
    """A question from the public site without an account: a request answered by email.

    The visitor's consent to processing (152-ФЗ) is recorded on the appeal: the text's
    version (the current one unless given), the time of registration and the address.
    The same idempotency key (a double submit, a reload) returns the question it filed.
    """
    now = now_or(now)

    def already_filed():
        return Appeal.objects.filter(
            idempotency_key=idempotency_key, author__isnull=True, channel=Appeal.Channel.SITE,
            contact_email=email.strip().lower(),
        ).first()

    if idempotency_key is not None and (existing := already_filed()) is not None:
        return existing
    if not name.strip():
        raise ValidationError({"name": _("Укажите, как к вам обращаться.")})
    if not email.strip():
        raise ValidationError({"email": _("Укажите электронную почту: на неё придёт ответ.")})
    fields = _filing_fields(
        author=None, organisation=None, contact_name=name, contact_email=email, contact_phone=phone,
        kind=Appeal.Kind.REQUEST, topic=topic, channel=Appeal.Channel.SITE, subject=subject, text=text,
        answer_channel=Appeal.AnswerChannel.EMAIL, postal_address="",
    )
    fields.update(submitted_ip=ip_address, visitor_consent=consent_document or current_consent_document(),
                  idempotency_key=idempotency_key)
    try:
        return _register(fields=fields, files=[], uploaded_by=None, actor=None, role=access.CUSTOMER, now=now,
                         received_at=now)
    except IntegrityError:
        if idempotency_key is None:
            raise
        existing = already_filed()
        if existing is None:
            # A key another filing used (a replayed or forged form).
            raise ValidationError(_("Форма устарела. Обновите страницу и отправьте вопрос ещё раз.")) from None
        return existing


def appeal_register_by_staff(
    *,
    actor,
    channel: str,
    received_at: datetime,
    kind: str,
    topic: str,
    subject: str,
    text: str,
    author=None,
    organisation: Organisation | None = None,
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    answer_channel: str = Appeal.AnswerChannel.POST,
    postal_address: str = "",
    files: list[CheckedFile] = (),
    now: datetime | None = None,
) -> Appeal:
    """Register an appeal that arrived by email, phone, post or in the office."""
    now = now_or(now)
    if not actor.has_perm("appeals.add_appeal"):
        raise PermissionDenied(_("Нет права регистрировать обращения."))
    if channel not in (Appeal.Channel.EMAIL, Appeal.Channel.PHONE, Appeal.Channel.POST, Appeal.Channel.OFFICE):
        raise ValidationError({"channel": _("Выберите, как поступило обращение.")})
    if received_at > now:
        raise ValidationError({"received_at": _("Дата поступления не может быть в будущем.")})
    if organisation is not None and author is not None and not Membership.objects.filter(
        user=author, organisation=organisation
    ).exists():
        raise ValidationError({"organisation": _("Этот пользователь не состоит в выбранной организации.")})
    if author is not None:
        contact_name = contact_name.strip() or author.get_full_name() or author.email
        contact_email = contact_email.strip() or author.email
        contact_phone = contact_phone.strip() or str(author.phone or "")
    if not contact_name.strip():
        raise ValidationError({"contact_name": _("Укажите заявителя.")})
    files = list(files)
    attachments.check_files_count(files)
    _check_answer_channel(answer_channel, postal_address, contact_email)
    fields = _filing_fields(
        author=author, organisation=organisation, contact_name=contact_name, contact_email=contact_email,
        contact_phone=contact_phone, kind=kind, topic=topic, channel=channel, subject=subject, text=text,
        answer_channel=answer_channel, postal_address=postal_address,
    )
    return _register(
        fields=fields,
        files=files,
        uploaded_by=actor,
        actor=actor,
        role=access.STAFF,
        now=now,
        received_at=received_at,
        comment=_("Зарегистрировано сотрудником, канал: %(channel)s.") % {"channel": Appeal.Channel(channel).label},
    )


def registration_late(appeal) -> bool:
    """Whether a written appeal was registered after the term for registering it (59-ФЗ ст. 8 ч. 2)."""
    try:
        rule = deadline_services.rule_for("appeal.registration")
    except deadline_services.DeadlineRule.DoesNotExist:
        return False
    return appeal.registered_at > deadline_services.deadline_for(
        rule, received_at=appeal.received_at, registered_at=appeal.registered_at
    )
