"""Starting the data backend: the embedded moto server (durable: snapshot + journal), a shared embedded
server another process runs (`python main.py backend`), or real AWS."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from services.platform.aws import Aws, connect
from services.platform.logs import log_event
from services.platform.private_files import fsync_directory
from services.platform.provisioning import provision
from services.settings import Settings

# moto (the embedded server, its journal and snapshots) is imported only when the embedded backend starts:
# the AWS install (requirements-aws.txt) does not have it at all.
if TYPE_CHECKING:
    from services.platform.durable import DurableStore
    from services.platform.embedded import EmbeddedServer


@dataclass
class Backend:
    aws: Aws
    server: EmbeddedServer | None = None
    store: DurableStore | None = None

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None
        if self.store is not None:
            self.store.close()
            self.store = None


def start_embedded_server(settings: Settings, host: str = "127.0.0.1",
                          port: int = 0) -> tuple[EmbeddedServer, DurableStore]:
    """The serialized moto server with its data restored from ``data_dir`` and journaling on, serving."""
    from services.platform.durable import DurableStore
    from services.platform.embedded import EmbeddedServer

    server = EmbeddedServer(host, port)
    store = DurableStore(settings.data_dir, server.app, snapshot_seconds=settings.snapshot_seconds,
                         snapshot_journal_bytes=settings.snapshot_journal_mb * 1024 * 1024)
    restored = store.open()
    server.start()
    store.start_compaction()
    log_event("embedded.started", endpoint=server.endpoint_url, snapshot=restored.snapshot_loaded,
              replayed=restored.records_replayed, seconds=round(restored.seconds, 2), directory=settings.data_dir)
    return server, store


def start_backend(settings: Settings) -> Backend:
    if settings.backend == "aws":
        return Backend(connect(settings))
    if settings.shared_embedded:  # `python main.py backend` runs (and keeps) the data
        aws = connect(settings)
        provision(aws)
        return Backend(aws)
    server, store = start_embedded_server(settings)
    aws = connect(settings, server.endpoint_url)
    provision(aws)
    _import_legacy(aws, settings.data_dir)
    return Backend(aws, server, store)


def _import_legacy(aws: Aws, data_dir: Path) -> None:
    """An earlier version's data file: imported once (journaled like any write), then renamed aside."""
    from services.platform.snapshot import LEGACY_FILE, import_legacy_file

    path = data_dir / LEGACY_FILE
    if not path.exists():
        return
    count = import_legacy_file(aws, path)
    path.rename(path.with_name(path.name + ".imported"))
    fsync_directory(path.parent)
    log_event("embedded.legacy_imported", items=count, file=path)
