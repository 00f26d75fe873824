"""Every change to an appeal: filing, transitions, conversation, deadlines, answers.

Each public function runs in a transaction, locks the appeal row before it
reads the state it changes, and records what happened through `_record_event`
— the one place notifications will hook into.
"""

import logging
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import ConsentDocument, Membership, Organisation
from accounts.selectors import current_consent_document
from appeals import notifying, selectors, workflow
from appeals.files import MAX_FILES_PER_APPEAL, PDF, CheckedFile, check_file
from appeals.models import (
    Appeal,
    AppealEvent,
    AppealMessage,
    AppealNumberCounter,
    Attachment,
    random_attachment_name,
)
from deadlines import services as deadline_services

logger = logging.getLogger(__name__)

S = Appeal.Status
Event = AppealEvent.Kind


# --- helpers ---------------------------------------------------------------


def _now(now):
    return now or timezone.now()


def _tz():
    return deadline_services.company_timezone()


def _record_event(appeal, *, kind, actor, now, from_status="", to_status="", comment=""):
    """Write the audit row for anything that happened to an appeal.

    Every service calls this and only this: customer notices (extension,
    redirect, answer, a request for details) are to be queued from here with
    `transaction.on_commit`, so they go out exactly when the change is committed.
    """
    event = AppealEvent.objects.create(
        appeal=appeal,
        kind=kind,
        actor=actor,
        created_at=now,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
    )
    if kind in AppealEvent.PUBLIC_KINDS:
        appeal.last_activity_at = now
    notifying.appeal_event_recorded(event)
    return event


def _lock(appeal_id) -> Appeal:
    try:
        return Appeal.objects.select_for_update().get(pk=appeal_id)
    except Appeal.DoesNotExist:
        raise ValidationError(_("Обращение не найдено.")) from None


def _save(appeal, fields):
    appeal.version += 1
    appeal.save(update_fields=[*fields, "version", "last_activity_at", "updated_at"])


def customer_may_access(appeal, user) -> bool:
    """The customer-side rule: your own appeals, and your organisations' appeals."""
    if user is None or not user.is_authenticated:
        return False
    if appeal.organisation_id is not None:
        return Membership.objects.filter(user=user, organisation_id=appeal.organisation_id).exists()
    return appeal.author_id == user.pk


def staff_may_access(appeal, user) -> bool:
    """Operators work on their own and unassigned appeals; supervisors on all."""
    if not (user.is_active and user.is_staff and user.has_perm("appeals.change_appeal")):
        return False
    if user.has_perm("appeals.view_all_appeals"):
        return True
    return appeal.assignee_id in (None, user.pk)


def _role_of(appeal, actor):
    if actor is not None and actor.is_staff and staff_may_access(appeal, actor):
        return workflow.STAFF
    # Staff are customers too (an editor filing about their own flat): their own appeals they act on as one.
    if customer_may_access(appeal, actor):
        return workflow.CUSTOMER
    if actor is not None and actor.is_staff:
        raise PermissionDenied(_("Это обращение назначено другому сотруднику."))
    raise PermissionDenied(_("Нет доступа к обращению."))


def _check_version(appeal, expected_version):
    if expected_version is not None and int(expected_version) != appeal.version:
        raise ValidationError(
            _(
                "Обращение № %(number)s уже изменил другой сотрудник, пока открыта эта страница. "
                "Ваши изменения не сохранены: обновите страницу и проверьте его текущее состояние."
            )
            % {"number": appeal.number},
            code="conflict",
        )


def _next_number(year: int) -> str:
    """The next registration number of the year, under a row lock on the year's counter."""
    counter = AppealNumberCounter.objects.select_for_update().filter(year=year).first()
    if counter is None:
        try:
            # A savepoint: if another transaction creates the row first, fall back to locking it.
            with transaction.atomic():
                counter = AppealNumberCounter.objects.create(year=year, last_value=0)
        except IntegrityError:
            counter = AppealNumberCounter.objects.select_for_update().get(year=year)
    counter.last_value += 1
    counter.save(update_fields=["last_value"])
    return f"{year:04d}-{counter.last_value:06d}"


