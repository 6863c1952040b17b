"""Pictures and sound in banks: the format's checks (file:line errors), the content checks, storage by
content hash, and serving. Each bad input is performed and must change nothing (no row, no file)."""

from __future__ import annotations

import io
import os
import time

import pytest
from PIL import Image

from quizapp.banks import mediastore
from quizapp.banks.bankfile import validate_file
from quizapp.core import mediacheck
from quizapp.core.mediacheck import MediaError

from .helpers import db_of, run_cli
from .media_files import MEDIA_BANK, audio, gif, huge_png_header, jpeg_with_gps, mp3, png, write_media_bank


def media_rows(app) -> int:
    db = db_of(app)
    try:
        return db.execute("SELECT count(*) FROM media").fetchone()[0]
    finally:
        db.conn.close()


def stored_files(app) -> list[str]:
    folder = mediastore.directory(db_of(app))
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


# The format ---------------------------------------------------------------------------------


def test_a_bank_with_media_validates_to_the_normalised_dict(tmp_path):
    report = validate_file(write_media_bank(tmp_path))
    assert report.ok, report.lines()
    question = report.bank.questions[0]
    picture = mediacheck.check_image(png(), "x")
    assert question["image"] == {
        "file": picture.file,
        "alt": {"en": "A red rectangle", "zh": "一个红色的长方形"},
        "width": 40,
        "height": 30,
    }
    clip = question["audio"]["zh"]
    assert clip["transcript"] == "这张图显示什么？" and clip["file"].endswith(".mp3")
    assert question["choices"][0]["image"]["file"] == picture.file and "image" not in question["choices"][1]
    assert report.bank.cards[0]["front"]["audio"]["en"]["file"] == clip["file"]
    assert report.bank.cards[0]["front"]["en"] == "Rectangle"
    assert sorted(report.bank.media) == ["media/chart.png", "media/prompt-zh.mp3"]


def problems_of(tmp_path, text=MEDIA_BANK, files=None) -> list[str]:
    report = validate_file(write_media_bank(tmp_path, text, files))
    assert not report.ok
    return report.lines()


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("../x.png", "climbs out of the bank's folder"),
        ("/etc/passwd", "is an absolute path"),
        ("media/none.png", "is not there"),
        ("media\\\\chart.png", "use forward slashes"),
    ],
)
def test_paths_that_leave_the_folder_or_are_missing_are_refused_at_their_line(make_app, tmp_path, path, expected):
    (tmp_path / "x.png").write_bytes(png())  # a real picture, one folder up from the bank
    folder = tmp_path / "bank"
    text = MEDIA_BANK.replace('path: media/chart.png, alt: {en: "A red', f'path: "{path}", alt: {{en: "A red')
    lines = problems_of(folder, text)
    assert any(":7:" in line and "questions[0].image.path" in line and expected in line for line in lines), lines
    assert_nothing_imported(make_app(), folder / "media-bank.yaml")


def assert_nothing_imported(app, bank_file) -> None:
    """`quizapp banks import` refuses the bank, and no bank, media row or stored file is left."""
    result = run_cli(app, "banks", "import", str(bank_file))
    assert result.exit_code == 1 and "nothing imported" in result.output
    assert media_rows(app) == 0 and stored_files(app) == []
    db = db_of(app)
    assert db.execute("SELECT count(*) FROM banks WHERE id = 'media-bank'").fetchone()[0] == 0


def test_a_symlink_out_of_the_folder_is_refused(make_app, tmp_path):
    outside = tmp_path / "secret.png"
    outside.write_bytes(png())
    folder = tmp_path / "bank"
    write_media_bank(folder)
    (folder / "media" / "chart.png").unlink()
    os.symlink(outside, folder / "media" / "chart.png")
    lines = validate_file(folder / "media-bank.yaml").lines()
    assert any("questions[0].image.path" in line and "leads out of the bank's folder" in line for line in lines), lines
    assert_nothing_imported(make_app(), folder / "media-bank.yaml")


