"""Import and export (issue 15): each tool's files as that tool writes them, round trips, bad files."""

from __future__ import annotations

import io
import json
import re
import sqlite3
import zipfile
from pathlib import Path

import openpyxl
import pytest
import yaml

from quizapp import interchange
from quizapp.banks.bankfile import validate_bytes
from quizapp.banks.store import import_banks
from quizapp.core import migrations
from quizapp.core.store import connect
from quizapp.interchange import FormatError

from .interchange_files import NOTES, kahoot_xlsx, legacy_collection, modern_collection, package

ROOT = Path(__file__).resolve().parent.parent
FILES = ROOT / "tests" / "data" / "interchange"
EXAMPLE = re.search(
    r"## A complete example\n\n```yaml\n(.*?)```",
    (ROOT / "docs" / "question-format.md").read_text(encoding="utf-8"),
    re.S,
).group(1)


def imported(data: bytes, name: str, **options):
    draft = interchange.read(data, name, options)
    report = interchange.checked(draft, name)
    assert report.ok, report.lines()
    return draft, report.bank


def by_id(items):
    return {item["id"]: item for item in items}


# ------------------------------------------------------------------ GIFT


def test_gift_reads_every_construct_of_moodles_grammar():
    draft, bank = imported((FILES / "every-construct.gift").read_bytes(), "every-construct.gift")
    q = by_id(bank.questions)
    assert q["capital-france"]["type"] == "choice"
    assert [c["correct"] for c in q["capital-france"]["choices"]] == [True, False, False]
    assert q["capital-france"]["explanation"]["en"] == "Paris: Right.\nLyon: No, that is a city in the south."
    assert q["two-primes"]["type"] == "multi"  # weights ~%50%
    assert [c["correct"] for c in q["two-primes"]["choices"]] == [True, True, False]
    assert q["two-primes"]["explanation"]["en"].startswith("Primes have exactly two divisors.")  # general feedback ####
    assert (q["sun-rises"]["answer"], q["moon-cheese"]["answer"]) == (True, False)  # {T#..#..} and {FALSE}
    assert (q["year-1949"]["answer"], q["year-1949"]["tolerance"]) == (1949, 0)
    assert (q["range-answer"]["answer"], q["range-answer"]["tolerance"]) == (1994.5, 4.5)  # {#1990..1999}
    assert q["numeric-multiple"]["answer"] == 1822
    # The missing-word form with right answers only is a cloze: the first answer fills the blank, all are accepted.
    assert q["two-answers"]["type"] == "cloze" and q["two-answers"]["prompt"]["en"] == "Two plus two equals [1]."
    assert q["two-answers"]["blanks"][0]["accept"] == {"en": ["four", "4"], "zh": ["four", "四"]}
    assert q["colours"]["answer"] == {"en": ["red", "blue", "yellow"], "zh": ["red", "blue", "yellow"]}  # {=a =b}
    gandhi = next(v for k, v in q.items() if k.startswith("mahatma"))
    assert gandhi["prompt"]["en"] == "Mahatma Gandhi's birthday is an Indian holiday on _____ of October."
    assert q["escapes"]["prompt"]["en"] == "Which is written {x} in set notation: a set or a list?"
    assert q["escapes"]["choices"][0]["text"]["en"] == "a set = {x}"
    assert q["escapes"]["choices"][1]["text"]["en"] == "a list ~ maybe"
    assert q["colours"]["prompt"]["en"] == "Name a primary colour."  # [html]: the <b> is gone
    assert q["multilang"]["prompt"] == {"en": "What colour is the sky?", "zh": "天空是什么颜色？"}
    assert q["multilang"]["choices"][0] == {"text": {"en": "Blue", "zh": "蓝色"}, "correct": True}
    assert q["capital-france"]["topics"] == ["geography"] and q["year-1949"]["topics"] == ["history"]  # $CATEGORY
    skipped = {(n.line, n.text()) for n in draft.skipped}
    assert (35, "a matching question has no form here; left out") in skipped
    assert (37, "an essay question (empty braces) has no form here; left out") in skipped
    assert (25, "a partly right answer (%50%1821:1) was left out") in skipped
    assert "//" not in draft.yaml().split("\n", 1)[1]  # comments are not questions


