"""Pictures and sound clips checked by their content, never by their names, and cleaned before storing.

No Flask and no database: the bank validator (for files beside a bank or in a zip) and the editor's
upload call the same `check_image` / `check_audio`, so a picture is refused for the same reasons
however it arrives. Decoding is Pillow's and mutagen's (well-kept libraries, not our own parsers);
what we add is the order of the checks: bytes first, then the header's pixel count BEFORE anything
is decoded (a 30,000 x 30,000 PNG of a few kilobytes must not cost a gigabyte of memory), then a full
decode and a re-encode that leaves EXIF (a phone photo's GPS), text chunks and colour profiles behind.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

import mutagen
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4
from mutagen.oggopus import OggOpus
from mutagen.oggvorbis import OggVorbis
from mutagen.wave import WAVE
from PIL import Image, ImageOps, UnidentifiedImageError

from quizapp.core.messages import N_, UserError

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 40-megapixel photo; decoded as RGBA that is 160 MB of memory
MAX_AUDIO_BYTES = 10 * 1024 * 1024
MAX_SECONDS = 5 * 60
MAX_FRAMES = 300  # an animated GIF's frames, each decoded in full when re-encoding

# Pillow's format name -> (our file ending, Content-Type).
IMAGE_FORMATS = {"PNG": ("png", "image/png"), "JPEG": ("jpg", "image/jpeg"), "WEBP": ("webp", "image/webp")}
IMAGE_FORMATS["GIF"] = ("gif", "image/gif")
AUDIO_TYPES = {MP3: ("mp3", "audio/mpeg"), OggVorbis: ("ogg", "audio/ogg"), OggOpus: ("ogg", "audio/ogg")}
AUDIO_TYPES.update({MP4: ("m4a", "audio/mp4"), WAVE: ("wav", "audio/wav")})
EXTENSIONS = ("png", "jpg", "webp", "gif", "mp3", "ogg", "m4a", "wav")
MIME_TYPES = dict(list(IMAGE_FORMATS.values()) + list(AUDIO_TYPES.values()))


NOT_IMAGE = N_("%(name)s is not a PNG, JPEG, WebP or GIF image")
NOT_AUDIO = N_("%(name)s is not an MP3, OGG, M4A or WAV sound clip")


class MediaError(UserError):
    """A picture or clip refused: the message names the file and says what is wrong with it."""


@dataclass(frozen=True)
class Checked:
    """A file that passed: the bytes to store (re-encoded or stripped) and what they are."""

    data: bytes
    ext: str
    mime: str
    width: int | None = None
    height: int | None = None
    duration: float | None = None
    note: str = ""  # what the cleaning changed that the teacher should know (e.g. an animation kept)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def file(self) -> str:
        """The stored name: the hash of the stored bytes and the ending of their real format."""
        return f"{self.sha256}.{self.ext}"

    @property
    def kind(self) -> str:
        return "image" if self.mime.startswith("image/") else "audio"


def _mib(n: int) -> str:
    return f"{n / 1024 / 1024:.1f}"


def check_image(data: bytes, name: str) -> Checked:
    """A PNG, JPEG, WebP or GIF, by content; re-encoded upright and without metadata."""
    if len(data) > MAX_IMAGE_BYTES:
        raise MediaError(
            N_("%(name)s is %(size)s MB; pictures up to %(limit)s MB can be used"),
            name=name,
            size=_mib(len(data)),
            limit=MAX_IMAGE_BYTES // 1024 // 1024,
        )
    not_image = MediaError(NOT_IMAGE, name=name)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))  # reads the header only
            fmt = probe.format
            width, height = probe.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(name, None, None)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise not_image
    if fmt not in IMAGE_FORMATS:
        raise not_image
    if width * height > MAX_PIXELS:  # before any pixel is decoded
        raise _too_many_pixels(name, width, height)
    if width < 1 or height < 1:
        raise not_image
    try:
        probe.verify()  # checksums and structure, still without keeping pixels
        image = Image.open(io.BytesIO(data))
        frames = getattr(image, "n_frames", 1)
        if frames > MAX_FRAMES:
            raise MediaError(
                N_("%(name)s has %(frames)s frames; animations of up to %(limit)s frames can be used"),
                name=name,
                frames=frames,
                limit=MAX_FRAMES,
            )
        cleaned, note = _reencode(image, fmt)
    except MediaError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(name, width, height)
    except (OSError, SyntaxError, ValueError, EOFError):
        raise MediaError(N_("%(name)s is a damaged or incomplete image"), name=name)
    ext, mime = IMAGE_FORMATS[fmt]
    shown = Image.open(io.BytesIO(cleaned))
    return Checked(cleaned, ext, mime, width=shown.size[0], height=shown.size[1], note=note)


def _too_many_pixels(name: str, width, height) -> MediaError:
    if width is None:
        return MediaError(
            N_("%(name)s has more than %(limit)s million pixels; make it smaller"),
            name=name,
            limit=MAX_PIXELS // 1_000_000,
        )
    return MediaError(
        N_("%(name)s is %(width)s x %(height)s pixels, more than %(limit)s million; make it smaller"),
        name=name,
        width=width,
        height=height,
        limit=MAX_PIXELS // 1_000_000,
    )


def _reencode(image: Image.Image, fmt: str) -> tuple[bytes, str]:
    """The pixels saved anew in the same format: EXIF orientation applied first, then nothing of the
    original's metadata (EXIF, XMP, text chunks, ICC profile, comments) is carried over."""
    out = io.BytesIO()
    if fmt == "GIF" and getattr(image, "n_frames", 1) > 1:
        frames = []
        durations = []
        for index in range(image.n_frames):
            image.seek(index)
            frames.append(image.convert("RGBA"))
            durations.append(image.info.get("duration", 100))
        frames[0].save(
            out,
            "GIF",
            save_all=True,
            append_images=frames[1:],
            duration=durations,
            loop=image.info.get("loop", 0),
            disposal=2,
        )
        return out.getvalue(), N_("the animation is kept")
    note = N_("only the first frame of the animation is kept") if getattr(image, "n_frames", 1) > 1 else ""
    upright = ImageOps.exif_transpose(image)  # a new image: its info no longer holds the EXIF block
    upright.load()
    transparency = upright.info.get("transparency")
    upright.info = {}
    if fmt == "JPEG":
        if upright.mode not in ("RGB", "L"):
            upright = upright.convert("RGB")
        upright.save(out, "JPEG", quality=90)
    elif fmt == "WEBP":
        upright.save(out, "WEBP", quality=90)
    else:
        options = {"transparency": transparency} if transparency is not None and upright.mode in ("P", "L") else {}
        upright.save(out, fmt, **options)
    return out.getvalue(), note


