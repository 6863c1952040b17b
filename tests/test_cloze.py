"""The cloze type: {{c1::answer}} blanks parsed, checked with file:line errors, graded per blank as text
questions are, and the answers never shown where a generic page shows the prompt."""

from __future__ import annotations

import json
import re

import pytest

from quizapp.banks.bankfile import validate_bytes
from quizapp.banks.store import get_question as bank_question
from quizapp.banks.types import AnswerError, grade, kind_of
from quizapp.banks.types.cloze import Blank, ClozeError, parse

from .helpers import DATA, db_of, make_teacher, new_class, publish, quiz_question, sign_up, start, student_in

CLOZE = (DATA / "cloze" / "cloze.yaml").read_text(encoding="utf-8")


def bank(text: str = CLOZE):
    report = validate_bytes(text.encode(), "cloze.yaml")
    assert report.ok, report.lines()
    return {q["id"]: q for q in report.bank.questions}


def problems(text: str) -> list[str]:
    return validate_bytes(text.encode(), "cloze.yaml").lines()


# ---------------------------------------------------------------------- parsing


def test_parse_splits_texts_blanks_and_hints():
    assert parse("In {{c1::2020}}, a new {{c2::civil code::a law}}.") == [
        "In ",
        Blank(1, "2020"),
        ", a new ",
        Blank(2, "civil code", "a law"),
        ".",
    ]
    assert parse("{{c1::吕频}}是{{c1::吕频}}") == [Blank(1, "吕频"), "是", Blank(1, "吕频")]
    assert parse("no blanks") == ["no blanks"]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("In {{c1::2020, China", "is not closed with }}"),
        ("In {{c1::20{{c2::20}}}}", "is not closed with }}"),
        ("In {{c1::}} x", "the blank c1 is empty"),
        ("In {{c1:: }} x", "the blank c1 is empty"),
        ("In {{x}} x", "does not start a blank"),
        ("In {{c0::a}} x", "blank numbers start at c1"),
    ],
)
def test_parse_refuses_broken_blanks(text, says):
    with pytest.raises(ClozeError) as caught:
        parse(text)
    assert says in str(caught.value)


# ---------------------------------------------------------------------- the bank check


def test_the_check_stores_gaps_as_the_prompt_and_never_an_answer():
    q = bank()["cc-cloze-first-definition"]
    assert q["prompt"] == {
        "en": "In [1], China passed a new [2] that, for the first time, defined actions that can constitute "
        "sexual harassment.",
        "zh": "[1]年，中国通过了新的《[2]》，首次界定了可构成性骚扰的行为。",
    }
    assert q["cloze"]["zh"] == [1, "年，中国通过了新的《", 2, "》，首次界定了可构成性骚扰的行为。"]
    first, second = q["blanks"]
    assert second["text"] == {"en": "civil code", "zh": "民法典"} and second["hint"] == {
        "en": "a law",
        "zh": "一部法律",
    }
    assert second["accept"] == {"en": ["civil code", "civil law code"], "zh": ["民法典"]}
    for question in bank().values():
        shown = json.dumps(question["prompt"], ensure_ascii=False)
        for blank in question["blanks"]:
            for answers in blank["accept"].values():
                assert all(answer not in shown for answer in answers), (answers, shown)
        assert "{{" not in shown and "::" not in shown


def at(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "{{c1::2020}}, China",
            "2020, China",
            "cloze.yaml:10:11: questions[0].prompt.en: the zh prompt has the blank c1 that the en prompt does not",
        ),
        (
            "《{{c2::民法典::一部法律}}》",
            "《民法典》",
            "cloze.yaml:11:11: questions[0].prompt.zh: the en prompt has the blank c2 that the zh prompt does not",
        ),
        (
            "{{c1::2020}}, China",
            "{{c1::}}, China",
            "cloze.yaml:10:11: questions[0].prompt.en: the blank c1 is empty: write its answer after c1::",
        ),
        (
            "{{c1::2020}}, China",
            "{{c1::2020, China",
            "cloze.yaml:10:11: questions[0].prompt.en: the blank '{{c1::2020, China pa' is not closed with }}",
        ),
        (
            "accept: {c2:",
            "accept: {c7:",
            "cloze.yaml:12:18: questions[0].accept.c7: accept names 'c7', which is not a blank of the prompt "
            "(its blanks: c1, c2)",
        ),
        (
            "accept: {c2: {en:",
            "accept: {c2: {fr:",
            "cloze.yaml:12:23: questions[0].accept.c2.fr: unknown language 'fr' (use en and zh)",
        ),
        (
            "    accept:",
            "    answer: {en: [x], zh: [y]}\n    accept:",
            "cloze.yaml:12:13: questions[0].answer: a 'cloze' question has no 'answer' field",
        ),
        (
            "    pinyin: true",
            "    pinyin: yes please",
            "cloze.yaml:17:13: questions[1].pinyin: pinyin is true or false (got 'yes please')",
        ),
    ],
)
def test_each_bank_mistake_is_named_at_its_line(old, new, expected):
    assert expected in problems(at(CLOZE, old, new))


