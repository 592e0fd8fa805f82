"""Every state change of the assessment app (keyword-only, one transaction, audited): indicator
sets (``sets``), periods, scores, rankings, samples and result appeals (``periods``),
bulletins, rectifications, cards, letters and interviews (``rectification``), generated
documents and their templates (``paperwork``)."""

from .common import LEAF_METHODS, today  # noqa: F401
from .paperwork import document_context, render_document, template_update  # noqa: F401
from .periods import (  # noqa: F401
    appeal_decide,
    appeal_submit,
    compute_ranking,
    default_units,
    period_close,
    period_create,
    period_publish,
    period_rank,
    period_refresh_inputs,
    sample_draw,
    score_manual,
    seeded_choice,
)
from .rectification import (  # noqa: F401
    bulletin_draft,
    bulletin_issue,
    escalate_overdue,
    interview_record,
    propose_entries,
    recompute_due_dates,
    rectification_create,
    rectification_evaluate,
    rectification_fail,
    rectification_pass,
    rectification_recheck,
    rectification_respond,
)
from .sets import indicator_set_new_version, indicator_set_publish, indicator_set_retire, indicator_update  # noqa: F401