def _deadline(kind, topic, *, received_at, registered_at):
    # Filing never fails on configuration: without a rule for the kind, the general written-appeal term.
    rule = deadline_services.rule_for(f"appeal.{kind}", topic, fallback="appeal.request")
    due = deadline_services.deadline_for(rule, received_at=received_at, registered_at=registered_at)
    return rule, due


def _rule_basis(rule) -> str:
    # The short first line ("59-ФЗ, ст. 12 ч. 1 и 2"); the full text stays on the rule.
    return (rule.legal_basis.split("\n", 1)[0].strip() or rule.title)[:300]


def _write_files(files, *, now, written) -> list:
    """Put checked files on disk under random names, before any row lock is taken, so slow
    disks never hold up other filings; `written` collects the names for cleanup on failure."""
    storage = Attachment._meta.get_field("file").storage
    stored = []
    for checked in files:
        checked.upload.seek(0)
        name = storage.save(random_attachment_name(now), checked.upload)
        written.append(name)
        stored.append((checked, name))
    return stored


def _attach(appeal, stored, *, purpose, uploaded_by, now, message=None):
    Attachment.objects.bulk_create([
        Attachment(
            appeal=appeal,
            message=message,
            purpose=purpose,
            file=name,
            original_name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            uploaded_by=uploaded_by,
            created_at=now,
        )
        for checked, name in stored
    ])


def _delete_files(names):
    storage = Attachment._meta.get_field("file").storage
    for name in names:
        try:
            storage.delete(name)
        except OSError:  # pragma: no cover - logged, the row is gone anyway
            logger.exception("could not delete orphaned appeal file %s", name)


def _with_file_cleanup(func):
    """Run func(written) in a transaction; delete files it wrote if the transaction fails."""
    written = []
    try:
        with transaction.atomic():
            return func(written)
    except BaseException:
        _delete_files(written)
        raise


# --- filing ----------------------------------------------------------------


def _register(*, fields, files, uploaded_by, actor, now, received_at, comment=""):
    def work(written):
        stored = _write_files(files, now=now, written=written)
        registered_at = now
        rule, due = _deadline(fields["kind"], fields["topic"], received_at=received_at, registered_at=registered_at)
        appeal = Appeal(
            **fields,
            number=_next_number(timezone.localtime(registered_at, _tz()).year),
            status=S.REGISTERED,
            received_at=received_at,
            registered_at=registered_at,
            due_at=due,
            deadline_rule=rule,
            deadline_basis=_rule_basis(rule),
            last_activity_at=now,
        )
        # Field checks only: the database enforces the constraints, no need to ask it twice.
        appeal.full_clean(
            exclude=["number", "deadline_rule", "author", "organisation", "idempotency_key"], validate_constraints=False
        )
        appeal.save()
        _record_event(appeal, kind=Event.TRANSITION, actor=actor, now=now, to_status=S.REGISTERED, comment=comment)
        _attach(appeal, stored, purpose=Attachment.Purpose.APPEAL, uploaded_by=uploaded_by, now=now)
        return appeal

    return _with_file_cleanup(work)


def _check_files_count(files):
    if len(files) > MAX_FILES_PER_APPEAL:
        raise ValidationError(_("Можно приложить не больше %(limit)d файлов к обращению.")
                              % {"limit": MAX_FILES_PER_APPEAL})


def _check_answer_channel(answer_channel, postal_address, email):
    if answer_channel == Appeal.AnswerChannel.POST and not postal_address.strip():
        raise ValidationError({"postal_address": _("Укажите почтовый адрес, на который отправить ответ.")})
    if answer_channel == Appeal.AnswerChannel.EMAIL and not email:
        raise ValidationError({"answer_channel": _("Для ответа по электронной почте нужен адрес почты.")})


