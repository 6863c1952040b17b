"""Simplified to Traditional Chinese (Taiwan usage): OpenCC, corrected by a small phrase table."""

from __future__ import annotations

import re
from functools import lru_cache

import opencc

_OPENCC = opencc.OpenCC("s2twp")

# Simplified phrases OpenCC's s2twp renders wrongly for this app, with the Traditional a Taiwan reader
# expects. They are taken out before OpenCC runs, so its own phrase choices cannot touch them.
PHRASES = {
    "代码": "代碼",  # a class or join code; 程式碼 is a program's source code
    "干预": "干預",  # OpenCC reads 政府干预 as 政府幹 + 預
    "联系起来": "聯繫起來",  # linking two ideas; 聯絡 is getting in touch with someone
    "支持": "支持",  # support for survivors or for a claim; 支援 is backup or aid
    "声明": "聲明",  # a police or company statement; 宣告 is a proclamation
    "发布": "發布",  # to publish or post; 釋出 is a software release
    "起诉数据": "起訴數據",  # prosecution figures; 資料 is a user's data
    "题干": "題幹",  # a question's stem; OpenCC writes 题干的 as 題乾的 ("dry")
}

# Words OpenCC's output leaves in mainland usage, as a Taiwan reader writes them (keyed by that output).
TAIWAN_USAGE = {"賬戶": "帳戶", "賬號": "帳號", "退出登入": "登出", "當前": "目前", "下劃線": "底線"}

_PHRASE = re.compile("|".join(sorted(map(re.escape, PHRASES), key=len, reverse=True)))


@lru_cache(maxsize=4096)
def to_traditional(text: str) -> str:
    """Simplified to Traditional (Taiwan usage), for readers who chose 繁體中文."""
    parts, start = [], 0
    for match in _PHRASE.finditer(text):
        parts += [_OPENCC.convert(text[start : match.start()]), PHRASES[match.group()]]
        start = match.end()
    parts.append(_OPENCC.convert(text[start:]))
    result = "".join(parts)
    for mainland, taiwan in TAIWAN_USAGE.items():
        result = result.replace(mainland, taiwan)
    return result
