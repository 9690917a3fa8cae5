"""Figures re-encoded for the screen: the report embeds them at ``report.figure_width`` pixels.

The PNGs in ``results/figures`` keep ``figures.dpi`` (300 by default, for print); the page only
needs what a screen shows, so each is scaled down to at most ``max_width`` pixels and stored with a
256-colour palette (the figures are flat colours and antialiased lines), about ten times smaller.

Example
-------
>>> from PIL import Image
>>> buffer = io.BytesIO(); Image.new("RGBA", (3000, 600), "white").save(buffer, "PNG")
>>> Image.open(io.BytesIO(screen_png(buffer.getvalue(), 1000))).size
(1000, 200)
"""


import io

from PIL import Image


def screen_png(content: bytes, max_width: int) -> bytes:
    """A PNG at most ``max_width`` pixels wide, on white, with a 256-colour palette.

    Parameters
    ----------
    content : bytes
        A PNG file.
    max_width : int
        Width in pixels (``report.figure_width``); narrower images keep their size.

    Returns
    -------
    bytes
        The re-encoded PNG.
    """
    image = Image.open(io.BytesIO(content))
    image.load()
    flat = Image.new("RGB", image.size, "white")
    flat.paste(image.convert("RGBA"), mask=image.convert("RGBA").getchannel("A"))
    if flat.width > max_width:
        flat = flat.resize((max_width, max(1, round(flat.height * max_width / flat.width))), Image.Resampling.LANCZOS)
    palette = flat.quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    palette.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
