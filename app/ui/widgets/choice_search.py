"""How typed text picks one of a list of labelled choices: the drop-downs' search
(app/ui/widgets/fields.py `CodeCombo`) and the asset checkboxes' type-ahead
(app/ui/widgets/typing_aids.py)."""

from __future__ import annotations

import re
from typing import Any

# The search of a drop-down starts over after this pause between keys: Qt's keyboard search
# interval, but at least a second, as officers type whole words with spaces.
MIN_SEARCH_PAUSE_MS = 1000
_THOUSANDS_DOT = re.compile(r"(?<=\d)\.(?=\d)")  # "1.300 VA" is found by typing 1300


def _rank(search: str, label: str) -> int | None:
    """How well a label matches a (case-folded) search: 0 the whole label, 1 its start, 2 the
    start of a word in it, 3 anywhere in it; None when it does not contain the search."""
    folded = label.casefold()
    ranks = []
    for text in {folded, _THOUSANDS_DOT.sub("", folded)}:
        if text == search:
            ranks.append(0)
        elif text.startswith(search):
            ranks.append(1)
        elif search in text:
            starts = (m.start() for m in re.finditer(re.escape(search), text))
            ranks.append(2 if any(not text[i - 1].isalnum() for i in starts) else 3)
    return min(ranks, default=None)


def best_match(choices: list[tuple[Any, str]], typed: str) -> int | None:
    """The position in `choices` ([(code, label)]) of the choice that `typed` picks, or None
    when nothing matches: a number picks the choice with that code, else the label that
    contains the text (case-insensitive), preferring the whole label, then a label that starts
    with it, then a word that starts with it, then the first in the list. A trailing space
    alone does not make a match fail."""
    search = typed.casefold()
    if not search.strip():
        return None
    if search.isdigit():
        for i, (code, _label) in enumerate(choices):
            if isinstance(code, int) and str(code) == search:
                return i
    for text in dict.fromkeys((search, search.rstrip())):
        ranked = [
            (rank, i)
            for i, (_code, label) in enumerate(choices)
            if (rank := _rank(text, label)) is not None
        ]
        if ranked:
            return min(ranked)[1]
    return None
