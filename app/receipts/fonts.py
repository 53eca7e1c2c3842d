"""The embedded fonts (DejaVu Sans, resources/fonts/, with its LICENSE): registered with
reportlab once per process, so every PDF carries the same glyphs whatever the printer has."""

from __future__ import annotations

from functools import cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from app.paths import resource

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"


@cache
def register() -> None:
    """Load the two TTF files (about 30 ms, once); reportlab embeds the glyphs used."""
    for name in (REGULAR, BOLD):
        pdfmetrics.registerFont(TTFont(name, str(resource("fonts", f"{name}.ttf"))))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD)
