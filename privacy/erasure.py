"""What is personal in each model, and how a person's data is destroyed or made anonymous.

PERSONAL_FIELDS marks, per model, the fields that hold personal data. `erase_person` replaces them
wherever another law requires the record to stay (an appeal is kept 5 years: its number, dates,
kind, topic and status remain countable), deletes what nothing requires, and does the same to the
change history, which holds copies of the same values. The test walks this map.
"""

from dataclasses import dataclass

from django.apps import apps
from django.db import models, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.stored_files import delete_after_commit

REMOVED = "Удалено"

PERSONAL_FIELDS: dict[str, tuple[str, ...]] = {
    "accounts.User": ("email", "last_name", "first_name", "patronymic", "phone"),
    "appeals.Appeal": (
        "contact_name", "contact_email", "contact_phone", "subject", "text", "postal_address", "rating_comment",
        "submitted_ip",
    ),
    "appeals.AppealMessage": ("text",),
    # An event's comment may carry the customer's words (a rating's comment, a reason to reopen); the event's
    # kind, time and statuses stay for the statistics.
    "appeals.AppealEvent": ("comment",),
    "privacy.SubjectRequest": ("text",),
    # The customer's free text in a satisfaction survey; the ratings stay for the statistics.
    "surveys.Survey": ("comment",),
    # The name typed at a login is the e-mail: the security journal keeps the event, not the address.
    "audit.SecurityEvent": ("username",),
}


def _placeholder(model, field_name: str):
    """What replaces a personal field: a value, or an expression over the row (one UPDATE for every row)."""
    field = model._meta.get_field(field_name)
    if field.get_internal_type() == "GenericIPAddressField":
        return None
    if field_name == "email" and model._meta.label == "accounts.User":
        # Unique, and never a deliverable address; the history's rows name the same record by the same column.
        pk = Cast(F(model._meta.pk.attname), output_field=models.CharField())
        return Concat(Value("deleted-"), pk, Value("@deleted.invalid"), output_field=models.CharField())
    if field.get_internal_type() == "TextField" or field_name in ("contact_name", "subject", "last_name"):
        return REMOVED
    return ""


@dataclass
class Line:
    what: str
    count: int
    action: str
    basis: str


def _anonymise(model_label: str, pks: list[int]) -> int:
    """One UPDATE for the records and one for their change history (which holds copies of the same values).

    An UPDATE writes no history rows of its own: the erasure is recorded by the request and its act."""
    if not pks:
        return 0
    model = apps.get_model(model_label)
    values = {name: _placeholder(model, name) for name in PERSONAL_FIELDS[model_label]}
    done = model.objects.filter(pk__in=pks).update(**values)
    if getattr(model, "history", None) is not None:
        model.history.model.objects.filter(**{f"{model._meta.pk.attname}__in": pks}).update(**values)
    return done


def _survey_comments(surveys) -> int:
    """Surveys keep their ratings (the dashboard counts them); a comment written goes."""
    return _anonymise("surveys.Survey", list(
        surveys.exclude(comment="").exclude(comment=REMOVED).values_list("pk", flat=True)))


def _anonymise_appeals(appeal_ids: list[int]) -> tuple[int, int, int, int]:
    """Appeals (and their messages, and the history of both) keep their registration data only; files go;
    the satisfaction surveys on them keep their ratings, not their comments."""
    from appeals.models import AppealEvent, AppealMessage, Attachment
    from appeals.services.rating import SURVEY_SUBJECT
    from surveys.models import Survey

    message_ids = list(AppealMessage.objects.filter(appeal_id__in=appeal_ids).values_list("pk", flat=True))
    attachments = list(Attachment.objects.filter(appeal_id__in=appeal_ids).only("pk", "file"))
    Attachment.objects.filter(pk__in=[a.pk for a in attachments]).delete()
    # The files go once the rows' deletion is committed: a rollback must not leave rows without their files.
    delete_after_commit(Attachment._meta.get_field("file").storage, [a.file.name for a in attachments])
    surveys = _survey_comments(Survey.objects.filter(subject=SURVEY_SUBJECT, object_id__in=appeal_ids))
    event_ids = list(AppealEvent.objects.filter(appeal_id__in=appeal_ids).exclude(comment="")
                     .exclude(comment=REMOVED).values_list("pk", flat=True))
    return (_anonymise("appeals.Appeal", appeal_ids),
            _anonymise("appeals.AppealMessage", message_ids) + _anonymise("appeals.AppealEvent", event_ids),
            len(attachments), surveys)


def anonymise_appeals(appeal_ids: list[int]) -> int:
    with transaction.atomic():
        return _anonymise_appeals(appeal_ids)[0]


