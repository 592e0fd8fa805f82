"""Search actions: run a public search (and count its terms), rebuild the index."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from gongkai.core import audit, privacy
from gongkai.core.chinese import normalise

from . import registry
from .backends import get_backend
from .models import SearchLog, SearchTerm, SearchVisit
from .types import SearchQuery, SearchResults

log = logging.getLogger(__name__)

_SPACES = re.compile(r"\s+")


def normalise_term(text: str) -> str:
    """The form in which a query is counted: normalised, single-spaced, at most 100 chars."""
    return _SPACES.sub(" ", normalise(text or "")).strip()[:100]


def min_visitors() -> int:
    return int(getattr(settings, "GONGKAI_SEARCH_TERM_MIN_VISITORS", 5))


def min_days() -> int:
    return int(getattr(settings, "GONGKAI_SEARCH_TERM_MIN_DAYS", 2))


def log_search_term(text: str, *, visitor: str = "") -> None:
    """Count one search of ``text`` (which returned results) for today, by ``visitor`` (a
    daily keyed hash, :func:`gongkai.core.privacy.visitor_hash`). Cheap (an UPDATE, and an
    INSERT for a new visitor of the term that day), anonymous, and never raises into the page.

    Terms that look like personal data (phone numbers with or without spaces, ID numbers,
    e-mail addresses, house numbers, a name followed by an address) are not recorded at all.
    Without a visitor (a command-line search) the term is counted but earns no visitor-day."""
    term = normalise_term(text)
    if not term or privacy.looks_personal(term):
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
        return
    if visitor:
        try:
            _count_visitor(term, today, visitor)
        except Exception:
            log.exception("search: could not count a search term's visitor")


def _count_visitor(term: str, today, visitor: str) -> None:
    """A new (term, day, visitor) adds one visitor-day (and a day, if the first that day);
    the term qualifies for public display once both thresholds are met."""
    try:
        with transaction.atomic():
            SearchVisit.objects.create(day=today, query=term, visitor=visitor)
    except IntegrityError:
        return  # this visitor already searched this term today
    with transaction.atomic():
        first_today = not SearchVisit.objects.filter(day=today, query=term).exclude(visitor=visitor).exists()
        created = False
        try:
            with transaction.atomic():
                SearchTerm.objects.create(query=term, visitor_days=1, days=1, first_day=today, last_day=today)
                created = True
        except IntegrityError:
            pass
        if not created:
            SearchTerm.objects.filter(query=term).update(
                visitor_days=F("visitor_days") + 1,
                days=F("days") + (1 if first_today else 0),
                last_day=today,
            )
        SearchTerm.objects.filter(
            query=term, qualified_on__isnull=True, visitor_days__gte=min_visitors(), days__gte=min_days()
        ).update(qualified_on=today)


def visitor_of(request) -> str:
    """Today's keyed hash of the request's client address ("" if there is none)."""
    address = privacy.client_address(request)
    return privacy.visitor_hash(address, timezone.localdate()) if address else ""


def prune_visits() -> int:
    """Delete visitor hashes older than yesterday (only same-day de-duplication needs them)."""
    cutoff = timezone.localdate() - dt.timedelta(days=1)
    deleted, _ = SearchVisit.objects.filter(day__lt=cutoff).delete()
    return deleted


RESULTS_TTL = 600  # seconds; a safety net: any write to the index changes the key first


def run_search(
    q: SearchQuery,
    *,
    log_terms: bool = True,
    with_help: bool = True,
    use_cache: bool = False,
    visitor: str = "",
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
        log_search_term(q.text, visitor=visitor)
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
    TERM_HIDE = "search.term.hide", _l("隐藏热门检索词")
    TERM_SHOW = "search.term.show", _l("恢复显示热门检索词")


def _require_office(actor, message=None) -> None:
    from django.core.exceptions import PermissionDenied

    from gongkai.core import permissions
    from gongkai.core.models import Role

    if not (permissions.is_configuration_admin(actor) or Role.DISCLOSURE_OFFICE in permissions.roles_of(actor)):
        raise PermissionDenied(message or _("只有政务公开办或系统管理员可以维护日常说法词典"))


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


# --- popular terms: staff hide a term from every public list ------------------------------


@transaction.atomic
def search_term_hide(*, actor, term: SearchTerm, reason: str = "") -> SearchTerm:
    """Hide a term from the public lists (热门检索, autocomplete, statistics); audited."""
    _require_office(actor, _("只有政务公开办或系统管理员可以管理热门检索词"))
    term = SearchTerm.objects.select_for_update().get(pk=term.pk)
    before = {"hidden": term.hidden_at is not None, "reason": term.hidden_reason}
    term.hidden_at = timezone.now()
    term.hidden_by = actor
    term.hidden_reason = (reason or "").strip()[:200]
    term.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    audit.record(
        actor=actor,
        action=SearchAuditAction.TERM_HIDE,
        obj=term,
        before=before,
        after={"hidden": True, "reason": term.hidden_reason, "query": term.query},
    )
    return term


@transaction.atomic
def search_term_show(*, actor, term: SearchTerm) -> SearchTerm:
    """Undo a hide: the term is public again if it is qualified and passes screening; audited."""
    _require_office(actor, _("只有政务公开办或系统管理员可以管理热门检索词"))
    term = SearchTerm.objects.select_for_update().get(pk=term.pk)
    before = {"hidden": term.hidden_at is not None, "reason": term.hidden_reason}
    term.hidden_at = None
    term.hidden_by = None
    term.hidden_reason = ""
    term.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    audit.record(
        actor=actor,
        action=SearchAuditAction.TERM_SHOW,
        obj=term,
        before=before,
        after={"hidden": False, "query": term.query},
    )
    return term
