"""Uploaded files: checked by size, name and content on the way in, served only to those allowed.

In: ``validate_upload`` refuses a file that is too large, whose extension is not allowed, or
whose bytes are not what the extension claims (``filetype`` reads the magic numbers: a
``.pdf`` that is really an executable is refused). Models store files under random names
(``upload_to``), so a name a user chose never reaches the disk or a URL.

Out: there is no public URL. A view checks the permission, then ``protected_file_response``
either streams the file (development) or answers ``X-Accel-Redirect`` so that nginx sends it
from an ``internal`` location that no browser can request directly (production).
"""

from pathlib import Path
from urllib.parse import quote

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse

from shared.errors import DomainError

# Extension -> the MIME type its content must have (None: plain text, which has no magic).
ALLOWED_TYPES: dict[str, str | None] = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".zip": "application/zip",
    ".txt": None,
    ".md": None,
    ".py": None,
}
# nginx's internal location for protected files (deploy/nginx/templates).
PROTECTED_PREFIX = "/protected-media/"


class UploadRefused(DomainError):
    field = "file"
    default_code = "upload_refused"


def validate_upload(upload: UploadedFile, *, field: str | None = None) -> None:
    """Raise ``UploadRefused`` unless the file is small enough and is what its name says."""
    limit = settings.LMS_UPLOAD_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise UploadRefused(f"The file is larger than {limit // (1024 * 1024)} MB.", field=field)
    if upload.size == 0:
        raise UploadRefused("The file is empty.", field=field)
    extension = Path(upload.name or "").suffix.lower()
    if extension not in ALLOWED_TYPES:
        allowed = ", ".join(sorted(ALLOWED_TYPES))
        raise UploadRefused(
            f"Files of this type are not accepted (allowed: {allowed}).", field=field
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    expected = ALLOWED_TYPES[extension]
    guessed = filetype.guess_mime(head)
    if expected is None:
        # Text has no magic number: refuse anything binary, or not UTF-8, under a text name.
        if guessed is not None or b"\x00" in head or not _is_utf8(head):
            raise UploadRefused("The file's content is not plain text.", field=field)
    elif guessed != expected:
        raise UploadRefused(f"The file's content does not match its {extension} name.", field=field)


def _is_utf8(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # The 8 KB cut may split a character: only an error before the last 3 bytes counts.
        return error.start >= len(head) - 3
    return True


def protected_file_response(file: FieldFile, *, download_name: str) -> HttpResponse:
    """The file as a download, for a user the calling view has already allowed."""
    if not file:
        raise Http404("No file.")
    if settings.LMS_FILE_DELIVERY == "nginx":
        response = HttpResponse(content_type="application/octet-stream")
        response["X-Accel-Redirect"] = PROTECTED_PREFIX + file.name
    else:
        try:
            handle = file.open("rb")
        except FileNotFoundError:
            raise Http404("The file is missing.") from None
        response = FileResponse(handle, content_type="application/octet-stream")
    response["Content-Disposition"] = _attachment_header(download_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _attachment_header(name: str) -> str:
    safe = "".join(c for c in Path(name).name if c.isalnum() or c in "._- ") or "download"
    return f"attachment; filename=\"{safe}\"; filename*=UTF-8''{quote(Path(name).name)}"
