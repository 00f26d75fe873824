"""Sending a private file (core.uploads.PrivateFileStorage) to a person a view has already checked."""

from django.http import FileResponse, Http404


def serve_private(field_file, *, filename: str, content_type: str) -> FileResponse:
    """A download, never rendered inline by the browser, never cached; a missing file is a 404."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
