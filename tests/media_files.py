"""Real media files for tests: pictures made with Pillow, sound clips encoded with soundfile
(libsndfile, which writes MP3, OGG Vorbis/Opus and WAV), and banks that use them.

Import from here (`from tests.media_files import ...` or `from .media_files import ...`):
`png()`, `jpeg_with_gps()`, `mp3()`, `write_media_bank(folder)` returns the bank file's path
with a picture on a question and a choice and a clip on a question and a card side.
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import numpy as np
import soundfile
from PIL import Image


def png(width: int = 40, height: int = 30, colour=(200, 40, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


def gif(frames: int = 3) -> bytes:
    out = io.BytesIO()
    images = [Image.new("RGB", (20, 20), (40 * i, 80, 120)) for i in range(frames)]
    images[0].save(out, "GIF", save_all=True, append_images=images[1:], duration=200, loop=0)
    return out.getvalue()


def jpeg_with_gps(orientation: int = 1, size=(60, 40)) -> bytes:
    """A JPEG whose EXIF has a GPS position (and an orientation tag), as a phone writes it."""
    image = Image.new("RGB", size, (10, 120, 200))
    image.paste((250, 250, 0), (0, 0, size[0] // 2, size[1] // 4))  # a mark in the top-left corner
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (39.0, 54.0, 27.0), "E", (116.0, 23.0, 50.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def huge_png_header(width: int = 30_000, height: int = 30_000) -> bytes:
    """A tiny PNG whose header claims width x height pixels: decoding it would take gigabytes, so a
    checker must refuse it from the header alone. Its pixel data is one compressed row of zeros."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * (width + 1)))
        + chunk(b"IEND", b"")
    )


def _tone(seconds: float, rate: int) -> np.ndarray:
    t = np.linspace(0, seconds, int(seconds * rate), endpoint=False)
    return 0.3 * np.sin(2 * np.pi * 440 * t)


def audio(fmt: str = "MP3", seconds: float = 1.0) -> bytes:
    """A real clip: fmt is MP3, OGG (Vorbis), OPUS or WAV."""
    subtype = {"MP3": "MPEG_LAYER_III", "OGG": "VORBIS", "OPUS": "OPUS", "WAV": "PCM_16"}[fmt]
    rate = 48000 if fmt == "OPUS" else 16000
    out = io.BytesIO()
    soundfile.write(out, _tone(seconds, rate), rate, format="OGG" if fmt == "OPUS" else fmt, subtype=subtype)
    return out.getvalue()


def mp3(seconds: float = 1.0) -> bytes:
    return audio("MP3", seconds)


MEDIA_BANK = """\
bank: media-bank
title: {en: Pictures and sound, zh: 图片和声音}
questions:
  - id: chart
    type: choice
    prompt: {en: "What does the chart show?", zh: "这张图显示什么？"}
    image: {path: media/chart.png, alt: {en: "A red rectangle", zh: "一个红色的长方形"}}
    audio: {zh: {path: media/prompt-zh.mp3, transcript: "这张图显示什么？"}}
    choices:
      - {en: "A rectangle", zh: "长方形", correct: true, image: {path: media/chart.png, alt: {en: "Red", zh: "红色"}}}
      - {en: "A circle", zh: "圆形"}
cards:
  - id: c1
    front: {en: "Rectangle", zh: "长方形", audio: {en: {path: media/prompt-zh.mp3, transcript: "Rectangle"}}}
    back: {en: "Four sides", zh: "四条边"}
"""


def write_media_bank(folder: Path, text: str = MEDIA_BANK, files: dict[str, bytes] | None = None) -> Path:
    """A bank file in `folder` with its media in folder/media/; returns the bank file's path."""
    folder = Path(folder)
    (folder / "media").mkdir(parents=True, exist_ok=True)
    for name, data in (files or {"chart.png": png(), "prompt-zh.mp3": mp3()}).items():
        (folder / "media" / name).write_bytes(data)
    path = folder / "media-bank.yaml"
    path.write_text(text, encoding="utf-8")
    return path
