"""The report as a PDF, converted from the .docx by LibreOffice (``soffice --headless --convert-to pdf``).

Why LibreOffice and not a PDF library: the .docx is the document the office edits; a PDF drawn separately would
drift from it. LibreOffice lays the .docx out as a word processor does, so the PDF shows the same pages a reader
gets in Word. It is optional: without ``soffice`` on PATH the rest of the report works and ``PdfUnavailable``
says how to install it (Debian: ``apt-get install libreoffice-writer-nogui``).

One layout difference is bridged here. The .docx sets a 28-character grid as Word stores it: the grid's pitch
(15.79 pt) is narrower than the 3号 font (16 pt) and Word condenses each character to it. LibreOffice instead
gives a character wider than its grid cell two cells, which would print 14 characters a line. The copy handed
to LibreOffice therefore keeps the 22-line grid and condenses the characters by the same amount itself, so the
PDF has 28 characters × 22 lines as Word shows them. The .docx the user downloads is never changed.

Each conversion runs in its own temporary directory with its own HOME and LibreOffice profile (two conversions
at once would otherwise fight over one profile's lock) and with a timeout.
"""

from __future__ import annotations

import io
import math
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path

from simulator.report._util import ZIP_EPOCH, write_bytes
from simulator.report.blocks import Report
from simulator.report.docx import docx_bytes

#: the Debian package that provides ``soffice`` without a desktop
PACKAGE = "libreoffice-writer-nogui"
INSTALL_HINT = f"apt-get install {PACKAGE}"
TIMEOUT_S = 120.0
_STEM = re.compile(r"[A-Za-z0-9_.-]+")


class PdfUnavailable(RuntimeError):
    """LibreOffice is not installed, so no PDF can be made (the message says how to install it)."""

    def __init__(self) -> None:
        super().__init__(f"未找到 LibreOffice（soffice），无法生成 PDF。请先安装：{INSTALL_HINT}")


class PdfConversionError(RuntimeError):
    """LibreOffice ran but gave no PDF (or took longer than the timeout)."""


def soffice() -> str | None:
    """The path of LibreOffice's ``soffice`` (or ``libreoffice``) on PATH, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def pdf_available() -> bool:
    """Whether this machine can make PDFs (LibreOffice is on PATH)."""
    return soffice() is not None


def docx_to_pdf(docx: bytes, *, timeout: float = TIMEOUT_S) -> bytes:
    """The PDF of a .docx (its bytes), laid out by LibreOffice.

    Raises ``PdfUnavailable`` without LibreOffice and ``PdfConversionError`` when the conversion fails or
    exceeds ``timeout`` seconds.
    """
    return docx_to_pdf_many({"report": docx}, timeout=timeout)["report"]


def docx_to_pdf_many(documents: Mapping[str, bytes], *, timeout: float = TIMEOUT_S) -> dict[str, bytes]:
    """PDFs of several .docx files (name → bytes) in one LibreOffice start, which dominates a conversion's time.

    Names must be plain file stems (letters, digits, ``-``, ``_``, ``.``); raises as ``docx_to_pdf``.
    """
    program = soffice()
    if program is None:
        raise PdfUnavailable()
    if any(not _STEM.fullmatch(name) for name in documents):
        raise ValueError(f"文件名只能含字母、数字、-、_、. (bad names: {sorted(documents)})")
    with tempfile.TemporaryDirectory(prefix="drill-pdf-") as tmp:
        folder = Path(tmp)
        sources = []
        for name, docx in documents.items():
            source = write_bytes(folder / "in" / f"{name}.docx", for_libreoffice(docx))
            sources.append(str(source))
        env = {**os.environ, "HOME": str(folder / "home")}
        command = [
            program,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder / "out"),
            *sources,
        ]
        try:
            done = subprocess.run(command, env=env, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise PdfConversionError(f"LibreOffice 转换 PDF 超时（{timeout:g} 秒）") from None
        targets = {name: folder / "out" / f"{name}.pdf" for name in documents}
        if done.returncode != 0 or not all(t.is_file() for t in targets.values()):
            detail = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()
            raise PdfConversionError("LibreOffice 未能生成 PDF" + (f"：{detail[-1]}" if detail else ""))
        return {name: target.read_bytes() for name, target in targets.items()}


def for_libreoffice(docx: bytes) -> bytes:
    """A copy of the .docx whose 28-character grid LibreOffice lays out as Word does (see the module's note):
    the grid keeps its lines (``w:type="lines"``) and every character is condensed to the grid's pitch by a
    default ``w:spacing`` in the document defaults (whole twentieths of a point, rounded towards narrower)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        char_space = 0
        document = src.read("word/document.xml").decode("utf-8")
        grid_start = document.find("<w:docGrid ")
        if grid_start >= 0:
            grid_end = document.index(">", grid_start)
            grid = document[grid_start:grid_end]
            char_space = _attr(grid, "w:charSpace")
            if 'w:type="linesAndChars"' in grid and char_space < 0:
                document = document[:grid_start] + grid.replace("linesAndChars", "lines") + document[grid_end:]
            else:
                char_space = 0
        for info in src.infolist():
            payload = src.read(info.filename)
            if info.filename == "word/document.xml":
                payload = document.encode("utf-8")
            elif info.filename == "word/styles.xml" and char_space < 0:
                payload = _condense(payload.decode("utf-8"), math.floor(char_space / 4096 * 20)).encode("utf-8")
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=ZIP_EPOCH), payload, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _attr(tag: str, name: str) -> int:
    marker = f'{name}="'
    at = tag.find(marker)
    if at < 0:
        return 0
    start = at + len(marker)
    return int(tag[start : tag.index('"', start)])


def _condense(styles: str, twentieths: int) -> str:
    """Add ``<w:spacing w:val=…/>`` to the document defaults' run properties (before ``w:sz``, schema order)."""
    defaults = styles.find("<w:rPrDefault>")
    size = styles.find("<w:sz ", defaults)
    if defaults < 0 or size < 0:
        return styles
    return f'{styles[:size]}<w:spacing w:val="{twentieths}"/>{styles[size:]}'


def write_pdf(report: Report, path: str | Path, docx: bytes | None = None) -> Path:
    """Write the report as a PDF (from ``docx``, the report's .docx bytes, when the caller has them already)."""
    return write_bytes(path, docx_to_pdf(docx_bytes(report) if docx is None else docx))


__all__ = [
    "INSTALL_HINT",
    "PACKAGE",
    "PdfConversionError",
    "PdfUnavailable",
    "docx_to_pdf",
    "docx_to_pdf_many",
    "for_libreoffice",
    "pdf_available",
    "write_pdf",
]
