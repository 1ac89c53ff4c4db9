"""Keeping the embedded backend's data: a snapshot plus a journal of everything acknowledged since.

Files in the data directory (0700; files 0600):

- ``embedded.snapshot``: moto's whole state at one moment, and the number of the last journal segment it
  contains (``services/platform/snapshot.py``);
- ``journal-NNNNNN.log``: the successful mutating requests since, each fsynced before its response left
  (``services/platform/journal.py``);
- ``embedded.lock``: held while a backend uses the directory (a second one on the same data refuses to start).

Start-up loads the snapshot and replays the newer segments, then writes to a new segment. Compaction
(every ``snapshot_seconds`` when something changed, sooner when the journal grows past
``snapshot_journal_mb``) holds the server's lock only to switch to a new segment and ``fork()``: the child
is a copy-on-write image of that exact moment, so it writes a consistent snapshot while the parent serves
on. Once the snapshot is safely renamed into place, the segments it contains are deleted. If the child
fails, nothing is deleted and the previous snapshot plus all segments still describe everything.
"""

from __future__ import annotations

import fcntl
import gc
import os
import stat
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from services.platform import journal, snapshot
from services.platform.embedded import SerializedWsgiApp
from services.platform.logs import log_event
from services.platform.private_files import (
    DataFileError,
    ensure_private_directory,
    fsync_directory,
    open_private,
    write_private,
)

SNAPSHOT_FILE = "embedded.snapshot"
LOCK_FILE = "embedded.lock"
LOCK_WAIT_SECONDS = 30.0  # a snapshot child outliving a killed server finishes first


@dataclass
class Restored:
    snapshot_loaded: bool
    records_replayed: int
    seconds: float