def test_missing_alt_transcript_and_unknown_language_are_each_named(tmp_path):
    text = (
        MEDIA_BANK.replace('alt: {en: "A red rectangle", zh: "一个红色的长方形"}', 'alt: {en: "A red rectangle"}')
        .replace('transcript: "这张图显示什么？"', 'transcript: ""')
        .replace("audio: {en: {path: media/prompt-zh.mp3", "audio: {fr: {path: media/prompt-zh.mp3")
    )
    lines = problems_of(tmp_path, text)
    assert any("questions[0].image.alt: the zh text is missing" in line for line in lines), lines
    assert any("questions[0].audio.zh.transcript: the transcript" in line for line in lines), lines
    assert any("cards[0].front.audio.fr: unknown audio language 'fr'" in line for line in lines), lines


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"<html><script>alert(1)</script></html>", "is not a PNG, JPEG, WebP or GIF image"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "is not a PNG, JPEG, WebP or GIF image",
        ),
        (b"just some text", "is not a PNG, JPEG, WebP or GIF image"),
        (huge_png_header(), "more than 40 million"),
        (huge_png_header(8000, 6000), "is 8000 x 6000 pixels, more than 40 million"),
    ],
    ids=["html", "svg-script", "text", "30000x30000", "8000x6000"],
)
def test_bad_pictures_are_refused_by_content_and_nothing_is_stored(make_app, tmp_path, data, expected):
    folder = tmp_path / "bank"
    lines = problems_of(folder, files={"chart.png": data, "prompt-zh.mp3": mp3()})
    assert any("questions[0].image.path: media/chart.png" in line and expected in line for line in lines), lines
    assert_nothing_imported(make_app(), folder / "media-bank.yaml")


