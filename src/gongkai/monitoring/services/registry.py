"""Registry: websites, their typed columns (proposed from the navigation, confirmed by staff),
new-media accounts with status history, word lists and allowed phrases."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.core import audit, permissions, transitions
from gongkai.core.models import Organisation, Role

from ..audit_actions import AuditAction
from ..engine.words import Entry, Scanner
from ..models import (
    Account,
    AccountStatusChange,
    AllowedPhrase,
    Column,
    ColumnKind,
    Site,
    WordEntry,
    WordList,
)

SITE_FIELDS = ("name", "home_url", "site_code", "icp_number", "police_number", "unit", "kind", "is_own_portal")


def _require_office(actor, unit: Organisation | None) -> None:
    if actor is None:  # the system (a command, a scheduled task)
        return
    if unit is None:
        if not permissions.is_configuration_admin(actor):
            raise PermissionDenied(_("只有系统管理员可以管理未指定主办单位的网站"))
        return
    permissions.require(actor, [Role.DISCLOSURE_OFFICE, Role.SYSADMIN], unit)


def normalise_url(url: str) -> str:
    url = (url or "").strip()
    if url and "://" not in url:
        url = "http://" + url
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError({"home_url": _("请输入有效的网址（http:// 或 https://）")}) from None
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.lower()}{parts.path or '/'}" + (f"?{parts.query}" if parts.query else "")


@transaction.atomic
def site_register(*, actor, home_url: str, name: str = "", unit: Organisation | None = None, **data) -> Site:
    _require_office(actor, unit)
    url = normalise_url(home_url)
    if Site.objects.filter(home_url=url).exists():
        raise ValidationError({"home_url": _("该网站已登记")})
    unknown = set(data) - set(SITE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    site = Site(
        home_url=url, name=(name or urlsplit(url).netloc)[:100], unit=unit, domain=urlsplit(url).hostname or "", **data
    )
    site.created_by = actor if getattr(actor, "pk", None) else None
    site.full_clean(exclude=["status"])
    site.save()
    audit.record(actor=actor, action=AuditAction.SITE_REGISTER, obj=site, unit=unit, after=audit.snapshot(site))
    return site


@transaction.atomic
def site_update(*, actor, site: Site, **data) -> Site:
    site = Site.objects.select_for_update().get(pk=site.pk)
    _require_office(actor, site.unit)
    if "unit" in data:
        _require_office(actor, data["unit"])
    before = audit.snapshot(site)
    for key, value in data.items():
        if key not in SITE_FIELDS:
            raise TypeError(f"unknown field {key}")
        setattr(site, key, normalise_url(value) if key == "home_url" else value)
    site.domain = urlsplit(site.home_url).hostname or ""
    site.full_clean(exclude=["status"])
    site.save()
    audit.record(
        actor=actor, action=AuditAction.SITE_UPDATE, obj=site, unit=site.unit, before=before, after=audit.snapshot(site)
    )
    return site


def _site_transition(name: str, action: str):
    @transaction.atomic
    def run(*, actor, site: Site) -> Site:
        return transitions.run(site, name, actor=actor, action=action, snapshot_fields=["status"])

    return run


site_pause = _site_transition("pause", AuditAction.SITE_PAUSE)


site_resume = _site_transition("resume", AuditAction.SITE_RESUME)


site_close = _site_transition("close", AuditAction.SITE_CLOSE)


@transaction.atomic
def ensure_own_portal(*, actor=None, url: str | None = None) -> Site | None:
    """Register gongkai's own portal (``GONGKAI_PORTAL_URL``) like any other site."""
    url = url or settings.GONGKAI_PORTAL_URL
    if not url:
        return None
    url = normalise_url(url)
    existing = Site.objects.filter(home_url=url).first() or Site.objects.filter(is_own_portal=True).first()
    if existing:
        return existing
    from gongkai.core.models import OrgKind

    root = Organisation.objects.filter(kind=OrgKind.GOVERNMENT).order_by("depth", "pk").last()
    county = Organisation.objects.filter(kind=OrgKind.GOVERNMENT, level="county").order_by("pk").first() or root
    return site_register(
        actor=actor, home_url=url, name=settings.GONGKAI_SITE_NAME, unit=county, kind="portal", is_own_portal=True
    )


@transaction.atomic
def columns_propose(*, actor, site: Site, proposed) -> list[Column]:
    """Store the columns found in the navigation as proposals (known list URLs are kept)."""
    _require_office(actor, site.unit)
    known = set(site.columns.values_list("list_url", flat=True))
    created = []
    for p in proposed:
        if p.url in known or len(p.url) > 500:
            continue
        known.add(p.url)
        created.append(Column.objects.create(site=site, name=p.name[:60], kind=p.kind, list_url=p.url))
    if created:
        audit.record(
            actor=actor,
            action=AuditAction.COLUMN_PROPOSE,
            obj=site,
            unit=site.unit,
            after={"columns": [{"name": c.name, "kind": c.kind, "url": c.list_url} for c in created]},
        )
    return created