def test_a_prompt_without_blanks_is_refused_in_each_language():
    text = at(
        at(CLOZE, "{{c1::2020}}, China passed a new {{c2::civil code::a law}}", "2020, China passed a new law"),
        "{{c1::2020}}年，中国通过了新的《{{c2::民法典::一部法律}}》",
        "2020年",
    )
    found = problems(text)
    assert (
        "cloze.yaml:10:11: questions[0].prompt.en: a cloze prompt needs at least one blank, written {{c1::answer}}"
        in found
    )
    assert any("questions[0].prompt.zh: a cloze prompt needs at least one blank" in p for p in found)


def test_too_many_blanks_are_refused():
    many = " ".join(f"{{{{c{n}::w{n}}}}}" for n in range(1, 23))
    text = at(
        at(CLOZE, 'prompt:\n      en: "{{c1::Lv Pin}}', f'prompt:\n      en: "{many} {{{{c1::Lv Pin}}}}'),
        'zh: "{{c1::吕频}}',
        f'zh: "{many} {{{{c1::吕频}}}}',
    )
    assert any("a cloze question has at most 20 blanks (found 22)" in p for p in problems(text))


def test_a_one_language_bank_needs_blanks_in_that_language_only():
    text = """bank: en-only
languages: [en]
title: Cloze
questions:
  - id: q1
    type: cloze
    prompt: "The code was passed in {{c1::2020}}."
"""
    [q] = validate_bytes(text.encode(), "b.yaml").bank.questions
    assert q["prompt"] == {"en": "The code was passed in [1]."} and q["blanks"][0]["accept"] == {"en": ["2020"]}


# ---------------------------------------------------------------------- grading


def test_grading_is_per_blank_in_either_language():
    q = bank()["cc-cloze-first-definition"]
    answer, result = grade(q, {"c1": "2020", "c2": "民法典"})
    assert answer == {"1": "2020", "2": "民法典"} and result.correct and result.score == 1
    _answer, half = grade(q, {"c1": "2020", "c2": "criminal code"})
    assert half.score == 0.5 and not half.correct
    _answer, none = grade(q, {"c1": "2019", "c2": "刑法"})
    assert none.score == 0
    _answer, accepted = grade(q, {"c1": "2020", "c2": "Civil Law Code"})  # accept: and case
    assert accepted.correct


def test_each_blank_is_told_how_it_was_read_and_its_answer():
    q = bank()["feminist-cloze"]
    parts = kind_of(q).parts(q, {"1": "lv3 pin2", "2": "activist", "3": "纽约"})
    assert [(p["n"], p["given"], p["right"]) for p in parts] == [
        (1, "lv3 pin2", True),
        (2, "activist", False),
        (3, "纽约", True),
    ]
    assert parts[0]["note"] == "Accepted; in Chinese characters it is %(answer)s."
    assert dict(parts[0]["note_params"]) == {"answer": "吕频"}
    assert parts[1]["expected"] == {"en": "feminist", "zh": "女权主义者"} and not parts[1]["note"]
    assert parts[2]["note"] == ""
    # One slip of the keys in a long English word is forgiven, and the spelling said, per blank.
    slip = kind_of(q).parts(q, {"1": "Lu Pin", "2": "feminsit", "3": "New York"})[1]
    assert slip["right"] and slip["note"] == "Accepted; the spelling is %(answer)s."
    assert dict(slip["note_params"]) == {"answer": "feminist"}


