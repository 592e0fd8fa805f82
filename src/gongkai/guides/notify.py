"""Sending to subscribers: confirmation (opt-in), daily digests, and the pluggable SMS sender.

Mail goes through Django's mail backend. SMS goes through the sender named by the setting
``GONGKAI_SMS_BACKEND`` (a dotted path to a class with ``send(phone, text)``, like Django's
``EMAIL_BACKEND``); the built-in ones are :class:`ConsoleSms` (logs, the default) and
:class:`MemorySms` (keeps messages in ``MemorySms.outbox``, for tests). A provider's gateway is
a small class of the same shape configured in the deployment.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)


class ConsoleSms:
    """Writes messages to the log (development, demo)."""

    def send(self, phone: str, text: str) -> None:
        log.info("SMS to %s: %s", phone[:3] + "****" + phone[-4:], text)


class MemorySms:
    """Keeps messages in memory (tests)."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        MemorySms.outbox.append((phone, text))


def sms_sender():
    path = getattr(settings, "GONGKAI_SMS_BACKEND", "") or "gongkai.guides.notify.ConsoleSms"
    return import_string(path)()


def _absolute(path: str) -> str:
    base = (getattr(settings, "GONGKAI_SITE_URL", "") or "").rstrip("/")
    return f"{base}{path}"


def _deliver(sub, subject: str, text: str) -> None:
    from .models import Channel

    if sub.channel == Channel.SMS:
        sms_sender().send(sub.address, f"{subject}：{text}"[:300])
    else:
        send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, [sub.address], fail_silently=False)


def send_confirmation(sub, confirm_url: str) -> None:
    """The only message sent before the subscriber confirms. Never raises."""
    site = getattr(settings, "GONGKAI_SITE_NAME", "") or _("政务公开")
    subject = _("请确认订阅：%(topic)s") % {"topic": sub.topic_label}
    text = _(
        "您在%(site)s订阅了“%(topic)s”的每日更新。请打开以下链接确认订阅（未确认不会发送任何内容）：\n%(url)s\n"
        "如非本人操作，请忽略本邮件。"
    ) % {"site": site, "topic": sub.topic_label, "url": _absolute(confirm_url)}
    try:
        _deliver(sub, subject, text)
    except Exception:  # noqa: BLE001 - the subscriber can ask again; the page already answered
        log.exception("guides: could not send the confirmation for subscription %s", sub.pk)


@dataclass
class Digest:
    guides: list = field(default_factory=list)
    benefits: list = field(default_factory=list)
    publications: list = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.guides or self.benefits or self.publications)


def digest_for(sub, since: dt.datetime) -> Digest:
    """What is new for one subscription since ``since`` (published guides, benefit items, publications)."""
    from . import selectors

    digest = Digest()
    digest.guides = list(selectors.guides_published_since(sub, since))
    digest.benefits = selectors.benefits_published_since(sub, since)
    digest.publications = selectors.publications_published_since(sub, since)
    return digest


def render_digest(sub, digest: Digest) -> str:
    lines = [_("“%(topic)s”的最新更新：") % {"topic": sub.topic_label}, ""]
    sections = [
        (_("新发布的办事指南"), [(g.display_name, g.get_absolute_url()) for g in digest.guides]),
        (_("新发布的惠企利民事项"), [(b.title, b.get_absolute_url()) for b in digest.benefits]),
        (_("新公开的信息"), [(p.title, p.get_absolute_url()) for p in digest.publications]),
    ]
    for title, items in sections:
        if items:
            lines.append(f"【{title}】")
            lines += [f"· {name} {_absolute(url)}" for name, url in items[:20]]
            lines.append("")
    lines.append(
        _("退订（一键）：%(url)s") % {"url": _absolute(reverse("guides:unsubscribe", args=[sub.token]) + "?now=1")}
    )
    return "\n".join(lines)


def send_digests(now: dt.datetime | None = None) -> dict:
    """Send each confirmed subscriber what is new since their last digest (nothing if nothing is new)."""
    from .models import Subscription

    now = now or timezone.now()
    report = {"sent": 0, "empty": 0, "failed": 0}
    for sub in Subscription.objects.filter(confirmed_at__isnull=False).select_related("event", "unit"):
        since = sub.last_sent_at or sub.confirmed_at
        digest = digest_for(sub, since)
        if digest.empty:
            report["empty"] += 1
            continue
        subject = _("每日更新：%(topic)s") % {"topic": sub.topic_label}
        try:
            _deliver(sub, subject, render_digest(sub, digest))
        except Exception:  # noqa: BLE001 - one failed address must not stop the others
            log.exception("guides: digest to subscription %s failed", sub.pk)
            report["failed"] += 1
            continue
        Subscription.objects.filter(pk=sub.pk).update(last_sent_at=now)
        report["sent"] += 1
    return report
