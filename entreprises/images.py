"""An enterprise's logo or photo: checked, then resized to the page's fixed sizes.

Only the resized copies are kept (WebP, which keeps a logo's transparency): a visitor
never downloads a camera's 12-megapixel original, and the stored files have names we
chose, never the uploader's.
"""

import io
import secrets
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# The largest width and height of the copies of the copies: the card's logo and the larger photo.
SIZES = {"small": 160, "large": 480}
ACCEPTED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF"}
# More pixels than this is no logo or photo but a decompression bomb.
MAX_PIXELS = 40_000_000
UPLOAD_FOLDER = "entreprises"


def _refused() -> ValidationError:
    return ValidationError(
        _("This file is not an image we can read. Send a JPEG, PNG, WebP or GIF image."),
        code="not_an_image",
    )


def resized_copies(upload, *, slug: str) -> dict[str, ContentFile]:
    """The copies of an uploaded image, by size name; ValidationError when the file is
    too big or not an image of an accepted format."""
    limit = settings.ENTERPRISE_IMAGE_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The image weighs %(size)s; at most %(max)s are accepted."),
            code="too_big",
            params={"size": filesizeformat(upload.size), "max": filesizeformat(limit)},
        )
    upload.seek(0)
    content = upload.read()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(content))
            if image.format not in ACCEPTED_FORMATS:
                raise _refused()
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(
                    _("The image has too many pixels: at most %(max)s million are accepted."),
                    code="too_many_pixels",
                    params={"max": MAX_PIXELS // 1_000_000},
                )
            image.load()
            image = ImageOps.exif_transpose(image)
            image = image.convert("RGBA" if _has_alpha(image) else "RGB")
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        raise _refused() from None
    token = secrets.token_hex(4)
    copies = {}
    for name, size in SIZES.items():
        buffer = io.BytesIO()
        copy = image.copy()
        copy.thumbnail((size, size), Image.Resampling.LANCZOS)  # smaller only, never larger
        copy.save(buffer, "WEBP", quality=85)
        copies[name] = ContentFile(buffer.getvalue(), name=f"{slug[:80]}-{token}-{size}.webp")
    return copies


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