def test_pinyin_counts_only_where_the_question_allows_it():
    q = bank()["feminist-cloze"]
    assert grade(q, {"c1": "lv pin", "c2": "feminist", "c3": "niuyue"})[1].correct  # 纽约 in pinyin
    assert grade(q, {"c1": "lv pin", "c2": "feminist", "c3": "Beijing"})[1].score == pytest.approx(0.6667)
    plain = bank(CLOZE.replace("    pinyin: true\n", ""))["feminist-cloze"]
    assert grade(plain, {"c1": "lv pin", "c2": "feminist", "c3": "New York"})[1].correct  # Lv Pin is also English
    assert grade(plain, {"c1": "lv3 pin2", "c2": "feminist", "c3": "New York"})[1].score < 1


def test_a_repeated_number_is_one_answer_and_one_field():
    text = CLOZE.replace("{{c3::New York}}.", "{{c3::New York}}, like {{c1::Lv Pin}}.")
    q = bank(text)["feminist-cloze"]
    assert [b["n"] for b in q["blanks"]] == [1, 2, 3] and q["prompt"]["en"].endswith("[3], like [1].")
    assert grade(q, {"c1": "Lv Pin", "c2": "feminist", "c3": "New York"})[1].correct


def test_every_blank_must_be_filled():
    q = bank()["cc-cloze-first-definition"]
    with pytest.raises(AnswerError, match="Please fill in every blank"):
        grade(q, {"c1": "2020", "c2": "  "})
    with pytest.raises(AnswerError, match="too long"):
        grade(q, {"c1": "2020", "c2": "x" * 501})


def test_reports_describe_each_blank_by_its_number():
    q = bank()["cc-cloze-first-definition"]
    assert kind_of(q).describe(q, {"2": "law", "1": "2019"}, "en", str) == "[1] 2019 · [2] law"


# ---------------------------------------------------------------------- a quiz, its results, the teacher's report


@pytest.fixture
def app(make_app):
    return make_app(QUESTIONS_DIR=str(DATA / "cloze"))


def cloze_position(app, quiz_id, question_id):
    return next(p for p in (1, 2) if quiz_question(app, quiz_id, p)["id"] == question_id)


def test_a_cloze_answered_in_chinese_right_partly_and_wrong(app):
    teacher = make_teacher(app, app.test_client())
    class_id, code = new_class(teacher)
    mei = student_in(app, code, "mei")
    mei.post("/settings/text-mode", data={"mode": "zh", "next": "/"})
    quiz_id = start(mei, bank="cloze-sample")
    first = cloze_position(app, quiz_id, "cc-cloze-first-definition")
    page = mei.get(f"/quizzes/{quiz_id}/{first}").get_data(as_text=True)
    # The heading shows numbered gaps, never an answer; one labelled input per blank inside the Chinese sentence.
    assert '<h1 class="prompt"><span lang="zh-Hans" class="t t-zh">[1]年，中国通过了新的《[2]》' in page
    assert "民法典" not in page and "2020" not in page and "civil code" not in page
    assert re.search(
        r'<span lang="zh-Hans" class="t t-zh cloze-sentence"><input [^>]*name="c1"[^>]*>年，中国通过了新的《<input',
        page,
    )
    assert 'aria-label="Blank 1"' in page and 'placeholder="一部法律"' in page and 'autocomplete="off"' in page

    # Empty blank: refused, asked again with what was typed kept.
    mei.post(f"/quizzes/{quiz_id}/{first}", data={"c1": "2020", "c2": ""})
    again = mei.get(f"/quizzes/{quiz_id}/{first}").get_data(as_text=True)
    assert "Please fill in every blank." in again and 'value="2020"' in again

    assert mei.post(f"/quizzes/{quiz_id}/{first}", data={"c1": "2020", "c2": "刑法"}).status_code == 302
    feedback = mei.get(f"/quizzes/{quiz_id}/{first}").get_data(as_text=True)
    assert "◐ Partly right" in feedback
    marks = re.findall(
        r'<li class="(right|wrong)"><span class="cloze-gap">\[(\d)\]</span>\s*<span class="typed">([^<]*)</span>',
        feedback,
    )
    assert marks == [("right", "1", "2020"), ("wrong", "2", "刑法")]
    assert 'right answer: <span lang="zh-Hans" class="t t-zh">民法典</span>' in feedback
    assert (
        '<mark class="cloze-answer">2020</mark>年，中国通过了新的《<mark class="cloze-answer">民法典</mark>》'
        in feedback
    )

    second = 3 - first
    mei.post(f"/quizzes/{quiz_id}/{second}", data={"c1": "吕频", "c2": "女权主义者", "c3": "纽约"})
    right = mei.get(f"/quizzes/{quiz_id}/{second}").get_data(as_text=True)
    assert "✓ Right!" in right and right.count('<li class="right">') == 3

    results = mei.get(f"/quizzes/{quiz_id}/results").get_data(as_text=True)
    assert '<summary class="prompt"><span lang="zh-Hans" class="t t-zh">[1]年，中国通过了新的《[2]》' in results
    assert '<span class="typed">刑法</span>' in results

    # A wrong one for the report; the teacher sees each blank's typed answer after its number, gaps in the prompt.
    lei = student_in(app, code, "lei")
    quiz = start(lei, bank="cloze-sample")
    lei.post(
        f"/quizzes/{quiz}/{cloze_position(app, quiz, 'cc-cloze-first-definition')}", data={"c1": "2019", "c2": "law"}
    )
    report = teacher.get(f"/teach/classes/{class_id}/banks/cloze-sample").get_data(as_text=True)
    assert "<li>[1] 2019 · [2] law <span" in report and "<li>[1] 2020 · [2] 刑法 <span" in report
    assert "In [1], China passed a new [2] that" in report and "civil code" not in report
    csv = teacher.get(f"/teach/classes/{class_id}/banks/cloze-sample/questions.csv").get_data(as_text=True)
    assert "In [1], China passed a new [2]" in csv and "civil code" not in csv and "{{c" not in csv


