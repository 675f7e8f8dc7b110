"""Sniff a media file's content before decoding: what it is, its codec and metadata.

Pictures and text files renamed ``.mp4``, audio-only recordings and MP4 files cut off by
an interrupted copy are recognised from their bytes (never their name), so the user
gets an error that says what the file is and what to do, instead of a generic "cannot
open". MP4/MOV boxes are walked to find the codec, the display rotation and a phone's
stated capture rate (Android's ``com.android.capture.fps``).
"""

from __future__ import annotations

import math
import os
import struct
from dataclasses import dataclass, field

__all__ = ["FileProbe", "probe_file"]


#: Relative difference between a file's stated capture rate and its container rate
#: above which the file is taken to be slow motion (normal Android clips state both).
SLOW_MOTION_TOLERANCE = 0.1

_IMAGE_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
)
_HEIF_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"mif1", b"msf1", b"avif", b"avis")
_CONTAINER_BOXES = (b"moov", b"trak", b"mdia", b"minf", b"stbl", b"udta", b"edts")
_CODEC_NAMES = {
    "avc1": "H.264",
    "avc3": "H.264",
    "hvc1": "HEVC (H.265)",
    "hev1": "HEVC (H.265)",
    "av01": "AV1",
    "vp09": "VP9",
    "vp08": "VP8",
    "mp4v": "MPEG-4 Part 2",
    "apch": "ProRes",
    "apcn": "ProRes",
    "ap4h": "ProRes",
    "dvh1": "Dolby Vision",
    "dvhe": "Dolby Vision",
}


@dataclass
class FileProbe:
    """What the first bytes and the MP4/MOV box structure say about a file.

    Attributes
    ----------
    kind : str
        ``"mp4"`` (ISO base media / QuickTime), ``"image"``, ``"text"`` or ``"other"``.
    detail : str
        Image format (PNG, JPEG, HEIC...) for images.
    handlers : list of str
        Track handler types of an MP4 (``"vide"``, ``"soun"``...).
    codecs : list of str
        Sample-entry codes of the MP4's tracks (``"avc1"``, ``"hvc1"``, ``"av01"``...).
    truncated : bool
        An MP4 box runs past the end of the file, or the index (``moov``) is missing.
    capture_fps : float or None
        Capture rate stated in the file's metadata (Android ``com.android.capture.fps``).
    """

    kind: str = "other"
    detail: str = ""
    handlers: list = field(default_factory=list)
    codecs: list = field(default_factory=list)
    truncated: bool = False
    capture_fps: float | None = None


