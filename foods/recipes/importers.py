"""Read recipes from a web page, a Mealie file or a Tandoor export into RecipeDrafts.

Pure readers: bytes or text in, drafts out; nothing touches the database. A whole file that
cannot be read raises RecipeImportError; inside a readable file, each recipe that cannot be
read becomes a BrokenRecipe with its reason, so the cook can choose to import the others.

Formats, as those projects write them:
- Mealie: one recipe as JSON (name, recipeYield/recipeServings, recipeIngredient items with
  quantity, unit{name}, food{name}, note, originalText, display; recipeInstructions [{text}];
  recipeCategory, tags, orgURL), or its recipe export zip: recipes/<slug>/<slug>.json, with
  images beside each.
- Tandoor ("Default" export): a zip of one zip per recipe, each holding recipe.json (name,
  servings, steps [{instruction, ingredients [{food{name}, unit{name}, amount, note,
  is_header, no_amount}]}], keywords [{name}], source_url) and perhaps an image.

Zip files are read in memory, never extracted, within MAX_UNZIPPED_BYTES in all (the sizes a
zip declares bound what zipfile will inflate), MAX_MEMBERS entries, one level of inner zips,
and a compression ratio that real recipe files do not reach.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from foods.models import Slot
from foods.recipe_services import MAX_SERVINGS
from foods.recipes.drafts import MAX_DRAFTS, DraftError, RecipeDraft

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_HTML_BYTES = 2 * 1024 * 1024
MAX_UNZIPPED_BYTES = 20 * 1024 * 1024
MAX_JSON_BYTES = 5 * 1024 * 1024
MAX_MEMBERS = 2000
# A member may shrink this much when zipped and no more: JSON compresses about 5 to 10 times,
# images hardly at all, while a zip bomb's members compress a thousand times or more.
MAX_RATIO = 100
RATIO_CHECK_FROM_BYTES = 64 * 1024  # tiny members compress oddly; they cannot hurt anyway

SLOT_HINTS = {
    "breakfast": ("breakfast",),
    "brunch": ("breakfast", "lunch"),
    "lunch": ("lunch",),
    "dinner": ("dinner",),
    "supper": ("dinner",),
    "main": ("lunch", "dinner"),
    "main course": ("lunch", "dinner"),
    "main dish": ("lunch", "dinner"),
    "mains": ("lunch", "dinner"),
    "entree": ("lunch", "dinner"),
    "entrée": ("lunch", "dinner"),
    "soup": ("lunch", "dinner"),
    "salad": ("lunch", "dinner"),
    "snack": ("snack",),
    "snacks": ("snack",),
    "appetizer": ("snack",),
    "dessert": ("snack",),
}


class RecipeImportError(ValueError):
    """Nothing could be imported; the message says why, in words for the user."""


@dataclass(frozen=True)
class BrokenRecipe:
    where: str  # the file (and recipe name, when known)
    reason: str


@dataclass
class ImportResult:
    drafts: list[RecipeDraft] = field(default_factory=list)
    broken: list[BrokenRecipe] = field(default_factory=list)

    @property
    def found(self) -> int:
        return len(self.drafts) + len(self.broken)


class _Broken(ValueError):
    """One recipe cannot be read (internal: becomes a BrokenRecipe)."""


# Shared pieces -----------------------------------------------------------------------------


def slot_hints(labels) -> list[str]:
    """Slots suggested by a source's categories or keywords ("Main course" → lunch, dinner)."""
    slots = {
        slot
        for label in labels
        for slot in SLOT_HINTS.get(" ".join(str(label).lower().split()), ())
    }
    return [slot for slot in Slot.values if slot in slots]


def servings_from(*values) -> int:
    """The first usable servings count: a number, or the leading number of "4 servings"."""
    for value in values:
        if isinstance(value, bool) or value is None:
            continue
        if isinstance(value, int | float):
            number = value
        else:
            match = re.search(r"\d+(?:[.,]\d+)?", str(value))
            if not match:
                continue
            number = float(match.group().replace(",", "."))
        if 1 <= number <= MAX_SERVINGS:
            return max(1, round(number))
    return 1


def amount_text(value) -> str:
    """An amount as a cook writes it: 2, 0.5, 1.25 (no trailing zeros); "" for none or 0."""
    if value in (None, "") or isinstance(value, bool):
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value).strip()
    if not number.is_finite() or number <= 0:
        return ""
    text = f"{number.quantize(Decimal('0.001')):f}".rstrip("0").rstrip(".")
    return text


