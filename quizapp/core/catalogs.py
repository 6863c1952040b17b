"""Compile the interface catalogs, deriving Traditional Chinese from Simplified.

Keeping only one Chinese catalog by hand (zh) means zh_Hant can never fall behind.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from quizapp.core.traditional import to_traditional


def traditional_catalog(catalog):
    """A copy of a Simplified catalog with every translation converted to Traditional."""
    from babel.messages.catalog import Catalog

    result = Catalog(locale="zh_Hant", domain=catalog.domain, project=catalog.project)
    for message in catalog:
        if not message.id:
            continue
        string = (
            tuple(to_traditional(s) for s in message.string)
            if isinstance(message.string, tuple)
            else to_traditional(message.string)
        )
        result.add(message.id, string, context=message.context, flags=message.flags)
    return result


def compile_all(root: Path) -> None:
    zh_po = root / "zh" / "LC_MESSAGES" / "messages.po"
    with zh_po.open("rb") as handle:
        zh = read_po(handle, locale="zh")
    hant_dir = root / "zh_Hant" / "LC_MESSAGES"
    hant_dir.mkdir(parents=True, exist_ok=True)
    hant = traditional_catalog(zh)
    with (hant_dir / "messages.po").open("wb") as handle:
        write_po(handle, hant, omit_header=False, width=0)
    for catalog, folder in ((zh, root / "zh" / "LC_MESSAGES"), (hant, hant_dir)):
        with (folder / "messages.mo").open("wb") as handle:
            write_mo(handle, catalog)
