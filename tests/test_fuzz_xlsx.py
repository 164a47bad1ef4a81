"""A damaged workbook is a located message, never a traceback: one byte changed in each field of the zip's central
directory and of a local file header, and the file cut short at every part of the archive.

A few cheap, exact cases; ``python -m benchmarks.fuzz --xlsx N`` flips bytes at random by the hundred. Before, the
byte of the version needed to extract, changed in the central directory, raised ``NotImplementedError: zip file
version 12.1`` out of ``zipfile`` (issue 19, finding 9).
"""

from __future__ import annotations

import functools
import struct

import pytest

from simulator import FileFormatError, load_scenario
from simulator.formats.msel import dump_xlsx, load_any, load_xlsx
from tests.conftest import FIXTURES

#: the fields of a central directory record and of a local file header (offset, size), as the zip format lays them
CENTRAL = {
    "version_made_by": (4, 2),
    "version_needed": (6, 2),
    "flags": (8, 2),
    "method": (10, 2),
    "crc": (16, 4),
    "compressed_size": (20, 4),
    "size": (24, 4),
    "name_length": (28, 2),
    "extra_length": (30, 2),
    "comment_length": (32, 2),
    "disk": (34, 2),
    "local_offset": (42, 4),
    "name": (46, 1),
}
LOCAL = {
    "version_needed": (4, 2),
    "flags": (6, 2),
    "method": (8, 2),
    "crc": (14, 4),
    "compressed_size": (18, 4),
    "name_length": (26, 2),
    "extra_length": (28, 2),
    "name": (30, 1),
    "data": (45, 1),
}
END = {"entries": (10, 2), "directory_size": (12, 4), "directory_offset": (16, 4), "comment_length": (20, 2)}


@functools.cache
def workbook() -> bytes:
    return dump_xlsx(load_scenario(FIXTURES / "flood_min.yaml"))


def located_or_scenario(data: bytes, name: str = "bad.xlsx") -> None:
    """The property: a scenario, or FileFormatError whose every problem names the file and says something."""
    try:
        load_xlsx(name, data)
    except FileFormatError as exc:
        assert exc.problems
        assert all(str(p).startswith(name) and p.message.strip() for p in exc.problems), exc


def changed(data: bytes, at: int, size: int, value: int) -> bytes:
    blob = bytearray(data)
    blob[at : at + size] = value.to_bytes(size, "little")
    return bytes(blob)


@pytest.mark.parametrize("field", list(CENTRAL))
@pytest.mark.parametrize("value", [0xFF, 0x79])
def test_a_byte_changed_in_the_central_directory(field, value):
    data = workbook()
    start = data.index(b"PK\x01\x02")
    offset, size = CENTRAL[field]
    located_or_scenario(changed(data, start + offset, size, int.from_bytes(bytes([value]) * size, "little")))


@pytest.mark.parametrize("field", list(LOCAL))
@pytest.mark.parametrize("which", [0, -1])
def test_a_byte_changed_in_a_local_header(field, which):
    data = workbook()
    starts = [i for i in range(len(data) - 4) if data[i : i + 4] == b"PK\x03\x04"]
    offset, size = LOCAL[field]
    located_or_scenario(changed(data, starts[which] + offset, size, 0xFF))


@pytest.mark.parametrize("field", list(END))
def test_a_byte_changed_in_the_end_record(field):
    data = workbook()
    offset, size = END[field]
    located_or_scenario(changed(data, data.rindex(b"PK\x05\x06") + offset, size, 0x7F))


def test_the_zip_version_byte_gives_a_located_message():
    data = workbook()
    version = data.index(b"PK\x01\x02") + CENTRAL["version_needed"][0]
    with pytest.raises(FileFormatError) as caught:
        load_any("v.xlsx", changed(data, version, 2, 121))  # zip file version 12.1
    [problem] = caught.value.problems
    assert str(problem).startswith("v.xlsx: (文件): 不是有效的 Excel 工作簿，或文件已损坏"), problem


@pytest.mark.parametrize("part", ["local", "central", "end"])
def test_a_file_cut_short_in_each_part_of_the_archive(part):
    data = workbook()
    cut = {
        "local": data.index(b"PK\x03\x04") + 20,
        "central": data.index(b"PK\x01\x02") + 30,
        "end": data.rindex(b"PK\x05\x06") + 12,
    }[part]
    for end in (cut - 7, cut, cut + 3):
        located_or_scenario(data[:end])


def test_a_wrong_size_in_a_zip64_style_record_is_refused():
    data = workbook()
    end = data.rindex(b"PK\x05\x06")
    entries = struct.unpack_from("<H", data, end + 10)[0]
    located_or_scenario(changed(data, end + 8, 2, entries + 1))  # entries on this disk ≠ entries in all
