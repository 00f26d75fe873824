"""Every change to an appeal, one module per reason to change.

- `filing`: filing from the cabinet, the public site and by staff (number, rule, due date);
- `transitions`: the one status writer (`appeal_transition`, withdraw, reopen);
- `messages`: the conversation and internal notes;
- `staff`: assigning, extending, redirecting, answering (a draft first, then sent);
- `rating`: the customer's assessment (a satisfaction survey);
- `decisions`: decisions taken on complaints, planned → done | cancelled;
- `common` (lock, version check, the audit row that queues notices), `numbering`, `attachments`.

Each public function runs in a transaction, locks the appeal row before it reads the
state it changes, asks `appeals.access` in which role the actor acts, and records what
happened through `common.record_event`. Callers use the names re-exported here.
"""

from appeals.services.decisions import decision_cancel, decision_complete, decision_record
from appeals.services.filing import (
    appeal_register_by_staff,
    appeal_submit,
    appeal_submit_for_visitor,
    registration_late,
)
from appeals.services.messages import appeal_add_message
from appeals.services.rating import appeal_rate
from appeals.services.staff import (
    appeal_answer,
    appeal_assign,
    appeal_extend,
    appeal_redirect,
    appeal_save_answer_draft,
    appeal_send_answer_draft,
    draft_digest,
    redirect_due_at,
)
from appeals.services.transitions import appeal_reopen, appeal_transition, appeal_withdraw

__all__ = [
    "appeal_add_message",
    "appeal_answer",
    "appeal_assign",
    "appeal_extend",
    "appeal_rate",
    "appeal_redirect",
    "appeal_register_by_staff",
    "appeal_reopen",
    "appeal_save_answer_draft",
    "appeal_send_answer_draft",
    "appeal_submit",
    "appeal_submit_for_visitor",
    "appeal_transition",
    "appeal_withdraw",
    "decision_cancel",
    "decision_complete",
    "decision_record",
    "draft_digest",
    "redirect_due_at",
    "registration_late",
]
