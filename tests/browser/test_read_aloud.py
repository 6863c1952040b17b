"""Read aloud in a real Chromium on a 390 px phone: the Listen buttons show only where the browser has a voice
for the language, speak the text's plain words in its language, never pick the choice they sit beside, and a
flashcard's front is read as it opens when the learner asks for it.

The browser's own speech API is stubbed (add_init_script): headless Chromium has no voices, and a stub records
what the page asks it to say. What is asserted is what the page does with it."""

from __future__ import annotations

import json
import textwrap

import pytest

from quizapp import create_app

from .checkers import checked
from .conftest import ARTIFACTS
from .helpers import serving

pytestmark = pytest.mark.browser

PROMPT_ZH = "中国在哪一年通过了新《民法典》？"
BANK = textwrap.dedent(
    f"""\
    bank: aloud
    title: {{en: Read aloud, zh: 朗读}}
    questions:
      - id: year
        type: choice
        prompt: {{en: "In which year did China pass a new civil code?", zh: "{PROMPT_ZH}"}}
        choices:
          - {{en: "2015", zh: "2015年"}}
          - {{en: "2020", zh: "2020年", correct: true}}
        explanation: {{en: "The article says 2020.", zh: "文章说是2020年。"}}
    cards:
      - id: term
        front: {{en: civil code, zh: 民法典}}
        back: {{en: "the code of civil law", zh: "民事法律法典"}}
    """
)

# The browser's speech synthesis, replaced: getVoices() answers what the test sets (window.__setVoices, which
# also fires voiceschanged, as a browser does when its voices load late), speak() records the utterance.
STUB = """
(() => {
  let voices = VOICES;
  const synth = new EventTarget();
  window.__spoken = [];
  synth.getVoices = () => voices;
  synth.speak = (u) => window.__spoken.push({ text: u.text, lang: u.lang, voice: u.voice && u.voice.lang });
  synth.cancel = () => {};
  window.__setVoices = (list) => { voices = list; synth.dispatchEvent(new Event("voiceschanged")); };
  Object.defineProperty(window, "speechSynthesis", { value: synth, configurable: true });
  window.SpeechSynthesisUtterance = class { constructor(text) { this.text = text; this.lang = ""; this.voice = null; } };
})();
"""
ZH_CN = {"lang": "zh-CN", "name": "Mandarin (test)", "voiceURI": "test-zh", "localService": True, "default": False}


@pytest.fixture
def aloud_server(tmp_path):
    questions = tmp_path / "questions"
    questions.mkdir()
    (questions / "aloud.yaml").write_text(BANK, encoding="utf-8")
    app = create_app(
        {"DATABASE": str(tmp_path / "db.sqlite3"), "QUESTIONS_DIR": str(questions), "SECRET_KEY": "browser-tests"}
    )
    with serving(app) as url:
        yield url


def stub_voices(page, voices):
    page.add_init_script(STUB.replace("VOICES", json.dumps(voices)))


def start_quiz_in_chinese(page, base):
    page.goto(base + "/")
    page.select_option("#mode", "zh")
    page.click("header form:has(#mode) button")
    page.wait_for_selector("main [lang='zh-Hans']")
    page.goto(base + "/banks/aloud")
    page.click("main button[type=submit].primary")
    page.wait_for_selector("h1.prompt")


def test_no_voice_no_button(aloud_server, page):
    stub_voices(page, [])
    start_quiz_in_chinese(page, aloud_server)
    buttons = page.locator(".listen-button")
    assert buttons.count() == 3  # the prompt and each choice have one, all hidden: nothing could say them
    assert all(buttons.nth(i).is_hidden() for i in range(3))
    # Voices that load late (voiceschanged) show the buttons then.
    page.evaluate("(voice) => window.__setVoices([voice])", ZH_CN)
    page.wait_for_selector("h1.prompt + .listen .listen-button", state="visible")
    assert all(buttons.nth(i).is_visible() for i in range(3))


def test_only_a_voice_for_another_language_hides_the_button(aloud_server, page):
    stub_voices(page, [{**ZH_CN, "lang": "en-US"}])
    start_quiz_in_chinese(page, aloud_server)
    assert page.locator(".listen-button").first.is_hidden()  # an English voice does not read Chinese


