"""Chinese text helpers shared by every app: script conversion, segmentation, pinyin."""

from __future__ import annotations

from functools import lru_cache

import opencc


@lru_cache(maxsize=1)
def _s2t() -> opencc.OpenCC:
    return opencc.OpenCC("s2twp")


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_traditional(text: str) -> str:
    return _s2t().convert(text) if text else text


def to_simplified(text: str) -> str:
    return _t2s().convert(text) if text else text
