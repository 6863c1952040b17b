"""Per-question report statistics, checked against small examples worked by hand in the comments."""

from __future__ import annotations

import math

import pytest

from quizapp.teach.itemstats import Figures, Response, language_group, question_stats

T0 = "2024-03-01T09:00:00"


def resp(learner, question, score, max_score=1.0, *, correct=None, language="en", answer=None, at=T0):
    """A response; correct defaults to full marks, answer to 'right'/'wrong' so the tests stay short."""
    if correct is None:
        correct = score >= max_score
    if answer is None:
        answer = "right" if correct else "wrong"
    return Response(learner, question, score, max_score, correct, language, answer, at)


def by_id(stats):
    return {s.question_id: s for s in stats}


# Four learners x three questions, all in English, item scores x:
#          q1  q2  q3
#   L1      1   1   1
#   L2      1   1   0
#   L3      0   1   0
#   L4      0   0   1
GRID = {1: (1, 1, 1), 2: (1, 1, 0), 3: (0, 1, 0), 4: (0, 0, 1)}
CLASS = [resp(learner, f"q{i + 1}", x) for learner, row in GRID.items() for i, x in enumerate(row)]


def test_facility_is_the_mean_item_score():
    stats = by_id(question_stats(CLASS))
    # q1: (1+1+0+0)/4 = 0.5   q2: (1+1+1+0)/4 = 0.75   q3: (1+0+0+1)/4 = 0.5
    assert [stats[q].overall.facility for q in ("q1", "q2", "q3")] == [0.5, 0.75, 0.5]
    assert all(s.overall.answered == 4 for s in stats.values())


def test_positive_discrimination():
    # q1: x = [1, 1, 0, 0]; rest = mean(q2, q3) = [1, .5, .5, .5]
    # mean x = .5, mean rest = .625; dx = [.5, .5, -.5, -.5]; dy = [.375, -.125, -.125, -.125]
    # sxy = .1875 - .0625 + .0625 + .0625 = .25; sxx = 1; syy = .140625 + 3 * .015625 = .1875 = 3/16
    # r = .25 / sqrt(3/16) = 1/sqrt(3) ~ 0.577
    assert by_id(question_stats(CLASS))["q1"].overall.discrimination == pytest.approx(1 / math.sqrt(3))


def test_negative_discrimination():
    # q3: x = [1, 0, 0, 1]; rest = mean(q1, q2) = [1, 1, .5, 0]
    # mean x = .5, mean rest = .625; dx = [.5, -.5, -.5, .5]; dy = [.375, .375, -.125, -.625]
    # sxy = .1875 - .1875 + .0625 - .3125 = -.25; sxx = 1; syy = .140625*2 + .015625 + .390625 = .6875 = 11/16
    # r = -.25 / (sqrt(11)/4) = -1/sqrt(11) ~ -0.302
    assert by_id(question_stats(CLASS))["q3"].overall.discrimination == pytest.approx(-1 / math.sqrt(11))


def test_zero_discrimination_is_zero_not_none():
    # q2: x = [1, 1, 1, 0]; rest = mean(q1, q3) = [1, .5, 0, .5]
    # mean x = .75, mean rest = .5; dx = [.25, .25, .25, -.75]; dy = [.5, 0, -.5, 0]
    # sxy = .125 + 0 - .125 + 0 = 0  ->  r = 0
    assert by_id(question_stats(CLASS))["q2"].overall.discrimination == pytest.approx(0.0)


def test_most_missed_first_then_question_id():
    # facilities q1 .5, q3 .5, q2 .75: ascending, and the q1/q3 tie goes to the id.
    assert [s.question_id for s in question_stats(reversed(CLASS))] == ["q1", "q3", "q2"]