def _name(value) -> str:
    """The name of a {name: ...} object (Mealie and Tandoor units and foods), or a string."""
    if isinstance(value, dict):
        value = value.get("name") or value.get("abbreviation") or ""
    return value.strip() if isinstance(value, str) else ""


def built_line(amount, unit, food, note) -> str:
    """'amount unit food, note' from structured fields, leaving out what is missing."""
    text = " ".join(part for part in (amount_text(amount), _name(unit), _name(food)) if part)
    note = note.strip() if isinstance(note, str) else ""
    if note and text:
        return f"{text}, {note}"
    return text or note


def _labels(values) -> list[str]:
    if isinstance(values, str):
        return values.split(",")
    if isinstance(values, list):
        return [_name(value) for value in values]
    return []


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _checked(draft: RecipeDraft) -> RecipeDraft:
    """The draft as it will be stored; raise _Broken when the limits leave nothing usable."""
    if not draft.name:
        raise _Broken("it has no name")
    try:
        draft.clean()
    except DraftError as error:
        raise _Broken(str(error)) from error
    return draft


# Web pages ---------------------------------------------------------------------------------


def drafts_from_html(html: str, url: str = "") -> list[RecipeDraft]:
    """The schema.org Recipe (JSON-LD or microdata) of a page as a draft; or RecipeImportError."""
    from recipe_scrapers import scrape_html  # loads hundreds of site modules: only when used

    if not html or not html.strip():
        raise RecipeImportError("The page is empty.")
    if len(html.encode("utf-8", errors="replace")) > MAX_HTML_BYTES:
        raise RecipeImportError("That page is larger than 2 MB.")
    no_recipe = (
        "No recipe found on that page: it has no schema.org Recipe (JSON-LD or microdata)."
        " Paste the ingredient list instead."
    )
    try:
        scraper = scrape_html(html, org_url=url or "https://recipe.invalid/", supported_only=False)
    except Exception as error:  # recipe-scrapers raises its own kinds and parser errors
        raise RecipeImportError(no_recipe) from error

    def read(method, default):
        try:
            return getattr(scraper, method)() or default
        except Exception:  # a field the page lacks raises; it is optional here
            return default

    lines = read("ingredients", [])
    name = read("title", "")
    if not lines and not name:
        raise RecipeImportError(no_recipe)
    draft = RecipeDraft(
        name=name if isinstance(name, str) else "",
        lines=[line for line in lines if isinstance(line, str)],
        servings=servings_from(read("yields", "")),
        instructions=read("instructions", ""),
        source_url=url,
        slots=slot_hints(_labels(read("category", ""))),
        origin="web page",
    )
    try:
        return [_checked(draft)]
    except _Broken as error:
        raise RecipeImportError(f"The recipe on that page cannot be used: {error}.") from error


# Mealie ------------------------------------------------------------------------------------


def _mealie_line(item) -> str:
    if isinstance(item, str):
        return item.strip()
    if not isinstance(item, dict):
        raise _Broken("an ingredient is neither text nor an object")
    original = _text(item.get("originalText"))
    if original:
        return original
    if item.get("disableAmount") and not item.get("food"):
        # Unparsed Mealie ingredients keep the whole line in the note.
        return _text(item.get("note")) or _text(item.get("display"))
    built = built_line(item.get("quantity"), item.get("unit"), item.get("food"), item.get("note"))
    return built or _text(item.get("display"))


def _mealie_instructions(steps) -> str:
    if isinstance(steps, str):
        return steps
    parts = []
    for step in steps if isinstance(steps, list) else []:
        if isinstance(step, str):
            parts.append(step.strip())
        elif isinstance(step, dict):
            title, text = _text(step.get("title")), _text(step.get("text"))
            parts.append(f"{title}\n{text}".strip() if title else text)
    return "\n\n".join(part for part in parts if part)


def mealie_draft(data) -> RecipeDraft:
    """One Mealie recipe (its JSON as a dict) as a draft; raise _Broken with the reason."""
    if not isinstance(data, dict):
        raise _Broken("it is not a recipe object")
    if "recipeIngredient" not in data:
        raise _Broken("it has no recipeIngredient list (is it a Mealie recipe?)")
    items = data["recipeIngredient"]
    if not isinstance(items, list):
        raise _Broken("recipeIngredient is not a list")
    return _checked(
        RecipeDraft(
            name=_text(data.get("name")),
            lines=[line for line in map(_mealie_line, items) if line],
            servings=servings_from(
                data.get("recipeServings"), data.get("recipeYieldQuantity"), data.get("recipeYield")
            ),
            instructions=_mealie_instructions(data.get("recipeInstructions")),
            source_url=_text(data.get("orgURL")),
            slots=slot_hints(_labels(data.get("recipeCategory")) + _labels(data.get("tags"))),
            origin="Mealie file",
        )
    )