def check_audio(data: bytes, name: str) -> Checked:
    """An MP3, OGG (Vorbis or Opus), M4A (AAC) or WAV clip, by content; refused when cut short;
    its tags (titles, pictures, comments) removed."""
    if len(data) > MAX_AUDIO_BYTES:
        raise MediaError(
            N_("%(name)s is %(size)s MB; sound clips up to %(limit)s MB can be used"),
            name=name,
            size=_mib(len(data)),
            limit=MAX_AUDIO_BYTES // 1024 // 1024,
        )
    not_audio = MediaError(NOT_AUDIO, name=name)
    found = _identify(data)
    if found is None or type(found) not in AUDIO_TYPES:
        raise not_audio
    if isinstance(found, MP4) and not str(getattr(found.info, "codec", "")).startswith("mp4a"):
        raise not_audio  # an MP4 video or ALAC: not a clip every browser plays
    length = float(getattr(found.info, "length", 0) or 0)
    if length <= 0 or _cut_short(found, data):
        raise MediaError(N_("%(name)s is damaged or cut short: save or export the clip again"), name=name)
    if length > MAX_SECONDS:
        raise MediaError(
            N_("%(name)s lasts %(seconds)s seconds; clips of up to %(limit)s seconds can be used"),
            name=name,
            seconds=round(length),
            limit=MAX_SECONDS,
        )
    stripped = _strip_tags(data)
    again = _identify(stripped)
    if again is None or type(again) is not type(found):
        raise MediaError(N_("%(name)s is damaged or cut short: save or export the clip again"), name=name)
    ext, mime = AUDIO_TYPES[type(found)]
    return Checked(stripped, ext, mime, duration=round(length, 3))


def _identify(data: bytes):
    """mutagen's reading of the bytes (by their content: the stream has no name), or None."""
    try:
        return mutagen.File(io.BytesIO(data))
    except Exception:  # mutagen raises its own error types per format, and struct/index errors on junk
        return None


def _cut_short(found, data: bytes) -> bool:
    """Whether an MP3 or WAV holds fewer bytes than its own header promises: the length they report
    comes from a header (an MP3's Xing/Info frame, a WAV's data chunk size), so a file cut in half
    still claims the whole duration. OGG and M4A readers fail on a cut file themselves."""
    if not isinstance(found, (MP3, WAVE)) or not getattr(found.info, "bitrate", 0):
        return False
    tags = getattr(found.tags, "size", 0) or 0
    promised = found.info.length * found.info.bitrate / 8
    return len(data) - tags < promised * 0.9


def _strip_tags(data: bytes) -> bytes:
    """The clip without its metadata, by mutagen's own `delete` on an in-memory copy."""
    buffer = io.BytesIO(data)
    try:
        found = mutagen.File(buffer)
        if found is not None and found.tags is not None:
            buffer.seek(0)
            found.delete(buffer)
    except Exception:
        return data
    return buffer.getvalue()


def check(data: bytes, name: str, kind: str) -> Checked:
    """`kind` is "image" or "audio": what the bank field (or the upload) says the file must be."""
    return check_image(data, name) if kind == "image" else check_audio(data, name)


def check_any(data: bytes, name: str) -> Checked:
    """An upload that may be either: a picture when Pillow recognises it, else a clip."""
    try:
        return check_image(data, name)
    except MediaError as image_error:
        if image_error.message != NOT_IMAGE:
            raise
    try:
        return check_audio(data, name)
    except MediaError as audio_error:
        if audio_error.message != NOT_AUDIO:
            raise
    raise MediaError(
        N_("%(name)s is neither a picture (PNG, JPEG, WebP, GIF) nor a sound clip (MP3, OGG, M4A, WAV)"), name=name
    )
