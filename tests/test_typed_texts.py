"""Typed text answers as students really write them: the corpus of the shipped banks, the matching
rules as properties, and what feedback says."""

from __future__ import annotations

import csv

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.banks.types import kind_of
from quizapp.core.textmatch import key, match
from quizapp.web.questiontypes import grade_note

from .helpers import DATA, SAMPLE, make_teacher, mine, publish, quiz_question, start
from .test_question_banks import BANKS

QUESTIONS = {q["id"]: q for bank in BANKS.values() for q in bank.questions}
CORPUS = list(csv.DictReader((DATA / "typed_texts.tsv").open(encoding="utf-8"), delimiter="\t"))
TEXT = {"type": "text", "answer": {"en": ["Zhou Xiaoxuan", "Zhou"], "zh": ["周晓璇"]}, "pinyin": True}
LONG = {"type": "text", "answer": {"en": ["sexual harassment", "harassment"], "zh": ["性骚扰"]}}


def test_the_corpus_covers_every_text_question_in_both_languages_right_and_wrong():
    assert len(CORPUS) >= 200
    texts = {qid for qid, q in QUESTIONS.items() if q["type"] == "text"}
    assert {row["question"] for row in CORPUS} == texts
    for qid in texts:
        rows = [row for row in CORPUS if row["question"] == qid]
        for verdict in ("right", "wrong"):
            typed = [row["typed"] for row in rows if row["verdict"] == verdict]
            assert any(t.isascii() for t in typed) and any(not t.isascii() for t in typed), (qid, verdict)


def test_every_right_answer_of_the_corpus_is_accepted_and_no_wrong_one():
    misread = [
        (row["question"], row["typed"], row["verdict"])
        for row in CORPUS
        if kind_of(QUESTIONS[row["question"]]).grade(QUESTIONS[row["question"]], row["typed"]).correct
        != (row["verdict"] == "right")
    ]
    assert misread == []


@pytest.mark.parametrize(
    "typed", ["ZhouXiaoxuan", "zhou xiaoxuan", "Zhōu Xiǎoxuán", "zhou1 xiao3 xuan2", "周", "Zhou."]
)
def test_names_typed_joined_accented_or_in_pinyin_count(typed):
    assert match(typed, {**TEXT["answer"], "zh": ["周晓璇", "周"]}, pinyin=True).accepted


def test_pinyin_counts_only_where_the_question_allows_it():
    assert match("zhou1 xiao3 xuan2", TEXT["answer"], pinyin=True).how == "pinyin"
    assert not match("zhou1 xiao3 xuan2", TEXT["answer"]).accepted


@pytest.mark.parametrize("typed", ["Zhou Xiaoxuen", "Zhou Xiaoxue", "Zhu Xiaoxuan", "Zhuo"])
def test_one_letter_in_a_name_is_another_name(typed):
    assert not match(typed, TEXT["answer"], pinyin=True).accepted


def test_one_slip_in_a_long_word_is_accepted_and_said():
    result = kind_of(LONG).grade(LONG, "sexual harrassment")
    assert result.correct and result.note_params == (("answer", "sexual harassment"),)
    assert "spelling" in result.note
    assert not kind_of(LONG).grade(LONG, "sexual harassment").note
    assert not kind_of(LONG).grade(LONG, "sexual harrasssment").correct  # two slips


def test_curly_and_missing_apostrophes_are_one_answer():
    answers = {"en": ["China's top prosecutor"], "zh": ["最高人民检察院"]}
    assert all(
        match(t, answers).accepted
        for t in ("China’s top prosecutor", "Chinas top prosecutor", "the China's top prosecutor")
    )


@given(
    st.text(max_size=80),
    st.lists(st.text(max_size=30), max_size=3),
    st.lists(st.text(max_size=30), max_size=3),
    st.booleans(),
)
def test_no_input_raises(typed, en, zh, pinyin):
    result = match(typed, {"en": en, "zh": zh}, pinyin=pinyin)
    assert result.answer in en + zh if result.accepted else result.answer == ""


@given(st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x4E40), min_size=1, max_size=6))
def test_chinese_is_never_accepted_by_a_slip(typed):
    answers = {"en": ["stigma"], "zh": ["丁七万"]}
    assert match(typed, answers, pinyin=True).accepted == (key(typed) == key("丁七万"))


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", max_size=20))
def test_a_latin_answer_is_accepted_only_as_written_or_one_slip_from_a_long_word(typed):
    answers = {"en": ["trafficking", "rape"], "zh": ["拐卖"]}
    result = match(typed, answers)
    if result.accepted and result.how != "":
        assert result.how == "spelling" and result.answer == "trafficking"
        assert abs(len(key(typed)) - len("trafficking")) <= 1
    if key(typed) == "rapes":
        assert not result.accepted


def test_feedback_shows_the_canonical_answer_and_how_the_answer_was_read(app, client):
    quiz_id = start(client)
    position = next(p for p in range(1, 8) if quiz_question(app, quiz_id, p)["type"] == "text")
    for p in range(1, position):
        client.post(f"/quizzes/{quiz_id}/{p}", data={"answer": "0"})
    client.post(f"/quizzes/{quiz_id}/{position}", data={"answer": "LvPin"})
    page = client.get(f"/quizzes/{quiz_id}/{position}").get_data(as_text=True)
    assert "Right!" in page and ">Lv Pin<" in page and "Lu Pin" not in page
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert grade_note(LONG, "harassmant") == "Accepted; the spelling is harassment."
        assert grade_note(TEXT, "zhou1 xiao3 xuan2") == "Accepted; in Chinese characters it is 周晓璇."
        assert grade_note(LONG, "harassment") == ""
    with app.test_request_context(headers={"Accept-Language": "zh-TW"}):
        assert "周曉璇" in grade_note(TEXT, "zhou1 xiao3 xuan2")


def test_a_report_groups_wrong_answers_as_the_grader_reads_them():
    typed_key = kind_of(TEXT).typed_key
    assert typed_key(TEXT, "ZhuXiaoxuan") == typed_key(TEXT, "zhu  xiaoxuan.") != typed_key(TEXT, "zhu xiaoxue")


def test_quiz_feedback_says_an_answer_in_pinyin_was_accepted_and_how_it_is_written(app, client):
    teacher = make_teacher(app, client)
    bank = mine(
        SAMPLE.replace(
            "answer: {en: [Lv Pin, Lu Pin], zh: [吕频]}", "answer: {en: [Lv Pin, Lu Pin], zh: [吕频]}\n    pinyin: true"
        )
    )
    assert publish(teacher, bank).status_code == 302
    quiz_id = start(teacher, "mine")
    position = next(p for p in range(1, 8) if quiz_question(app, quiz_id, p)["type"] == "text")
    teacher.post(f"/quizzes/{quiz_id}/{position}", data={"answer": "lv3 pin2"})
    page = teacher.get(f"/quizzes/{quiz_id}/{position}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Right!" in page and '<dd class="note">Accepted; in Chinese characters it is 吕频.</dd>' in page