def test_the_cloze_sentence_carries_pinyin_over_its_chinese_and_keeps_its_inputs(app):
    """The sentence with the inputs is drawn in pieces between its blanks, not by bilingual(): it takes the
    learner's reading aid too, around the inputs, and a gap never gets a reading (it holds no answer)."""
    mei = student_in(app, new_class(make_teacher(app, app.test_client()))[1], "mei")
    mei.post("/settings/text-mode", data={"mode": "zh", "next": "/"})
    mei.post("/settings/reading-aid", data={"aid": "pinyin", "next": "/"})
    quiz_id = start(mei, bank="cloze-sample")
    first = cloze_position(app, quiz_id, "cc-cloze-first-definition")
    page = mei.get(f"/quizzes/{quiz_id}/{first}").get_data(as_text=True)
    sentence = re.search(
        r'<span lang="zh-Hans" class="t t-zh cloze-sentence has-ruby ruby-pinyin">(.*?)</span>', page, re.S
    )
    assert sentence, "the sentence takes the ruby class"
    html = sentence.group(1)
    assert (
        '<ruby>中<rt aria-hidden="true" data-r="zhōng"></rt></ruby>' in html
        and 'name="c1"' in html
        and 'name="c2"' in html
    )
    assert "民法典" not in re.sub(r"<rt[^>]*></rt>|</?ruby>", "", page)  # the answer still never shows
    mei.post(f"/quizzes/{quiz_id}/{first}", data={"c1": "2020", "c2": "民法典"})
    feedback = mei.get(f"/quizzes/{quiz_id}/{first}").get_data(as_text=True)
    assert re.search(r'<mark class="cloze-answer"><ruby>民<rt aria-hidden="true" data-r="mín"></rt></ruby>', feedback)
    mei.post("/settings/reading-aid", data={"aid": "off", "next": "/"})
    assert "<ruby>" not in mei.get(f"/quizzes/{quiz_id}/{first}").get_data(as_text=True)


# ---------------------------------------------------------------------- flashcards


