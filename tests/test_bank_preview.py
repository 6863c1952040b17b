"""A bank as large as a request may be no longer stalls a worker: the file's values are bounded while
it is read, the preview is paged and the editor lists the first problems only.
(bench/preview_bench.py has the timings: 10 s before, 0.2 s after.)"""

from __future__ import annotations

import io
import re

from quizapp.banks.bankfile import validate_bytes
from quizapp.banks.yamlsafe import MAX_VALUES
from quizapp.teach.bankeditor import PREVIEW_PAGE, PROBLEMS_SHOWN

HEAD = "bank: big\ntitle: {en: Big, zh: 大}\nquestions:\n"


def one_line_questions(count: int) -> str:
    """The cheapest questions to write and the dearest to check: 21 values in 6 lines each."""
    return HEAD + "".join(
        f"  - id: q-{i}\n    type: true_false\n    prompt: {{en: P{i}, zh: 题{i}}}\n"
        f"    answer: true\n    explanation: {{en: E, zh: 解}}\n    source: S\n"
        for i in range(count)
    )


def check(client, text: str):
    """Upload as a browser does (multipart: a whole 1 MiB file fits in one request)."""
    return client.post("/teach/banks/check", data={"source": "", "upload": (io.BytesIO(text.encode()), "big.yaml")})


def shown_questions(page: str, mode: str = "en") -> list[str]:
    part = page.split(f'data-mode="{mode}"')[1].split('<details class="preview-mode"')[0]
    return re.findall(r'data-question="([\w-]+)"', part)


def test_too_many_values_are_refused_at_the_line_that_crosses_the_limit():
    text = HEAD + "  - id: q\n    topic:\n"  # 16 values on lines 1 to 5 ...
    text += "".join(f"      - t{i}\n" for i in range(MAX_VALUES))  # ... then value 17 + i on line 6 + i
    [problem] = validate_bytes(text.encode(), "big.yaml").problems
    assert problem.line == 6 + (MAX_VALUES + 1) - 17
    assert f"more than {MAX_VALUES} values" in problem.text()


def test_a_request_sized_bank_is_refused_before_anything_is_built_or_shown(teacher):
    """Before: 5,373 one-line questions (1 MiB) were checked in 7 s and previewed in 10 s more."""
    text = one_line_questions(7000)
    assert len(text.encode()) > 900_000
    response = check(teacher, text)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and f"more than {MAX_VALUES} values" in page
    assert "1 problem" in page and "preview-item" not in page


def test_the_largest_accepted_bank_is_previewed_a_page_at_a_time(teacher):
    count = (MAX_VALUES - 11) // 21  # 11 values for the bank's id, title and list
    text = one_line_questions(count)
    assert validate_bytes(text.encode()).ok and count > 2 * PREVIEW_PAGE
    page = check(teacher, text).get_data(as_text=True)
    pages = -(-count // PREVIEW_PAGE)
    for mode in ("en", "zh", "both"):
        assert shown_questions(page, mode) == [f"q-{i}" for i in range(PREVIEW_PAGE)]
    assert f"Page 1 of {pages}" in page and f"Question 1 of {count}" in page
    assert 'href="/teach/banks/draft?bank=big&amp;page=2"' in page, "pages are links to the saved draft"
    second = teacher.get("/teach/banks/draft?bank=big&page=2").get_data(as_text=True)
    assert shown_questions(second) == [f"q-{i}" for i in range(PREVIEW_PAGE, 2 * PREVIEW_PAGE)]
    assert f"Question {PREVIEW_PAGE + 1} of {count}" in second
    last = teacher.get("/teach/banks/draft?bank=big&page=99999999999").get_data(as_text=True)
    assert shown_questions(last)[-1] == f"q-{count - 1}" and f"Page {pages} of {pages}" in last
    publish_form = page.split('class="stack publish"')[1].split("</form>")[0]
    assert f"q-{count - 1}" in publish_form, "what is published is the whole bank, not the page"


def test_the_editor_lists_the_first_problems_and_says_how_many(teacher):
    """Before: 6,000 questions with bad ids gave 30,000 problems, a 7.8 MB page and a second of work."""
    text = HEAD + "".join(f"  - {{id: Bad{i}}}\n" for i in range(2000))
    total = len(validate_bytes(text.encode()).problems)
    page = check(teacher, text).get_data(as_text=True)
    assert total > PROBLEMS_SHOWN and f"{total} problems" in page
    assert len(re.findall(r"data-goto-line=", page)) == PROBLEMS_SHOWN
    assert f"The first {PROBLEMS_SHOWN} are listed" in page