def test_listen_speaks_the_plain_text_in_chinese_and_never_picks_a_choice(aloud_server, page):
    stub_voices(page, [ZH_CN])
    start_quiz_in_chinese(page, aloud_server)
    listen = page.locator("h1.prompt + .listen .listen-button")
    listen.wait_for(state="visible")
    assert page.get_by_role("button", name="Listen (Chinese)").count() == 3  # its name says the language
    box = listen.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "read-aloud-question.png"), full_page=True)
    checked(page, "read-aloud: question with Listen buttons")
    listen.click()
    assert page.evaluate("window.__spoken") == [{"text": PROMPT_ZH, "lang": "zh-CN", "voice": "zh-CN"}]

    # A choice's Listen, by click and by keyboard: it says the choice, and neither picks nor sends it.
    choice_listen = page.locator(".option-line").nth(0).locator(".listen-button")
    said = page.locator(".option-line").nth(0).locator("label.option [lang='zh-Hans']").inner_text().strip()
    choice_listen.click()
    choice_listen.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Space")
    spoken = page.evaluate("window.__spoken")
    assert spoken[1:] == [{"text": said, "lang": "zh-CN", "voice": "zh-CN"}] * 3
    assert page.locator("input[name=answer]:checked").count() == 0
    assert page.locator("#feedback").count() == 0  # still the question: nothing was sent

    # The label is still the choice's tap target.
    page.locator("label.option", has_text="2020年").click()
    assert page.locator("label.option", has_text="2020年").locator("input").is_checked()
    page.click("button[type=submit].primary")
    page.wait_for_selector("#feedback")
    explanation = page.locator("#feedback .explanation + .listen .listen-button")
    assert explanation.is_visible()
    explanation.click()
    assert page.evaluate("window.__spoken")[-1] == {"text": "文章说是2020年。", "lang": "zh-CN", "voice": "zh-CN"}


def test_traditional_interface_speaks_zh_tw(aloud_server, page):
    stub_voices(page, [{**ZH_CN, "lang": "zh-TW"}])
    page.goto(aloud_server + "/")
    page.select_option("#switch-locale", "zh_Hant")
    page.click("header form.switch-locale button")
    page.wait_for_selector("html[lang='zh-Hant']")
    page.goto(aloud_server + "/banks/aloud")
    page.click("main button[type=submit].primary")
    listen = page.locator("h1.prompt + .listen .listen-button")
    listen.wait_for(state="visible")
    listen.click()
    assert page.evaluate("window.__spoken") == [
        {"text": "中國在哪一年通過了新《民法典》？", "lang": "zh-TW", "voice": "zh-TW"}
    ]


def test_flashcard_front_read_aloud_when_it_opens(aloud_server, page):
    stub_voices(page, [ZH_CN, {**ZH_CN, "lang": "en-GB", "voiceURI": "test-en"}])
    page.goto(aloud_server + "/account/settings")
    assert not page.locator("#autoplay_front").is_checked()  # off unless asked for
    page.goto(aloud_server + "/study/aloud/term")
    page.wait_for_selector("[data-flashcard]")
    assert page.evaluate("window.__spoken") == []  # the setting is off: nothing is read

    page.goto(aloud_server + "/account/settings")
    page.check("#autoplay_front")
    page.click("main button[type=submit].primary")
    assert page.locator("#autoplay_front").is_checked()
    page.goto(aloud_server + "/study/aloud/term")
    page.wait_for_selector("[data-flashcard][data-autoplay-front]")
    page.wait_for_function("window.__spoken.length > 0")
    assert page.evaluate("window.__spoken") == [{"text": "civil code", "lang": "en", "voice": "en-GB"}]
    # The back's Listen buttons (both languages) are there once it shows; space on one of them is its own.
    page.locator("body").focus()
    page.keyboard.press("Space")
    back = page.locator("#card-back .listen .listen-button")
    assert back.count() == 2 and back.nth(1).is_visible()
    checked(page, "read-aloud: flashcard back with Listen buttons")
    back.nth(1).focus()
    page.keyboard.press("Space")
    assert page.evaluate("window.__spoken")[-1] == {"text": "民事法律法典", "lang": "zh-CN", "voice": "zh-CN"}
    assert page.locator("#card-back").is_visible()
