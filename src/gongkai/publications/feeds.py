"""RSS 2.0 and Atom feeds of newly published items (optionally per unit and per type).

``?unit=<id>`` limits the feed to one unit; ``?type=<doc_type>`` (repeatable:
``?type=policy&type=normative``) to some content types. Unknown types are ignored,
so a feed URL never fails on a stale or mistyped parameter.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from gongkai.core.models import Organisation

from . import selectors
from .models import DocType

FEED_SIZE = 50


class PublicationsFeed(Feed):
    description_template = None

    def get_object(self, request):
        unit_id = request.GET.get("unit", "")
        unit = get_object_or_404(Organisation, pk=int(unit_id)) if unit_id.isdigit() else None
        types = []
        for value in request.GET.getlist("type"):
            if value in DocType.values and value not in types:
                types.append(value)
        return {"unit": unit, "doc_types": types}

    def title(self, obj):
        # Labels are lazy translation strings: make them text before joining (a lazy
        # string in str.join() is a TypeError, which used to turn every ?type= feed into a 500).
        parts = [obj["unit"].name if obj["unit"] else _("政府信息公开")]
        parts += [str(DocType(t).label) for t in obj["doc_types"]]
        parts.append(_("最新发布"))
        return " · ".join(parts)

    def link(self, obj):
        return reverse("publications:index")

    def description(self, obj):
        return _("依法主动公开的政府信息（政府信息公开条例第十九条至第二十六条）")

    def items(self, obj):
        types = obj["doc_types"]
        if len(types) <= 1:
            return selectors.feed_items(unit=obj["unit"], doc_type=types[0] if types else "", limit=FEED_SIZE)
        return list(selectors.published(doc_type=types, unit=obj["unit"])[:FEED_SIZE])

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        text = item.plain_text or ""
        return text[:300] + ("……" if len(text) > 300 else "")

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        return item.index_number or str(item.pk)

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        if item.published_at:
            return item.published_at
        if item.published_on:
            return timezone.make_aware(dt.datetime.combine(item.published_on, dt.time(9)))
        return None

    def item_author_name(self, item):
        return item.issuer or item.unit.name

    def item_categories(self, item):
        return [str(item.get_doc_type_display()), str(item.get_topic_display())]


class PublicationsAtomFeed(PublicationsFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj):
        return self.description(obj)
