"""A teacher's unpublished bank text is kept on the server: a language switch, a sign-in or any
other page comes back to it, and only publishing or discarding it drops it."""

from __future__ import annotations

import re

from .helpers import SAMPLE, db_of, make_teacher, mine, publish


def switch_language(client, page: str, locale: str):
    """What the header's interface switcher sends from this page."""
    here = re.search(r'name="next" value="([^"]*)"', page).group(1).replace("&amp;", "&")
    return client.post("/settings/language", data={"locale": locale, "next": here})


def test_switching_language_on_the_preview_keeps_the_unpublished_text(teacher):
    edited = mine().replace("In which year did China pass", "In what year did China pass")
    page = teacher.post("/teach/banks/check", data={"source": edited}).get_data(as_text=True)
    assert "Preview: Sample bank" in page
    switched = switch_language(teacher, page, "zh")
    assert switched.status_code == 302 and switched.location == "/teach/banks/draft?bank=mine"
    again = teacher.get(switched.location)
    text = again.get_data(as_text=True)
    assert again.status_code == 200 and 'lang="zh-Hans"' in text and "In what year did China pass" in text
    assert "In what year did China pass" in text.split('class="stack publish"')[1].split("</form>")[0]


def test_switching_language_on_the_editor_with_errors_keeps_the_text(teacher):
    broken = mine().replace("type: choice", "type: chioce", 1)
    page = teacher.post("/teach/banks/check", data={"source": broken}).get_data(as_text=True)
    switched = switch_language(teacher, page, "zh_Hant")
    assert switched.location == "/teach/banks/draft?bank=mine"
    again = teacher.get(switched.location)
    text = again.get_data(as_text=True)
    assert again.status_code == 422 and "type: chioce" in text.split("<textarea")[1]
    assert 'lang="zh-Hant"' in text and 'data-goto-line="' in text, "the problems are listed again"


def test_the_editor_shows_the_draft_until_it_is_published_or_discarded(app, teacher):
    publish(teacher, mine())
    draft_text = mine().replace("Sample bank", "Sample bank edited")
    teacher.post("/teach/banks/check", data={"source": draft_text})
    editor = teacher.get("/teach/banks/mine/edit").get_data(as_text=True)
    assert "Sample bank edited" in editor.split("<textarea")[1] and "unpublished draft" in editor
    assert "/teach/banks/draft/edit?bank=mine" in teacher.get("/teach/").get_data(as_text=True)
    assert teacher.post("/teach/banks/draft/discard", data={"bank": "mine"}).status_code == 302
    editor = teacher.get("/teach/banks/mine/edit").get_data(as_text=True)
    assert "Sample bank edited" not in editor and "unpublished draft" not in editor
    teacher.post("/teach/banks/check", data={"source": draft_text})
    assert publish(teacher, draft_text).status_code == 302
    assert db_of(app).execute("SELECT count(*) FROM bank_drafts").fetchone()[0] == 0
    gone = teacher.get("/teach/banks/draft?bank=mine")
    assert gone.status_code == 302 and gone.location == "/teach/banks/new"


def test_a_draft_is_its_teachers_alone(app, teacher):
    teacher.post("/teach/banks/check", data={"source": mine().replace("Sample bank", "Secret words")})
    other = make_teacher(app, app.test_client(), "other-teacher")
    for url in ("/teach/banks/draft?bank=mine", "/teach/banks/draft/edit?bank=mine"):
        response = other.get(url, follow_redirects=True)
        assert "Secret words" not in response.get_data(as_text=True)
    other.post("/teach/banks/draft/discard", data={"bank": "mine"})
    assert "Secret words" in teacher.get("/teach/banks/draft/edit?bank=mine").get_data(as_text=True)


def test_a_sign_in_comes_back_to_the_draft(app, teacher):
    teacher.post("/teach/banks/check", data={"source": mine().replace("Sample bank", "Kept over sign-in")})
    teacher.post("/signout")
    response = teacher.get("/teach/banks/draft?bank=mine")
    assert "/signin" in response.location
    signed_in = teacher.post(response.location, data={"username": "teacher", "password": "correct horse"})
    assert signed_in.location == "/teach/banks/draft?bank=mine"
    assert "Kept over sign-in" in teacher.get(signed_in.location).get_data(as_text=True)


def test_a_new_bank_with_no_valid_id_keeps_its_draft_too(teacher):
    text = SAMPLE.replace("bank: sample", "bank: Not An Id")
    page = teacher.post("/teach/banks/check", data={"source": text}).get_data(as_text=True)
    assert 'name="next" value="/teach/banks/draft?bank="' in page
    assert "Not An Id" in teacher.get("/teach/banks/draft/edit?bank=").get_data(as_text=True)


def test_a_draft_typed_in_a_browser_is_kept_under_its_bank_id(app, teacher):
    """Browsers send a textarea's lines as CRLF: the `bank:` line is still found, and the draft is LF."""
    teacher.post("/teach/banks/check", data={"source": mine().replace("\n", "\r\n")})
    [(bank_id, source)] = db_of(app).execute("SELECT bank_id, source FROM bank_drafts").fetchall()
    assert bank_id == "mine" and "\r" not in source


def test_no_page_reached_by_post_sends_a_language_switch_to_a_post_only_address(teacher):
    """Before: the preview's switchers posted back to /teach/banks/check, which answered 405."""
    invite = teacher.post("/teach/invites").get_data(as_text=True)
    assert 'name="next" value="/teach/#invite"' in invite
    settings = teacher.post("/account/settings", data={"timezone": "Mars/Base"}).get_data(as_text=True)
    assert 'name="next" value="/account/settings"' in settings, "a GET-and-POST page comes back to itself"
    for page in (invite, settings):
        here = re.search(r'name="next" value="([^"]*)"', page).group(1)
        assert teacher.get(here.split("#")[0]).status_code == 200


def test_a_teacher_keeps_at_most_the_newest_drafts(app, teacher):
    from quizapp.teach.drafts import MAX_DRAFTS

    for n in range(MAX_DRAFTS + 3):
        teacher.post("/teach/banks/check", data={"source": mine(bank_id=f"bank-{n}")})
    kept = {row[0] for row in db_of(app).execute("SELECT bank_id FROM bank_drafts").fetchall()}
    assert len(kept) == MAX_DRAFTS and "bank-0" not in kept and f"bank-{MAX_DRAFTS + 2}" in kept


def test_a_teachers_drafts_are_in_their_data_download_and_go_with_their_account(app, teacher):
    teacher.post("/teach/banks/check", data={"source": mine()})
    data = teacher.get("/account/export.json").get_json()
    assert [d["bank_id"] for d in data["bank_drafts"]] == ["mine"]
    teacher.post("/account/delete", data={"password": "correct horse"})
    assert db_of(app).execute("SELECT count(*) FROM bank_drafts").fetchone()[0] == 0
