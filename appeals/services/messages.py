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
) -> AppealMessage:
    """A public message or (staff only) an internal note.

    A customer writes while the appeal waits for them; their reply returns it to work.
    """
    now = now_or(now)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Напишите сообщение.")})
    files = list(files)

    def work(written):
        stored = attachments.write_files(files, now=now, written=written)
        appeal, role = common.lock_as(appeal_id, actor, as_role)
        if role == access.CUSTOMER:
            if internal:
                raise PermissionDenied
            if not workflow.can_reply(appeal):
                raise ValidationError(_("Ответить можно, когда обращение ожидает ваших сведений."))
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
        if role == access.CUSTOMER:
            changed = apply_transition(appeal, to=S.IN_PROGRESS, actor=actor, role=role,
                                       comment=_("Заявитель ответил."), now=now)
            common.save(appeal, changed)
        else:
            # A message or note changes no state a colleague's open form relies on: no new version.
            appeal.save(update_fields=["last_activity_at", "updated_at"])
        return message

    return attachments.with_file_cleanup(work)
