"""Lists that other apps add to the portal home page, without the portal importing them.

The home page's "most viewed" block shows one list per registered provider, in ``order``.
The portal registers the most viewed catalogue items itself (from core's page-view
counter); an app such as ``guides`` adds its most viewed service guides from its
``AppConfig.ready()``::

    from gongkai.portal.registry import PopularEntry, register_popular

    def most_viewed_guides(*, since, limit):
        return [PopularEntry(label=g.everyday_name, url=g.get_absolute_url(), count=n) for g, n in ...]

    register_popular("guides", _("热门办事指南"), most_viewed_guides, order=20)

A provider that fails is logged and left out; the home page is cached, so providers are
called at most once per cache period (see ``gongkai.portal.home``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PopularEntry:
    label: str
    url: str
    count: int = 0
    note: str = ""  # e.g. the unit or domain, shown after the label


Provider = Callable[..., list[PopularEntry]]


@dataclass(frozen=True)
class PopularList:
    key: str
    title: str
    provider: Provider
    order: int = 50


_POPULAR: dict[str, PopularList] = {}


def register_popular(key: str, title, provider: Provider, *, order: int = 50) -> None:
    """Add (or replace) the list ``key``; ``provider(since=date, limit=int)`` returns entries, most viewed first."""
    _POPULAR[key] = PopularList(key=key, title=title, provider=provider, order=order)


def unregister_popular(key: str) -> None:
    _POPULAR.pop(key, None)


def popular_lists() -> list[PopularList]:
    return sorted(_POPULAR.values(), key=lambda p: (p.order, p.key))


def entries(popular: PopularList, *, since: dt.date, limit: int) -> list[PopularEntry]:
    return list(popular.provider(since=since, limit=limit))[:limit]
