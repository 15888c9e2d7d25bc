"""A recipe on its way in: what a paste or an import found, kept until the cook reviews it.

Every way in (paste a list, a web page, a Mealie or Tandoor file) makes RecipeDrafts; the
review page (one draft at a time) turns each line into a matched food and grams, and only
saving the review writes a recipe. Drafts live in the session, bounded in size, so a
half-done import changes nothing in the database.
"""

from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass, field

from foods.models import Slot
from foods.recipe_services import (
    MAX_INSTRUCTIONS_CHARS,
    MAX_LINE_CHARS,
    MAX_LINES,
    MAX_NAME_CHARS,
    MAX_SERVINGS,
)

SESSION_KEY = "recipe_drafts"
MAX_DRAFTS = 50  # one upload's worth; older drafts drop out first


class DraftError(ValueError):
    """A draft that cannot be reviewed; the message says why."""


@dataclass
class RecipeDraft:
    name: str
    lines: list[str]
    servings: int = 1
    instructions: str = ""
    source_url: str = ""
    # Slots the source suggests ("breakfast", "lunch", "dinner", "snack"); the review asks.
    slots: list[str] = field(default_factory=list)
    # Where it came from, for the review's heading: "pasted list", "web page", "Mealie file".
    origin: str = "pasted list"

    def clean(self) -> RecipeDraft:
        """Return the draft trimmed to the limits; raise DraftError when nothing is left."""
        name = " ".join(self.name.split())[:MAX_NAME_CHARS]
        lines = [" ".join(line.split()) for line in self.lines]
        lines = [line[:MAX_LINE_CHARS] for line in lines if line]
        if not lines:
            raise DraftError(f"{name or 'The recipe'} has no ingredient lines.")
        if len(lines) > MAX_LINES:
            raise DraftError(f"{name or 'The recipe'} has {len(lines)} lines; at most {MAX_LINES}.")
        servings = (
            self.servings
            if isinstance(self.servings, int) and 1 <= self.servings <= MAX_SERVINGS
            else 1
        )
        return RecipeDraft(
            name=name,
            lines=lines,
            servings=servings,
            instructions=self.instructions.strip()[:MAX_INSTRUCTIONS_CHARS],
            source_url=self.source_url[:500],
            slots=[slot for slot in self.slots if slot in Slot.values],
            origin=self.origin,
        )


def store(session, drafts: list[RecipeDraft]) -> list[str]:
    """Keep cleaned drafts in the session and return their keys, in order."""
    saved = dict(session.get(SESSION_KEY, {}))
    keys = []
    for draft in drafts:
        key = secrets.token_urlsafe(8)
        saved[key] = asdict(draft.clean())
        keys.append(key)
    while len(saved) > MAX_DRAFTS:
        saved.pop(next(iter(saved)))
    session[SESSION_KEY] = saved
    return keys


def load(session, key: str) -> RecipeDraft | None:
    data = session.get(SESSION_KEY, {}).get(key)
    return None if data is None else RecipeDraft(**data)


def discard(session, key: str) -> None:
    saved = dict(session.get(SESSION_KEY, {}))
    if saved.pop(key, None) is not None:
        session[SESSION_KEY] = saved


def pending(session) -> list[str]:
    """Return the keys of drafts still waiting for review, oldest first."""
    return list(session.get(SESSION_KEY, {}))
