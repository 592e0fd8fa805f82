"""RSS 2.0 and Atom feeds of newly published items (optionally per unit or type)."""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from gongkai.core.models import Organisation

from . import selectors
from .models import DocType


class PublicationsFeed(Feed):
    description_template = None

    def get_object(self, request):
        unit_id = request.GET.get("unit", "")
        doc_type = request.GET.get("type", "")
        unit = get_object_or_404(Organisation, pk=int(unit_id)) if unit_id.isdigit() else None
        return {"unit": unit, "doc_type": doc_type if doc_type in DocType.values else ""}

    def title(self, obj):
        parts = [obj["unit"].name if obj["unit"] else "政府信息公开"]
        if obj["doc_type"]:
            parts.append(DocType(obj["doc_type"]).label)
        return " · ".join(parts) + " · 最新发布"

    def link(self, obj):
        return reverse("publications:index")

    def description(self, obj):
        return "依法主动公开的政府信息（政府信息公开条例第十九条至第二十六条）"

    def items(self, obj):
        return selectors.feed_items(unit=obj["unit"], doc_type=obj["doc_type"])

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
        return [item.get_doc_type_display(), item.get_topic_display()]


class PublicationsAtomFeed(PublicationsFeed):
    feed_type = Atom1Feed
    subtitle = PublicationsFeed.description
