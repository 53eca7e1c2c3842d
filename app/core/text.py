"""Untrusted text made safe to show (issue 15): a peer's name, a key file's comment, a file
name. Control characters (escape sequences that rewrite a terminal line), format characters
(bidi overrides that reorder what a label shows) and unassigned code points are removed, line
breaks and tabs become spaces, and the length is bounded."""

from __future__ import annotations

import unicodedata

SHOWN = 120


def printable(text: object, limit: int = SHOWN) -> str:
    """`text` as it may be shown on a terminal or a label."""
    kept = []
    for char in str(text):
        if char in "\t\n\r\v\f":
            kept.append(" ")
        elif unicodedata.category(char)[0] != "C":
            kept.append(char)
    shown = " ".join("".join(kept).split())
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"