def _forget_addresses(user_id: int) -> int:
    """An address is the personal data of whoever came from it: the history of the person's own changes and of
    their own records (registration and a password reset write rows with no user), their security events and
    their attempts to bind a contract. One UPDATE per table."""
    from accounts.models import ClosureRequest, User
    from audit.history import audited_models
    from audit.models import SecurityEvent
    from contracts.models import BindingAttempt

    from .models import SubjectRequest

    own_records = {User: Q(id=user_id), ClosureRequest: Q(user_id=user_id), SubjectRequest: Q(user_id=user_id)}
    done = 0
    for model in audited_models():
        rows = model.history.model.objects.filter(Q(history_user_id=user_id) | own_records.get(model, Q(pk__in=[])))
        done += rows.exclude(ip_address=None).update(ip_address=None)
    done += SecurityEvent.objects.filter(user_id=user_id).exclude(ip_address=None).update(ip_address=None)
    done += BindingAttempt.objects.filter(user_id=user_id).exclude(ip_address=None).update(ip_address=None)
    return done


KEEP_APPEAL = gettext_lazy("хранится 5 лет (перечень типовых архивных документов), обезличено")


def erase_person(user_id: int) -> list[Line]:
    """Destroy one person's data; returns what was done, line by line, for the act."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from accounts.models import Consent, Membership, User
    from appeals.models import Appeal
    from audit.models import SecurityEvent
    from contracts.models import ContractBinding
    from contracts.models_applications import ContractApplication
    from notifications.models import Notification
    from surveys.models import Survey

    from .models import SubjectRequest

    lines: list[Line] = []
    with transaction.atomic():
        appeal_ids = list(Appeal.objects.filter(author_id=user_id).values_list("pk", flat=True))
        appeals, messages, files, surveys = _anonymise_appeals(appeal_ids)
        lines.append(Line(_("обращения: заявитель, контакты, предмет и текст"), appeals, _("обезличены"),
                          str(KEEP_APPEAL)))
        lines.append(Line(_("сообщения и комментарии в истории обращений"), messages, _("тексты заменены"),
                          str(KEEP_APPEAL)))
        lines.append(Line(_("файлы обращений"), files, _("уничтожены"), _("иного основания хранения нет")))
        surveys += _survey_comments(Survey.objects.filter(respondent_id=user_id))
        lines.append(Line(_("комментарии к оценкам (опросы удовлетворённости)"), surveys, _("тексты заменены"),
                          _("оценки без текста остаются в статистике")))
        # Contracts are billing's records, and applications are part of the contract's file: kept on
        # that basis (152-ФЗ ст. 6 ч. 1 п. 5), and the act says so rather than staying silent.
        applications = ContractApplication.objects.filter(author_id=user_id).count()
        lines.append(Line(_("заявки на договор"), applications, _("сохранены"),
                          _("иное законное основание: договор энергоснабжения (152-ФЗ, ст. 6 ч. 1 п. 5)")))
        bindings = ContractBinding.objects.filter(user_id=user_id).delete()[0]
        lines.append(Line(_("привязки лицевых счетов"), bindings, _("удалены"), _("иного основания хранения нет")))
        memberships = Membership.objects.filter(user_id=user_id).delete()[0]
        lines.append(Line(_("участие в организациях"), memberships, _("удалено"), _("иного основания хранения нет")))
        notices = Notification.objects.filter(recipient_id=user_id).delete()[0]
        lines.append(Line(_("уведомления"), notices, _("удалены"), _("иного основания хранения нет")))
        email = User.objects.filter(pk=user_id).values_list("email", flat=True).first() or ""
        SecurityEvent.objects.filter(Q(user_id=user_id) | Q(username__iexact=email)).update(username="")
        AccessAttempt.objects.filter(username__iexact=email).delete()
        AccessLog.objects.filter(username__iexact=email).delete()
        AccessFailureLog.objects.filter(username__iexact=email).delete()
        request_ids = list(SubjectRequest.objects.filter(user_id=user_id).values_list("pk", flat=True))
        _anonymise("privacy.SubjectRequest", request_ids)
        _anonymise("accounts.User", [user_id])
        addresses = _forget_addresses(user_id)
        lines.append(Line(_("адреса (IP) в истории изменений, журнале безопасности и попытках привязки"),
                          addresses, _("удалены"), _("записи журналов остаются без адреса")))
        consents = Consent.objects.filter(user_id=user_id).count()
        lines.append(Line(_("согласия на обработку: дата, версия текста, адрес"), consents, _("сохранены"),
                          _("доказательство согласия, на котором шла обработка (152-ФЗ, ст. 9 ч. 3)")))
        User.objects.filter(pk=user_id).update(is_active=False, password="!")  # noqa: S106 - an unusable password
        lines.append(Line(_("учётная запись: ФИО, почта, телефон"), 1, _("обезличена, вход закрыт"),
                          _("запись о субъекте нужна для акта и журнала")))
    return lines