def test_partial_scores_use_score_over_max_score():
    # qa is worth 2: L1 2/2 = 1, L2 1/2 = .5, L3 0/2 = 0.
    # qb is worth 1: L1 got .5 (not correct), L2 1, L3 0.
    # facility qa = (1 + .5 + 0)/3 = .5; qb = (.5 + 1 + 0)/3 = .5
    # qa: x = [1, .5, 0], rest = qb = [.5, 1, 0]; means .5, .5; dx = [.5, 0, -.5], dy = [0, .5, -.5]
    #     sxy = .25, sxx = .5, syy = .5  ->  r = .25 / .5 = .5 (qb is the mirror image: also .5)
    responses = [
        resp(1, "qa", 2, 2),
        resp(2, "qa", 1, 2),
        resp(3, "qa", 0, 2),
        resp(1, "qb", 0.5, answer="half"),
        resp(2, "qb", 1),
        resp(3, "qb", 0, answer="none"),
    ]
    stats = by_id(question_stats(responses))
    for q in ("qa", "qb"):
        assert stats[q].overall.facility == pytest.approx(0.5)
        assert stats[q].overall.discrimination == pytest.approx(0.5)
    # A partial score is not correct, so its answer is a wrong answer.
    assert stats["qb"].overall.wrong_answers == [("half", 1), ("none", 1)]


def test_discrimination_undefined_for_one_learner():
    stats = question_stats([resp(1, "q1", 1), resp(1, "q2", 0)])
    assert all(s.overall.discrimination is None for s in stats)
    assert by_id(stats)["q2"].overall == Figures(
        answered=1, facility=0.0, discrimination=None, wrong_answers=[("wrong", 1)]
    )


def test_discrimination_undefined_when_everyone_scores_the_same():
    # q1: x = [1, 1, 1], zero variance.  q2: x = [1, 0, 0] varies but rest (q1) = [1, 1, 1] does not.
    responses = [resp(learner, "q1", 1) for learner in (1, 2, 3)] + [
        resp(1, "q2", 1),
        resp(2, "q2", 0),
        resp(3, "q2", 0),
    ]
    stats = by_id(question_stats(responses))
    assert stats["q1"].overall.discrimination is None
    assert stats["q2"].overall.discrimination is None
    assert stats["q1"].overall.facility == 1.0


def test_learner_without_other_questions_counts_for_facility_only():
    # q1: L1 1, L2 0, L3 1 -> answered 3, facility 2/3.
    # L3 answered nothing else, so discrimination uses L1, L2: x = [1, 0], rest (q2) = [1, 0] -> r = 1.
    responses = [resp(1, "q1", 1), resp(1, "q2", 1), resp(2, "q1", 0), resp(2, "q2", 0), resp(3, "q1", 1)]
    q1 = by_id(question_stats(responses))["q1"].overall
    assert (q1.answered, q1.facility) == (3, pytest.approx(2 / 3))
    assert q1.discrimination == pytest.approx(1.0)
    # With L1 alone left beside L3 there is one counted learner: undefined.
    q1_alone = by_id(question_stats([r for r in responses if r.learner_id != 2]))["q1"].overall
    assert q1_alone.answered == 2 and q1_alone.discrimination is None


def test_only_first_attempts_count():
    # L1 missed q1 at 09:00 and got it right at 09:05; the later, listed first, must not count.
    # So q1: L1 0 ("B"), L2 1 -> facility .5, the wrong answer is L1's first one.
    responses = [resp(1, "q1", 1, at="2024-03-01T09:05:00"), resp(1, "q1", 0, answer="B", at=T0), resp(2, "q1", 1)]
    q1 = question_stats(responses)[0].overall
    assert (q1.answered, q1.facility, q1.wrong_answers) == (2, 0.5, [("B", 1)])


def test_first_attempt_ties_go_to_input_order():
    # Same timestamp: the first in the input is the first attempt.
    stats = question_stats([resp(1, "q1", 0, answer="A"), resp(1, "q1", 1), resp(1, "q1", 0, answer="C")])
    assert stats[0].overall == Figures(1, 0.0, None, [("A", 1)])


