"""Settings an administrator may change (Django admin) and the suggester's/screening's word lists.

Legal and platform periods (appeal time limits, the reopening period, the FAQ review cycle,
the minimum consultation period) are not here: they are :class:`gongkai.core.models.LegalPeriod`
rows (``appeal.*``, ``faq.review``, ``consultation.minimum``), edited in 工作台 › 法定期限.
"""

from __future__ import annotations

import re

from django.db import models
from django.utils.translation import gettext_lazy as _


class Policy(models.Model):
    """One row of interaction settings an administrator may change (Django admin)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    due_soon_days = models.PositiveSmallIntegerField(_("即将到期提醒（工作日）"), default=2)
    duplicate_window_hours = models.PositiveSmallIntegerField(_("重复提交识别时间窗（小时）"), default=24)
    open311_jurisdiction_id = models.CharField(_("Open311 辖区标识"), max_length=80, default="gongkai")
    open311_require_api_key = models.BooleanField(_("Open311 提交需要 API 密钥"), default=False)
    open311_api_keys = models.TextField(_("Open311 API 密钥（每行一个）"), blank=True)

    class Meta:
        verbose_name = _("互动交流设置")
        verbose_name_plural = _("互动交流设置")

    def __str__(self) -> str:
        return str(_("互动交流设置"))

    @classmethod
    def get(cls) -> Policy:
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj

    def api_key_valid(self, key: str) -> bool:
        keys = {k.strip() for k in self.open311_api_keys.splitlines() if k.strip()}
        return bool(key) and key in keys


class SynonymGroup(models.Model):
    """Words that mean the same for the suggester (低保 / 最低生活保障). The first word is canonical."""

    words = models.CharField(_("同义词（用逗号或空格分隔，第一个为规范词）"), max_length=300)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("同义词组")
        verbose_name_plural = _("同义词组")

    def __str__(self) -> str:
        return self.words

    def word_list(self) -> list[str]:
        return [w for w in re.split(r"[,，、\s]+", self.words) if w]


class SensitiveWord(models.Model):
    """A word that keeps a text from public display until staff confirm it (screening)."""

    word = models.CharField(_("敏感词"), max_length=60, unique=True)
    category = models.CharField(_("类别"), max_length=30, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("敏感词")
        verbose_name_plural = _("敏感词")
        ordering = ["word"]

    def __str__(self) -> str:
        return self.word
