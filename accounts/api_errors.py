"""The API's errors, all JSON of one shape, and serializers that refuse unknown fields.

Every error the API answers is
``{"detail": "<one sentence>", "errors": {"<field>": ["<message>", ...]}}``; ``errors`` is
empty when no particular field is at fault (a 404, a 401, a 429), and a field inside a list
is a dotted path ("ingredients.0.grams"). Set as REST_FRAMEWORK's EXCEPTION_HANDLER.
"""

from __future__ import annotations

from django.http import Http404
from rest_framework import exceptions, serializers, status
from rest_framework.views import exception_handler


def _flatten(data, prefix: str = "") -> dict[str, list[str]]:
    """Turn DRF's nested error dicts and lists into {"field.sub.0": [messages]}."""
    errors: dict[str, list[str]] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            name = key if not prefix else f"{prefix}.{key}"
            errors.update(_flatten(value, name))
    elif isinstance(data, list) and data and all(not isinstance(v, dict | list) for v in data):
        errors[prefix or "non_field_errors"] = [str(v) for v in data]
    elif isinstance(data, list):
        for index, value in enumerate(data):
            if value:
                errors.update(_flatten(value, f"{prefix}.{index}" if prefix else str(index)))
    elif data:
        errors[prefix or "non_field_errors"] = [str(data)]
    return errors


def api_exception_handler(exc, context):
    """Answer every API error as {"detail": ..., "errors": {field: [messages]}}."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("Not found (or not yours).")
    response = exception_handler(exc, context)
    if response is None:
        return None  # a real bug: Django's 500 handling and logging take it
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(data)
        first = next(iter(errors.values()), ["Invalid input."])[0]
        field = next(iter(errors), "")
        detail = first if field in ("", "non_field_errors") else f"{field}: {first}"
        response.data = {"detail": detail, "errors": errors}
    else:
        detail = data.get("detail", "") if isinstance(data, dict) else str(data)
        response.data = {"detail": str(detail), "errors": {}}
    if response.status_code == status.HTTP_429_TOO_MANY_REQUESTS:
        wait = getattr(exc, "wait", None)
        seconds = int(wait) + 1 if wait else 60
        response.data["detail"] = (
            f"Too many requests for this token; try again in {seconds} seconds."
        )
        response["Retry-After"] = str(seconds)
    return response


class StrictSerializer(serializers.Serializer):
    """A serializer that refuses fields it does not know (a typo is a 400, never ignored)."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {name: ["Unknown field; see the schema at /api/schema/."] for name in unknown}
                )
        return super().to_internal_value(data)


class StrictModelSerializer(StrictSerializer, serializers.ModelSerializer):
    """A ModelSerializer that refuses unknown fields."""
