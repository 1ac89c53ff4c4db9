"""Poster images: checked by their content (not their name), resized to the sizes pages show, kept in S3.

An upload is refused unless Pillow reads it as PNG, JPEG or WebP within the size and dimension limits.
It is stored once per size as WebP under a content-addressed key (``<movie>/<hash>-<size>.webp``), so a
key never changes meaning and the app can serve it with a long cache lifetime. Images never go into
DynamoDB items nor the app's folder; the movie's item keeps only the key's stem.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from dataclasses import dataclass

from botocore.exceptions import BotoCoreError, ClientError
from PIL import Image, UnidentifiedImageError

from services.errors import InvalidRequest, NotFound, ServiceUnavailable
from services.i18n import t
from services.platform.aws import Aws

MAX_BYTES = 5 * 1024 * 1024
MIN_SIDE, MAX_SIDE = 200, 6000
FORMATS = ("PNG", "JPEG", "WEBP")
# Widths pages use: the grid card (w-48 at 2x) and the movie page (w-64 at 2x, rounded up).
SIZES = {"card": 400, "page": 800}
CONTENT_TYPE = "image/webp"
_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}/[0-9a-f]{16}-(card|page)\.webp$")


class UnsupportedImage(InvalidRequest):
    """Not a PNG, JPEG or WebP image by its content (the API answers 415)."""

    code = "unsupported_media_type"


class ImageTooLarge(InvalidRequest):
    """Over the poster's byte limit (the API answers 413)."""

    code = "payload_too_large"


@dataclass(frozen=True)
class PosterImage:
    body: bytes
    content_type: str
    etag: str


def checked_image(data: bytes) -> Image.Image:
    """The decoded image, or InvalidRequest saying what is wrong with the upload."""
    if not data:
        raise InvalidRequest(t("Choose an image to upload."))
    if len(data) > MAX_BYTES:
        raise ImageTooLarge(t("A poster is at most {n} MB.", n=MAX_BYTES // (1024 * 1024)))
    try:
        with warnings.catch_warnings():
            # A decompression bomb is an error here, not a warning.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in FORMATS:
                raise UnsupportedImage(t("A poster is a PNG, JPEG or WebP image."))
            width, height = image.size
            if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE):
                raise InvalidRequest(t("A poster is {low} to {high} pixels on each side.", low=MIN_SIDE, high=MAX_SIDE))
            image.load()  # decode it all: a truncated or corrupt file fails here, not when served
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombWarning,
            Image.DecompressionBombError) as exc:
        raise UnsupportedImage(t("A poster is a PNG, JPEG or WebP image.")) from exc
    return image


def resized(image: Image.Image) -> dict[str, bytes]:
    """The image as WebP at each page size (never enlarged), keyed by size name."""
    rgb = image.convert("RGB")
    out: dict[str, bytes] = {}
    for name, width in SIZES.items():
        copy = rgb.copy()
        copy.thumbnail((width, width * 3))  # keeps the aspect ratio; a poster is taller than wide
        buffer = io.BytesIO()
        copy.save(buffer, format="WEBP", quality=82)
        out[name] = buffer.getvalue()
    return out


class PosterStore:
    def __init__(self, aws: Aws) -> None:
        self._s3 = aws.s3
        self._bucket = aws.posters_bucket

    def store(self, movie_id: str, data: bytes) -> str:
        """Check, resize and store an upload; returns the stem ``<movie>/<hash>`` the movie's item keeps."""
        images = resized(checked_image(data))
        stem = f"{movie_id}/{hashlib.sha256(data).hexdigest()[:16]}"
        try:
            for name, body in images.items():
                self._s3.put_object(Bucket=self._bucket, Key=f"{stem}-{name}.webp", Body=body,
                                    ContentType=CONTENT_TYPE, ServerSideEncryption="AES256")
        except (BotoCoreError, ClientError) as exc:
            raise ServiceUnavailable(t("The poster could not be stored just now. Please try again.")) from exc
        return stem

    def read(self, key: str) -> PosterImage:
        """One stored size by its key (``<stem>-<size>.webp``); NotFound for anything else."""
        if not _KEY.match(key):
            raise NotFound(t("That poster does not exist."))
        try:
            response = self._s3.get_object(Bucket=self._bucket, Key=key)
            body = response["Body"].read()
        except ClientError as exc:
            if exc.response["Error"]["Code"] in ("NoSuchKey", "404"):
                raise NotFound(t("That poster does not exist.")) from exc
            raise ServiceUnavailable(t("The poster cannot be loaded just now.")) from exc
        except BotoCoreError as exc:
            raise ServiceUnavailable(t("The poster cannot be loaded just now.")) from exc
        return PosterImage(body, CONTENT_TYPE, response.get("ETag", "").strip('"'))


def poster_key(stem: str, size: str) -> str:
    return f"{stem}-{size}.webp"
