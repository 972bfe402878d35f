"""Wide-gamut photos (an iPhone's Display P3) converted to sRGB before their profile is dropped."""

from __future__ import annotations

import functools
import io
from typing import TYPE_CHECKING

from PIL import Image

if TYPE_CHECKING:
    from PIL.ImageCms import ImageCmsTransform


def to_srgb(im: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """`im` (mode RGB) in sRGB: converted when its ICC profile is another RGB space, else unchanged.

    The saved JPEG carries no profile (metadata is stripped), and Qt and ReportLab read untagged
    pixels as sRGB, so P3 pixels left as they are would look dull on screen and on printed cards.
    """
    if not icc_profile:
        return im
    transform = _transform_from(icc_profile)
    return im if transform is None else transform.apply(im)


@functools.lru_cache(maxsize=8)
def _transform_from(icc_profile: bytes) -> ImageCmsTransform | None:
    # Imported here so that importing muba_desk.photos does not load LittleCMS.
    from PIL import ImageCms

    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        if source.profile.xcolor_space != "RGB ":
            return None
        if "srgb" in (source.profile.profile_description or "").lower():
            return None  # already sRGB: skip a pass that would change nothing
        # NOCACHE: LittleCMS' one-pixel cache is not safe when threads share a transform.
        # HIGHRESPRECALC: measured a third faster on a Display P3 photo, same pixels.
        return ImageCms.buildTransform(
            source,
            ImageCms.createProfile("sRGB"),
            "RGB",
            "RGB",
            flags=ImageCms.Flags.NOCACHE | ImageCms.Flags.HIGHRESPRECALC,
        )
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return None  # a broken profile costs the colour correction, not the photo
