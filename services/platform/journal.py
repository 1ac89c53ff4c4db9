"""The embedded backend's write-ahead journal: every acknowledged mutating request, on disk before its answer.

A journal is a sequence of numbered segment files (``journal-000001.log``, ...). Each starts with a magic
line, then records framed as ``length (4 bytes) | CRC-32 (4 bytes) | payload``. A record is appended and
``fdatasync``-ed while the embedded server still holds its one-request-at-a-time lock, before the response
leaves, so an acknowledged write is never lost and the records are in the exact order the requests ran.

Reading back: a record cut short or failing its checksum *at the very end of a segment* is a write a crash
interrupted (never acknowledged, since the answer waits for the fsync): it is skipped. Every start begins a
new segment, so such a tail can sit at the end of any segment. Anything else unreadable is damage, reported
as :class:`DataFileError` naming the file. Journal files are never rewritten.
"""

from __future__ import annotations

import os
import pickle
import re
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from services.platform.private_files import DataFileError, fsync_directory, open_private

MAGIC = b"MOVIEMAGIC-JOURNAL-1\n"
_HEADER = struct.Struct(">II")
_SEGMENT = re.compile(r"^journal-(\d{6,})\.log$")


@dataclass(frozen=True)
class Record:
    """One request as the server received it: enough to run it again on a fresh engine."""

    seed: int  # moto's random seed for this request (its generated ids come out the same on replay)
    environ: dict[str, str]  # method, path, query, content type and the HTTP headers
    body: bytes

    def encode(self) -> bytes:
        payload = pickle.dumps((self.seed, self.environ, self.body), protocol=pickle.HIGHEST_PROTOCOL)
        return _HEADER.pack(len(payload), zlib.crc32(payload)) + payload


def segment_path(directory: Path, number: int) -> Path:
    return directory / f"journal-{number:06d}.log"


def segments(directory: Path) -> list[tuple[int, Path]]:
    """The journal's segment files, oldest first."""
    found = [(int(match.group(1)), path) for path in directory.iterdir() if (match := _SEGMENT.match(path.name))]
    return sorted(found)


class JournalWriter:
    """Appends records to one segment; every append is durable when it returns."""

    def __init__(self, path: Path) -> None:
        self.path = path
        existed = path.exists()
        self._fd = open_private(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        if not existed or os.fstat(self._fd).st_size == 0:
            os.write(self._fd, MAGIC)
            os.fsync(self._fd)
            fsync_directory(path.parent)  # the new file's name is durable too
        self.bytes = os.fstat(self._fd).st_size - len(MAGIC)
        self.records = 0

    def append(self, record: Record) -> None:
        data = record.encode()
        written = os.write(self._fd, data)
        while written < len(data):  # a regular file takes it all at once, but never assume
            written += os.write(self._fd, data[written:])
        os.fdatasync(self._fd)
        self.bytes += len(data)
        self.records += 1

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


def read_segment(path: Path) -> Iterator[Record]:
    """The records of one segment, without a torn last record."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataFileError(path, f"cannot be read ({exc.strerror})") from exc
    if not data.startswith(MAGIC):
        if MAGIC.startswith(data):
            return  # created, then the crash came before its first line was complete
        raise DataFileError(path, "is not a Movie Magic journal")
    offset = len(MAGIC)
    while offset < len(data):
        torn = _torn_at(data, offset)
        if torn:
            if torn == "end":
                return
            raise DataFileError(path, f"is damaged at byte {offset}")
        length, _crc = _HEADER.unpack_from(data, offset)
        start = offset + _HEADER.size
        try:
            seed, environ, body = pickle.loads(data[start : start + length])
        except Exception as exc:  # a checksum-valid record that does not decode: damage, not a torn tail
            raise DataFileError(path, f"has an unreadable record at byte {offset}") from exc
        yield Record(seed, environ, body)
        offset = start + length


def _torn_at(data: bytes, offset: int) -> str:
    """'' when a whole, valid record starts at ``offset``; 'end' when what is there is the file's
    unfinished last record; 'middle' when a bad record has more data after it."""
    if len(data) - offset < _HEADER.size:
        return "end"
    length, crc = _HEADER.unpack_from(data, offset)
    end = offset + _HEADER.size + length
    if end > len(data):
        return "end"
    if zlib.crc32(data[offset + _HEADER.size : end]) != crc:
        return "end" if end == len(data) else "middle"
    return ""

