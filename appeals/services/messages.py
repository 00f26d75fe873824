"""The conversation on an appeal: public messages both ways, and staff's internal notes."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from appeals import access, workflow
from appeals.files import CheckedFile
from appeals.models import AppealMessage, Attachment
from appeals.services import attachments, common
from appeals.services.common import Event, S, now_or
from appeals.services.transitions import apply_transition


def appeal_add_message(
    appeal_id: int,
    *,
    actor,
    text: str,
    as_role: str | None = None,
    internal: bool = False,
    files: list[CheckedFile] = (),
    now: datetime | None = None,
    expected_status: str | None = None,
) -> AppealMessage:
    """A public message or (staff only) an internal note.

    A customer may write (and send documents) while the appeal is open; a reply to the
    operator's request for information returns it to work. `expected_status` is the status
    the customer's page showed: a reply to a request that is no longer pending, or a message
    to an appeal closed meanwhile, is refused as a conflict rather than misfiled.
    """
    now = now_or(now)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Напишите сообщение.")})
    files = list(files)

    def work(written):
        stored = attachments.write_files(files, now=now, written=written)
        appeal, role = common.lock_as(appeal_id, actor, as_role)
        replying = False
        if role == access.CUSTOMER:
            if internal:
                raise PermissionDenied
            if expected_status and expected_status != appeal.status and (
                S.WAITING_FOR_CUSTOMER in (expected_status, appeal.status) or not appeal.is_open
            ):
                raise common.status_changed_error(appeal, expected_status)
            if not workflow.can_write(appeal):
                raise ValidationError(_("Обращение закрыто: написать по нему уже нельзя. Подайте новое обращение."))
            replying = workflow.can_reply(appeal)
        elif not appeal.is_open and not internal:
            raise ValidationError(_("Обращение закрыто: сообщения заявителю по нему не отправляются."))
        # The limit is on what the customer sends; staff files (notes, letters) do not count.
        if files and role == access.CUSTOMER:
            attachments.check_files_count(files, already=access.files_sent_by_customer(appeal).count(),
                                          field="files")
        message = AppealMessage.objects.create(
            appeal=appeal, author=actor, is_internal=internal, from_staff=role == access.STAFF, text=text,
            created_at=now,
        )
        attachments.attach(appeal, stored, purpose=Attachment.Purpose.MESSAGE, uploaded_by=actor, now=now,
                           message=message)
        common.record_event(appeal, kind=Event.NOTE if internal else Event.MESSAGE, actor=actor, role=role, now=now)
        if replying:
            changed = apply_transition(appeal, to=S.IN_PROGRESS, actor=actor, role=role,
                                       comment=_("Заявитель ответил."), now=now)
            common.save(appeal, changed)
        else:
            # A message or note changes no state a colleague's open form relies on: no new version.
            appeal.save(update_fields=["last_activity_at", "updated_at"])
        return message

    return attachments.with_file_cleanup(work)
