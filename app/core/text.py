"""Untrusted text made safe to show (issue 15): a peer's name, a key file's comment, a file
name. Control characters (escape sequences that rewrite a terminal line), format characters
(bidi overrides that reorder what a label shows) and unassigned code points are removed, line
breaks and tabs become spaces, and the length is bounded."""

from __future__ import annotations

import unicodedata

SHOWN = 120


def printable(text: object, limit: int = SHOWN) -> str:
    """`text` as it may be shown on a terminal or a label."""
    shown = visible(text)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def visible(text: object) -> str:
    """`text` without its control, format and unassigned characters, line breaks and tabs as
    spaces, one space between words: also what a search looks for (a NUL in a pasted text
    would end SQLite's full-text query)."""
    kept = []
    for char in str(text):
        if char in "\t\n\r\v\f":
            kept.append(" ")
        elif unicodedata.category(char)[0] != "C":
            kept.append(char)
    return " ".join("".join(kept).split())