def test_each_blank_is_a_flashcard_whose_reviews_survive_a_reload(app, make_app, tmp_path):
    client = app.test_client()
    sign_up(client)
    card = "/study/cloze-sample/cc-cloze-first-definition::c2"
    page = client.get(card + "?side=back", headers={"Accept-Language": "en"}).get_data(as_text=True)
    front = page[page.index('class="card-face front"') : page.index('class="card-face back"')]
    # Front: this blank a gap, the other filled in; back: the whole sentence with this blank marked.
    assert (
        '<span lang="en" class="t t-en cloze-sentence">In 2020, China passed a new <span class="cloze-gap">[2]</span>'
        in front
    )
    assert "civil code" not in front
    back = page[page.index('class="card-face back"') :]
    assert 'In 2020, China passed a new <mark class="cloze-answer">civil code</mark> that' in back
    assert '2020年，中国通过了新的《<mark class="cloze-answer">民法典</mark>》' in back
    reps = re.search(r'name="reps" value="(\d+)"', page).group(1)
    shown = re.search(r'name="shown_at" value="([^"]+)"', page).group(1)
    assert client.post(card, data={"rating": "3", "reps": reps, "shown_at": shown}).status_code == 302

    db = db_of(app)
    ids = [
        r[0]
        for r in db.execute(
            "SELECT id FROM cards WHERE bank_id = 'cloze-sample' AND retired_at IS NULL ORDER BY position"
        )
    ]
    assert ids == ["term-civil-code", "cc-cloze-first-definition::c1", "cc-cloze-first-definition::c2",
                   "feminist-cloze::c1", "feminist-cloze::c2", "feminist-cloze::c3"]  # fmt: skip

    # The bank is edited (a new explanation, blank c3 of the other question removed) and the server restarted.
    folder = tmp_path / "edited"
    folder.mkdir()
    (folder / "cloze.yaml").write_text(
        CLOZE.replace("The code was passed in 2020.", "Passed in 2020.")
        .replace("{{c3::New York}}", "New York")
        .replace("{{c3::纽约}}", "纽约"),
        encoding="utf-8",
    )
    again = make_app(QUESTIONS_DIR=str(folder))
    db = db_of(again)
    state = db.execute(
        "SELECT reps FROM card_states WHERE bank_id = 'cloze-sample' AND card_id = 'cc-cloze-first-definition::c2'"
    ).fetchone()
    assert state == (1,)
    retired = db.execute("SELECT id FROM cards WHERE retired_at IS NOT NULL").fetchall()
    assert retired == [("feminist-cloze::c3",)]
    assert again.test_client().get("/study/cloze-sample/feminist-cloze::c1").status_code == 200


def test_a_quiz_answer_reviews_each_blank_and_the_question_is_never_a_card_of_its_own(app):
    """A cloze question is studied through its blanks: a quiz answer reviews each blank's card by its own
    mark (right: Good, wrong: Again), and the question itself never comes up as one more card."""
    client = app.test_client()
    sign_up(client)
    quiz_id = start(client, bank="cloze-sample")
    at = cloze_position(app, quiz_id, "cc-cloze-first-definition")
    client.post(f"/quizzes/{quiz_id}/{at}", data={"c1": "2020", "c2": "penal code"})
    db = db_of(app)
    states = dict(
        db.execute(
            "SELECT card_id, l.rating FROM card_states s JOIN review_logs l USING (learner_id, bank_id, card_id)"
            " WHERE s.bank_id = 'cloze-sample'"
        ).fetchall()
    )
    assert states == {"cc-cloze-first-definition::c1": 3, "cc-cloze-first-definition::c2": 1}
    attempt = db.execute("SELECT id FROM attempts").fetchone()[0]
    assert db.execute("SELECT count(*) FROM review_logs WHERE attempt_id = ?", [attempt]).fetchone()[0] == 2
    # The same answer sent again (a double tap) reviews nothing twice.
    client.post(f"/quizzes/{quiz_id}/{at}", data={"c1": "2020", "c2": "civil code"})
    assert db.execute("SELECT count(*) FROM review_logs").fetchone()[0] == 2

    # Studying every new card: the blanks and the bank's card come up, never a cloze question itself.
    seen = []
    for _ in range(12):
        response = client.get("/study/next")
        if response.status_code != 302 or "/study/cloze-sample/" not in response.location:
            break
        card = response.location.split("/study/cloze-sample/")[1].split("?")[0]
        page = client.get(response.location).get_data(as_text=True)
        reps = re.search(r'name="reps" value="(\d+)"', page).group(1)
        shown = re.search(r'name="shown_at" value="([^"]+)"', page).group(1)
        client.post(f"/study/cloze-sample/{card}", data={"rating": "4", "reps": reps, "shown_at": shown})
        seen.append(card)
    assert seen and not any(card in ("cc-cloze-first-definition", "feminist-cloze") for card in seen), seen
    assert {"feminist-cloze::c1", "feminist-cloze::c2", "feminist-cloze::c3"} <= set(seen)


