"""Project-wide middleware: private pages are never stored; oversized bodies are refused."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

Handler = Callable[[HttpRequest], HttpResponse]


def private_pages_not_stored(get_response: Handler) -> Handler:
    """Tell browsers and proxies not to keep any page served to a logged-in user."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if request.user.is_authenticated:
            add_never_cache_headers(response)
        return response

    return middleware


def request_body_cap(get_response: Handler) -> Handler:
    """Answer 413 to a body over its cap before anything reads it.

    Forms may send DATA_UPLOAD_MAX_MEMORY_SIZE bytes, file uploads UPLOAD_MAX_BYTES.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        is_upload = request.content_type == "multipart/form-data"
        cap = settings.UPLOAD_MAX_BYTES if is_upload else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if length > cap:
            context = {"limit_mb": round(cap / 1024 / 1024, 1), "is_upload": is_upload}
            if request.path.startswith("/api/"):
                message = f"The request body is over {context['limit_mb']} MB; nothing was saved."
                return JsonResponse({"detail": message, "errors": {}}, status=413)
            return render(request, "413.html", context, status=413)
        return get_response(request)

    return middleware
