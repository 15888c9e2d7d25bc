"""Paste an ingredient list, then review what each line became before it is saved.

The review's rows come from the draft, never from the POST: a row is only ever one of the
draft's lines, so a tampered form can change a choice but not add or drop lines. A chosen
food is any active catalog food (the select offers the best matches, but an id from a
search is fine); its existence is checked for all rows in one query.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

from django import forms
from django.http import QueryDict

from foods.models import Food, Slot
from foods.recipe_selectors import FOOD_ID_MAX
from foods.recipe_services import (
    MAX_LINE_GRAMS,
    MAX_LIST_CHARS,
    MAX_SERVINGS,
    RecipeData,
    RecipeLine,
)
from foods.recipes import drafts
from foods.recipes.drafts import RecipeDraft
from foods.recipes.lines import (
    MATCHES,
    FoodMatch,
    LineAnalysis,
    analyse_line,
    analyse_lines,
    grams_for_food,
    search_foods,
)

logger = logging.getLogger(__name__)

# A single pasted line holding the whole list: "2 cups rice / 30 g almonds / salt".
INLINE_SEPARATOR = " / "
# Two grams figures closer than this are one amount (the page shows grams to 0.1 g).
SAME_GRAMS = 0.1
# A portion times its quantity within 1 % of the line's grams is the same amount.
PORTION_TOLERANCE = 0.01
SEARCH_MAX_CHARS = 100


def _styled(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        elif not isinstance(widget, forms.HiddenInput):
            widget.attrs.setdefault("class", "form-control")


class RecipeHeaderForm(forms.Form):
    """What a recipe is, apart from its lines: name, servings, slots, instructions."""

    name = forms.CharField(
        max_length=drafts.MAX_NAME_CHARS,
        error_messages={"required": "Give the recipe a name."},
    )
    servings = forms.IntegerField(
        label="Servings it makes", min_value=1, max_value=MAX_SERVINGS, initial=1
    )
    slots = forms.MultipleChoiceField(
        label="Suits",
        choices=Slot.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one meal the recipe suits."},
    )
    instructions = forms.CharField(
        required=False,
        max_length=drafts.MAX_INSTRUCTIONS_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _styled(self)

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Give the recipe a name.")
        return name


class PasteForm(RecipeHeaderForm):
    """A recipe's name, servings, slots and its ingredient list, one line each."""

    ingredients = forms.CharField(
        label="Ingredients, one a line",
        max_length=MAX_LIST_CHARS,
        widget=forms.Textarea(
            attrs={
                "rows": 10,
                "placeholder": "2 cups cooked brown rice\n30 g almonds\n"
                "1 can (15 oz) black beans, drained\nsalt to taste",
            }
        ),
        help_text='One ingredient a line; a single line may also separate them with " / ".',
        error_messages={"required": "Paste at least one ingredient line."},
    )
    field_order = ["name", "servings", "slots", "ingredients", "instructions"]

    def clean_ingredients(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["ingredients"].splitlines()]
        lines = [line for line in lines if line]
        if len(lines) == 1 and INLINE_SEPARATOR in lines[0]:
            lines = [part.strip() for part in lines[0].split(INLINE_SEPARATOR) if part.strip()]
        if not lines:
            raise forms.ValidationError("Paste at least one ingredient line.")
        for number, line in enumerate(lines, start=1):
            if len(line) > drafts.MAX_LINE_CHARS:
                raise forms.ValidationError(
                    f"Line {number} has {len(line):,} characters; "
                    f"keep each to {drafts.MAX_LINE_CHARS}."
                )
        if len(lines) > drafts.MAX_LINES:
            raise forms.ValidationError(
                f"That is {len(lines)} lines; a recipe takes at most {drafts.MAX_LINES}."
            )
        return lines

    def draft(self) -> RecipeDraft:
        data = self.cleaned_data
        return RecipeDraft(
            name=data["name"],
            lines=data["ingredients"],
            servings=data["servings"],
            instructions=data["instructions"],
            slots=list(data["slots"]),
            origin="pasted list",
        )


def analysed(lines: list[str]) -> list[LineAnalysis]:
    """Read a draft's lines; one the parser cannot read is kept as text, never an error page."""
    try:
        return analyse_lines(lines)
    except (ArithmeticError, ValueError):
        return [_analysed_or_text(line) for line in lines]


