"""Every state change of an information request (one transaction each, audited).

Split by subdomain; import from here (``from gongkai.requests import services``):

* :mod:`.intake` — online submissions and staff registration (arts. 29, 31);
* :mod:`.handling` — assignment, notes, correction (art. 30), consultations (arts. 32–34),
  transfer, extension (art. 33), withdrawal, closing, review and litigation cases;
* :mod:`.replies` — the reply (art. 36), directly or through sign-off;
* :mod:`.letters` — letters issued with their step, rendered after commit;
* :mod:`.jobs` — due-date recomputation, reminders, the per-unit policy.
"""

from ..access import HANDLER_ROLES, can_see_personal_data
from .common import (
    audit_view,
    cn_date,
    compute_due,
    content_words,
    pauses_of,
    personal_data_viewed,
    refresh_due,
    today,
)
from .handling import (
    consultation_answer,
    consultation_send,
    extension_decide,
    extension_request,
    request_add_note,
    request_assign,
    request_close,
    request_correction_notice,
    request_deem_withdrawn,
    request_receive_correction,
    request_transfer,
    request_withdraw,
    review_case_record,
    review_case_update,
)
from .intake import (
    ApplicantData,
    attachment_add,
    check_attachment,
    max_attachment_bytes,
    request_register,
    request_submit,
    validate_applicant,
)
from .jobs import RecomputeReport, policy_update, recompute_due_dates, reminder_thresholds, send_reminders
from .letters import issuable_kinds, letter_issue, letter_render, letter_rerender
from .replies import reply_approve, reply_return, reply_submit, request_reply


def can_handle(user, req) -> bool:
    from ..access import can_handle as _can_handle

    return _can_handle(req, user)


__all__ = [
    "HANDLER_ROLES",
    "ApplicantData",
    "RecomputeReport",
    "attachment_add",
    "audit_view",
    "can_handle",
    "can_see_personal_data",
    "check_attachment",
    "cn_date",
    "compute_due",
    "consultation_answer",
    "consultation_send",
    "content_words",
    "extension_decide",
    "extension_request",
    "issuable_kinds",
    "letter_issue",
    "letter_render",
    "letter_rerender",
    "max_attachment_bytes",
    "pauses_of",
    "policy_update",
    "recompute_due_dates",
    "personal_data_viewed",
    "refresh_due",
    "reminder_thresholds",
    "reply_approve",
    "reply_return",
    "reply_submit",
    "request_add_note",
    "request_assign",
    "request_close",
    "request_correction_notice",
    "request_deem_withdrawn",
    "request_receive_correction",
    "request_register",
    "request_reply",
    "request_submit",
    "request_transfer",
    "request_withdraw",
    "review_case_record",
    "review_case_update",
    "send_reminders",
    "today",
    "validate_applicant",
]
