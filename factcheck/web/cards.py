"""Share cards: a claim's verdict as the 1200×630 PNG that WhatsApp, X and Facebook show in a preview.

The card carries the rating's colour and label (or, for a retracted claim, that the verdict was
retracted, never the withdrawn rating), the claim and the site's name. It is drawn with Pillow from
the claim alone; the view caches it with the claim page's stamp and serves it at an address that
names the claim's version, so a correction gives the card a new address.

Fonts: DejaVu Sans from Debian's ``fonts-dejavu-core`` package (Bitstream Vera licence with public
domain changes) where it is installed, else the font bundled with Pillow (``ImageFont.load_default``,
Aileron, CC0). Nothing is downloaded at run time.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image, ImageDraw, ImageFont

from factcheck.claims.models import Claim

from .colours import text_colour_on

WIDTH, HEIGHT = 1200, 630
MARGIN = 64
BACKGROUND = "#ffffff"
INK = "#111111"
MUTED = "#4b5563"
# A retracted verdict has no current rating: the card shows the retraction in this neutral colour.
RETRACTED_COLOUR = "#4b5563"
NOT_CHECKABLE_COLOUR = "#4b5563"
BAND_HEIGHT = 150
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_FILES = {"regular": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf"}


@cache
def font(weight: str, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = FONT_DIR / FONT_FILES[weight]
    if path.exists():
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size=size)


def card_verdict(claim: Claim, language: str) -> tuple[str, str]:
    """The label the card leads with and its colour: the rating, or the retraction, or not checkable."""
    with translation.override(language):
        if claim.status == Claim.Status.RETRACTED:
            return gettext("Retracted"), RETRACTED_COLOUR
        if claim.status == Claim.Status.DISMISSED or claim.rating is None:
            return gettext("Not checkable"), NOT_CHECKABLE_COLOUR
        return claim.rating.label(language), claim.rating.colour


def wrap_lines(draw: ImageDraw.ImageDraw, text: str, typeface, width: int, max_lines: int) -> list[str]:
    """``text`` in lines no wider than ``width``, at most ``max_lines`` (the last one cut with an ellipsis)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        attempt = f"{current} {word}".strip()
        if not current or draw.textlength(attempt, font=typeface) <= width:
            current = attempt
        else:
            lines.append(current)
            current = word
    lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while " " in last and draw.textlength(last + "…", font=typeface) > width:
            last = last.rsplit(" ", 1)[0]
        lines[-1] = last.rstrip(" ,;:.") + "…"
    return lines


def share_card_png(claim: Claim, language: str) -> bytes:
    """The share card of ``claim`` for readers of ``language``, as PNG bytes."""
    label, colour = card_verdict(claim, language)
    on_colour = text_colour_on(colour)
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)

    # The verdict band across the top, in the rating's colour.
    draw.rectangle([(0, 0), (WIDTH, BAND_HEIGHT)], fill=colour)
    with translation.override(language):
        caption = gettext("Fact-check verdict") if claim.status != Claim.Status.RETRACTED else gettext("Verdict")
        retracted_note = gettext("This verdict has been retracted.") if claim.status == "retracted" else ""
    draw.text((MARGIN, 28), caption.upper(), font=font("regular", 28), fill=on_colour)
    draw.text((MARGIN, 62), label.upper(), font=font("bold", 64), fill=on_colour)

    # The claim, in quotes, wrapped to at most five lines.
    statement = claim.statement_in(language)
    body_font = font("bold", 46)
    top = BAND_HEIGHT + 48
    max_lines = 4 if retracted_note else 5
    for line in wrap_lines(draw, f"“{statement}”", body_font, WIDTH - 2 * MARGIN, max_lines):
        draw.text((MARGIN, top), line, font=body_font, fill=INK)
        top += 58
    if retracted_note:
        draw.text((MARGIN, top + 12), retracted_note, font=font("regular", 34), fill=MUTED)

    # The site's name at the foot, over a thin rule in the rating's colour.
    draw.rectangle([(0, HEIGHT - 96), (WIDTH, HEIGHT - 88)], fill=colour)
    draw.text((MARGIN, HEIGHT - 70), settings.PUBLISHER_NAME, font=font("bold", 36), fill=INK)

    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