def _analysed_or_text(line: str) -> LineAnalysis:
    try:
        return analyse_line(line)
    except (ArithmeticError, ValueError):
        logger.exception("Ingredient line not read: %r", line)
        return LineAnalysis(
            text=line,
            name="",
            quantity=None,
            unit="",
            matches=(),
            grams=None,
            portion_id=None,
            counted=False,
            vague=False,
            problem="This line could not be read: it is kept as text.",
        )


def header_initial(draft: RecipeDraft) -> dict:
    return {
        "name": draft.name,
        "servings": draft.servings,
        "slots": draft.slots,
        "instructions": draft.instructions,
    }


class ReviewLineForm(forms.Form):
    """One line of the review: the food it counts as (or none: kept as text), grams, left out.

    `shown_food` and `shown_grams` are what the page last showed: a food changed while the
    grams were left as shown gets its grams computed anew for the new food.
    """

    food = forms.IntegerField(
        required=False, min_value=1, max_value=FOOD_ID_MAX, widget=forms.Select
    )
    grams = forms.FloatField(
        required=False, widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"})
    )
    leave_out = forms.BooleanField(required=False)
    shown_food = forms.IntegerField(required=False, widget=forms.HiddenInput)
    shown_grams = forms.FloatField(required=False, widget=forms.HiddenInput)
    search = forms.CharField(
        required=False,
        max_length=SEARCH_MAX_CHARS,
        widget=forms.TextInput(
            attrs={
                "placeholder": "Search another food",
                "type": "search",
                "class": "form-control form-control-sm mt-1",
            }
        ),
    )

    def __init__(
        self,
        *args,
        analysis: LineAnalysis,
        foods: dict[int, Food],
        found: tuple[FoodMatch, ...] = (),
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.analysis = analysis
        self.foods = foods
        offered: dict[int, FoodMatch] = {}
        for match in (*analysis.matches, *found):
            offered.setdefault(match.food_id, match)
        self.offered = tuple(offered.values())
        self.search_problem = ""
        self.portion_id: int | None = None
        self.problem = analysis.problem
        _styled(self)
        self.fields["grams"].widget.attrs["max"] = f"{MAX_LINE_GRAMS:g}"
        self.fields["food"].widget.choices = self._choices()
        # With htmx, a new choice recalculates the rows at once; without, Recalculate does.
        self.fields["food"].widget.attrs.update(
            {
                "hx-post": "",
                "hx-trigger": "change",
                "hx-target": "#review-lines",
                "hx-select": "#review-lines",
                "hx-swap": "outerHTML",
                "hx-vals": '{"action": "recalculate"}',
            }
        )

    def _choices(self) -> list[tuple[str, str]]:
        offered = [
            (str(match.food_id), f"{match.name} — {round(match.score * 100)} %")
            for match in self.offered
        ]
        chosen = self.chosen_food_id
        if chosen is not None and chosen not in {m.food_id for m in self.offered}:
            food = self.foods.get(chosen)
            offered.insert(0, (str(chosen), food.name if food else f"Food {chosen}"))
        return [*offered, ("", "None: keep the line as text, not counted")]

    @property
    def chosen_food_id(self) -> int | None:
        raw = self.data.get(self.add_prefix("food")) if self.is_bound else self.initial.get("food")
        try:
            return int(raw) if raw not in (None, "") else None
        except (TypeError, ValueError):
            return None

    @property
    def chosen_food(self) -> Food | None:
        chosen = self.chosen_food_id
        return None if chosen is None else self.foods.get(chosen)

    @property
    def shown_grams_value(self) -> float | None:
        raw = (
            self.data.get(self.add_prefix("grams")) if self.is_bound else self.initial.get("grams")
        )
        try:
            grams = float(raw)
        except (TypeError, ValueError):
            return None
        return grams if math.isfinite(grams) and grams > 0 else None

    @property
    def magnesium_mg(self) -> float | None:
        """Return the magnesium of the grams shown, or None when either is unknown."""
        food, grams = self.chosen_food, self.shown_grams_value
        if food is None or grams is None or food.magnesium_mg_per_100g is None:
            return None
        return food.magnesium_mg_per_100g * grams / 100

    @property
    def match_score(self) -> int | None:
        for match in self.offered:
            if match.food_id == self.chosen_food_id:
                return round(match.score * 100)
        return None

    def clean(self) -> dict:
        data = super().clean()
        if data.get("leave_out") or self.errors:
            return data
        food_id, grams = data.get("food"), data.get("grams")
        if food_id is None:
            return data  # kept as text, not counted
        food = self.foods.get(food_id)
        if food is None or not food.is_active:
            self.add_error("food", "That food is not in the catalog: choose another.")
        elif grams is None:
            self.add_error("grams", self.problem or "Give the grams of this line.")
        elif grams <= 0:
            self.add_error("grams", "Give grams above 0.")
        elif grams > MAX_LINE_GRAMS:
            self.add_error("grams", f"At most {MAX_LINE_GRAMS:,.0f} g for one line.")
        return data

    def recipe_line(self) -> RecipeLine | None:
        """Return the counted line, or None when it is left out or kept as text."""
        data = self.cleaned_data
        if data.get("leave_out") or data.get("food") is None:
            return None
        food, grams, quantity = self.foods[data["food"]], data["grams"], self.analysis.quantity
        portion = next((p for p in food.portions.all() if p.pk == self.portion_id), None)
        # An ingredient stored as quantity x portion must weigh its grams (Ingredient.save
        # recomputes them so); "1 tbsp" through a cup's density is grams alone.
        if portion is None or not quantity or not _same(portion.grams * quantity, grams, grams):
            portion, quantity = None, None
        return RecipeLine(
            food=food, grams=grams, text=self.analysis.text, portion=portion, quantity=quantity
        )

    def not_counted_text(self) -> str | None:
        data = self.cleaned_data
        if data.get("leave_out") or data.get("food") is not None:
            return None
        return self.analysis.text


@dataclass
class _Row:
    food_id: int | None
    grams: float | None
    portion_id: int | None
    problem: str
    found: tuple[FoodMatch, ...] = ()  # what the cook's search for another food found
    search_problem: str = ""


def _number(raw, kind=float):
    try:
        value = kind(raw)
    except (TypeError, ValueError, OverflowError):
        return None
    return value if math.isfinite(value) else None


class RecipeReview:
    """The review page's forms: the header and one row per line of the draft."""

    def __init__(
        self,
        draft: RecipeDraft,
        analyses: list[LineAnalysis],
        data: QueryDict | None = None,
    ) -> None:
        self.draft = draft
        self.analyses = analyses
        rows = [self._analysed(analysis) for analysis in analyses]
        # A search for another food is answered before anything is saved.
        self.searched = False
        if data is not None:
            data = data.copy()
            self.searched = self._search(data, rows)
        foods = _foods(self._wanted(data, rows))
        if data is not None:
            self._recompute(data, rows, foods)
        self.header = RecipeHeaderForm(data, initial=header_initial(draft))
        self.lines = []
        for index, (analysis, row) in enumerate(zip(analyses, rows, strict=True)):
            initial = {
                "food": row.food_id,
                "grams": _grams_text(row.grams),
                "shown_food": row.food_id,
                "shown_grams": _grams_text(row.grams),
            }
            form = ReviewLineForm(
                data,
                prefix=f"line-{index}",
                initial=initial,
                analysis=analysis,
                foods=foods,
                found=row.found,
            )
            form.portion_id = row.portion_id
            form.problem = row.problem
            form.search_problem = row.search_problem
            self.lines.append(form)

    @staticmethod
    def _analysed(analysis: LineAnalysis) -> _Row:
        """Return a line's food, grams and portion as the parser found them."""
        best = analysis.matches[0].food_id if analysis.matches else None
        food_id = best if analysis.counted else None
        return _Row(food_id, analysis.grams, analysis.portion_id, analysis.problem)

    def _search(self, data: QueryDict, rows: list[_Row]) -> bool:
        """Offer the foods found for each row's search, the best one chosen; say if any."""
        searched = False
        for index, row in enumerate(rows):
            name = f"line-{index}-search"
            text = " ".join(str(data.get(name, "")).split())[:SEARCH_MAX_CHARS]
            if not text:
                continue
            searched = True
            data[name] = ""
            row.found = tuple(search_foods(text, limit=MATCHES))
            if row.found:
                data[f"line-{index}-food"] = str(row.found[0].food_id)
            else:
                row.search_problem = f"No catalog food found for “{text}”."
        return searched

    def _wanted(self, data: QueryDict | None, rows: list[_Row]) -> set[int]:
        """Return the ids of the foods offered or chosen on the page."""
        wanted = set()
        for index, (analysis, row) in enumerate(zip(self.analyses, rows, strict=True)):
            wanted.update(match.food_id for match in (*analysis.matches, *row.found))
            posted = None if data is None else _number(data.get(f"line-{index}-food"), int)
            if posted is not None and 0 < posted <= FOOD_ID_MAX:
                wanted.add(posted)
        return wanted

    def _recompute(self, data: QueryDict, rows: list[_Row], foods: dict[int, Food]) -> None:
        """Work out grams anew in the POST where a food changed and its grams did not.

        Grams the cook typed win; grams left as the page showed them follow the food. The
        portion is kept only while the grams are the ones computed for the chosen food.
        """
        for index, (analysis, row) in enumerate(zip(self.analyses, rows, strict=True)):
            name = f"line-{index}-"
            food_id = _number(data.get(name + "food"), int)
            grams = _number(data.get(name + "grams"))
            shown_food = _number(data.get(name + "shown_food"), int)
            shown_grams = _number(data.get(name + "shown_grams"))
            food = foods.get(food_id) if food_id is not None else None
            if food is None:
                row.portion_id = None
                continue
            if food_id != row.food_id:
                row.grams, row.portion_id, row.problem = grams_for_food(analysis, food)
                if not analysis.counted:
                    row.problem = "The line gives no amount: give the grams."
            grams_untouched = grams is None or _same(grams, shown_grams)
            if food_id != shown_food and grams_untouched:
                data[name + "grams"] = _grams_text(row.grams)
                grams = row.grams
            data[name + "shown_food"] = str(food_id)
            data[name + "shown_grams"] = data.get(name + "grams", "")
            if grams is None or row.grams is None or not _same(grams, row.grams):
                row.portion_id = None
            row.food_id = food_id

    def is_valid(self) -> bool:
        # Every form validates (no short cut), so that the page marks every bad value at once;
        # a line left out is not saved, so its values cannot stop the rest.
        valid = [self.header.is_valid()]
        valid += [line.is_valid() or _checked(line, "leave_out") for line in self.lines]
        return all(valid)

    def recipe_data(self) -> RecipeData:
        header = self.header.cleaned_data
        lines = [line.recipe_line() for line in self.lines]
        texts = [line.not_counted_text() for line in self.lines]
        return RecipeData(
            name=header["name"],
            slots=header["slots"],
            servings=header["servings"],
            lines=[line for line in lines if line is not None],
            instructions=header["instructions"],
            not_counted=[text for text in texts if text],
            source_url=self.source_url,
        )

    @property
    def source_url(self) -> str:
        """Return the draft's source address when it is a web address (never javascript:)."""
        url = self.draft.source_url.strip()
        return url if url.lower().startswith(("http://", "https://")) else ""

    @property
    def magnesium_mg(self) -> float:
        """Return the magnesium of the counted lines whose magnesium is known."""
        return sum(line.magnesium_mg or 0 for line in self._counted())

    @property
    def servings(self) -> int:
        """Return the servings the page shows (as typed when valid, else the draft's)."""
        typed = _number(self.header.data.get("servings"), int) if self.header.is_bound else None
        return typed if typed is not None and 1 <= typed <= MAX_SERVINGS else self.draft.servings

    @property
    def magnesium_mg_per_serving(self) -> float:
        return self.magnesium_mg / self.servings

    @property
    def magnesium_known(self) -> bool:
        """Whether any counted line's magnesium is known (else the total is unknown, not 0)."""
        return any(line.magnesium_mg is not None for line in self._counted())

    @property
    def magnesium_unknown(self) -> int:
        return sum(1 for line in self._counted() if line.magnesium_mg is None)

    @property
    def counted(self) -> int:
        return len(self._counted())

    def _counted(self) -> list[ReviewLineForm]:
        return [
            line
            for line in self.lines
            if line.chosen_food_id is not None and not _checked(line, "leave_out")
        ]


def _checked(form: forms.Form, name: str) -> bool:
    if not form.is_bound:
        return bool(form.initial.get(name))
    return form.fields[name].widget.value_from_datadict(
        form.data, form.files, form.add_prefix(name)
    )


def _same(grams: float | None, other: float | None, scale: float = 0) -> bool:
    """Say whether two grams figures are one amount (within rounding, or 1 % of scale)."""
    if grams is None or other is None:
        return False
    return abs(grams - other) < max(SAME_GRAMS, PORTION_TOLERANCE * scale)


def _grams_text(grams: float | None) -> str:
    """Return grams as the page shows them: "390", "12.5", or "" when unknown."""
    return "" if grams is None else f"{round(grams, 1):g}"


def _foods(ids: set[int]) -> dict[int, Food]:
    """Return the foods offered or chosen, with their portions, in two queries."""
    if not ids:
        return {}
    return Food.objects.filter(pk__in=ids).prefetch_related("portions").in_bulk()
