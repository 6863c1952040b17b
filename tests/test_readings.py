"""Pinyin and zhuyin as segments (core/readings.py), the bank's `readings:` corrections, and the ruby that
bilingual() draws from them when a learner turns the reading aid on."""

from __future__ import annotations

import re

import pytest

from quizapp.banks.bankfile import validate_bytes, validate_file
from quizapp.core.readings import map_segments, segments
from quizapp.core.traditional import to_traditional

from .helpers import ROOT, SAMPLE, db_of, make_teacher, publish, quiz_question, right_answer, sign_up, start


def scalar(app, sql):
    db = db_of(app)
    try:
        return db.execute(sql).fetchone()[0]
    finally:
        db.conn.close()


def checked_aid(client):
    """The reading aid Settings shows as chosen."""
    page = client.get("/account/settings").get_data(as_text=True)
    return re.findall(r'<input checked id="reading_aid-\d" name="reading_aid" type="radio" value="(\w+)">', page)[0]


def read(text, style="pinyin", corrections=None):
    """The readings of a text's Chinese characters, space-separated (other text left out)."""
    return " ".join(r for _, r in segments(text, style, corrections) if r)


# Readings --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("重庆", "chóng qìng"),  # the phrase picks 重's reading...
        ("重要", "zhòng yào"),  # ...not the character alone
        ("行业", "háng yè"),
        ("行为", "xíng wéi"),
        ("长大", "zhǎng dà"),
        ("长期", "cháng qī"),
    ],
)
def test_the_phrase_picks_the_reading(text, expected):
    assert read(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("一个", "yí gè"),  # before a fourth tone: second
        ("一天", "yì tiān"),  # before another tone: fourth, though pypinyin's words are 一 + 天
        ("哪一年", "nǎ yì nián"),
        ("一位", "yí wèi"),
        ("不是", "bú shì"),
        ("不去", "bú qù"),
        ("不同", "bù tóng"),
        ("我不", "wǒ bù"),  # at the end: as written
        ("第一次", "dì yī cì"),  # an ordinal keeps the first tone
        ("一九四九年", "yī jiǔ sì jiǔ nián"),  # so does a digit of a number
        ("之一。", "zhī yī"),  # and 一 ending a word
        ("你好", "nǐ hǎo"),  # two third tones are written as they are (no third-tone sandhi)
    ],
)
def test_tone_sandhi_of_yi_and_bu(text, expected):
    assert read(text) == expected


def test_other_text_is_left_unannotated_and_nothing_is_lost():
    text = "In 2020年，中国通过了新《民法典》(#MeToo)。"
    found = segments(text)
    assert "".join(chars for chars, _ in found) == text
    plain = [chars for chars, reading in found if reading is None]
    assert plain == ["In 2020", "，", "《", "》(#MeToo)。"]
    assert all(len(chars) == 1 for chars, reading in found if reading)  # one character per reading
    assert read(text) == "nián zhōng guó tōng guò le xīn mín fǎ diǎn"
    assert segments("") == ()
    assert segments("MeToo 2018") == (("MeToo 2018", None),)


def test_zhuyin_is_the_same_syllables_in_bopomofo():
    assert read("民法典", "zhuyin") == "ㄇㄧㄣˊ ㄈㄚˇ ㄉㄧㄢˇ"
    assert read("一个", "zhuyin") == "ㄧˊ ㄍㄜˋ"  # sandhi too
    with pytest.raises(ValueError):
        segments("民法典", "wade-giles")


def test_corrections_come_first_longest_phrase_first_and_in_zhuyin_too():
    assert read("冯媛说") == "féng yuàn shuō"  # pypinyin's reading of the name is wrong...
    fixed = {"冯媛": "Féng Yuán"}
    assert read("冯媛说", corrections=fixed) == "Féng Yuán shuō"  # ...the bank's correction is used
    assert read("冯媛说", "zhuyin", fixed) == "ㄈㄥˊ ㄩㄢˊ ㄕㄨㄛ"  # capitals and all
    both = {"周一": "zhōu yì", "周一宣布": "zhōu yī xuān bù"}
    assert read("周一宣布了", corrections=both) == "zhōu yī xuān bù le"  # the longer phrase wins
    assert read("上周一", corrections=both) == "shàng zhōu yì"
    # An unusable correction (not Chinese, wrong count) is ignored rather than misplacing syllables.
    assert read("冯媛", corrections={"冯媛": "Feng", "Feng": "féng"}) == "féng yuàn"


