"""Random and mutated YAML banks: the loader ends in a valid bank or clean file:line errors, never
an exception, a hang or a partial import."""

from __future__ import annotations

import shutil

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.banks.bankfile import validate_bytes
from quizapp.core import migrations
from quizapp.core.store import connect
from quizapp.startup import load_banks

from .helpers import DATA

SAMPLE = (DATA / "sample.yaml").read_bytes()
FUZZ = settings(max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.too_slow])


def check(data: bytes):
    report = validate_bytes(data, "fuzz.yaml")
    assert report.ok or report.problems
    for line in report.lines():
        assert line.startswith("fuzz.yaml:")
        line_no, column = line.split(":")[1:3]
        assert int(line_no) >= 1 and int(column) >= 1
    return report


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes(data):
    check(data)


@FUZZ
@given(st.text(alphabet=st.sampled_from(list("{}[]:-,&*!|>'\"#?%@` \n\tabcdé中")), max_size=400))
def test_random_yaml_punctuation(text):
    check(text.encode())


@FUZZ
@given(st.data())
def test_mutated_sample(data):
    mutated = bytearray(SAMPLE)
    for _ in range(data.draw(st.integers(1, 8))):
        action = data.draw(st.sampled_from(["flip", "delete", "insert", "duplicate"]))
        at = data.draw(st.integers(0, len(mutated) - 1))
        if action == "flip":
            mutated[at] = data.draw(st.integers(0, 255))
        elif action == "delete":
            del mutated[at : at + data.draw(st.integers(1, 40))]
        elif action == "insert":
            mutated[at:at] = data.draw(
                st.sampled_from(
                    [
                        b": ",
                        b"\n  - ",
                        b"&a ",
                        b"*a",
                        b"!!python/name:os.system ",
                        b"{",
                        b"]",
                        b"\t",
                        b"\xff",
                        b"correct: true",
                        b"\n",
                    ]
                )
            )
        else:
            end = min(len(mutated), at + data.draw(st.integers(1, 200)))
            mutated[at:at] = mutated[at:end]
        if not mutated:
            mutated = bytearray(b"x")
    check(bytes(mutated))


@settings(max_examples=25, deadline=5000, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_import_is_whole_or_absent(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("banks")
    shutil.copy(DATA / "sample.yaml", folder / "sample.yaml")
    text = SAMPLE.decode().replace("bank: sample", "bank: other")
    cut = data.draw(st.integers(0, len(text)))
    (folder / "other.yaml").write_text(text[:cut], encoding="utf-8")
    db = connect(folder / "db.sqlite3")
    migrations.apply(db)
    results, bad = load_banks(db, [folder])
    other_ok = not bad
    stored = {r[0]: r[1] for r in db.execute("SELECT bank_id, count(*) FROM questions GROUP BY bank_id")}
    assert stored["sample"] == 7
    if other_ok:
        report = validate_bytes(text[:cut].encode(), "x")
        assert stored["other"] == len(report.bank.questions)
    else:
        assert "other" not in stored and db.execute("SELECT count(*) FROM banks WHERE id='other'").fetchone()[0] == 0
    db.conn.close()
