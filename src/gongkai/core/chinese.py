"""Chinese text helpers shared by every app: script conversion, segmentation, pinyin."""

from __future__ import annotations

from functools import lru_cache

import opencc

# "s2tw": Simplified → Traditional characters (Taiwan forms) WITHOUT phrase
# substitution. "s2twp" also rewrites mainland terms into Taiwanese vocabulary,
# which is wrong for mainland government text: 统一社会信用代码 → 統一社會信用程式碼,
# 政策文件 → 政策檔案, 政府信息公开 → 政府資訊公開. Official terms must stay terms.
TRADITIONAL_CONFIG = "s2tw"


@lru_cache(maxsize=1)
def _s2t() -> opencc.OpenCC:
    return opencc.OpenCC(TRADITIONAL_CONFIG)


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_traditional(text: str) -> str:
    return _s2t().convert(text) if text else text


def to_simplified(text: str) -> str:
    return _t2s().convert(text) if text else text


# --- Segmentation -------------------------------------------------------------

import re  # noqa: E402
import unicodedata  # noqa: E402

import rjieba  # noqa: E402

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[\w]+", re.UNICODE)


def normalise(text: str) -> str:
    """NFKC (full-width → half-width), Traditional → Simplified, lower case."""
    if not text:
        return ""
    return to_simplified(unicodedata.normalize("NFKC", text)).lower()


def is_cjk(char: str) -> bool:
    return bool(_CJK.match(char))


def words(text: str, *, normalised: bool = False) -> list[str]:
    """Search-mode words (jieba ``cut_for_search``: 人民政府 → 人民, 政府, 人民政府),
    punctuation and whitespace dropped. Input is normalised first unless told otherwise."""
    text = text if normalised else normalise(text)
    return [w for w in rjieba.cut_for_search(text) if _WORD.fullmatch(w)]


def precise_words(text: str) -> list[str]:
    """Precise-mode words (one segmentation, no overlapping sub-words), normalised."""
    return [w for w in rjieba.cut(normalise(text)) if _WORD.fullmatch(w)]


def cjk_chars(text: str) -> list[str]:
    return _CJK.findall(text)


def pinyin_key(text: str) -> str:
    """Toneless pinyin without spaces (for sorting and pinyin-insensitive suggestions)."""
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(normalise(text)))
