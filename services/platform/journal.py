"""The embedded backend's write-ahead journal: every acknowledged mutating request, on disk before its answer.

A journal is a sequence of numbered segment files (``journal-000001.log``, ...). Each starts with a magic
line, then records framed as ``length (4 bytes) | CRC-32 (4 bytes) | payload``.

Group commit: a record is written while the embedded server still holds its one-request-at-a-time lock (so
records are in the exact order the requests ran), and ``fdatasync``-ed after the lock is released; the
response waits for that sync. One sync covers every record written before it started, so requests that
arrive while a sync runs share the next one instead of each waiting for its own (an fsync costs ~7 ms
here). **Every** response, reads included, waits until everything written before it finished is on disk:
no client ever sees, or builds on, a change that a crash could still take back.

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
import threading
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
    """Appends records to one segment; :class:`Journal` makes them durable."""

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
        self.bytes += len(data)
        self.records += 1

    def sync(self) -> None:
        os.fdatasync(self._fd)

    def close(self) -> None:
        if self._fd >= 0:
            os.fdatasync(self._fd)
            os.close(self._fd)
            self._fd = -1


class Journal:
    """The segment being written, with group commit. ``append`` and ``rotate`` run under the server's
    lock; ``wait_durable`` runs after it is released, before the response leaves."""

    def __init__(self, writer: JournalWriter) -> None:
        self.writer = writer
        self._written = 0  # sequence number of the last record written
        self._durable = 0  # ... and of the last one known to be on disk
        self._syncing = False
        self._failure: OSError | None = None
        self._condition = threading.Condition()

    @property
    def written(self) -> int:
        return self._written

    @property
    def durable(self) -> int:
        return self._durable

    def append(self, record: Record) -> int:
        """Write ``record`` (under the server's lock); returns its sequence number to wait for."""
        self.writer.append(record)
        with self._condition:
            self._written += 1
            return self._written

    def wait_durable(self, sequence: int) -> None:
        """Return once record ``sequence`` (and all before it) is on disk; OSError if it cannot be."""
        with self._condition:
            while self._durable < sequence:
                if self._failure is not None:
                    raise self._failure
                if self._syncing:
                    self._condition.wait()
                    continue
                self._syncing, target, writer = True, self._written, self.writer
                self._condition.release()
                try:
                    writer.sync()
                except OSError as exc:
                    failure: OSError | None = exc
                else:
                    failure = None
                finally:
                    self._condition.acquire()
                    self._syncing = False
                    self._condition.notify_all()
                if failure is not None:
                    self._failure = failure
                    raise failure
                self._durable = max(self._durable, target)

    def rotate(self, writer: JournalWriter) -> JournalWriter:
        """Continue in ``writer`` (under the server's lock); the old segment is synced and closed."""
        with self._condition:
            while self._syncing:  # never close a file a sync is still using
                self._condition.wait()
            old, self.writer = self.writer, writer
            old.close()  # fsyncs: everything written so far is durable
            self._durable = self._written
            self._condition.notify_all()
        return old

    def close(self) -> None:
        """Sync and close the segment (the server no longer serves)."""
        with self._condition:
            while self._syncing:
                self._condition.wait()
            self.writer.close()
            self._durable = self._written
            self._condition.notify_all()


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