def test_a_gift_brace_never_closed_names_its_line():
    text = "::a::First?{=yes ~no}\n\n// comment\n::b::Second?{=yes ~no\n\n::c::Third?{T}\n"
    with pytest.raises(FormatError) as caught:
        interchange.read(text.encode(), "broken.gift")
    assert caught.value.line == 4 and "never closed" in str(caught.value)


# ------------------------------------------------------------------ Moodle XML


def test_moodle_xml_reads_multilang_types_tags_and_feedback():
    draft, bank = imported((FILES / "moodle-multilang.xml").read_bytes(), "moodle-multilang.xml")
    q = by_id(bank.questions)
    assert bank.languages == ("en", "zh")
    assert q["fruit-apple"]["prompt"] == {"en": "Which of these is a fruit?", "zh": "下面哪一个是水果？"}
    assert q["fruit-apple"]["topics"] == ["vocabulary", "food"]  # category, then tags
    assert q["fruit-apple"]["explanation"]["zh"].startswith("苹果长在树上。")
    assert "Apple: Yes." in q["fruit-apple"]["explanation"]["en"]  # per-answer feedback kept
    assert q["colours-of-the-flag"]["type"] == "multi"
    assert [c["correct"] for c in q["colours-of-the-flag"]["choices"]] == [True, True, False]
    assert q["great-wall"] == {**q["great-wall"], "type": "true_false", "answer": True}
    assert q["capital"]["prompt"]["zh"] == "中国的首都是哪里？"  # {mlang zh_cn}
    assert q["capital"]["answer"] == {"en": ["Beijing"], "zh": ["北京"]}
    assert (q["population"]["answer"], q["population"]["tolerance"]) == (23, 2)
    lines = {n.line: n.text() for n in draft.skipped}
    assert lines[67] == "a matching question has no form here; left out"
    assert lines[73] == "an essay question has no form here; left out"
    assert any("Peking" in text for text in lines.values())
    assert "script" not in draft.yaml() and "alert" not in draft.yaml()


@pytest.mark.parametrize(
    "document",
    [
        b'<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY x SYSTEM "file:///etc/passwd">]><quiz>&x;</quiz>',
        b'<?xml version="1.0"?><!DOCTYPE q [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><quiz>&b;</quiz>',
    ],
)
def test_moodle_xml_with_entities_is_refused(document):
    with pytest.raises(FormatError, match="document type or entities"):
        interchange.read(document, "evil.xml")


def test_broken_xml_names_its_line():
    with pytest.raises(FormatError) as caught:
        interchange.read(b"<quiz>\n<question type='truefalse'>\n</quiz>", "broken.xml")
    assert caught.value.line == 3


# ------------------------------------------------------------------ Quizlet and Anki text


@pytest.mark.parametrize(
    "name, separator, row_separator",
    [("quizlet-tab.txt", "\t", "\n"), ("quizlet-comma.txt", ",", "\n"), ("quizlet-custom.txt", " - ", ";")],
)
def test_quizlet_exports_with_each_separator(name, separator, row_separator):
    draft, bank = imported((FILES / name).read_bytes(), name)
    assert (draft.detected["separator"], draft.detected["row_separator"]) == (separator, row_separator)
    assert draft.detected["roles"] == ["en", "zh"]
    assert [(c["front"], c["back"]) for c in bank.cards] == [
        ({"en": "apple", "zh": "苹果"}, {"en": "苹果", "zh": "apple"}),
        ({"en": "book", "zh": "书"}, {"en": "书", "zh": "book"}),
        ({"en": "water", "zh": "水"}, {"en": "水", "zh": "water"}),
    ]


def test_a_wrongly_detected_separator_is_corrected_and_columns_chosen():
    text = "hello = 你好\ngoodbye = 再见\n".encode()
    with pytest.raises(FormatError, match="choose which column"):
        interchange.read(text, "set.txt")  # no separator found: one column
    draft, bank = imported(text, "set.txt", separator=" = ")
    assert bank.cards[0]["front"] == {"en": "hello", "zh": "你好"}
    # one language: English terms with English definitions
    draft, bank = imported(b"dog\ta pet that barks\ncat\ta pet that purrs\n", "pets.txt", roles=["en", "back"])
    assert bank.languages == ("en",) and bank.cards[0] == {
        "id": "dog",
        "topics": [],
        "front": {"en": "dog"},
        "back": {"en": "a pet that barks"},
    }


