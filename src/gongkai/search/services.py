"""Search actions: run a public search (and count its terms), rebuild the index."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from gongkai.core import audit
from gongkai.core.chinese import normalise

from . import registry
from .backends import get_backend
from .models import SearchLog
from .types import SearchQuery, SearchResults

log = logging.getLogger(__name__)

# Queries that look like personal data are never logged (ID card, phone, long digit runs, e-mail).
_PERSONAL = re.compile(r"\d{6,}|[0-9]{17}[0-9x]|@", re.IGNORECASE)
_SPACES = re.compile(r"\s+")


def normalise_term(text: str) -> str:
    """The form in which a query is counted: normalised, single-spaced, at most 100 chars."""
    return _SPACES.sub(" ", normalise(text or "")).strip()[:100]


def log_search_term(text: str) -> None:
    """Count one search of ``text`` for today. Cheap (one UPDATE, an INSERT on the first
    search of the day), anonymous, and never raises into the search page."""
    term = normalise_term(text)
    if not term or _PERSONAL.search(term):
        return
    today = timezone.localdate()
    try:
        with transaction.atomic():
            updated = SearchLog.objects.filter(day=today, query=term).update(count=F("count") + 1)
            if not updated:
                SearchLog.objects.create(day=today, query=term, count=1)
    except IntegrityError:  # a concurrent first insert won the race
        SearchLog.objects.filter(day=today, query=term).update(count=F("count") + 1)
    except Exception:
        log.exception("search: could not log a search term")


RESULTS_TTL = 600  # seconds; a safety net: any write to the index changes the key first


def run_search(
    q: SearchQuery, *, log_terms: bool = True, with_help: bool = True, use_cache: bool = False
) -> SearchResults:
    """Run a public search (portal, API and ``gongkai search`` alike).

    A question that matches no document with enough of its words is run again needing only
    one of them (``results.relaxed``); when nothing is found at all, ``results.help`` holds a
    looser query, spelling/pinyin corrections and related FAQ entries or service guides
    (:mod:`gongkai.search.help`). Only first-page searches with text and results are counted
    (paging and facet clicks are not new searches; empty or meaningless queries never become
    popular terms), also when the results come from the cache.

    ``use_cache`` (the portal's search page): the results of the same query in the same
    language come from the shared cache until the index changes (:func:`backends.index_generation`:
    every index write, i.e. every publication, change or withdrawal, renews it)."""
    from . import analysis

    parsed = analysis.parse_query(q.text)
    results = _cached_search(q, parsed, with_help) if use_cache else _search(q, parsed, with_help)
    if (
        log_terms
        and results.total
        and not parsed.issue
        and not parsed.truncated
        and q.text.strip()
        and q.page == 1
        and not q.filters
        and not (q.date_from or q.date_to)
    ):
        log_search_term(q.text)
    return results


def _search(q: SearchQuery, parsed, with_help: bool) -> SearchResults:
    from .help import zero_result_help

    backend = get_backend()
    results = backend.search(q, parsed)
    if not results.total and not parsed.issue:
        relaxed = parsed.relaxed()
        if relaxed is not None:
            retry = backend.search(q, relaxed)
            if retry.total:
                retry.relaxed = True
                results = retry
    if not results.total and q.text.strip() and with_help:
        results.help = zero_result_help(q, parsed, backend)
    return results


def _cached_search(q: SearchQuery, parsed, with_help: bool) -> SearchResults:
    import hashlib

    from django.core.cache import cache
    from django.utils import translation

    from .backends import backend_name, index_generation

    what = repr((backend_name(), translation.get_language(), with_help, q))
    key = f"search:results:{index_generation()}:{hashlib.sha1(what.encode(), usedforsecurity=False).hexdigest()}"
    results = cache.get(key)
    if results is None:
        results = _search(q, parsed, with_help)
        try:
            cache.set(key, results, RESULTS_TTL)
        except Exception:  # results that cannot be pickled are simply not cached
            log.warning("search: results not cached", exc_info=True)
    return results


def reindex(*, kind: str | None = None, progress: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """Rebuild the index from every registered source (or only ``kind``: that kind's documents
    are removed first, so documents deleted at the source disappear). Returns counts per kind."""
    backend = get_backend()
    chosen = registry.sources()
    if kind is not None:
        if kind not in chosen:
            raise ValueError(
                _("未注册的检索来源：%(kind)s（已注册：%(known)s）")
                % {"kind": kind, "known": "、".join(sorted(chosen)) or _("无")}
            )
        chosen = {kind: chosen[kind]}
    else:
        backend.clear()
    counts: dict[str, int] = {}
    for name, source in sorted(chosen.items()):
        if kind is not None:
            backend.delete_kind(name)
        counts[name] = backend.index(
            source.iter_all(), progress=(lambda n, _name=name: progress(_name, n)) if progress else None
        )
        if progress:
            progress(name, counts[name])
    return counts


# --- the everyday ↔ official name dictionary ------------------------------------------------


@audit.register_actions
class SearchAuditAction(models.TextChoices):
    NAME_PAIR_CREATE = "search.name_pair.create", _l("新增日常说法对应关系")
    NAME_PAIR_UPDATE = "search.name_pair.update", _l("修改日常说法对应关系")
    NAME_PAIR_DISABLE = "search.name_pair.disable", _l("停用日常说法对应关系")
    NAME_PAIR_ENABLE = "search.name_pair.enable", _l("启用日常说法对应关系")


def _require_office(actor) -> None:
    from django.core.exceptions import PermissionDenied

    from gongkai.core import permissions
    from gongkai.core.models import Role

    if not (permissions.is_sysadmin(actor) or Role.DISCLOSURE_OFFICE in permissions.roles_of(actor)):
        raise PermissionDenied(_("只有政务公开办或系统管理员可以维护日常说法词典"))


def _clean_pair(everyday: str, official: str, source: str) -> tuple[str, str, str]:
    from django.core.exceptions import ValidationError

    everyday, official, source = (everyday or "").strip(), (official or "").strip(), (source or "").strip()
    errors = {}
    if not everyday:
        errors["everyday"] = _("请填写日常说法")
    elif len(everyday) > 60:
        errors["everyday"] = _("日常说法不能超过 60 个字")
    if not official:
        errors["official"] = _("请填写规范名称")
    elif len(official) > 120:
        errors["official"] = _("规范名称不能超过 120 个字")
    if everyday and official and normalise(everyday) == normalise(official):
        errors["official"] = _("日常说法和规范名称不能相同")
    if len(source) > 300:
        errors["source"] = _("来源不能超过 300 个字")
    if errors:
        raise ValidationError(errors)
    return everyday, official, source


def _pair_changed() -> None:
    from . import dictionary

    transaction.on_commit(dictionary.invalidate)


@transaction.atomic
def name_pair_create(*, actor, everyday: str, official: str, source: str = ""):
    """Add a pair to the dictionary used by search expansion and FAQ suggestions."""
    from django.core.exceptions import ValidationError

    from .models import NamePair

    _require_office(actor)
    everyday, official, source = _clean_pair(everyday, official, source)
    if NamePair.objects.filter(everyday=everyday, official=official).exists():
        raise ValidationError({"official": _("词典中已有这一对说法")})
    pair = NamePair.objects.create(everyday=everyday, official=official, source=source)
    audit.record(actor=actor, action=SearchAuditAction.NAME_PAIR_CREATE, obj=pair, after=audit.snapshot(pair))
    _pair_changed()
    return pair


@transaction.atomic
def name_pair_update(*, actor, pair, everyday: str, official: str, source: str = "", is_active: bool = True):
    from django.core.exceptions import ValidationError

    from .models import NamePair

    _require_office(actor)
    pair = NamePair.objects.select_for_update().get(pk=pair.pk)
    everyday, official, source = _clean_pair(everyday, official, source)
    if NamePair.objects.filter(everyday=everyday, official=official).exclude(pk=pair.pk).exists():
        raise ValidationError({"official": _("词典中已有这一对说法")})
    before = audit.snapshot(pair)
    pair.everyday, pair.official, pair.source, pair.is_active = everyday, official, source, bool(is_active)
    pair.save()
    audit.record(
        actor=actor, action=SearchAuditAction.NAME_PAIR_UPDATE, obj=pair, before=before, after=audit.snapshot(pair)
    )
    _pair_changed()
    return pair


@transaction.atomic
def name_pair_set_active(*, actor, pair, active: bool):
    """Disable (or enable again) a pair without losing it."""
    from .models import NamePair

    _require_office(actor)
    pair = NamePair.objects.select_for_update().get(pk=pair.pk)
    before = {"is_active": pair.is_active}
    pair.is_active = bool(active)
    pair.save(update_fields=["is_active", "updated_at"])
    audit.record(
        actor=actor,
        action=SearchAuditAction.NAME_PAIR_ENABLE if active else SearchAuditAction.NAME_PAIR_DISABLE,
        obj=pair,
        before=before,
        after={"is_active": pair.is_active},
    )
    _pair_changed()
    return pair
