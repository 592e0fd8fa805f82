"""Public interaction: FAQ knowledge base, questions and appeals (诉求), public consultation (意见征集).

One module per subdomain; this package is the stable import surface
(``from gongkai.interaction.models import Appeal``). State machines are changed only by
:mod:`gongkai.interaction.services`, through :func:`gongkai.core.transitions.run`.
"""

from .appeals import (
    DONE,
    HANDLING,
    OPEN_STATUSES,
    REOPEN_PERIOD,
    Appeal,
    AppealStatus,
    AppealStep,
    AppealType,
    PublicStatus,
    StepKind,
)
from .config import Policy, SensitiveWord, SynonymGroup
from .consultations import (
    MINIMUM_PERIOD,
    Adoption,
    Comment,
    CommentStatus,
    Consultation,
    ConsultationAttachment,
    ConsultationStatus,
    consultation_upload_to,
)
from .faq import FaqEntry, FaqStatus, FaqVersion, TopicWord

__all__ = [
    "DONE",
    "HANDLING",
    "MINIMUM_PERIOD",
    "OPEN_STATUSES",
    "REOPEN_PERIOD",
    "Adoption",
    "Appeal",
    "AppealStatus",
    "AppealStep",
    "AppealType",
    "Comment",
    "CommentStatus",
    "Consultation",
    "ConsultationAttachment",
    "ConsultationStatus",
    "FaqEntry",
    "FaqStatus",
    "FaqVersion",
    "Policy",
    "PublicStatus",
    "SensitiveWord",
    "StepKind",
    "SynonymGroup",
    "TopicWord",
    "consultation_upload_to",
]