def test_anki_text_headers_columns_tags_guid_and_html():
    draft, bank = imported((FILES / "anki-headers.txt").read_bytes(), "anki-headers.txt")
    assert draft.detected["roles"] == ["zh", "pinyin", "en", "topics", "guid"]
    apple, book, water = bank.cards
    assert apple["front"] == {"en": "apple", "zh": "苹果"} and apple["back"]["en"] == "苹果 (píngguǒ)"
    assert apple["topics"] == ["fruit", "hsk1"]  # the tags column, then #tags:
    assert book["front"]["en"] == "book\nvolume"  # #html:true: <br> is a line break, not markup
    assert water["front"]["en"] == "water, the drink"  # a quoted field keeps its separator
    again, _bank = imported((FILES / "anki-headers.txt").read_bytes(), "anki-headers.txt")
    assert [c["id"] for c in again.bank["cards"]] == [c["id"] for c in bank.cards]  # from the GUID column


# ------------------------------------------------------------------ Anki packages


@pytest.mark.parametrize("modern", [False, True], ids=["legacy-anki2", "anki21b"])
def test_anki_packages_of_each_generation(modern):
    collection = (modern_collection if modern else legacy_collection)(NOTES)
    draft, bank = imported(package(collection, modern), "hsk.apkg")
    assert draft.detected["anki"] == ("anki21b" if modern else "legacy")
    assert bank.title == {"en": "HSK 1", "zh": "HSK 1"} and bank.id == "hsk-1"
    apple, book, water = bank.cards
    assert apple["front"] == {"en": "apple", "zh": "苹果"} and apple["back"]["en"] == "苹果 (píngguǒ)"
    assert apple["topics"] == ["hsk1", "food-fruit"]  # tags, Anki's hierarchy a::b as a-b
    assert water["front"]["en"] == "water"  # the picture and its onerror are gone
    # A cloze note is a cloze question, its Back Extra the explanation, its GUID its id.
    [cloze] = bank.questions
    assert cloze["type"] == "cloze" and cloze["prompt"]["zh"] == "[1]是中国的首都。" and cloze["topics"] == ["grammar"]
    assert cloze["blanks"][0]["text"]["zh"] == "北京" and cloze["explanation"]["zh"] == "Beijing is the capital."
    assert "{{c1::北京}}是中国的首都。" in draft.yaml() and cloze["id"].startswith("anki-")
    assert "Please update" not in draft.yaml()  # the placeholder collection of a current package is not read
    text = draft.yaml()
    assert "<" not in text.replace("<b>", "x") and "script" not in text and "onerror" not in text
    assert any("dog.jpg" in n.text() for n in draft.skipped)  # a file no note names: listed, left out


def test_reimporting_an_anki_deck_updates_instead_of_duplicating(tmp_path):
    db = connect(str(tmp_path / "q.sqlite3"))
    migrations.apply(db)
    first, bank = imported(package(legacy_collection(NOTES), False), "hsk.apkg")
    import_banks(db, [(bank, None)], origin="browser", author_id=None)
    edited = [(g, m, t, [f[0], f[1], "an apple"] if g == "e7#aB1!x" else f) for g, m, t, f in NOTES]
    _draft, bank2 = imported(package(modern_collection(edited), True), "hsk.apkg")
    [result] = import_banks(db, [(bank2, None)], origin="browser", author_id=None)
    assert result.added == [] and result.changed == [bank.cards[0]["id"]]
    assert db.execute("SELECT count(*) FROM cards WHERE bank_id = 'hsk-1'").fetchone()[0] == 4


def test_an_apkg_whose_collection_is_not_sqlite_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("collection.anki2", b"this is not a database")
    with pytest.raises(FormatError, match="not an SQLite database"):
        interchange.read(out.getvalue(), "fake.apkg")


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("collection.anki2", b"\0" * (120 * 1024 * 1024))
    assert len(out.getvalue()) < 1024 * 1024
    for name in ("bomb.apkg", "bomb.xlsx"):
        with pytest.raises(FormatError, match="zip bomb"):
            interchange.read(out.getvalue(), name)