def test_traditional_text_takes_the_readings_of_its_simplified_original():
    simplified = "软件发布了"
    traditional = to_traditional(simplified)
    assert traditional == "軟體發布了" and traditional != simplified
    mapped = map_segments(segments(simplified), traditional)
    assert [chars for chars, _ in mapped] == list("軟體發布了")
    assert [r for _, r in mapped] == ["ruǎn", "jiàn", "fā", "bù", "le"]  # 體 keeps 件's reading, as said
    # OpenCC can change a text's length (退出登录 -> 登出): positions no longer match, so no readings.
    assert to_traditional("退出登录") == "登出"
    assert map_segments(segments("退出登录"), "登出") is None


def test_segments_are_cached_per_text():
    first = segments("民法典规定")
    assert segments("民法典规定") is first


# Bank validation -------------------------------------------------------------------------------------


def bank_with(readings_yaml: str) -> bytes:
    return SAMPLE.replace("\ntopics:", f"\n{readings_yaml}\ntopics:", 1).encode()


def test_a_bank_keeps_its_readings():
    report = validate_bytes(bank_with("readings:\n  冯媛: Féng  Yuán\n  周一: zhōu yī"))
    assert report.ok, report.lines()
    assert report.bank.readings == {"冯媛": "Féng Yuán", "周一": "zhōu yī"}
    assert validate_bytes(SAMPLE.encode()).bank.readings == {}


@pytest.mark.parametrize(
    "entry, message",
    [
        ("冯媛: Féng", "冯媛 has 2 characters but 1 syllables: write one syllable per character"),
        ("冯媛: Féng Yuán Shì", "冯媛 has 2 characters but 3 syllables"),
        ("Feng Yuan: Féng Yuán", "a reading is given for Chinese characters only (got 'Feng Yuan')"),
        ("冯 媛: Féng Yuán", "a reading is given for Chinese characters only"),
        ("冯媛: feng2 yuan2", "write pinyin with tone marks"),
        ("冯媛: [féng, yuán]", "expected the pinyin as text"),
        ("冯媛: ''", "expected the pinyin as text"),
    ],
)
def test_a_bad_reading_is_refused_at_its_line(entry, message):
    source = bank_with(f"readings:\n  周一: zhōu yī\n  {entry}")
    report = validate_bytes(source, "bank.yaml")
    assert not report.ok and report.bank is None
    line = source.decode().splitlines().index(f"  {entry}") + 1
    assert any(f"bank.yaml:{line}:" in problem and message in problem for problem in report.lines()), report.lines()


def test_readings_must_be_a_mapping():
    report = validate_bytes(bank_with("readings: [冯媛]"), "bank.yaml")
    assert "expected a mapping of Chinese phrases to their pinyin" in "\n".join(report.lines())


def chinese_texts(value):
    if isinstance(value, dict):
        if isinstance(value.get("zh"), str):
            yield value["zh"]
        for item in value.values():
            yield from chinese_texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from chinese_texts(item)


def reading_in_place(text, phrase, corrections=None):
    """What the phrase is read as where it first stands in the text."""
    at, position = text.index(phrase), 0
    found = []
    for chars, reading in segments(text, "pinyin", corrections):
        if at <= position < at + len(phrase):
            found.append(reading)
        position += len(chars)
    return " ".join(found)


def test_the_article_banks_correct_what_pypinyin_gets_wrong_in_them():
    banks = [validate_file(path).bank for path in sorted((ROOT / "questions").glob("*.yaml"))]
    assert len(banks) == 4 and all(banks)
    for bank in banks:
        assert bank.readings["冯媛"] == "féng yuán"  # every bank names Feng Yuan; pypinyin reads 媛 yuàn
        texts = set(chinese_texts([bank.title, bank.description, bank.content_note, bank.questions, bank.cards]))
        for phrase, reading in bank.readings.items():
            where = [text for text in texts if phrase in text]
            assert where, f"{bank.id}: {phrase} is not in the bank"
            assert any(reading_in_place(text, phrase) != reading for text in where), f"{bank.id}: {phrase} was right"
            assert all(reading_in_place(text, phrase, bank.readings) == reading for text in where)


# Rendering -------------------------------------------------------------------------------------------


def position_of(app, quiz_id, question_id="civil-code-year"):
    return next(n for n in range(1, 8) if quiz_question(app, quiz_id, n)["id"] == question_id)


def prompt_html(client, quiz_id, position):
    html = client.get(f"/quizzes/{quiz_id}/{position}").get_data(as_text=True)
    return re.search(r'<h1 class="prompt">(.*?)</h1>', html, re.S).group(1)


