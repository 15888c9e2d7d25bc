"""OpenAPI post-processing: every operation documents the API's JSON errors.

Added to SPECTACULAR_SETTINGS' POSTPROCESSING_HOOKS, so the schema tells a client (and
schemathesis) which error codes to expect and their one shape (accounts.api_errors).
"""

from __future__ import annotations

ERROR_COMPONENT = {
    "type": "object",
    "description": "Every API error: one sentence, and the messages per field.",
    "properties": {
        "detail": {"type": "string"},
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["detail", "errors"],
}

ERRORS = {
    "400": "Bad input: a message per field; nothing was saved.",
    "401": "No valid token or session.",
    "403": "Not allowed (a session request without its CSRF token).",
    "404": "No such object, or not yours; or a page past the last.",
    "405": "This address does not take that method.",
    "406": "Only JSON is served.",
    "413": "The request body is too large; nothing was saved.",
    "415": "Send JSON (Content-Type: application/json).",
    "429": "Too many requests for this token; see Retry-After.",
}
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


def add_error_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_COMPONENT
    reference = {"$ref": "#/components/schemas/Error"}
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            if method not in METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for code, text in ERRORS.items():
                responses.setdefault(
                    code,
                    {"description": text, "content": {"application/json": {"schema": reference}}},
                )
    return result
