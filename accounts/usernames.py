"""Usernames that look alike: a skeleton two confusable names share (after Unicode TR39)."""

from __future__ import annotations

import unicodedata
from functools import cache

from confusable_homoglyphs.confusables import confusables_data

# Bidirectional marks that the confusables data keeps around right-to-left glyphs.
_MARKS = "\u200e\u200f"


@cache
def _prototypes() -> tuple[dict[str, str], dict[str, str]]:
    """Map each character to one member of its set of look-alikes, and some to two letters.

    The data lists, for each character, those it can be mistaken for; joining them into
    sets (union-find) gives every look-alike of "l" ("1", "I", "|", Cyrillic "ӏ"...) one
    representative, the lowest code point, so ASCII letters and digits represent their sets.
    """
    parent: dict[str, str] = {}

    def find(char: str) -> str:
        root = char
        while parent.get(root, root) != root:
            root = parent[root]
        parent[char] = root
        return root

    wide: dict[str, str] = {}
    for char, entries in confusables_data.items():
        if len(char) != 1:
            continue
        for entry in entries:
            glyph = entry["c"].strip(_MARKS)
            if len(glyph) == 1:
                low, high = sorted((find(char), find(glyph)))
                parent[high] = low
            elif glyph:
                wide.setdefault(char, glyph)  # "m" looks like "rn"
    single = {char: find(char) for char in list(parent)}
    return single, {char: "".join(single.get(c, c) for c in glyph) for char, glyph in wide.items()}


def username_skeleton(username: str) -> str:
    """Return what the name looks like: one for "alice", "Alice" and "аlice" (Cyrillic а)."""
    single, wide = _prototypes()
    text = unicodedata.normalize("NFKC", username)
    for _ in range(2):  # once more after case-folding: "I" looks like "l", "i" does not
        mapped = (single.get(char, char) for char in text)
        text = "".join(wide.get(char, char) for char in mapped).casefold()
    return text


def username_lookalikes(username: str) -> set[str]:
    """Return the skeletons of the name in its own case, lower case and upper case.

    A stored skeleton keeps "I" apart from "i" (it looks like "l"), so "ALICE" and "alice"
    differ; looking the name up in every case finds either.
    """
    return {
        username_skeleton(variant) for variant in (username, username.lower(), username.upper())
    }
