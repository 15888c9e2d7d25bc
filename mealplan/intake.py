"""Shared shapes for what was eaten (issue 13): totals where unknown stays unknown."""

from __future__ import annotations

from dataclasses import dataclass, field

NUTRIENTS = ("magnesium_mg", "added_magnesium_mg", "kcal", "carbohydrate_g", "sodium_mg")


@dataclass(frozen=True)
class Amounts:
    """Sums of logged or planned items. A nutrient in `unknown` was unknown for at least one
    item: its value is then a lower bound ("at least"), never a complete total."""

    magnesium_mg: float = 0.0
    added_magnesium_mg: float = 0.0
    kcal: float = 0.0
    carbohydrate_g: float = 0.0
    sodium_mg: float = 0.0
    unknown: frozenset[str] = field(default_factory=frozenset)

    def __add__(self, other: Amounts) -> Amounts:
        return Amounts(
            **{n: getattr(self, n) + getattr(other, n) for n in NUTRIENTS},
            unknown=self.unknown | other.unknown,
        )

    @classmethod
    def of(cls, **values: float | None) -> Amounts:
        """Build from values where None is unknown."""
        return cls(
            **{n: float(values.get(n) or 0.0) for n in NUTRIENTS},
            unknown=frozenset(n for n in NUTRIENTS if values.get(n) is None),
        )

    def is_known(self, nutrient: str) -> bool:
        return nutrient not in self.unknown