def test_a_truncated_mp3_is_refused(make_app, tmp_path):
    whole = mp3(2.0)
    lines = problems_of(tmp_path, files={"chart.png": png(), "prompt-zh.mp3": whole[: len(whole) // 2]})
    assert any("questions[0].audio.zh.path: media/prompt-zh.mp3 is damaged or cut short" in x for x in lines), lines
    assert_nothing_imported(make_app(), tmp_path / "media-bank.yaml")


def test_a_picture_used_as_audio_is_refused(tmp_path):
    lines = problems_of(tmp_path, files={"chart.png": png(), "prompt-zh.mp3": png()})
    assert any("media/prompt-zh.mp3 is not an MP3, OGG, M4A or WAV sound clip" in line for line in lines), lines


# Content checks -----------------------------------------------------------------------------


def test_a_huge_header_is_refused_without_decoding():
    started = time.perf_counter()
    with pytest.raises(MediaError) as refused:
        mediacheck.check_image(huge_png_header(), "big.png")
    assert time.perf_counter() - started < 0.5
    assert "more than 40 million" in str(refused.value)


def test_a_jpeg_loses_its_gps_and_is_turned_upright():
    original = jpeg_with_gps(orientation=6)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the GPS is there before
    cleaned = mediacheck.check_image(original, "photo.jpg")
    image = Image.open(io.BytesIO(cleaned.data))
    assert not image.getexif() and b"PhoneMaker" not in cleaned.data and b"Exif" not in cleaned.data
    assert (cleaned.width, cleaned.height) == (40, 60)  # orientation 6: rotated a quarter turn
    assert cleaned.ext == "jpg" and cleaned.mime == "image/jpeg"


def test_an_animated_webp_keeps_its_first_frame_and_says_so():
    frames = [Image.new("RGB", (20, 20), (60 * i, 0, 0)) for i in range(3)]
    out = io.BytesIO()
    frames[0].save(out, "WEBP", save_all=True, append_images=frames[1:], duration=100)
    cleaned = mediacheck.check_image(out.getvalue(), "a.webp")
    assert Image.open(io.BytesIO(cleaned.data)).n_frames == 1 and cleaned.ext == "webp"
    assert cleaned.note == "only the first frame of the animation is kept"


def test_an_animated_gif_keeps_its_frames():
    cleaned = mediacheck.check_image(gif(4), "a.gif")
    assert Image.open(io.BytesIO(cleaned.data)).n_frames == 4 and cleaned.note == "the animation is kept"


@pytest.mark.parametrize(("fmt", "ext"), [("MP3", "mp3"), ("OGG", "ogg"), ("OPUS", "ogg"), ("WAV", "wav")])
def test_real_clips_of_each_format_pass_with_their_duration(fmt, ext):
    cleaned = mediacheck.check_audio(audio(fmt, 1.0), "clip")
    assert cleaned.ext == ext and abs(cleaned.duration - 1.0) < 0.1


def test_a_truncated_wav_and_html_are_not_clips():
    wav = audio("WAV")
    with pytest.raises(MediaError, match="cut short"):
        mediacheck.check_audio(wav[: len(wav) // 2], "cut.wav")
    with pytest.raises(MediaError, match="is not an MP3, OGG, M4A or WAV"):
        mediacheck.check_audio(b"<html><script>alert(1)</script></html>" * 20, "page.mp3")


# Storage and serving ------------------------------------------------------------------------


def test_the_same_picture_in_two_banks_is_stored_once(make_app, tmp_path):
    first = write_media_bank(tmp_path / "one")
    second = write_media_bank(tmp_path / "two", MEDIA_BANK.replace("bank: media-bank", "bank: media-bank-two"))
    app = make_app()
    result = run_cli(app, "banks", "import", str(first), str(second))
    assert result.exit_code == 0, result.output
    assert media_rows(app) == 2  # one picture and one clip, however many banks and questions use them
    picture = mediacheck.check_image(png(), "x").file
    assert picture in stored_files(app) and len(stored_files(app)) == 2


def test_media_are_served_with_safe_headers_and_ranges(make_app, tmp_path):
    app = make_app()
    assert run_cli(app, "banks", "import", str(write_media_bank(tmp_path / "b"))).exit_code == 0
    client = app.test_client()
    picture = mediacheck.check_image(png(), "x")
    response = client.get(f"/media/{picture.file}")
    assert response.status_code == 200 and response.data == picture.data
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response.headers["Content-Disposition"] == "inline"
    clip = mediacheck.check_audio(mp3(), "x")
    ranged = client.get(f"/media/{clip.file}", headers={"Range": "bytes=0-99"})
    assert ranged.status_code == 206 and ranged.data == clip.data[:100]
    assert ranged.headers["Content-Type"] == "audio/mpeg"
    # Only stored names: another ending, an unknown hash, or anything else is 404.
    for name in (picture.file.replace(".png", ".mp3"), "0" * 64 + ".png", "x.png", "../quizapp.sqlite3"):
        assert client.get(f"/media/{name}").status_code == 404, name


# The editor's upload, versions and the zip ---------------------------------------------------

BROWSER_BANK = """\
bank: pictures
title: {en: Pictures, zh: 图片}
questions:
  - id: q1
    type: true_false
    prompt: {en: "Is it red?", zh: "它是红色的吗？"}
    image: {path: media/red-square.png, alt: {en: "A red square", zh: "一个红色的正方形"}}
    answer: true
"""


IMAGE_LINE_OF_BROWSER_BANK = (
    '    image: {path: media/red-square.png, alt: {en: "A red square", zh: "一个红色的正方形"}}\n'
)


def upload(client, data: bytes, filename: str, source: str = ""):
    return client.post(
        "/teach/banks/media",
        data={"source": source, "media": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def test_an_upload_is_checked_stored_and_answered_with_the_snippet(app, teacher):
    response = upload(teacher, png(), "Red Square.PNG", source="bank: kept-text\n")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "image: {path: media/red-square.png, alt: {en:" in page
    assert "bank: kept-text" in page  # the text sent along is still in the editor (and kept as the draft)
    assert media_rows(app) == 1 and stored_files(app) == [mediacheck.check_image(png(), "x").file]
    # The same file again is fine; other content under the same name is refused and changes nothing.
    assert upload(teacher, png(), "red-square.png").status_code == 200
    clash = upload(teacher, png(colour=(0, 0, 255)), "red square.png")
    assert (
        clash.status_code == 422
        and "you already have a different file called media/red-square.png" in clash.get_data(as_text=True)
    )
    assert media_rows(app) == 1 and len(stored_files(app)) == 1


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"<html><script>alert(1)</script></html>", "is neither a picture"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "is neither a picture"),
        (huge_png_header(), "more than 40 million"),
    ],
    ids=["html", "svg", "huge"],
)
def test_a_bad_upload_is_refused_and_nothing_is_kept(app, teacher, data, expected):
    response = upload(teacher, data, "evil.png")
    assert response.status_code == 422 and expected in response.get_data(as_text=True)
    assert media_rows(app) == 0 and stored_files(app) == []


def test_an_upload_may_be_larger_than_the_app_body_limit_but_other_posts_may_not(app, teacher):
    clip = audio("WAV", 40.0)  # 1.3 MB of WAV, past the 1 MiB that bounds every other request
    assert len(clip) > 1024 * 1024
    assert upload(teacher, clip, "long.wav").status_code == 200
    too_big = teacher.post("/teach/classes", data={"name": "x" * (1024 * 1024 + 10)})
    assert too_big.status_code == 413


def test_a_bank_edited_in_the_browser_finds_the_teachers_uploads(app, teacher):
    upload(teacher, png(), "red-square.png")
    response = teacher.post("/teach/banks/publish", data={"source": BROWSER_BANK})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    db = db_of(app)
    question = __import__("quizapp.banks.store", fromlist=["x"]).get_question(db, "pictures", "q1")
    assert question["image"]["file"] == mediacheck.check_image(png(), "x").file
    missing = teacher.post("/teach/banks/check", data={"source": BROWSER_BANK.replace("red-square", "blue")})
    assert missing.status_code == 422 and "media/blue.png is not there" in missing.get_data(as_text=True)


def test_a_bank_with_media_downloads_as_a_zip_that_imports_back_the_same(make_app, tmp_path):
    import zipfile

    from quizapp.banks.store import get_bank

    from .helpers import make_teacher

    app = make_app()
    teacher = make_teacher(app, app.test_client())
    assert run_cli(app, "banks", "import", str(write_media_bank(tmp_path / "b"))).exit_code == 0
    response = teacher.get("/teach/banks/media-bank/versions/1.yaml")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert 'filename="media-bank-v1.zip"' in response.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert sorted(archive.namelist()) == ["media-bank.yaml", "media/chart.png", "media/prompt-zh.mp3"]
    assert archive.read("media/chart.png") == mediacheck.check_image(png(), "x").data
    (tmp_path / "copy.zip").write_bytes(response.data)

    # Into another server by the command line: the same bank, the same stored files.
    other = make_app(DATABASE=str(tmp_path / "other" / "db.sqlite3"), LOAD_BANKS_ON_START=False)
    result = run_cli(other, "banks", "import", str(tmp_path / "copy.zip"))
    assert result.exit_code == 0, result.output
    db, db2 = db_of(app), db_of(other)
    assert get_bank(db2, "media-bank")["content_hash"] == get_bank(db, "media-bank")["content_hash"]
    rows = "SELECT id, data FROM questions WHERE bank_id = 'media-bank' ORDER BY id"
    assert db2.execute(rows).fetchall() == db.execute(rows).fetchall()
    assert sorted(stored_files(other)) == sorted(stored_files(app))

    # Back through the editor's upload (the web import of a bank file): previewed, then published unchanged.
    web = make_teacher(other, other.test_client(), "teacher2")
    checked = web.post(
        "/teach/banks/check",
        data={"source": "", "upload": (io.BytesIO(response.data), "copy.zip")},
        content_type="multipart/form-data",
    )
    assert checked.status_code == 200, checked.get_data(as_text=True)[:3000]
    source = archive.read("media-bank.yaml").decode("utf-8")
    published = web.post("/teach/banks/publish", data={"source": source})
    assert published.status_code == 302
    assert get_bank(db2, "media-bank")["version"] == 1  # nothing changed: the same bank


def test_a_bank_without_media_still_downloads_as_yaml(app, teacher):
    assert (
        teacher.post(
            "/teach/banks/publish",
            data={
                "source": BROWSER_BANK.replace(
                    '    image: {path: media/red-square.png, alt: {en: "A red square", zh: "一个红色的正方形"}}\n', ""
                )
            },
        ).status_code
        == 302
    )
    response = teacher.get("/teach/banks/pictures/versions/1.yaml")
    assert response.mimetype == "application/yaml" and response.data.startswith(b"bank: pictures")


def test_versions_keep_their_media(make_app, tmp_path):
    from quizapp.banks.mediastore import version_files

    app = make_app()
    folder = tmp_path / "b"
    assert run_cli(app, "banks", "import", str(write_media_bank(folder))).exit_code == 0
    (folder / "media" / "chart.png").write_bytes(png(colour=(0, 200, 0)))  # the picture changes, the YAML not
    assert run_cli(app, "banks", "import", str(folder / "media-bank.yaml")).exit_code == 0
    db = db_of(app)
    first, second = version_files(db, "media-bank", 1), version_files(db, "media-bank", 2)
    assert first["media/chart.png"] != second["media/chart.png"]
    assert first["media/chart.png"] in stored_files(app) and second["media/chart.png"] in stored_files(app)


def test_media_need_no_account(app, tmp_path):
    # A live game's phone has no account: anyone with the name may fetch it (docs/security.md).
    assert run_cli(app, "banks", "import", str(write_media_bank(tmp_path / "b"))).exit_code == 0
    name = mediacheck.check_image(png(), "x").file
    assert app.test_client().get(f"/media/{name}").status_code == 200


def test_a_failed_import_removes_the_files_it_wrote(make_app, tmp_path):
    # The first bank's media are written, then the second bank (another teacher's) stops the import:
    # the transaction rolls back, and the files it wrote go with it.
    from quizapp.accounts import users
    from quizapp.banks.bankfile import validate_bytes
    from quizapp.banks.store import NotYours, import_banks

    from .helpers import make_teacher

    app = make_app()
    make_teacher(app, app.test_client(), "first")
    make_teacher(app, app.test_client(), "second")
    db = db_of(app)
    first, second = users.id_for(db, "first"), users.id_for(db, "second")
    theirs = validate_bytes(BROWSER_BANK.replace(IMAGE_LINE_OF_BROWSER_BANK, "").encode(), "theirs.yaml").bank
    import_banks(db, [(theirs, None)], origin="browser", author_id=second)
    mine = validate_file(write_media_bank(tmp_path / "b")).bank
    with pytest.raises(NotYours):
        import_banks(db, [(mine, None), (theirs, None)], origin="browser", author_id=first)
    assert media_rows(app) == 0 and stored_files(app) == []
    assert db.execute("SELECT count(*) FROM banks WHERE id = 'media-bank'").fetchone()[0] == 0


def test_exports_to_other_tools_say_the_media_are_left_out():
    import yaml

    from quizapp.interchange import write

    for kind in ("apkg", "csv", "gift"):  # an Anki package without the files it should carry says so too
        _data, notes = write(yaml.safe_load(MEDIA_BANK), kind, "en")
        assert "4 pictures and sound clips are left out" in [note.text() for note in notes], kind


def test_the_committed_schema_takes_media_and_asks_for_alt_and_transcript():
    import json

    import jsonschema
    import yaml

    from .helpers import ROOT

    schema = json.loads((ROOT / "docs" / "bank.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(yaml.safe_load(MEDIA_BANK), schema)
    for broken in (
        MEDIA_BANK.replace(', alt: {en: "A red rectangle", zh: "一个红色的长方形"}', ""),
        MEDIA_BANK.replace(', transcript: "Rectangle"', ""),
        MEDIA_BANK.replace("audio: {en: {path", "audio: {fr: {path"),
    ):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(yaml.safe_load(broken), schema)


def test_a_teacher_neither_sees_nor_uses_another_teachers_uploads(app, teacher):
    from .helpers import make_teacher

    assert upload(teacher, png(), "red-square.png").status_code == 200
    other = make_teacher(app, app.test_client(), "other-teacher")
    editor = other.get("/teach/banks/new").get_data(as_text=True)
    assert "media/red-square.png" not in editor
    refused = other.post("/teach/banks/check", data={"source": BROWSER_BANK})
    assert refused.status_code == 422 and "media/red-square.png is not there" in refused.get_data(as_text=True)


def test_a_zip_with_two_banks_is_refused_in_the_editor(app, teacher):
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("a.yaml", BROWSER_BANK)
        archive.writestr("b.yaml", BROWSER_BANK)
        archive.writestr("media/red-square.png", png())
    response = teacher.post(
        "/teach/banks/check",
        data={"source": "", "upload": (io.BytesIO(out.getvalue()), "two.zip")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "two.zip must hold exactly one bank file (.yaml), beside its media; it holds 2" in response.get_data(
        as_text=True
    )
    assert media_rows(app) == 0 and stored_files(app) == []