def test_a_teacher_accepts_a_typed_answer_for_one_blank(app):
    teacher = make_teacher(app, app.test_client())
    assert publish(teacher, CLOZE.replace("bank: cloze-sample", "bank: cloze-mine")).status_code == 302
    class_id, code = new_class(teacher)
    for name, c1 in (("mei", "2020"), ("lei", "2019")):
        student = student_in(app, code, name)
        quiz = start(student, bank="cloze-mine")
        position = cloze_position(app, quiz, "cc-cloze-first-definition")
        student.post(f"/quizzes/{quiz}/{position}", data={"c1": c1, "c2": "Civil Codex"})
    report = teacher.get(f"/teach/classes/{class_id}/banks/cloze-mine").get_data(as_text=True)
    section = report.split('data-question="cc-cloze-first-definition"')[1].split("</section>")[0]
    # Each wrong blank on its own line, to accept for that blank alone.
    typed = re.findall(r'<span class="typed">([^<]*)</span> <span class="meta">× (\d+)', section)
    assert sorted(typed) == [("[1] 2019", "1"), ("[2] Civil Codex", "2")]
    assert 'name="answer" value="[2] Civil Codex"' in section

    accept = f"/teach/classes/{class_id}/banks/cloze-mine/accept"
    form = {"question": "cc-cloze-first-definition", "answer": "[2] Civil Codex", "shown": "en"}
    done = teacher.post(accept, data=form, follow_redirects=True).get_data(as_text=True)
    assert "[2] Civil Codex is now an accepted answer: bank version 2." in done
    db = db_of(app)
    scores = db.execute(
        "SELECT answer ->> '$.1', score FROM attempts WHERE question_id = 'cc-cloze-first-definition' ORDER BY id"
    ).fetchall()
    assert scores == [("2020", 1.0), ("2019", 0.5)]  # blank 2 re-marked for both, blank 1 not
    question = bank_question(db, "cloze-mine", "cc-cloze-first-definition")
    assert question["accept"] == {"c2": {"en": ["civil law code", "Civil Codex"]}}
    again = teacher.post(accept, data=form, follow_redirects=True).get_data(as_text=True)
    assert "[2] Civil Codex was already accepted." in again
    # A blank with no accept entry yet gets one.
    form = {"question": "cc-cloze-first-definition", "answer": "[1] 2019", "shown": "zh"}
    teacher.post(accept, data=form)
    question = bank_question(db_of(app), "cloze-mine", "cc-cloze-first-definition")
    assert question["accept"] == {"c2": {"en": ["civil law code", "Civil Codex"]}, "c1": {"zh": ["2019"]}}


# ---------------------------------------------------------------------- interchange


def test_exports_without_a_cloze_form_never_show_the_answers_in_the_prompt():
    import yaml

    from quizapp import interchange

    source = yaml.safe_load(CLOZE)
    data, _left = interchange.write(source, "quizlet")
    first = data.decode().splitlines()[0].split("\t")
    assert first == [
        "In [1], China passed a new [2] that, for the first time, defined actions that can constitute sexual harassment.",
        "In 2020, China passed a new civil code that, for the first time, defined actions that can constitute sexual "
        "harassment.",
    ]
    for kind in ("gift", "moodle", "kahoot"):
        data, left_out = interchange.write(source, kind)
        assert b"civil code" not in data and b"{{c" not in data, kind
        assert {"cc-cloze-first-definition", "feminist-cloze"} <= {n.params.get("id") for n in left_out}, kind
    # Our own table keeps the prompt as written and the more accepted answers as "c<n>: answer" lines.
    data, _left = interchange.write(source, "csv")
    _draft = interchange.read(data, "b.csv")
    back = interchange.checked(_draft, "b.csv").bank
    assert {q["id"]: q for q in back.questions} == bank()