def probe_file(path: str | os.PathLike, max_moov: int = 64 << 20) -> FileProbe:
    """Sniff a file's type from its content (never from its name) without decoding it.

    Reads the first bytes (pictures and text renamed ``.mp4`` are told apart from
    videos) and walks the top-level boxes of an MP4/MOV file, reading only its index
    (``moov``, at most ``max_moov`` bytes) for the track types, truncation and the
    capture frame rate of slow-motion phone clips. Never raises on malformed input:
    whatever cannot be parsed is left at its default.
    """
    probe = FileProbe()
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as f:
            head = f.read(512)
            for magic, name in _IMAGE_MAGIC:
                if head.startswith(magic):
                    return FileProbe(kind="image", detail=name)
            if head[:2] == b"BM" and len(head) >= 6 and struct.unpack("<I", head[2:6])[0] == size:
                return FileProbe(kind="image", detail="BMP")
            if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
                return FileProbe(kind="image", detail="WebP")
            if head[4:8] == b"ftyp":
                brands = [head[i : i + 4] for i in range(8, min(len(head), 8 + 64), 4)]
                if brands[0] in _HEIF_BRANDS:
                    return FileProbe(kind="image", detail="HEIF/AVIF")
            if head[4:8] in (b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip"):
                probe.kind = "mp4"
                _walk_mp4(f, size, probe, max_moov)
            elif head and b"\x00" not in head:
                try:
                    head.decode("utf-8")
                    probe.kind = "text"
                except UnicodeDecodeError as exc:  # a multi-byte character cut at 512
                    if exc.start >= len(head) - 3:
                        probe.kind = "text"
    except OSError:
        pass
    return probe


def _boxes(buf: bytes, start: int, end: int):
    """Yield (type, content_start, content_end) of the boxes in ``buf[start:end]``."""
    pos = start
    while pos + 8 <= end:
        size, kind = struct.unpack(">I4s", buf[pos : pos + 8])
        hdr = 8
        if size == 1 and pos + 16 <= end:
            size = struct.unpack(">Q", buf[pos + 8 : pos + 16])[0]
            hdr = 16
        elif size == 0:
            size = end - pos
        if size < hdr or pos + size > end:
            return
        yield kind, pos + hdr, pos + size
        pos += size


def _walk_mp4(f, size: int, probe: FileProbe, max_moov: int) -> None:
    pos, moov, seen_moov = 0, None, False
    while pos + 8 <= size:
        f.seek(pos)
        hdr = f.read(16)
        if len(hdr) < 8:
            break
        box, kind = struct.unpack(">I4s", hdr[:8])
        hsize = 8
        if box == 1 and len(hdr) == 16:
            box, hsize = struct.unpack(">Q", hdr[8:16])[0], 16
        elif box == 0:
            box = size - pos
        if box < hsize:
            probe.truncated = True
            return
        if pos + box > size:
            probe.truncated = True
        if kind == b"moov":
            seen_moov = True
            if box <= max_moov:
                f.seek(pos)
                moov = f.read(min(box, size - pos))
        pos += box
    if not seen_moov:
        probe.truncated = True
    if moov is not None:
        _parse_boxes(moov, 0, len(moov), probe)


def _parse_boxes(
    buf: bytes, start: int, end: int, probe: FileProbe, depth: int = 0, parent: bytes = b""
) -> None:
    if depth > 12:  # real files nest 6 deep; a forged file must not exhaust the stack
        return
    for kind, a, b in _boxes(buf, start, end):
        if kind in _CONTAINER_BOXES:
            _parse_boxes(buf, a, b, probe, depth + 1, kind)
        elif kind == b"hdlr" and parent == b"mdia" and b - a >= 12:  # the track's type
            probe.handlers.append(buf[a + 8 : a + 12].decode("latin-1"))
        elif kind == b"stsd" and b - a >= 16:
            probe.codecs.append(buf[a + 12 : a + 16].decode("latin-1"))
        elif kind == b"meta":
            # ISO 'meta' is a full box (4 bytes of version/flags); QuickTime's is not.
            a = a if buf[a + 4 : a + 8] == b"hdlr" else a + 4
            _parse_meta(buf, a, b, probe)


def _parse_meta(buf: bytes, start: int, end: int, probe: FileProbe) -> None:
    keys: list[bytes] = []
    for kind, a, b in _boxes(buf, start, end):
        if kind == b"keys" and b - a >= 8:
            pos = a + 8
            while pos + 8 <= b:
                ksize = struct.unpack(">I", buf[pos : pos + 4])[0]
                if ksize < 8:
                    break
                keys.append(buf[pos + 8 : pos + ksize])
                pos += ksize
        elif kind == b"ilst":
            for item, ia, ib in _boxes(buf, a, b):
                idx = int.from_bytes(item, "big") - 1
                if not 0 <= idx < len(keys) or keys[idx] != b"com.android.capture.fps":
                    continue
                for dkind, da, db in _boxes(buf, ia, ib):
                    if dkind == b"data" and db - da > 8:
                        probe.capture_fps = _metadata_number(
                            int.from_bytes(buf[da + 1 : da + 4], "big"), buf[da + 8 : db]
                        )


def _metadata_number(type_code: int, value: bytes) -> float | None:
    """A number stored in a QuickTime metadata item (UTF-8 text, float or integer)."""
    try:
        if type_code == 1:
            v = float(value.decode("utf-8").strip("\x00 "))
        elif type_code == 23 and len(value) == 4:
            v = struct.unpack(">f", value)[0]
        elif type_code == 24 and len(value) == 8:
            v = struct.unpack(">d", value)[0]
        elif type_code in (21, 22) and 1 <= len(value) <= 8:
            v = float(int.from_bytes(value, "big", signed=type_code == 21))
        else:
            return None
    except (UnicodeDecodeError, ValueError, struct.error):
        return None
    return v if math.isfinite(v) and 0 < v <= 10000 else None


def _not_a_video(name: str, probe: FileProbe) -> str:
    """The message for a file OpenCV cannot read as a video, from what it contains."""
    if probe.kind == "image":
        return (
            f"{name} is a still picture ({probe.detail}), not a video. runform needs a "
            "video of the runner: record a few seconds of running (several strides)."
        )
    if probe.kind == "text":
        return (
            f"{name} is a text file, not a video. Check that you picked the video file; "
            "keypoints in a CSV file are read with read_keypoints_csv()."
        )
    if probe.kind == "mp4" and probe.handlers and "vide" not in probe.handlers:
        return (
            f"{name} has only a sound track and no picture (an audio recording?). "
            "Pick the video file instead."
        )
    if probe.truncated:
        return (
            f"{name} is cut off: the file is incomplete (an interrupted copy, upload or "
            "recording). Copy or export it again from the original."
        )
    if probe.kind == "mp4" and "vide" in probe.handlers:
        codec = next(
            (
                _CODEC_NAMES.get(c, repr(c))
                for i, c in enumerate(probe.codecs)
                if i < len(probe.handlers) and probe.handlers[i] == "vide"
            ),
            None,
        )
        if codec:
            return (
                f"{name} holds {codec} video, which the video decoder runform uses "
                "(OpenCV) cannot read here. Convert it to H.264, e.g. ffmpeg -i IN -c:v "
                "libx264 -crf 18 OUT.mp4 (on an iPhone: Settings > Camera > Formats > "
                "Most Compatible)."
            )
    return (
        f"Cannot read {name} as a video. Is it really a video (MP4, MOV, AVI)? Export it "
        "again as MP4 (H.264) and retry."
    )
