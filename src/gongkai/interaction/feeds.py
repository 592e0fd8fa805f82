"""RSS 2.0 and Atom feeds of public consultations (意见征集) and published appeal answers (留言答复).

Only what the public pages already show: consultations that are not drafts, and
appeals the unit published (public title, text and answer, never contact data).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from gongkai.core.context_processors import site_name

from . import selectors

FEED_SIZE = 30


def _excerpt(text: str, size: int = 300) -> str:
    text = " ".join((text or "").split())
    return text[:size] + ("……" if len(text) > size else "")


def _morning(day: dt.date | None):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9))) if day else None


class ConsultationsFeed(Feed):
    def title(self):
        return f"{site_name()} · " + _("意见征集")

    def link(self):
        return reverse("interaction:consultations")

    def description(self):
        return _("重大行政决策草案公开征求意见，征求意见期一般不少于30日。")

    def items(self):
        return list(selectors.public_consultations()[:FEED_SIZE])

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        period = ""
        if item.opens_on and item.closes_on:
            period = _("征集期：%(start)s 至 %(end)s") % {"start": item.opens_on, "end": item.closes_on}
        return " ".join(p for p in (period, _excerpt(item.summary or item.explanation)) if p)

    def item_link(self, item):
        return reverse("interaction:consultation", args=[item.pk])

    def item_pubdate(self, item):
        return _morning(item.opens_on) or item.created_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.unit.name

    def item_categories(self, item):
        return [str(item.get_status_display())]


class ConsultationsAtomFeed(ConsultationsFeed):
    feed_type = Atom1Feed

    def subtitle(self):
        return self.description()


class AppealAnswersFeed(Feed):
    def title(self):
        return f"{site_name()} · " + _("留言答复")

    def link(self):
        return reverse("interaction:appeal-list")

    def description(self):
        return _("经留言人同意公开的留言及办理答复（已隐去个人信息）。")

    def items(self):
        return list(selectors.public_appeals()[:FEED_SIZE])

    def item_title(self, item):
        return item.public_title or item.title

    def item_description(self, item):
        return _excerpt(item.public_answer or item.public_content)

    def item_link(self, item):
        return reverse("interaction:appeal-detail", args=[item.pk])

    def item_guid(self, item):
        return reverse("interaction:appeal-detail", args=[item.pk])

    def item_pubdate(self, item):
        return item.published_at

    def item_author_name(self, item):
        return item.unit.name if item.unit else ""

    def item_categories(self, item):
        return [str(item.type.name)] if item.type_id else []


class AppealAnswersAtomFeed(AppealAnswersFeed):
    feed_type = Atom1Feed

    def subtitle(self):
        return self.description()