class DurableStore:
    def __init__(self, directory: Path, app: SerializedWsgiApp, *, snapshot_seconds: float = 60.0,
                 snapshot_journal_bytes: int = 8 * 1024 * 1024) -> None:
        self.directory = directory
        self.snapshot_path = directory / SNAPSHOT_FILE
        self._app = app
        self._snapshot_seconds = snapshot_seconds
        self._snapshot_journal_bytes = snapshot_journal_bytes
        self._segment = 0  # the segment being written
        self._journal: journal.Journal | None = None
        self._lock_fd = -1
        self._compacting = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_snapshot = time.monotonic()
        self._replayed = False  # segments replayed at start are not in the snapshot yet
        self.longest_hold_seconds = 0.0  # the longest the server's lock was held for a snapshot

    # Start-up -------------------------------------------------------------------------------------
    def open(self) -> Restored:
        """Load what is on disk into moto and start journaling; before the server serves anything."""
        started = time.perf_counter()
        ensure_private_directory(self.directory)
        self._take_directory_lock()
        snapshot.capture()  # imports every durable service's models now: a forked child must not import
        through = 0
        if self.snapshot_path.exists():
            state, through = snapshot.read(self.snapshot_path)
            snapshot.install(state)
        replayed = 0
        segments = journal.segments(self.directory)
        for number, path in segments:
            if number <= through:
                continue  # already in the snapshot (a crash came before it was deleted)
            for record in journal.read_segment(path):
                status = self._app.replay(record)
                if not status.startswith("2"):  # it succeeded the first time; say so if it does not now
                    log_event("embedded.replay_differs", file=path, status=status)
                replayed += 1
        self._replayed = replayed > 0
        self._segment = max([through, *(number for number, _ in segments)]) + 1
        self._journal = journal.Journal(journal.JournalWriter(journal.segment_path(self.directory, self._segment)))
        self._app.journal = self._journal
        self._delete_segments_through(through)
        return Restored(self.snapshot_path.exists(), replayed, time.perf_counter() - started)

    def start_compaction(self) -> None:
        self._thread = threading.Thread(target=self._compaction_loop, name="embedded-compaction", daemon=True)
        self._thread.start()

    # Compaction -----------------------------------------------------------------------------------
    def compact(self) -> bool:
        """Write a snapshot of this moment and drop the journal it covers; False when nothing changed."""
        with self._compacting:
            with self._app.lock:
                held_from = time.perf_counter()
                if self._journal is None or not self._changed():
                    return False
                through = self._segment
                state = snapshot.capture()
                self._segment += 1
                self._journal.rotate(journal.JournalWriter(journal.segment_path(self.directory, self._segment)))
                if hasattr(os, "fork"):
                    # While the child copies, a full pass of the parent's cyclic collector would write to
                    # every object's header and so copy every page of the heap (copy-on-write): paused.
                    collecting = gc.isenabled()
                    gc.disable()
                    child = os.fork()
                    if child == 0:
                        self._write_in_child(state, through)  # never returns
                else:  # no copy-on-write on this system: write while holding the lock
                    child, collecting = 0, False
                    snapshot.write(self.snapshot_path, state, through)
                self.longest_hold_seconds = max(self.longest_hold_seconds, time.perf_counter() - held_from)
            self._last_snapshot = time.monotonic()
            if child:
                status = os.waitpid(child, 0)[1]
                if collecting:
                    gc.enable()
                if os.waitstatus_to_exitcode(status) != 0:
                    log_event("embedded.snapshot_failed", file=self.snapshot_path)
                    return False
            self._replayed = False
            self._delete_segments_through(through)
            log_event("embedded.snapshot_written", file=self.snapshot_path, segments_through=through)
            return True

    def _write_in_child(self, state: snapshot.State, through: int) -> None:
        """In the forked child: only pickling and file writes (no logging, no imports: another thread of
        the parent may have held their locks at the fork). Exits, never returns."""
        parent = os.getppid()
        code = 1
        try:
            _close_inherited_sockets()
            os.nice(10)  # the parent serves requests: it gets the CPU first
            data = snapshot.encode(state, through)
            if os.getppid() == parent:  # a killed server's restart may already own the directory
                write_private(self.snapshot_path, data)
                code = 0
        finally:
            os._exit(code)

    def _compaction_loop(self) -> None:
        while not self._stop.wait(1.0):
            writer = self._journal.writer if self._journal is not None else None
            if writer is None or not self._changed():
                continue
            due = time.monotonic() - self._last_snapshot >= self._snapshot_seconds
            if due or writer.bytes >= self._snapshot_journal_bytes:
                try:
                    self.compact()
                except OSError as exc:  # the journal still holds everything; try again next time
                    log_event("embedded.snapshot_failed", error=exc.strerror, file=self.snapshot_path)

    # Shutdown -------------------------------------------------------------------------------------
    def close(self) -> None:
        """After the server stopped: a last snapshot (so the next start replays nothing), then release."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=60)
        try:
            self.compact()
        finally:
            if self._journal is not None:
                self._app.journal = None
                self._journal.close()
                self._journal = None
            if self._lock_fd >= 0:
                os.close(self._lock_fd)
                self._lock_fd = -1

    def abandon(self) -> None:
        """Stop journaling and release the directory *without* a snapshot: what a crash leaves behind
        (benches and tests measure the replay of a whole journal with it)."""
        self._stop.set()
        if self._journal is not None:
            self._app.journal = None
            self._journal.close()
            self._journal = None
        if self._lock_fd >= 0:
            os.close(self._lock_fd)
            self._lock_fd = -1

    # Helpers -----------------------------------------------------------------------------------------
    def _changed(self) -> bool:
        """Is there anything the snapshot on disk does not hold?"""
        assert self._journal is not None
        return self._journal.writer.records > 0 or self._replayed or not self.snapshot_path.exists()

    def _delete_segments_through(self, through: int) -> None:
        removed = False
        for number, path in journal.segments(self.directory):
            if number <= through:
                path.unlink(missing_ok=True)
                removed = True
        if removed:
            fsync_directory(self.directory)

    def _take_directory_lock(self) -> None:
        path = self.directory / LOCK_FILE
        self._lock_fd = open_private(path, os.O_RDWR | os.O_CREAT)
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() > deadline:
                    os.close(self._lock_fd)
                    self._lock_fd = -1
                    raise DataFileError(
                        path, "is locked by another running Movie Magic backend",
                        "stop it, or give this one its own MOVIEMAGIC_DATA_DIR",
                    ) from None
                time.sleep(0.1)


def _close_inherited_sockets() -> None:
    """In a snapshot child: let go of the parent's listening sockets at once, so a restarted server can
    bind its port even while a child outlives a killed parent. (Sockets only: an S3 object's spooled
    temporary file is still needed to write the snapshot.)"""
    try:
        descriptors = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:  # no /proc: the sockets close when the child exits
        return
    for descriptor in descriptors:
        try:
            if descriptor > 2 and stat.S_ISSOCK(os.fstat(descriptor).st_mode):
                os.close(descriptor)
        except OSError:
            continue  # the listing's own descriptor, already gone
