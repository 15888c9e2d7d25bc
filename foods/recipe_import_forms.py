"""Forms for the three ways a recipe comes in from elsewhere: a URL, a page's HTML, a file.

Each form, once valid, holds what it read (drafts, and for files the recipes it could not
read); none of them writes anything.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from foods.recipes.fetch import FetchError, fetch_html
from foods.recipes.importers import (
    MAX_HTML_BYTES,
    MAX_UPLOAD_BYTES,
    ImportResult,
    RecipeImportError,
    drafts_from_html,
    read_recipe_file,
)

MAX_URL_CHARS = 2000
RECIPE_FILE_SUFFIXES = (".json", ".zip")
HTML_FILE_SUFFIXES = (".html", ".htm", ".xhtml")


def _web_address(value: str) -> str:
    """The address with https:// added when none was typed; a ValidationError if malformed."""
    value = value.strip()
    if "://" not in value and not value.lower().startswith(("file:", "javascript:", "data:")):
        value = "https://" + value
    scheme = value.split(":", 1)[0].lower()
    if scheme not in ("http", "https"):
        raise ValidationError("Only http:// and https:// addresses can be imported.")
    URLValidator(schemes=["http", "https"], message="Enter a web address such as "
                 "https://example.com/recipe.")(value)  # fmt: skip
    return value


class UrlImportForm(forms.Form):
    url = forms.CharField(
        label="Address of the recipe page",
        max_length=MAX_URL_CHARS,
        widget=forms.URLInput(attrs={"placeholder": "https://…", "autocomplete": "url"}),
    )

    def clean_url(self) -> str:
        return _web_address(self.cleaned_data["url"])

    def clean(self):
        cleaned = super().clean()
        if "url" in cleaned:
            try:
                page = fetch_html(cleaned["url"])
                self.drafts = drafts_from_html(page.html, url=page.url)
            except (FetchError, RecipeImportError) as error:
                raise ValidationError(str(error)) from error
        return cleaned


class HtmlImportForm(forms.Form):
    html = forms.CharField(
        label="Paste the page's HTML",
        required=False,
        strip=False,
        max_length=MAX_HTML_BYTES,
        # The browser stops a paste at this many characters; say so rather than cut silently.
        help_text=f"At most {MAX_HTML_BYTES // 2**20} MB: for a longer page, paste only the part"
        " with the recipe.",
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false"}),
    )
    page = forms.FileField(label="or upload a saved page (.html)", required=False)
    source_url = forms.URLField(
        label="Address of the page (optional, kept as the recipe's source)",
        required=False,
        max_length=500,
        assume_scheme="https",
    )

    def clean_page(self):
        page = self.cleaned_data.get("page")
        if page is None:
            return None
        if not page.name.lower().endswith(HTML_FILE_SUFFIXES):
            raise ValidationError("Upload a web page saved as .html.")
        if page.size > MAX_HTML_BYTES:
            raise ValidationError("That page is larger than 2 MB.")
        return page

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        html, page = cleaned.get("html", ""), cleaned.get("page")
        if page is not None:
            html = page.read(MAX_HTML_BYTES + 1).decode("utf-8", errors="replace")
        if not html.strip():
            raise ValidationError("Paste the page's HTML or choose a saved page to upload.")
        try:
            self.drafts = drafts_from_html(html, url=cleaned.get("source_url", ""))
        except RecipeImportError as error:
            raise ValidationError(str(error)) from error
        return cleaned


class RecipeFileForm(forms.Form):
    file = forms.FileField(
        label="Mealie recipe (.json or export .zip) or Tandoor export (.zip)",
        widget=forms.ClearableFileInput(attrs={"accept": ".json,.zip"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            # Checked before a byte is read: Django has spooled it to a temporary file.
            raise ValidationError(
                f"That file is larger than {MAX_UPLOAD_BYTES // 2**20} MB; export fewer recipes."
            )
        if not upload.name.lower().endswith(RECIPE_FILE_SUFFIXES):
            raise ValidationError("Upload a Mealie .json or .zip file, or a Tandoor .zip file.")
        try:
            result = read_recipe_file(upload.read(MAX_UPLOAD_BYTES + 1), upload.name)
        except RecipeImportError as error:
            raise ValidationError(str(error)) from error
        if not result.drafts:
            reasons = [f"{broken.where}: {broken.reason}." for broken in result.broken[:10]]
            raise ValidationError(["No recipe in that file can be imported.", *reasons])
        self.result: ImportResult = result
        return upload