def test_ruby_only_when_the_learner_turns_it_on(app, client):
    quiz_id = start(client)
    at = position_of(app, quiz_id)
    client.post("/settings/text-mode", data={"mode": "zh", "next": "/"})
    assert "<ruby>" not in prompt_html(client, quiz_id, at)
    response = client.post("/settings/reading-aid", data={"aid": "pinyin", "next": f"/quizzes/{quiz_id}/{at}"})
    assert response.status_code == 302 and response.location.endswith(f"/quizzes/{quiz_id}/{at}")
    html = prompt_html(client, quiz_id, at)
    assert 'class="t t-zh has-ruby ruby-pinyin"' in html
    assert re.search(r'<ruby>中<rt aria-hidden="true" data-r="zhōng"></rt></ruby>', html)
    assert "《<ruby>民" in html  # punctuation is not annotated
    assert re.sub(r"<rt[^>]*></rt>|</?ruby>", "", html).count("民法典") == 1  # the characters, in order
    client.post("/settings/reading-aid", data={"aid": "zhuyin", "next": "/"})
    assert 'data-r="ㄓㄨㄥ"' in prompt_html(client, quiz_id, at)
    client.post("/settings/text-mode", data={"mode": "en", "next": "/"})  # English only: nothing changes
    assert "<ruby>" not in prompt_html(client, quiz_id, at)
    client.post("/settings/text-mode", data={"mode": "both", "next": "/"})
    both = prompt_html(client, quiz_id, at)
    assert both.count("has-ruby") == 1 and 'lang="en" class="t t-en">' in both  # over the Chinese only
    client.post("/settings/reading-aid", data={"aid": "off", "next": "/"})
    assert "<ruby>" not in prompt_html(client, quiz_id, at)


def test_traditional_readers_get_ruby_over_the_traditional_text(app, client):
    quiz_id = start(client)
    at = position_of(app, quiz_id)
    client.post("/settings/language", data={"locale": "zh_Hant", "next": "/"})
    client.post("/settings/reading-aid", data={"aid": "zhuyin", "next": "/"})
    html = prompt_html(client, quiz_id, at)
    assert 'lang="zh-Hant" class="t t-zh has-ruby ruby-zhuyin"' in html
    text = re.sub(r"<rt[^>]*></rt>|</?ruby>", "", re.search(r'has-ruby ruby-zhuyin">(.*?)</span>', html).group(1))
    assert text == "中國在哪一年通過了界定性騷擾行為的新《民法典》？"  # the Traditional text under the ruby
    assert '<ruby>國<rt aria-hidden="true" data-r="ㄍㄨㄛˊ"></rt></ruby>' in html


def test_feedback_choices_and_results_get_ruby_too(app, client):
    quiz_id = start(client)
    client.post("/settings/text-mode", data={"mode": "zh", "next": "/"})
    client.post("/settings/reading-aid", data={"aid": "pinyin", "next": "/"})
    at = position_of(app, quiz_id)
    question = quiz_question(app, quiz_id, at)
    page = client.get(f"/quizzes/{quiz_id}/{at}").get_data(as_text=True)
    form = page[page.index('id="answer-form"') :]
    assert form.count("has-ruby") == 3 and form.count("<ruby>年<rt") == 3  # 2015年, 2018年, 2020年
    client.post(f"/quizzes/{quiz_id}/{at}", data=right_answer(question))
    feedback = client.get(f"/quizzes/{quiz_id}/{at}").get_data(as_text=True)
    assert re.search(r'class="explanation"><span lang="zh-Hans" class="t t-zh has-ruby ruby-pinyin"><ruby>', feedback)
    results = client.get(f"/quizzes/{quiz_id}/results").get_data(as_text=True)
    assert "has-ruby" in results


def test_a_banks_corrections_apply_where_its_text_is_shown(app):
    teacher = make_teacher(app, app.test_client())
    source = (
        SAMPLE.replace("bank: sample", "bank: mine")
        .replace("\ntopics:", "\nreadings:\n  通过: tòng guò\n\ntopics:", 1)
        .replace("中国在哪一年通过了", "冯媛说中国在哪一年通过了")
    )
    assert publish(teacher, source).status_code in (200, 302)
    assert scalar(app, "SELECT readings FROM banks WHERE id = 'mine'") == '{"通过": "tòng guò"}'
    student = app.test_client()
    quiz_id = start(student, bank="mine")
    student.post("/settings/text-mode", data={"mode": "zh", "next": "/"})
    student.post("/settings/reading-aid", data={"aid": "pinyin", "next": "/"})
    html = prompt_html(student, quiz_id, position_of(app, quiz_id))
    assert "<ruby>冯<rt" in html
    assert 'data-r="tòng"' in html and 'data-r="tōng"' not in html
    assert publish(teacher, source.replace("readings:\n  通过: tòng guò\n", "")).status_code in (200, 302)
    assert scalar(app, "SELECT readings FROM banks WHERE id = 'mine'") is None  # a new version without them
    assert 'data-r="tōng"' in prompt_html(student, quiz_id, position_of(app, quiz_id))


# The setting -----------------------------------------------------------------------------------------


