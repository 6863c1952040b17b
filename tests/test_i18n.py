"""The Chinese catalogs: complete, not fuzzy, compiled from the current source."""

from __future__ import annotations

import subprocess
import sys

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from quizapp.core.catalogs import traditional_catalog
from quizapp.web.i18n import locale_from_header

from .helpers import ROOT

TRANSLATIONS = ROOT / "translations"


def catalog(locale):
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=locale)


def test_chinese_catalog_has_no_untranslated_or_fuzzy_entry():
    zh = catalog("zh")
    untranslated = [m.id for m in zh if m.id and not all(m.string if isinstance(m.string, tuple) else [m.string])]
    fuzzy = [m.id for m in zh if m.id and m.fuzzy]
    assert untranslated == [] and fuzzy == []
    assert len(zh) > 100


def test_catalog_covers_every_message_in_the_code(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            str(TRANSLATIONS / "babel.cfg"),
            "-k",
            "_l",
            "-k",
            "N_",
            "-o",
            str(pot),
            str(ROOT / "quizapp"),
        ],
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as handle:
        wanted = {m.id for m in read_po(handle) if m.id}
    have = {m.id for m in catalog("zh") if m.id}
    assert wanted - have == set(), "run `quizapp translations update` and translate the new messages"


def strings(messages):
    return {
        (m.id if isinstance(m.id, str) else tuple(m.id)): (m.string if isinstance(m.string, str) else tuple(m.string))
        for m in messages
        if m.id
    }


def test_compiled_catalogs_match_the_po_files():
    zh = catalog("zh")
    with (TRANSLATIONS / "zh" / "LC_MESSAGES" / "messages.mo").open("rb") as handle:
        compiled = read_mo(handle)
    assert strings(zh) == strings(compiled), "run `quizapp translations compile`"
    with (TRANSLATIONS / "zh_Hant" / "LC_MESSAGES" / "messages.mo").open("rb") as handle:
        hant = read_mo(handle)
    assert strings(traditional_catalog(zh)) == strings(hant)


def test_traditional_catalog_is_converted():
    hant = traditional_catalog(catalog("zh"))
    assert hant.get("Question banks").string == "題庫"


def test_accept_language_mapping():
    assert locale_from_header([("zh-CN", 1)]) == "zh"
    assert locale_from_header([("zh-TW", 1)]) == "zh_Hant"
    assert locale_from_header([("zh-Hant-HK", 1)]) == "zh_Hant"
    assert locale_from_header([("de", 1), ("zh", 0.5)]) == "zh"
    assert locale_from_header([]) == "en"


def test_traditional_catalog_uses_taiwan_words_where_opencc_keeps_mainland_ones():
    hant = traditional_catalog(catalog("zh"))
    assert hant.get("Sign out everywhere").string == "在所有裝置上登出"
    assert "帳戶" in hant.get("Delete my account").string
    assert not any("賬戶" in m.string or "退出登入" in m.string for m in hant if isinstance(m.string, str))
