"""Moodle XML (question/format/xml): multichoice (single and multiple), truefalse, shortanswer,
numerical with tolerance, category, tags, general and per-answer feedback. Moodle's multilang
spans (`<span lang="zh_cn" class="multilang">`) become our two languages. Parsed with defusedxml:
a document type with entities (the billion laughs) or external references is refused.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element, SubElement, tostring

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from quizapp.core.messages import N_
from quizapp.interchange.common import Draft, FormatError, Note, category_topic, slug, texts, unique_id
from quizapp.interchange.moodle import feedback_text, settle_languages, split_answers
from quizapp.interchange.sanitize import multilang, multilang_html

SKIPPED_TYPES = {
    "matching": N_("a matching question has no form here; left out"),
    "essay": N_("an essay question has no form here; left out"),
    "calculated": N_("a calculated question has no form here; left out"),
    "calculatedsimple": N_("a calculated question has no form here; left out"),
    "calculatedmulti": N_("a calculated question has no form here; left out"),
    "ddwtos": N_("a drag-and-drop question has no form here; left out"),
    "gapselect": N_("a select-missing-words question has no form here; left out"),
    "multianswer": N_("an embedded-answers (cloze) question has no form here; left out"),
    "description": N_("a description is not a question; left out"),
    "randomsamatch": N_("a random short-answer matching question has no form here; left out"),
}


def _text(node: Element | None, name: str = "text") -> dict:
    found = node.find(name) if node is not None else None
    return multilang(found.text or "") if found is not None else {}


def read(data: bytes, name: str, options: dict | None = None) -> Draft:
    options = options or {}
    try:
        root = fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise FormatError(
            N_("%(name)s declares a document type or entities, which we never read (XXE)"), name=name
        ) from None
    except ParseError as exc:
        raise FormatError(
            N_("%(name)s is not well-formed XML: %(reason)s"), line=exc.position[0], name=name, reason=str(exc)
        ) from None
    if root.tag != "quiz":
        raise FormatError(N_("%(name)s is not a Moodle XML question file (no <quiz>)"), name=name)
    # ElementTree keeps no line numbers: the n-th <question> element starts at the n-th tag in the text.
    text = data.decode("utf-8", "replace")
    starts = [text.count("\n", 0, m.start()) + 1 for m in re.finditer(r"<question\b(?!text)", text)]
    draft = Draft({})
    questions, used, topic = [], set(), None
    paths = {
        (_text(n.find("category")) or {}).get("en", "") for n in root.findall("question") if n.get("type") == "category"
    }
    for index, node in enumerate(root.findall("question")):
        line = starts[index] if index < len(starts) else None
        kind = node.get("type", "")
        if kind == "category":
            topic = category_topic((_text(node.find("category")) or {}).get("en", ""), paths)
            continue
        if kind in SKIPPED_TYPES or kind not in ("multichoice", "truefalse", "shortanswer", "numerical"):
            draft.skipped.append(
                Note(
                    line, SKIPPED_TYPES.get(kind, N_("a %(type)s question has no form here; left out")), {"type": kind}
                )
            )
            continue
        prompt = _text(node.find("questiontext"))
        said: list[tuple[dict, dict]] = []
        answers = node.findall("answer")
        fraction = lambda a: float(a.get("fraction", "0") or 0)  # noqa: E731
        if kind in ("shortanswer", "numerical"):
            for a in answers:
                if 0 < fraction(a) < 100:  # our format grades right or wrong: partial credit has no place
                    draft.skipped.append(
                        Note(
                            line,
                            N_("a partly right answer (%(answer)s) was left out"),
                            {"answer": a.findtext("text") or ""},
                        )
                    )
        if kind == "multichoice":
            choices = [{**_text(a), **({"correct": True} if fraction(a) > 0 else {})} for a in answers]
            single = (node.findtext("single") or "true").strip().lower() in ("true", "1")
            right = sum(1 for c in choices if c.get("correct"))
            if len(choices) < 2 or not right:
                draft.skipped.append(Note(line, N_("a choice question needs two choices and a right one; left out")))
                continue
            question = {"type": "choice" if single and right == 1 else "multi", "choices": choices}
            said = [(c, _text(a.find("feedback"))) for c, a in zip(choices, answers, strict=True)]
        elif kind == "truefalse":
            right = [(_text(a).get("en") or "").strip().lower() for a in answers if fraction(a) >= 100]
            question = {"type": "true_false", "answer": bool(right) and right[0] == "true"}
        elif kind == "shortanswer":
            accepted = [(_text(a).get("en") or _text(a).get("zh") or "") for a in answers if fraction(a) >= 100]
            if not any(accepted):
                draft.skipped.append(Note(line, N_("a short-answer question without a fully right answer; left out")))
                continue
            question = {"type": "text", "answer": split_answers([a for a in accepted if a])}
        else:
            full = [a for a in answers if fraction(a) >= 100]
            try:
                values = [(float(a.findtext("text") or ""), float(a.findtext("tolerance") or 0)) for a in full]
            except ValueError:
                draft.skipped.append(Note(line, N_("a numerical answer that is not a number; left out")))
                continue
            if not values:
                draft.skipped.append(Note(line, N_("a numerical question without a right number; left out")))
                continue
            number = lambda v: int(v) if float(v).is_integer() else v  # noqa: E731
            question = {"type": "numeric", "answer": number(values[0][0]), "tolerance": number(values[0][1])}
            if values[1:]:
                question["also"] = [number(v) for v, _t in values[1:]]
        if not prompt:
            draft.skipped.append(Note(line, N_("a question without text; left out")))
            continue
        wanted = (node.findtext("idnumber") or "").strip() or (_text(node.find("name")).get("en") or "") or f"q{line}"
        item = {"id": unique_id(wanted, used), "type": question.pop("type"), "prompt": prompt, **question}
        tags = [slug(t.text or "", "") for t in node.findall("tags/tag/text")]
        topics = list(dict.fromkeys(t for t in ([topic] if topic else []) + tags if t))
        if topics:
            item["topic"] = topics
        feedback = feedback_text(_text(node.find("generalfeedback")), [(c, f) for c, f in said if f])
        if feedback:
            item["explanation"] = feedback
        questions.append(item)
        draft.lines[item["id"]] = line
    if not questions:
        raise FormatError(N_("%(name)s has no question that can be imported"), name=name)
    settle_languages(questions, draft, options, name)
    return draft


def _texted(parent: Element, tag: str, text: dict | str, **attrs) -> Element:
    node = SubElement(parent, tag, {"format": "html", **attrs})
    SubElement(node, "text").text = multilang_html(texts(text))
    return node


def write(bank: dict) -> tuple[bytes, list[Note]]:
    """The bank's questions as Moodle XML with both languages in multilang spans; the id goes in
    <name> and <idnumber> so that an import back keeps it. What Moodle XML cannot hold is listed."""
    quiz, left_out, category = Element("quiz"), [], None
    for item in bank.get("questions") or []:
        topics = item.get("topic") or []
        topics = [topics] if isinstance(topics, str) else list(topics)
        kind = {
            "choice": "multichoice",
            "multi": "multichoice",
            "true_false": "truefalse",
            "numeric": "numerical",
            "text": "shortanswer",
        }.get(item["type"])
        if kind is None:
            left_out.append(
                Note(
                    None,
                    N_("%(id)s: Moodle XML has no %(type)s questions"),
                    {"id": item["id"], "type": item["type"]},
                )
            )
            continue
        wanted = f"$course$/top/{bank['bank']}" + (f"/{topics[0]}" if topics else "")
        if wanted != category and any(q.get("topic") for q in bank["questions"]):  # the bank's own category: no topic
            category = wanted
            node = SubElement(quiz, "question", type="category")
            SubElement(SubElement(node, "category"), "text").text = category
        node = SubElement(quiz, "question", type=kind)
        SubElement(SubElement(node, "name"), "text").text = item["id"]
        _texted(node, "questiontext", item["prompt"])
        if item.get("explanation"):
            _texted(node, "generalfeedback", item["explanation"])
        SubElement(node, "idnumber").text = item["id"]
        if item["type"] in ("choice", "multi"):
            right = [c for c in item["choices"] if isinstance(c, dict) and c.get("correct")]
            SubElement(node, "single").text = "true" if item["type"] == "choice" else "false"
            SubElement(node, "shuffleanswers").text = "true"
            for c in item["choices"]:
                good = isinstance(c, dict) and c.get("correct")
                share = "100" if item["type"] == "choice" else f"{100 / len(right):.5g}"
                _texted(node, "answer", c, fraction=share if good else ("0" if item["type"] == "choice" else "-100"))
        elif item["type"] == "true_false":
            for value in ("true", "false"):
                answer = SubElement(
                    node,
                    "answer",
                    fraction="100" if str(item["answer"]).lower() == value else "0",
                    format="moodle_auto_format",
                )
                SubElement(answer, "text").text = value
        elif item["type"] == "numeric":
            for value in [item["answer"], *item.get("also", [])]:
                answer = SubElement(node, "answer", fraction="100", format="moodle_auto_format")
                SubElement(answer, "text").text = repr(value)
                SubElement(answer, "tolerance").text = repr(item.get("tolerance", 0))
        else:
            SubElement(node, "usecase").text = "0"
            for lang in ("en", "zh"):
                for accepted in item["answer"].get(lang, []):
                    answer = SubElement(node, "answer", fraction="100", format="moodle_auto_format")
                    SubElement(answer, "text").text = str(accepted)
        if topics:
            tags = SubElement(node, "tags")
            for topic in topics:
                SubElement(SubElement(tags, "tag"), "text").text = topic
    if bank.get("cards"):
        left_out.append(Note(None, N_("%(n)s flashcards: Moodle XML has no flashcards"), {"n": len(bank["cards"])}))
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(quiz, encoding="unicode").encode("utf-8"), left_out
