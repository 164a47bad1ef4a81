"""Small helpers shared by the report's renderings: byte-stable zip files (times and words: ``simulator.vocabulary``;
atomic writes: ``simulator.files``, re-exported here as ``write_bytes``).

They live apart so that the renderers (docx, markdown, xlsx) do not import each other.
"""

from __future__ import annotations

import io
import re
import zipfile

from simulator.files import write_bytes  # re-exported: the renderers' atomic writes live in simulator.files

#: zip entries get this date, so the same report gives the same bytes (Office files are zip archives)
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
#: what an Office file's core properties say it was created/modified: fixed for the same reason
FIXED_W3CDTF = "2000-01-01T00:00:00Z"

_CORE_DATE = re.compile(r"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")


def stable_zip(data: bytes) -> bytes:
    """Rewrite an Office zip with fixed entry dates and core-property dates, so equal input gives equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            payload = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                payload = _CORE_DATE.sub(rf"\g<1>{FIXED_W3CDTF}\g<2>", payload.decode("utf-8")).encode("utf-8")
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, payload)
    return out.getvalue()


__all__ = ["FIXED_W3CDTF", "ZIP_EPOCH", "stable_zip", "write_bytes"]