def test_discrimination_uses_first_attempts_on_other_questions_too():
    # L1 q2 first 0 then 1, L2 q2 1. q1: x = [1, 0]; rest (first q2) = [0, 1] -> r = -1.
    responses = [
        resp(1, "q1", 1),
        resp(2, "q1", 0),
        resp(1, "q2", 0, at=T0),
        resp(1, "q2", 1, at="2024-03-02T09:00:00"),
        resp(2, "q2", 1),
    ]
    assert by_id(question_stats(responses))["q1"].overall.discrimination == pytest.approx(-1.0)


def test_wrong_answers_most_common_first_then_text():
    # Wrong: B x3, A x2, C x2, D x1; right answers and the correct "B" are not wrong answers.
    answers = ["B", "B", "B", "C", "A", "C", "A", "D"]
    responses = [resp(i, "q1", 0, answer=a) for i, a in enumerate(answers)]
    responses += [resp(100, "q1", 1, answer="B"), resp(101, "q1", 1, answer="E")]
    stats = question_stats(responses)[0].overall
    assert stats.wrong_answers == [("B", 3), ("A", 2), ("C", 2)]
    assert question_stats(responses, top=1)[0].overall.wrong_answers == [("B", 3)]
    assert len(question_stats(responses, top=10)[0].overall.wrong_answers) == 4


def test_wrong_answers_group_by_exact_text():
    responses = [resp(1, "q1", 0, answer="Paris"), resp(2, "q1", 0, answer="paris"), resp(3, "q1", 0, answer="Paris")]
    assert question_stats(responses)[0].overall.wrong_answers == [("Paris", 2), ("paris", 1)]


def test_language_split():
    # q1 was shown as: L1 en (1), L2 en (0, "B"), L3 zh (1), L4 zh-Hant (0, "乙"), L5 both (1).
    # q2 was shown in English to L1..L4: L1 1, L2 0, L3 0, L4 1.  L5 answered only q1.
    responses = [
        resp(1, "q1", 1),
        resp(2, "q1", 0, answer="B"),
        resp(3, "q1", 1, language="zh"),
        resp(4, "q1", 0, language="zh-Hant", answer="乙"),
        resp(5, "q1", 1, language="both"),
        resp(1, "q2", 1),
        resp(2, "q2", 0),
        resp(3, "q2", 0),
        resp(4, "q2", 1),
    ]
    stats = by_id(question_stats(responses))
    q1 = stats["q1"]
    assert set(q1.by_language) == {"en", "zh", "both"}
    # en: x = [1, 0], rest = q2 = [1, 0] -> r = 1.
    assert q1.by_language["en"] == Figures(2, 0.5, pytest.approx(1.0), [("B", 1)])
    # zh (zh + zh-Hant merged): x = [1, 0]; rest comes from the English q2: [0, 1] -> r = -1.
    assert q1.by_language["zh"] == Figures(2, 0.5, pytest.approx(-1.0), [("乙", 1)])
    # both: L5 alone and with no other question -> no discrimination.
    assert q1.by_language["both"] == Figures(1, 1.0, None, [])
    # overall: facility (1+0+1+0+1)/5 = .6; discrimination over L1..L4 (L5 has no rest):
    # x = [1, 0, 1, 0], rest = [1, 0, 0, 1], means .5, .5; sxy = .25 + .25 - .25 - .25 = 0 -> r = 0.
    assert q1.overall.answered == 5 and q1.overall.facility == pytest.approx(0.6)
    assert q1.overall.discrimination == pytest.approx(0.0)
    assert set(stats["q2"].by_language) == {"en"}


@pytest.mark.parametrize(
    "language, group", [("en", "en"), ("zh", "zh"), ("zh-Hant", "zh"), ("both", "both"), ("fr", "fr")]
)
def test_language_group(language, group):
    assert language_group(language) == group


def test_empty_input_gives_no_questions():
    assert question_stats([]) == []
