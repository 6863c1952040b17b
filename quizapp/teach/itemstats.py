"""Per-question statistics for a teacher's report: how hard each question was, whether it separates
strong learners from weak ones, and which wrong answers were common, in the manner of Moodle's quiz statistics.

Rules, and why:
- Only each learner's first attempt at a question counts (earliest `answered_at`, ties to the earlier
  response in the input): it measures what the class knew before the feedback taught them, as Moodle's
  "first attempt" statistics do.
- A learner's item score is x = score / max_score, so partial credit and questions worth more points compare.
- Facility is the mean x over the counted learners (0..1, higher is easier).
- "Rest of the test" for a learner is the MEAN of their x over every other question they answered.
  Learners see random subsets of a bank, so a mean, not Moodle's sum, keeps learners who answered
  different numbers of questions comparable. A learner with no other question is left out of the
  discrimination only.
- Discrimination is the Pearson correlation of x with rest-of-test (Moodle's discrimination index, which
  Moodle shows x100; we keep -1..1). It is None with fewer than 2 such learners or a zero variance,
  because a correlation is then undefined, not zero.
- Per language group ('zh' and 'zh-Hant' merge into 'zh'), facility, answered and wrong answers use that
  group's first attempts only; rest-of-test still uses all the learner's other answers, in any language,
  since it estimates the learner's ability, not the question's.
- Wrong answers are the incorrect counted first attempts grouped by exact answer text, most common first.
Plain Python, no Flask, no database: the report view passes responses in and renders what comes out.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Response:
    """One answer by one learner to one question, as the report reads it."""

    learner_id: int
    question_id: str
    score: float
    max_score: float
    correct: bool
    language: str
    answer: str
    answered_at: str


@dataclass
class Figures:
    """The statistics of one question over one set of first attempts."""

    answered: int
    facility: float | None
    discrimination: float | None
    wrong_answers: list[tuple[str, int]]


@dataclass
class QuestionStats:
    """One question's figures, overall and per language group."""

    question_id: str
    overall: Figures
    by_language: dict[str, Figures]


def language_group(language: str) -> str:
    """Merge the Chinese scripts: the report asks whether the translation works, not which script was shown."""
    return "zh" if language in ("zh", "zh-Hant") else language


def _first_attempts(responses: Iterable[Response]) -> list[Response]:
    first: dict[tuple[int, str], Response] = {}
    for response in responses:
        key = (response.learner_id, response.question_id)
        # Strictly earlier only, so a tie keeps the response that came first in the input.
        if key not in first or response.answered_at < first[key].answered_at:
            first[key] = response
    return list(first.values())


def _pearson(xs: list[float], ys: list[float]) -> float | None:
    if len(xs) < 2 or len(set(xs)) < 2 or len(set(ys)) < 2:
        return None
    mx, my = math.fsum(xs) / len(xs), math.fsum(ys) / len(ys)
    sxy = math.fsum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = math.fsum((x - mx) ** 2 for x in xs)
    syy = math.fsum((y - my) ** 2 for y in ys)
    if sxx <= 0 or syy <= 0:
        return None
    return max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))


def _figures(attempts: list[Response], scores: dict[int, dict[str, float]], top: int) -> Figures:
    if not attempts:
        return Figures(0, None, None, [])
    xs, rests = [], []
    for response in attempts:
        others = [x for qid, x in scores[response.learner_id].items() if qid != response.question_id]
        if others:
            xs.append(scores[response.learner_id][response.question_id])
            rests.append(math.fsum(others) / len(others))
    item = [scores[r.learner_id][r.question_id] for r in attempts]
    wrong = Counter(r.answer for r in attempts if not r.correct)
    return Figures(
        answered=len(attempts),
        facility=math.fsum(item) / len(item),
        discrimination=_pearson(xs, rests),
        wrong_answers=sorted(wrong.items(), key=lambda pair: (-pair[1], pair[0]))[: max(top, 0)],
    )


def question_stats(responses: Iterable[Response], top: int = 3) -> list[QuestionStats]:
    """Statistics per question, sorted most-missed first: facility ascending (None last), then question_id."""
    attempts = _first_attempts(responses)
    scores: dict[int, dict[str, float]] = defaultdict(dict)
    by_question: dict[str, list[Response]] = defaultdict(list)
    for response in attempts:
        scores[response.learner_id][response.question_id] = response.score / response.max_score
        by_question[response.question_id].append(response)
    stats = []
    for question_id, question_attempts in by_question.items():
        groups: dict[str, list[Response]] = defaultdict(list)
        for response in question_attempts:
            groups[language_group(response.language)].append(response)
        stats.append(
            QuestionStats(
                question_id=question_id,
                overall=_figures(question_attempts, scores, top),
                by_language={group: _figures(rs, scores, top) for group, rs in groups.items()},
            )
        )
    stats.sort(key=lambda s: (s.overall.facility is None, s.overall.facility or 0.0, s.question_id))
    return stats
