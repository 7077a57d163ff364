"""How a download is named: Content-Disposition with an ASCII name for old clients and the real one (RFC 6266)."""

import re
from urllib.parse import quote

TOKEN = re.compile(r"[A-Za-z0-9._-]+")  # names that need neither quotes nor encoding


def attachment(filename):
    """Return a Content-Disposition value that names the file in any script: 'anniversary-to-анна.pdf'."""
    if TOKEN.fullmatch(filename):
        return f"attachment; filename={filename}"
    fallback = re.sub(r"-+(?=\.)", "", re.sub(r"[^\w.-]+", "", filename, flags=re.ASCII)) or "letter.pdf"
    return f"attachment; filename={fallback}; filename*=UTF-8''{quote(filename, safe='')}"
