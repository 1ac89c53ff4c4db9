"""Starting the data backend: the embedded moto server (with its saved data) or real AWS."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from services.platform.aws import Aws, connect
from services.platform.logs import log_event
from services.platform.provisioning import provision
from services.settings import Settings

# moto (the embedded server and its snapshots) is imported only when the embedded backend starts: the
# AWS install (requirements-aws.txt) does not have it at all.
if TYPE_CHECKING:
    from services.platform.embedded import EmbeddedServer


@dataclass
class Backend:
    aws: Aws
    server: EmbeddedServer | None = None
    data_file: Path | None = None

    saved_writes: int | None = None  # the server's write count at the last save

    def save(self) -> int:
        """Save the embedded data if anything changed since the last save (no-op on AWS)."""
        if self.server is None or self.data_file is None:
            return 0
        from services.platform.snapshot import save

        unless = self.saved_writes if self.data_file.exists() else None
        count, self.saved_writes = save(self.aws, self.server.app, self.data_file, unless_writes=unless)
        if count:
            log_event("embedded.saved", items=count, file=self.data_file)
        return count

    def stop(self) -> None:
        if self.server is not None:
            self.save()
            self.server.stop()
            self.server = None


def start_backend(settings: Settings) -> Backend:
    if settings.backend == "aws":
        return Backend(connect(settings))
    from services.platform.embedded import EmbeddedServer
    from services.platform.snapshot import restore

    server = EmbeddedServer()
    aws = connect(settings, server.start())
    provision(aws)
    data_file = settings.data_dir / "embedded-data.json"
    restored = restore(aws, data_file)
    log_event("embedded.started", endpoint=server.endpoint_url, restored_items=restored, file=data_file)
    return Backend(aws, server, data_file)
