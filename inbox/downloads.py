"""An attachment as a download, the one way both the citizen's and the clinic's pages answer (each checks first
who may read it): always as a file under its safe name (``core.filenames``), never shown in the page, never
sniffed."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from core.filenames import safe_file_name

from .models import Attachment


def attachment_download(attachment_id: int) -> HttpResponse:
    """The file's bytes, read only now (a page that checked access read the attachment without them)."""
    file = Attachment.objects.only("name", "content_type", "data").get(pk=attachment_id)
    response = HttpResponse(bytes(file.data), content_type=file.content_type)
    name = safe_file_name(file.name, file.content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    return response
