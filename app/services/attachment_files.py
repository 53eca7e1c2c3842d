"""What an attachment file may be, and how it is made ready to store (issue 18).

Everything happens in memory: the file is read bounded (`MAX_INPUT_BYTES`), recognised by its
content (never its name), and

- an image (JPEG, PNG, WebP, TIFF, BMP) is decoded by Pillow with its decompression-bomb
  check as a refusal (`MAX_PIXELS`), turned upright by its EXIF orientation, flattened to RGB,
  shrunk to at most `MAX_SIDE` px and saved as JPEG (`QUALITY`) without any metadata: EXIF
  (GPS position, camera, time), XMP, ICC and comments are dropped; a photo still over
  `TARGET_BYTES` is saved at a lower quality, then 1280 px (`STEPS`), so 3,000 photos stay
  under ~300 MB (bench/bench_attachments.py);
- a PDF (allowed for scans: KTP, KK, the signed BA) is kept as it is, after checking that it
  starts with `%PDF-`, ends with `%%EOF` and is at most `MAX_PDF_BYTES`.

Anything else, or an image Pillow cannot decode, is refused with one line (`AttachmentError`)
before anything is stored. No temporary file is ever written.
"""

from __future__ import annotations

import hashlib
import io
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.errors import EXIT_BAD_INPUT, UserError

if TYPE_CHECKING:  # Pillow loads with the first attachment, not with the app (cold start)
    from PIL import Image

MAX_INPUT_BYTES = 20 * 1024 * 1024  # what is read of a chosen file
MAX_PDF_BYTES = 10 * 1024 * 1024  # a scanned PDF is stored as it is
MAX_PIXELS = 64_000_000  # larger images are refused (a 48 MP phone photo still passes)
MAX_SIDE = 1600  # px, the longer side of a stored photo
QUALITY = 80  # JPEG quality of a stored photo
TARGET_BYTES = 100_000  # per photo: 1,000 households x 3 photos stay under ~300 MB
STEPS = ((MAX_SIDE, 70), (MAX_SIDE, 60), (1280, 60))  # tried in turn while over TARGET_BYTES
IMAGE_FORMATS = ("JPEG", "PNG", "WEBP", "TIFF", "BMP")
JPEG = "image/jpeg"
PDF = "application/pdf"


class AttachmentError(UserError):
    """A file that is not taken as an attachment: nothing was stored."""

    exit_code = EXIT_BAD_INPUT


@dataclass(frozen=True)
class Prepared:
    """An attachment ready to store: the bytes and what they are."""

    mime: str
    data: bytes
    width: int | None
    height: int | None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def _refuse(indonesian: str, english: str) -> AttachmentError:
    return AttachmentError(indonesian, english)


def read_file(path: str | os.PathLike[str]) -> bytes:
    """At most MAX_INPUT_BYTES of the file; a larger one is refused before it is decoded."""
    name = Path(path).name
    try:
        with open(path, "rb") as source:
            data = source.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        raise _refuse(
            f"Berkas {name} tidak dapat dibaca: {exc.strerror or exc}.",
            f"cannot read {name}: {exc.strerror or exc}",
        ) from None
    return data


def prepare(data: bytes, allow_pdf: bool) -> Prepared:
    """The bytes to store for the file `data`; AttachmentError when it is not taken."""
    limit_mb = MAX_INPUT_BYTES // (1024 * 1024)
    if len(data) > MAX_INPUT_BYTES:
        raise _refuse(
            f"Berkas terlalu besar (lebih dari {limit_mb} MB); tidak disimpan.",
            f"file too large (more than {limit_mb} MB); nothing stored",
        )
    if not data:
        raise _refuse("Berkas kosong; tidak disimpan.", "empty file; nothing stored")
    if data.startswith(b"%PDF-"):
        if not allow_pdf:
            raise _refuse(
                "Foto rumah harus berupa gambar (JPEG/PNG), bukan PDF; tidak disimpan.",
                "a house photo must be an image, not a PDF; nothing stored",
            )
        return _pdf(data)
    return _image(data)


def _pdf(data: bytes) -> Prepared:
    limit_mb = MAX_PDF_BYTES // (1024 * 1024)
    if len(data) > MAX_PDF_BYTES:
        raise _refuse(
            f"PDF terlalu besar (lebih dari {limit_mb} MB); tidak disimpan.",
            f"PDF too large (more than {limit_mb} MB); nothing stored",
        )
    if b"%%EOF" not in data[-1024:]:
        raise _refuse(
            "PDF rusak atau tidak lengkap; tidak disimpan.",
            "damaged or truncated PDF (no %%EOF); nothing stored",
        )
    return Prepared(PDF, data, None, None)


def _image(data: bytes) -> Prepared:
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # Pillow's own bomb check, for every caller in the app
    not_image = _refuse(
        "Berkas bukan gambar (JPEG/PNG) atau PDF yang dapat dibaca; tidak disimpan.",
        "not a readable image (JPEG/PNG/WebP/TIFF/BMP) or PDF; nothing stored",
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=IMAGE_FORMATS) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise _too_many_pixels()
                image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # JPEG: decode at a smaller scale
                image.load()
                photo = _normalised(image)
    except AttachmentError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except Exception:  # a hostile or damaged file may raise anything from a decoder
        raise not_image from None
    return _within_budget(photo)


def _jpeg(photo: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=quality, optimize=True)
    return out.getvalue()


def _within_budget(photo: Image.Image) -> Prepared:
    from PIL import Image

    """The photo as JPEG at QUALITY, or, when that is over TARGET_BYTES, the first of STEPS
    (lower quality, then a smaller side) that is within it (else the last step)."""
    data = _jpeg(photo, QUALITY)
    for side, quality in STEPS:
        if len(data) <= TARGET_BYTES:
            break
        if max(photo.size) > side:
            photo = photo.copy()
            photo.thumbnail((side, side), Image.Resampling.BICUBIC)
        data = _jpeg(photo, quality)
    return Prepared(JPEG, data, photo.width, photo.height)


def _normalised(image: Image.Image) -> Image.Image:
    """Upright, RGB (transparency on white), at most MAX_SIDE px, with no metadata."""
    from PIL import Image, ImageOps

    upright = ImageOps.exif_transpose(image)
    if upright.mode in ("RGBA", "LA", "PA") or (
        upright.mode == "P" and "transparency" in upright.info
    ):
        rgba = upright.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
    else:
        flat = upright.convert("RGB")
    flat.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.BICUBIC)
    clean = Image.new("RGB", flat.size)  # a fresh image carries no info/EXIF of the source
    clean.paste(flat)
    return clean


def _too_many_pixels() -> AttachmentError:
    return _refuse(
        f"Gambar terlalu besar (lebih dari {MAX_PIXELS // 1_000_000} megapiksel); tidak disimpan.",
        f"image has too many pixels (more than {MAX_PIXELS // 1_000_000} MP); nothing stored",
    )