def test_a_deck_larger_than_a_bank_says_so_in_cards():
    notes = [(f"g{i}", NOTES[0][1], "", [f"字{i}", "zì", f"word {i}"]) for i in range(1600)]
    draft = interchange.read(package(modern_collection(notes), True), "big.apkg")
    assert interchange.checked(draft, "big.apkg").lines() == [
        "big.apkg:1:1: big.apkg has 0 questions and 1600 cards: more than one bank holds "
        "(about 1,300 flashcards or 500 questions); import its parts apart"
    ]


def test_a_50_mb_upload_is_refused():
    with pytest.raises(FormatError, match="up to 10 MB"):
        interchange.read(b"a\tb\n" * (50 * 1024 * 1024 // 4), "huge.txt")


# ------------------------------------------------------------------ Kahoot and CSV


def test_the_kahoot_template():
    data = kahoot_xlsx(
        [
            ["What is 2 + 2?", "3", "4", "5", "22", 20, "2"],
            ["Which are colours?", "Red", "Chair", "Blue", None, 30, "1,3"],
            ["Broken: no right answer", "a", "b", None, None, 20, ""],
        ]
    )
    draft, bank = imported(data, "kahoot.xlsx")
    first, second = bank.questions
    assert first["type"] == "choice" and [c["correct"] for c in first["choices"]] == [False, True, False, False]
    assert first["choices"][3]["text"] == {"en": "22"}
    assert second["type"] == "multi" and [c["correct"] for c in second["choices"]] == [True, False, True]
    assert [n.line for n in draft.skipped] == [11]  # its row in the sheet


def test_a_chinese_kahoot_is_a_chinese_bank():
    draft, bank = imported(kahoot_xlsx([["中国的首都是哪里？", "上海", "北京", None, None, 20, "2"]]), "中文.xlsx")
    assert bank.languages == ("zh",) and bank.questions[0]["choices"][1] == {"text": {"zh": "北京"}, "correct": True}


def test_kahoot_export_keeps_its_limits_and_reports_what_does_not_fit():
    bank = yaml.safe_load(EXAMPLE)
    bank["questions"][0]["prompt"]["en"] = "x" * 121
    data, left_out = interchange.write(bank, "kahoot")
    notes = [n.text() for n in left_out]
    assert "civil-code-year: the question has 121 characters; Kahoot takes 120" in notes
    assert "timeline: Kahoot has no order questions" in notes
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    rows = [r for r in sheet.iter_rows(values_only=True) if r and isinstance(r[0], int)]
    assert all(len(r[1]) <= 120 and all(len(a or "") <= 75 for a in r[2:6]) for r in rows)
    assert [r[1] for r in rows][0].startswith("The 2020 civil code")


def test_a_plain_csv_of_terms():
    draft, bank = imported("Term,Definition\nrice,米饭\nnoodles,面条\n".encode(), "food.csv")
    assert [c["front"] for c in bank.cards] == [{"en": "rice", "zh": "米饭"}, {"en": "noodles", "zh": "面条"}]


def test_markup_in_plain_text_files_is_never_markup_in_the_bank():
    text = "#html:false\n<script>alert(1)</script> x < y\t<b>脚本语言</b>\n".encode()
    draft, bank = imported(text, "evil.txt")
    assert bank.cards[0]["front"] == {"en": "‹script>alert(1)‹/script> x < y", "zh": "‹b>脚本语言‹/b>"}
    data = kahoot_xlsx([["<img src=x onerror=alert(1)>?", "<b>a</b>", "b", None, None, 20, "1"]])
    _draft, bank = imported(data, "k.xlsx")
    assert "<" not in str(bank.questions[0])


# ------------------------------------------------------------------ round trips and exports

ENGLISH_ONLY = """\
bank: pets
languages: [en]
title: Pets
topics: {animals: {en: Animals}}
questions:
  - {id: dog, type: choice, topic: animals, prompt: {en: Which one barks}, choices: [{en: dog, correct: true}, {en: cat}]}
  - {id: legs, type: numeric, prompt: {en: How many legs has a cat}, answer: 4, tolerance: 0}
  - {id: purr, type: true_false, prompt: {en: Cats purr.}, answer: true, explanation: {en: They do.}}
  - {id: name, type: text, prompt: {en: A young dog is a}, answer: {en: [puppy, pup]}}
  - {id: pick, type: multi, prompt: {en: Pets}, choices: [{en: dog, correct: true}, {en: cat, correct: true}, {en: rock}]}
cards:
  - {id: kitten, front: {en: kitten}, back: {en: a young cat}}
"""
# What each format holds: question types, and which fields come back (id is always kept).
HOLDS = {
    "apkg": ({"choice", "multi", "true_false", "numeric", "text", "order", "cloze"}, None),
    "csv": ({"choice", "multi", "true_false", "numeric", "text", "order", "cloze"}, None),
    "tsv": ({"choice", "multi", "true_false", "numeric", "text", "order", "cloze"}, None),
    "moodle": ({"choice", "multi", "true_false", "numeric", "text"}, {"difficulty", "source"}),
    "gift": ({"choice", "multi", "true_false", "numeric", "text"}, {"difficulty", "source"}),
}


@pytest.mark.parametrize("kind", sorted(HOLDS))
@pytest.mark.parametrize("source", [EXAMPLE, ENGLISH_ONLY], ids=["bilingual", "english-only"])
def test_round_trip_keeps_every_question_the_format_holds(kind, source):
    original = validate_bytes(source.encode(), "b.yaml").bank
    data, left_out = interchange.write(yaml.safe_load(source), kind)
    name = "export" + interchange.EXPORTS[kind][0]
    _draft, back = imported(data, name)
    types, lost = HOLDS[kind]
    kept = by_id(back.questions)
    for question in original.questions:
        if question["type"] not in types:
            assert question["id"] not in kept and any(question["id"] in n.text() for n in left_out)
            continue
        expected = {k: v for k, v in question.items() if k not in (lost or ())}
        got = {k: v for k, v in kept[question["id"]].items() if k not in (lost or ())}
        assert got == expected, question["id"]
    assert back.languages == original.languages
    if kind in ("apkg", "csv", "tsv"):
        assert back.cards == original.cards


@pytest.mark.parametrize("source", [EXAMPLE, ENGLISH_ONLY], ids=["bilingual", "english-only"])
def test_kahoot_and_quizlet_round_trips_keep_the_language_they_hold(source):
    original = validate_bytes(source.encode(), "b.yaml").bank
    data, _left = interchange.write(yaml.safe_load(source), "kahoot")
    _d, back = imported(data, "k.xlsx")
    for got in back.questions:
        match = next(q for q in original.questions if q["prompt"]["en"] == got["prompt"]["en"])
        if match["type"] == "true_false":  # Kahoot has no true/false in its template: two answers
            choices = [({"en": "True"}, match["answer"]), ({"en": "False"}, not match["answer"])]
        else:
            choices = [(c["text"], c["correct"]) for c in match["choices"]]
        assert [(c["text"]["en"], c["correct"]) for c in got["choices"]] == [(t["en"], r) for t, r in choices]
    assert len(back.questions) == sum(q["type"] in ("choice", "multi", "true_false") for q in original.questions)
    data, _left = interchange.write(yaml.safe_load(source), "quizlet")
    _d, back = imported(data, "q.txt", roles=["en", "back"])
    assert [c["front"]["en"] for c in back.cards][-len(original.cards) :] == [c["front"]["en"] for c in original.cards]
    assert [c["back"]["en"] for c in back.cards][-len(original.cards) :] == [c["back"]["en"] for c in original.cards]


def test_the_anki_export_has_our_note_type_guids_and_tags():
    import genanki

    data, _ = interchange.write(yaml.safe_load(EXAMPLE), "apkg")
    archive = zipfile.ZipFile(io.BytesIO(data))
    path = Path(__import__("tempfile").mkdtemp()) / "c.anki2"
    path.write_bytes(archive.read("collection.anki2"))
    db = sqlite3.connect(path)
    models = json.loads(db.execute("SELECT models FROM col").fetchone()[0])
    model, cloze_model = sorted(models.values(), key=lambda m: m["id"])
    assert [f["name"] for f in model["flds"]][:5] == ["ID", "English", "Chinese", "Answer (en)", "Answer (zh)"]
    assert [t["name"] for t in model["tmpls"]] == ["English → Chinese", "Chinese → English"]
    # Cloze questions are notes of a cloze note type (Anki's type 1): one card per blank number, both languages.
    assert cloze_model["type"] == 1 and "{{cloze:English}}" in cloze_model["tmpls"][0]["qfmt"]
    assert "{{cloze:Chinese}}" in cloze_model["tmpls"][0]["qfmt"]
    notes = {row[0]: row for row in db.execute("SELECT guid, tags, flds FROM notes")}
    note = notes[genanki.guid_for("civil-code", "civil-code-year")]
    assert note[1].split() == ["civil-code", "civil-code"]  # the bank, then its topic
    fields = note[2].split("\x1f")
    assert fields[1].startswith("In which year") and fields[2].startswith("中国在哪一年") and fields[3] == "2020"
    cloze = notes[genanki.guid_for("civil-code", "civil-code-cloze")][2].split("\x1f")
    assert cloze[1].startswith("In {{c1::2020}}, China passed a new {{c2::civil code::a law}}")
    assert cloze[2].startswith("{{c1::2020}}年，中国通过了新的《{{c2::民法典::一部法律}}》")
    cloze_cards = db.execute(
        "SELECT ord FROM cards JOIN notes ON notes.id = cards.nid WHERE notes.mid = ?", [cloze_model["id"]]
    )
    assert sorted(row[0] for row in cloze_cards) == [0, 1]  # c1 and c2
    assert db.execute("SELECT count(*) FROM cards").fetchone()[0] == 14 + 2  # both directions of 7 notes, 2 blanks
    again, _ = interchange.write(yaml.safe_load(EXAMPLE), "apkg")
    assert zipfile.ZipFile(io.BytesIO(again)).read("collection.anki2")[:16] == b"SQLite format 3\x00"


# ------------------------------------------------------------------ the command line


def _cli(app):
    """Our `quizapp` group on the test app (Flask's test runner knows only the app's own commands)."""
    from click.testing import CliRunner
    from flask.cli import ScriptInfo

    from quizapp.cli import cli

    class Runner:
        def invoke(self, args):
            return CliRunner().invoke(cli, args, obj=ScriptInfo(create_app=lambda: app))

    return Runner()


def test_convert_and_import_on_the_command_line(app, tmp_path):
    runner = _cli(app)
    apkg = tmp_path / "hsk.apkg"
    apkg.write_bytes(package(modern_collection(NOTES), True))
    out = tmp_path / "hsk.yaml"
    result = runner.invoke(args=["banks", "convert", str(apkg), str(out)])
    assert result.exit_code == 0, result.output
    assert validate_bytes(out.read_bytes(), "hsk.yaml").ok
    moodle = tmp_path / "civil.xml"
    result = runner.invoke(args=["banks", "convert", str(ROOT / "questions" / "civil-code.yaml"), str(moodle)])
    assert result.exit_code == 0 and "Moodle XML has no order questions" in result.output
    assert moodle.read_bytes().startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<quiz>')
    result = runner.invoke(args=["banks", "import", str(apkg), str(FILES / "quizlet-custom.txt")])
    assert result.exit_code == 0, result.output
    assert "hsk-1: version 1: 4 added" in result.output and "quizlet-custom: version 1: 3 added" in result.output
    again = runner.invoke(args=["banks", "import", str(apkg)])
    assert "hsk-1: unchanged (version 1)" in again.output


def test_a_bad_file_on_the_command_line_changes_nothing(app, tmp_path):
    runner = _cli(app)
    bad = tmp_path / "broken.gift"
    bad.write_text("::a::Unclosed?{=yes ~no\n", encoding="utf-8")
    good = FILES / "quizlet-tab.txt"
    result = runner.invoke(args=["banks", "import", str(good), str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:1:1: a {{ opens the answers here and is never closed with }}" in result.output
    db = connect(app.config["DATABASE"])
    assert db.execute("SELECT count(*) FROM banks WHERE id = 'quizlet-tab'").fetchone()[0] == 0
    target = tmp_path / "out.apkg"
    assert runner.invoke(args=["banks", "convert", str(bad), str(target)]).exit_code == 1
    assert not target.exists()