@transaction.atomic
def column_add(*, actor, site: Site, name: str, kind: str, list_url: str, item_selector: str = "") -> Column:
    _require_office(actor, site.unit)
    url = normalise_url(list_url)
    if site.columns.filter(list_url=url).exists():
        raise ValidationError({"list_url": _("该栏目地址已登记")})
    column = Column(site=site, name=name, kind=kind, list_url=url, item_selector=item_selector)
    column.full_clean(exclude=["status"])
    column.save()
    column = transitions.run(
        column,
        "confirm",
        actor=actor,
        action=AuditAction.COLUMN_ADD,
        unit=site.unit,
        update=lambda c: setattr(c, "confirmed_by", actor if getattr(actor, "pk", None) else None),
    )
    return column


@transaction.atomic
def column_confirm(
    *, actor, column: Column, kind: str = "", name: str = "", item_selector: str | None = None
) -> Column:
    if kind and kind not in ColumnKind.values:
        raise ValidationError({"kind": _("未知的栏目类型")})

    def update(c: Column) -> None:
        c.kind = kind or c.kind
        c.name = name or c.name
        if item_selector is not None:
            c.item_selector = item_selector
        c.confirmed_by = actor

    return transitions.run(
        column, "confirm", actor=actor, action=AuditAction.COLUMN_CONFIRM, unit=column.site.unit, update=update
    )


@transaction.atomic
def column_reject(*, actor, column: Column) -> Column:
    return transitions.run(column, "reject", actor=actor, action=AuditAction.COLUMN_REJECT, unit=column.site.unit)


@transaction.atomic
def account_register(
    *, actor, unit: Organisation, platform: str, name: str, account_id: str, feed_url: str = ""
) -> Account:
    _require_office(actor, unit)
    if Account.objects.filter(platform=platform, account_id=account_id).exists():
        raise ValidationError({"account_id": _("该平台已登记此账号")})
    account = Account(unit=unit, platform=platform, name=name, account_id=account_id, feed_url=feed_url)
    account.full_clean(exclude=["status"])
    account.save()
    AccountStatusChange.objects.create(
        account=account, to_status=account.status, reason=_("登记"), actor=actor if getattr(actor, "pk", None) else None
    )
    audit.record(
        actor=actor, action=AuditAction.ACCOUNT_REGISTER, obj=account, unit=unit, after=audit.snapshot(account)
    )
    return account


_ACCOUNT_ACTIONS = {
    "suspend": AuditAction.ACCOUNT_SUSPEND,
    "reactivate": AuditAction.ACCOUNT_REACTIVATE,
    "close": AuditAction.ACCOUNT_CLOSE,
}


@transaction.atomic
def account_change_status(*, actor, account: Account, transition: str, reason: str = "") -> Account:
    if transition not in _ACCOUNT_ACTIONS:
        raise ValidationError(_("未知的状态变更"))
    before = account.status

    def step(a: Account) -> None:
        AccountStatusChange.objects.create(
            account=a, from_status=before, to_status=a.status, reason=reason, actor=actor
        )

    return transitions.run(
        account, transition, actor=actor, action=_ACCOUNT_ACTIONS[transition], step=step, snapshot_fields=["status"]
    )


@transaction.atomic
def wordlist_create(*, actor, name: str, kind: str, source: str = "") -> WordList:
    if not (
        permissions.is_configuration_admin(actor) or permissions.units_with_role(actor, Role.DISCLOSURE_OFFICE).exists()
    ):
        raise PermissionDenied(_("只有政务公开办管理员可以维护词表"))
    wl = WordList(name=name, kind=kind, source=source, created_by=actor)
    wl.full_clean()
    wl.save()
    audit.record(actor=actor, action=AuditAction.WORDLIST_CREATE, obj=wl, after=audit.snapshot(wl))
    return wl


@transaction.atomic
def word_add(*, actor, word_list: WordList, text: str, correct: str = "", note: str = "") -> WordEntry:
    if not (
        permissions.is_configuration_admin(actor) or permissions.units_with_role(actor, Role.DISCLOSURE_OFFICE).exists()
    ):
        raise PermissionDenied(_("只有政务公开办管理员可以维护词表"))
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("请填写词语")})
    if word_list.entries.filter(text=text).exists():
        raise ValidationError({"text": _("词表中已有该词语")})
    entry = WordEntry.objects.create(word_list=word_list, text=text, correct=correct.strip(), note=note)
    audit.record(actor=actor, action=AuditAction.WORD_ADD, obj=entry, after=audit.snapshot(entry))
    return entry


@transaction.atomic
def phrase_allow(*, actor, site: Site, text: str, reason: str = "") -> AllowedPhrase:
    _require_office(actor, site.unit)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("请填写允许的词语")})
    phrase, _created = AllowedPhrase.objects.get_or_create(
        site=site, text=text, defaults={"reason": reason, "created_by": actor}
    )
    audit.record(
        actor=actor, action=AuditAction.PHRASE_ALLOW, obj=site, unit=site.unit, after={"text": text, "reason": reason}
    )
    return phrase


def scanner() -> Scanner:
    entries = [
        Entry(e.text, e.word_list.kind, e.correct, e.pk, e.word_list.created_by_id)
        for e in WordEntry.objects.filter(word_list__is_active=True).select_related("word_list")
    ]
    return Scanner(entries)
