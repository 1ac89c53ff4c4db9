"""Starting the data backend: the embedded moto server (with its saved data) or real AWS."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from services.aws import Aws, connect
from services.embedded import EmbeddedServer
from services.events import log_event
from services.provisioning import provision
from services.settings import Settings
from services.snapshot import restore, save


@dataclass
class Backend:
    aws: Aws
    server: EmbeddedServer | None = None
    data_file: Path | None = None

    def save(self) -> int:
        """Save the embedded data (no-op on AWS, where DynamoDB keeps it)."""
        if self.server is None or self.data_file is None:
            return 0
        count = save(self.aws, self.server.app, self.data_file)
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
    server = EmbeddedServer()
    aws = connect(settings, server.start())
    provision(aws)
    data_file = settings.data_dir / "embedded-data.json"
    restored = restore(aws, data_file)
    log_event("embedded.started", endpoint=server.endpoint_url, restored_items=restored, file=data_file)
    return Backend(aws, server, data_file)