# Tandoor -----------------------------------------------------------------------------------


def _tandoor_line(item) -> str:
    if not isinstance(item, dict):
        raise _Broken("an ingredient is not an object")
    if item.get("is_header"):
        return ""
    original = _text(item.get("original_text"))
    if original:
        return original
    amount = None if item.get("no_amount") else item.get("amount")
    return built_line(amount, item.get("unit"), item.get("food"), item.get("note"))


def tandoor_draft(data) -> RecipeDraft:
    """One Tandoor recipe.json (as a dict) as a draft; raise _Broken with the reason."""
    if not isinstance(data, dict):
        raise _Broken("it is not a recipe object")
    steps = data.get("steps")
    if not isinstance(steps, list):
        raise _Broken("it has no list of steps (is it a Tandoor recipe?)")
    lines, instructions = [], []
    for step in steps:
        if not isinstance(step, dict):
            raise _Broken("a step is not an object")
        ingredients = step.get("ingredients") or []
        if not isinstance(ingredients, list):
            raise _Broken("a step's ingredients are not a list")
        lines += [line for line in map(_tandoor_line, ingredients) if line]
        title, text = _text(step.get("name")), _text(step.get("instruction"))
        instructions.append(f"{title}\n{text}".strip() if title else text)
    return _checked(
        RecipeDraft(
            name=_text(data.get("name")),
            lines=lines,
            servings=servings_from(data.get("servings"), data.get("servings_text")),
            instructions="\n\n".join(part for part in instructions if part),
            source_url=_text(data.get("source_url")),
            slots=slot_hints(_labels(data.get("keywords"))),
            origin="Tandoor file",
        )
    )


# Files -------------------------------------------------------------------------------------


def _json(raw: bytes, where: str):
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise _Broken(f"{where} is not UTF-8 text") from error
    except json.JSONDecodeError as error:
        raise _Broken(f"{where} is not valid JSON ({error.msg}, line {error.lineno})") from error
    except RecursionError as error:
        raise _Broken(f"{where} is nested too deeply") from error


def _draft_from_json(data) -> RecipeDraft:
    """A recipe object in either project's shape."""
    if isinstance(data, dict) and "steps" in data and "recipeIngredient" not in data:
        return tandoor_draft(data)
    if isinstance(data, dict) and "recipeIngredient" not in data:
        raise _Broken("it is neither a Mealie recipe (recipeIngredient) nor a Tandoor one (steps)")
    return mealie_draft(data)


def _label(where: str, data) -> str:
    name = data.get("name") if isinstance(data, dict) else None
    return f"{where} ({' '.join(name.split())[:80]})" if isinstance(name, str) and name else where


class _ZipReader:
    """Reads members of a zip (and of zips inside it) within one shared budget."""

    def __init__(self) -> None:
        self.declared = 0
        self.unzipped = 0
        self.members = 0

    def open(self, raw: bytes, where: str, *, inner: bool = False) -> zipfile.ZipFile:
        try:
            archive = zipfile.ZipFile(io.BytesIO(raw))
        except (zipfile.BadZipFile, ValueError, OSError) as error:
            if inner:
                raise _Broken("it is not a readable zip file") from error
            raise RecipeImportError(f"{where} is not a readable zip file.") from error
        infos = archive.infolist()
        self.members += len(infos)
        if self.members > MAX_MEMBERS:
            raise RecipeImportError(f"{where} holds more than {MAX_MEMBERS} files.")
        # The sizes every zip (outer and inner) declares add up; zipfile never inflates a
        # member past its declared size, so this sum bounds all the unpacking to come.
        self.declared += sum(info.file_size for info in infos)
        if self.declared > MAX_UNZIPPED_BYTES:
            raise RecipeImportError(
                f"{where} would unpack to more than {MAX_UNZIPPED_BYTES // 2**20} MB;"
                " export fewer recipes at a time."
            )
        for info in infos:
            if info.flag_bits & 0x1:
                raise RecipeImportError(f"{where} is password-protected.")
            if info.file_size > RATIO_CHECK_FROM_BYTES and info.file_size > MAX_RATIO * max(
                info.compress_size, 1
            ):
                raise RecipeImportError(
                    f"{where} looks like a zip bomb ({info.filename} is compressed more than"
                    f" {MAX_RATIO} times)."
                )
        return archive

    def read(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
        if info.file_size > limit:
            raise _Broken(f"{info.filename} is larger than {limit // 2**20} MB")
        try:
            with archive.open(info) as member:
                # zipfile stops at the declared size; reading one byte more shows a lie.
                raw = member.read(limit + 1)
        except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError) as error:
            raise _Broken(f"{info.filename} cannot be unpacked") from error
        if len(raw) > limit:
            raise _Broken(f"{info.filename} is larger than {limit // 2**20} MB")
        self.unzipped += len(raw)
        if self.unzipped > MAX_UNZIPPED_BYTES:
            raise RecipeImportError(
                f"The file would unpack to more than {MAX_UNZIPPED_BYTES // 2**20} MB."
            )
        return raw