def test_the_setting_is_kept_on_the_account_and_comes_back_at_sign_in(app, client):
    sign_up(client, "mei")
    client.post("/settings/reading-aid", data={"aid": "zhuyin", "next": "/"})
    assert scalar(app, "SELECT reading_aid FROM learners WHERE username = 'mei'") == "zhuyin"
    client.post("/signout")
    assert checked_aid(client) == "off"
    client.post("/signin", data={"username": "mei", "password": "correct horse"})
    assert checked_aid(client) == "zhuyin"


def test_a_visitors_choice_lives_in_the_session_and_travels_into_a_new_account(app, client):
    client.post("/settings/reading-aid", data={"aid": "pinyin", "next": "/"})
    assert scalar(app, "SELECT count(*) FROM learners") == 0  # nobody is made for a preference
    assert checked_aid(client) == "pinyin"
    sign_up(client, "lin")
    assert scalar(app, "SELECT reading_aid FROM learners WHERE username = 'lin'") == "pinyin"


def test_settings_saves_the_reading_aid(app, client):
    page = client.get("/account/settings").get_data(as_text=True)
    assert "<legend>Pronunciation over Chinese text</legend>" in page
    assert page.count('type="radio"') == 3 and checked_aid(client) == "off"
    form = {
        "locale": "en",
        "text_mode": "zh",
        "reading_aid": "zhuyin",
        "desired_retention": "0.9",
        "new_cards_per_day": "20",
        "timezone": "UTC",
    }
    assert client.post("/account/settings", data=form).status_code == 302
    assert checked_aid(client) == "zhuyin"
    bad = client.post("/account/settings", data={**form, "reading_aid": "braille"}).get_data(as_text=True)
    assert "Not a valid choice" in bad
    assert checked_aid(client) == "zhuyin"


def test_a_bad_choice_changes_nothing_and_says_so(client):
    client.post("/settings/reading-aid", data={"aid": "pinyin", "next": "/"})
    response = client.post("/settings/reading-aid", data={"aid": "<b>braille</b>", "next": "/"}, follow_redirects=True)
    assert "Please choose one of the listed options." in response.get_data(as_text=True)
    assert checked_aid(client) == "pinyin"


def test_the_buttons_keep_a_typed_answer(app, client):
    quiz_id = start(client, size="20")
    client.post("/settings/text-mode", data={"mode": "zh", "next": "/"})
    position = next(n for n in range(1, 8) if quiz_question(app, quiz_id, n)["type"] in ("text", "numeric"))
    page = client.get(f"/quizzes/{quiz_id}/{position}").get_data(as_text=True)
    assert 'formaction="/settings/reading-aid"' in page and 'form="answer-form"' in page
    path = f"/quizzes/{quiz_id}/{position}"
    response = client.post("/settings/reading-aid", data={"aid": "pinyin", "next": path, "answer": "民法典 42"})
    assert response.location.endswith(path)
    page = client.get(path).get_data(as_text=True)
    assert 'value="民法典 42"' in page and "<ruby>" in page


def test_the_switch_is_on_flashcards_and_not_in_english_only_quizzes(client):
    quiz_id = start(client)
    client.post("/settings/text-mode", data={"mode": "en", "next": "/"})
    assert "reading-aid" not in client.get(f"/quizzes/{quiz_id}/1").get_data(as_text=True)
    card = client.get("/study/next", follow_redirects=True).get_data(as_text=True)
    assert 'action="/settings/reading-aid"' in card  # a card's back is in both languages


def test_the_live_games_shared_fragments_render_without_a_reader(app):
    """The phones' answer buttons are drawn once for every player, outside any request: no one's
    reading aid applies there (and asking for it must not fail)."""
    from quizapp.banks.store import get_question
    from quizapp.web.questiontypes import renderer

    db = db_of(app)
    question = get_question(db, "sample", "civil-code-year")
    db.conn.close()
    html = renderer(app)("types/choice/live.html", "zh", q=question, entry={"choice_order": [2, 0, 1]})
    assert html.count("big-choice") == 3 and "2020年" in html and "<ruby>" not in html


def test_the_editors_preview_shows_the_banks_own_corrections_before_they_are_published(app):
    teacher = make_teacher(app, app.test_client())
    teacher.post("/settings/text-mode", data={"mode": "zh", "next": "/"})
    teacher.post("/settings/reading-aid", data={"aid": "pinyin", "next": "/"})
    source = SAMPLE.replace("bank: sample", "bank: mine").replace(
        "\ntopics:", "\nreadings:\n  通过: tòng guò\n\ntopics:", 1
    )
    page = teacher.post("/teach/banks/check", data={"source": source}).get_data(as_text=True)
    assert '通<rt aria-hidden="true" data-r="tòng">' in page
    assert scalar(app, "SELECT count(*) FROM banks WHERE id = 'mine'") == 0  # nothing published
