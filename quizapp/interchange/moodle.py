"""What Moodle's two formats (GIFT and Moodle XML) share: short answers per language, feedback, and
whether the questions make a bilingual bank."""

from __future__ import annotations

import re

from quizapp.interchange.common import Draft, is_chinese, slug


def split_answers(accepted: list[str]) -> dict:
    """Short answers into our languages: Chinese characters are zh, the rest en; a language left
    with none gets them all (the grader accepts any of them in either language anyway)."""
    zh = [a for a in accepted if is_chinese(a)]
    en = [a for a in accepted if not is_chinese(a)]
    return {"en": en or zh, "zh": zh or en}


def feedback_text(general: dict, said: list[tuple[dict, dict]]) -> dict:
    """Our format has one explanation per question: the general feedback, then each answer's own
    feedback as "answer: feedback" lines, so that nothing a teacher wrote is lost."""
    result = {}
    for lang in ("en", "zh"):
        lines = [general[lang]] if general.get(lang) else []
        lines += [f"{c.get(lang)}: {f.get(lang)}" for c, f in said if c.get(lang) and f.get(lang)]
        if lines:
            result[lang] = "\n".join(lines)
    return result


def settle_languages(questions: list[dict], draft: Draft, options: dict, name: str) -> None:
    """Both languages when every text has both (multilang), else the one language the texts are in."""

    def all_texts(q):
        yield q["prompt"]
        yield from q.get("choices", [])
        if q.get("explanation"):
            yield q["explanation"]

    # Any multilang text makes a bilingual bank (texts without spans then mean the same in both, as
    # a plain value does in our YAML); none makes a bank in the one language the texts are in.
    bilingual = any(
        t.get("en") and t.get("zh") and t["en"] != t["zh"]
        for q in questions
        for t in all_texts(q)
        if isinstance(t, dict)
    )
    if bilingual:
        langs = ["en", "zh"]
    else:
        sample = " ".join(q["prompt"].get("en") or q["prompt"].get("zh", "") for q in questions[:50])
        langs = [options.get("language") or ("zh" if is_chinese(sample) else "en")]
        for q in questions:
            for t in all_texts(q):
                one = t.get(langs[0]) or t.get("en") or t.get("zh")
                for key in ("en", "zh"):
                    t.pop(key, None)
                t[langs[0]] = one
            if q["type"] == "text":
                merged = [a for v in q["answer"].values() for a in v]
                q["answer"] = {langs[0]: list(dict.fromkeys(merged))}
            for blank, more in (q.get("accept") or {}).items():  # a cloze's more answers, likewise
                q["accept"][blank] = {langs[0]: list(dict.fromkeys(a for v in more.values() for a in v))}
    title = options.get("title") or re.sub(r"\.[A-Za-z0-9]+$", "", name.rsplit("/", 1)[-1])
    draft.bank = {
        "bank": options.get("bank") or slug(title, "imported"),
        "languages": langs,
        "title": {lang: title for lang in langs},
        "questions": questions,
    }
    draft.detected["languages"] = langs