def _wanted(info: zipfile.ZipInfo) -> bool:
    parts = info.filename.split("/")
    return not info.is_dir() and parts[0] != "__MACOSX" and not parts[-1].startswith(".")


def _read_zip(raw: bytes, filename: str) -> ImportResult:
    reader = _ZipReader()
    archive = reader.open(raw, filename)
    members = [info for info in archive.infolist() if _wanted(info)]
    names = {info.filename.rsplit("/", 1)[-1].lower() for info in members}
    if "database.json" in names and not any(n.endswith(".zip") for n in names):
        raise RecipeImportError(
            f"{filename} looks like a whole Mealie site backup. Export the recipes instead"
            " (select them in Mealie and choose Export) and upload that zip."
        )
    result = ImportResult()
    inner_zips = [info for info in members if info.filename.lower().endswith(".zip")]
    if inner_zips:  # Tandoor: one zip per recipe, recipe.json inside
        for info in inner_zips:
            where = f"{filename}: {info.filename}"
            try:
                raw_inner = reader.read(archive, info, MAX_UNZIPPED_BYTES)
                inner = reader.open(raw_inner, where, inner=True)
                recipe = next(
                    (i for i in inner.infolist() if i.filename.lower() == "recipe.json"), None
                )
                if recipe is None:
                    raise _Broken("it has no recipe.json")
                data = _json(reader.read(inner, recipe, MAX_JSON_BYTES), "recipe.json")
                where = _label(where, data)
                result.drafts.append(tandoor_draft(data))
            except _Broken as error:
                result.broken.append(BrokenRecipe(where, str(error)))
    else:  # Mealie's export (recipes/<slug>/<slug>.json), or loose recipe JSON files
        for info in members:
            if not info.filename.lower().endswith(".json"):
                continue
            where = f"{filename}: {info.filename}"
            try:
                data = _json(reader.read(archive, info, MAX_JSON_BYTES), info.filename)
                where = _label(where, data)
                result.drafts.append(_draft_from_json(data))
            except _Broken as error:
                result.broken.append(BrokenRecipe(where, str(error)))
    if not result.drafts and not result.broken:
        raise RecipeImportError(
            f"{filename} holds no recipes: neither Tandoor's recipe zips nor Mealie's recipe"
            " JSON files."
        )
    return result


def _read_json(raw: bytes, filename: str) -> ImportResult:
    try:
        data = _json(raw, filename)
    except _Broken as error:
        raise RecipeImportError(f"{error}.") from error
    recipes = data if isinstance(data, list) else [data]
    if not recipes:
        raise RecipeImportError(f"{filename} holds an empty list, no recipes.")
    result = ImportResult()
    for number, recipe in enumerate(recipes, start=1):
        where = filename if len(recipes) == 1 else f"{filename}: recipe {number}"
        try:
            result.drafts.append(_draft_from_json(recipe))
        except _Broken as error:
            result.broken.append(BrokenRecipe(_label(where, recipe), str(error)))
    return result


def read_recipe_file(raw: bytes, filename: str) -> ImportResult:
    """Recipes from an uploaded Mealie JSON or zip, or a Tandoor zip; or RecipeImportError."""
    filename = filename.rsplit("/", 1)[-1][:100] or "The file"
    if len(raw) > MAX_UPLOAD_BYTES:
        raise RecipeImportError(
            f"{filename} is larger than {MAX_UPLOAD_BYTES // 2**20} MB; export fewer recipes."
        )
    if not raw:
        raise RecipeImportError(f"{filename} is empty.")
    if raw[:4] == b"PK\x03\x04" or raw[:4] == b"PK\x05\x06":
        result = _read_zip(raw, filename)
    elif raw[:64].lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
        result = _read_json(raw, filename)
    else:
        raise RecipeImportError(
            f"{filename} is neither a JSON file nor a zip file (Mealie recipe JSON or zip,"
            " Tandoor export zip)."
        )
    if result.found > MAX_DRAFTS:
        raise RecipeImportError(
            f"{filename} holds {result.found} recipes; import at most {MAX_DRAFTS} at a time."
        )
    return result