def appeal_submit(
    *,
    author,
    kind: str,
    topic: str,
    subject: str,
    text: str,
    organisation: Organisation | None = None,
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
    now = _now(now)
    if idempotency_key is not None:
        existing = Appeal.objects.filter(idempotency_key=idempotency_key, author=author).first()
        if existing is not None:
            return existing, False
    if organisation is not None and not Membership.objects.filter(user=author, organisation=organisation).exists():
        raise ValidationError({"organisation": _("Вы не состоите в этой организации.")})
    files = list(files)
    _check_files_count(files)
    _check_answer_channel(answer_channel, postal_address, author.email)
    fields = {
        "author": author,
        "organisation": organisation,
        "contact_name": author.get_full_name() or author.email,
        "contact_email": author.email.lower(),
        "contact_phone": str(author.phone or ""),
        "kind": kind,
        "topic": topic,
        "channel": Appeal.Channel.CABINET,
        "subject": subject.strip(),
        "text": text.strip(),
        "answer_channel": answer_channel,
        "postal_address": postal_address.strip() if answer_channel == Appeal.AnswerChannel.POST else "",
        "idempotency_key": idempotency_key,
        "submitted_ip": ip_address,
    }
    try:
        appeal = _register(fields=fields, files=files, uploaded_by=author, actor=author, now=now, received_at=now)
    except IntegrityError:
        # The same form posted twice at the same moment: the other request won.
        if idempotency_key is None:
            raise
        existing = Appeal.objects.filter(idempotency_key=idempotency_key, author=author).first()
        if existing is None:
            # Someone else's key (a forged or replayed form): not an error worth a 500.
            raise ValidationError(_("Форма устарела. Обновите страницу и отправьте обращение ещё раз.")) from None
        return existing, False
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
    now: datetime | None = None,
) -> Appeal:
    """A question from the public site without an account: a request answered by email.

    The visitor's consent to processing (152-ФЗ) is recorded on the appeal: the text's
    version (the current one unless given), the time of registration and the address.
    """
    now = _now(now)
    if not name.strip():
        raise ValidationError({"name": _("Укажите, как к вам обращаться.")})
    if not email.strip():
        raise ValidationError({"email": _("Укажите электронную почту: на неё придёт ответ.")})
    fields = {
        "contact_name": name.strip(),
        "contact_email": email.strip().lower(),
        "contact_phone": phone.strip(),
        "kind": Appeal.Kind.REQUEST,
        "topic": topic,
        "channel": Appeal.Channel.SITE,
        "subject": subject.strip(),
        "text": text.strip(),
        "answer_channel": Appeal.AnswerChannel.EMAIL,
        "submitted_ip": ip_address,
        "visitor_consent": consent_document or current_consent_document(),
    }
    return _register(fields=fields, files=[], uploaded_by=None, actor=None, now=now, received_at=now)


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
    now = _now(now)
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
    _check_files_count(files)
    _check_answer_channel(answer_channel, postal_address, contact_email)
    fields = {
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
    return _register(
        fields=fields,
        files=files,
        uploaded_by=actor,
        actor=actor,
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


def redirect_due_at(appeal) -> datetime | None:
    """The last moment to send an appeal to the competent organisation (59-ФЗ ст. 8 ч. 3)."""
    try:
        rule = deadline_services.rule_for("appeal.redirect")
    except deadline_services.DeadlineRule.DoesNotExist:
        return None
    return deadline_services.deadline_for(rule, received_at=appeal.received_at, registered_at=appeal.registered_at)


# --- the one status writer -----------------------------------------------------------------


def _apply_transition(appeal, *, to, actor, role, comment, now):
    """Move a locked appeal to `to`; the table decides. Callers save the appeal."""
    try:
        workflow.check_transition(appeal, to, role, now)
    except workflow.TransitionNotAllowed as refused:
        raise ValidationError(str(refused.message), code="transition") from None
    source = appeal.status
    changed = ["status"]
    appeal.status = to
    if to in (S.CLOSED, S.WITHDRAWN, S.REDIRECTED):
        appeal.closed_at = now
        changed.append("closed_at")
    if to == S.REOPENED:
        # A new term for the new answer, by the same rule, from today.
        appeal.reopened_count += 1
        appeal.due_at = deadline_services.deadline_for(appeal.deadline_rule, received_at=now, registered_at=now)
        appeal.answer_text = ""
        appeal.answered_at = None
        appeal.answered_by = None
        appeal.closed_at = None
        changed += ["reopened_count", "due_at", "answer_text", "answered_at", "answered_by", "closed_at"]
    _record_event(appeal, kind=Event.TRANSITION, actor=actor, now=now, from_status=source, to_status=to,
                  comment=comment)
    if (
        to == S.IN_PROGRESS
        and role == workflow.STAFF
        and appeal.assignee_id is None
        and source in (S.REGISTERED, S.REOPENED)
    ):
        # Whoever takes an unassigned appeal into work becomes its assignee.
        appeal.assignee = actor
        changed.append("assignee")
        _record_event(appeal, kind=Event.ASSIGNMENT, actor=actor, now=now,
                      comment=_("Исполнитель: %(name)s") % {"name": actor})
    return changed


def appeal_transition(
    appeal_id: int,
    *,
    to: str,
    actor,
    comment: str = "",
    now: datetime | None = None,
    expected_status: str | None = None,
    expected_version: int | None = None,
) -> Appeal:
    """Perform one workflow transition; the only way an appeal's status changes."""
    now = _now(now)
    with transaction.atomic():
        appeal = _lock(appeal_id)
        _check_version(appeal, expected_version)
        role = _role_of(appeal, actor)
        if expected_status is not None and appeal.status != expected_status:
            raise ValidationError(
                _("Статус обращения уже изменился: сейчас «%(status)s». Обновите страницу.")
                % {"status": appeal.get_status_display()},
                code="conflict",
            )
        if to == S.WAITING_FOR_CUSTOMER and not comment.strip():
            raise ValidationError({"comment": _("Напишите, какие сведения нужны от заявителя.")})
        changed = _apply_transition(appeal, to=to, actor=actor, role=role, comment=comment.strip(), now=now)
        _save(appeal, changed)
    return appeal


def appeal_withdraw(appeal_id, *, actor, comment="", now=None):
    return appeal_transition(appeal_id, to=S.WITHDRAWN, actor=actor, comment=comment, now=now)


def appeal_reopen(appeal_id, *, actor, comment, now=None):
    if not comment.strip():
        raise ValidationError({"comment": _("Напишите, что осталось нерешённым.")})
    return appeal_transition(appeal_id, to=S.REOPENED, actor=actor, comment=comment, now=now)


# --- conversation --------------------------------------------------------------------------


def appeal_add_message(
    appeal_id: int,
    *,
    actor,
    text: str,
    internal: bool = False,
    files: list[CheckedFile] = (),
    now: datetime | None = None,
) -> AppealMessage:
    """A public message or (staff only) an internal note.

    A customer writes while the appeal waits for them; their reply returns it to work.
    """
    now = _now(now)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Напишите сообщение.")})
    files = list(files)

    def work(written):
        stored = _write_files(files, now=now, written=written)
        appeal = _lock(appeal_id)
        role = _role_of(appeal, actor)
        if role == workflow.CUSTOMER:
            if internal:
                raise PermissionDenied
            if not workflow.can_reply(appeal):
                raise ValidationError(_("Ответить можно, когда обращение ожидает ваших сведений."))
        elif not appeal.is_open and not internal:
            raise ValidationError(_("Обращение закрыто: сообщения заявителю по нему не отправляются."))
        # The limit is on what the customer sends; staff files (notes, letters) do not count.
        if files and role == workflow.CUSTOMER and (
            selectors.customer_uploaded_files(appeal).count() + len(files) > MAX_FILES_PER_APPEAL
        ):
            raise ValidationError(
                {"files": _("Можно приложить не больше %(limit)d файлов к обращению.")
                 % {"limit": MAX_FILES_PER_APPEAL}}
            )
        message = AppealMessage.objects.create(
            appeal=appeal, author=actor, is_internal=internal, from_staff=role == workflow.STAFF, text=text,
            created_at=now,
        )
        _attach(appeal, stored, purpose=Attachment.Purpose.MESSAGE, uploaded_by=actor, now=now, message=message)
        _record_event(appeal, kind=Event.NOTE if internal else Event.MESSAGE, actor=actor, now=now)
        if role == workflow.CUSTOMER:
            changed = _apply_transition(appeal, to=S.IN_PROGRESS, actor=actor, role=role,
                                        comment=_("Заявитель ответил."), now=now)
            _save(appeal, changed)
        else:
            # A message or note changes no state a colleague's open form relies on: no new version.
            appeal.save(update_fields=["last_activity_at", "updated_at"])
        return message

    return _with_file_cleanup(work)


# --- staff actions -----------------------------------------------------------------------


def appeal_assign(appeal_id: int, *, assignee, actor, now=None, expected_version=None) -> Appeal:
    """Give an appeal to an operator; operators may only take unassigned ones for themselves."""
    now = _now(now)
    with transaction.atomic():
        appeal = _lock(appeal_id)
        if _role_of(appeal, actor) != workflow.STAFF:
            raise PermissionDenied
        _check_version(appeal, expected_version)
        if assignee is not None and not (assignee.is_staff and assignee.is_active
                                         and assignee.has_perm("appeals.change_appeal")):
            raise ValidationError(
                {"assignee": _("Исполнителем может быть только сотрудник, работающий с обращениями.")}
            )
        if not actor.has_perm("appeals.view_all_appeals") and assignee != actor:
            raise ValidationError({"assignee": _("Назначать обращения другим сотрудникам может руководитель.")})
        if not appeal.is_open:
            raise ValidationError(_("Обращение уже не в работе."))
        if appeal.assignee_id == (assignee.pk if assignee else None):
            return appeal
        appeal.assignee = assignee
        _record_event(
            appeal, kind=Event.ASSIGNMENT, actor=actor, now=now,
            comment=_("Исполнитель: %(name)s") % {"name": assignee} if assignee else _("Исполнитель снят"),
        )
        _save(appeal, ["assignee"])
    return appeal


def appeal_extend(appeal_id: int, *, actor, amount: int, reason: str, now=None, expected_version=None) -> Appeal:
    """Extend the answer deadline once, within the rule's limit, with a reason the customer is told."""
    now = _now(now)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Укажите причину продления: она будет сообщена заявителю.")})
    with transaction.atomic():
        appeal = _lock(appeal_id)
        if _role_of(appeal, actor) != workflow.STAFF:
            raise PermissionDenied
        _check_version(appeal, expected_version)
        if not appeal.is_open:
            raise ValidationError(_("Продлить срок можно только по обращению в работе."))
        if appeal.extended_at is not None:
            raise ValidationError(_("Срок по этому обращению уже продлевался; продлить его можно только один раз."))
        new_due = deadline_services.extension_for(appeal.deadline_rule, current_due_at=appeal.due_at, amount=amount)
        appeal.due_at_before_extension = appeal.due_at
        appeal.due_at = new_due
        appeal.extended_at = now
        appeal.extended_by = actor
        appeal.extension_reason = reason
        _record_event(
            appeal, kind=Event.EXTENSION, actor=actor, now=now,
            comment=_("Срок ответа продлён до %(due)s. Причина: %(reason)s")
            % {"due": timezone.localtime(new_due, _tz()).strftime("%d.%m.%Y"), "reason": reason},
        )
        _save(appeal, ["due_at_before_extension", "due_at", "extended_at", "extended_by", "extension_reason"])
    return appeal


def appeal_redirect(
    appeal_id: int, *, actor, organisation_name: str, sent_on: date, comment: str = "", now=None,
    expected_version=None,
) -> Appeal:
    """Record that the appeal was sent to the competent organisation; it closes for the portal."""
    now = _now(now)
    organisation_name = organisation_name.strip()
    if not organisation_name:
        raise ValidationError({"organisation_name": _("Укажите, в какую организацию направлено обращение.")})
    if sent_on > timezone.localtime(now, _tz()).date():
        raise ValidationError({"sent_on": _("Дата направления не может быть в будущем.")})
    with transaction.atomic():
        appeal = _lock(appeal_id)
        role = _role_of(appeal, actor)
        _check_version(appeal, expected_version)
        appeal.redirected_to = organisation_name
        appeal.redirected_on = sent_on
        notice = _("Обращение направлено в %(org)s %(date)s по компетенции.") % {
            "org": organisation_name, "date": sent_on.strftime("%d.%m.%Y"),
        }
        if comment.strip():
            notice = f"{notice} {comment.strip()}"
        changed = _apply_transition(appeal, to=S.REDIRECTED, actor=actor, role=role, comment=notice, now=now)
        _record_event(appeal, kind=Event.REDIRECT, actor=actor, now=now, comment=notice)
        _save(appeal, [*changed, "redirected_to", "redirected_on"])
    return appeal


def appeal_answer(
    appeal_id: int,
    *,
    actor,
    text: str,
    expected_version: int | None,
    letter=None,
    now: datetime | None = None,
) -> Appeal:
    """Give the final answer (text and an optional signed PDF letter).

    `expected_version` is the version the operator's form was rendered with: if
    someone changed the appeal meanwhile, nothing is saved and they are told so.
    """
    now = _now(now)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Введите текст ответа.")})
    checked = None
    if letter:
        checked = check_file(letter)
        if checked.content_type != PDF:
            raise ValidationError({"letter": _("Письмо с ответом прикладывается в формате PDF.")})

    def work(written):
        stored = _write_files([checked] if checked else [], now=now, written=written)
        appeal = _lock(appeal_id)
        # The version first: a colleague who answered a moment earlier also became
        # the assignee, and the operator must learn of the conflict, not of the assignment.
        _check_version(appeal, expected_version)
        role = _role_of(appeal, actor)
        if role != workflow.STAFF:
            raise PermissionDenied
        changed = []
        if appeal.status == S.REGISTERED:
            changed += _apply_transition(appeal, to=S.IN_PROGRESS, actor=actor, role=role, comment="", now=now)
        appeal.answer_text = text
        appeal.answered_at = now
        appeal.answered_by = actor
        changed += _apply_transition(appeal, to=S.ANSWERED, actor=actor, role=role, comment="", now=now)
        _record_event(appeal, kind=Event.ANSWER, actor=actor, now=now, comment=text)
        _attach(appeal, stored, purpose=Attachment.Purpose.ANSWER_LETTER, uploaded_by=actor, now=now)
        _save(appeal, [*changed, "answer_text", "answered_at", "answered_by"])
        return appeal

    return _with_file_cleanup(work)


# --- the customer's assessment -------------------------------------------------------------


def appeal_rate(appeal_id: int, *, actor, rating: int, comment: str = "", now=None) -> Appeal:
    """The customer's satisfaction with the answer, 1–5, once per answer."""
    now = _now(now)
    if rating not in (1, 2, 3, 4, 5):
        raise ValidationError({"rating": _("Поставьте оценку от 1 до 5.")})
    with transaction.atomic():
        appeal = _lock(appeal_id)
        if _role_of(appeal, actor) != workflow.CUSTOMER:
            raise PermissionDenied
        if not workflow.is_answered(appeal):
            raise ValidationError(_("Оценить можно обращение, на которое дан ответ."))
        if workflow.rated_this_answer(appeal):
            raise ValidationError(_("Вы уже оценили этот ответ."))
        appeal.rating = rating
        appeal.rating_comment = comment.strip()
        appeal.rated_at = now
        _record_event(
            appeal, kind=Event.RATING, actor=actor, now=now,
            comment=f"{rating}/5" + (f": {appeal.rating_comment}" if appeal.rating_comment else ""),
        )
        _save(appeal, ["rating", "rating_comment", "rated_at"])
    return appeal
