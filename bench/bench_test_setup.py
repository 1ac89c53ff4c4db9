"""A test's set-up: ``provision()`` over HTTP (what every test did) against tests/moto_direct.py (what the
fixtures do now), and the demo-catalog restore both ways; alternated within one run, so the machine's load
falls on both alike. Prints key=value figures (bench/README.md)."""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from services.clock import FakeClock  # noqa: E402
from services.platform.aws import Aws, connect  # noqa: E402
from services.platform.embedded import EmbeddedServer  # noqa: E402
from services.platform.provisioning import provision  # noqa: E402
from services.platform.schema import ALL_TABLES  # noqa: E402
from tests.conftest import CATALOG_TABLES, load_demo_catalog, make_settings  # noqa: E402
from tests.moto_direct import DirectProvisioner  # noqa: E402


class Counted:
    """AWS calls made through the clients it watches (a botocore ``before-call`` hook, as bench_booking.py)."""

    def __init__(self) -> None:
        self.count = 0

    def watch(self, aws: Aws) -> Aws:
        for client in (aws.ddb, aws.sns, aws.sqs, aws.s3, aws.ses):  # each client has its own copy of the hooks
            client.meta.events.register("before-call", self._called)
        return aws

    def _called(self, **_: object) -> None:
        self.count += 1


def http_catalog(aws: Aws, backups: dict[str, str]) -> None:
    """The fixtures' former restore: DeleteTable/RestoreTableFromBackup requests, then provision()."""
    for table in CATALOG_TABLES:
        aws.ddb.delete_table(TableName=aws.table_name(table))
        aws.ddb.restore_table_from_backup(TargetTableName=aws.table_name(table), BackupArn=backups[table.logical_name])
    provision(aws, CATALOG_TABLES)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    server = EmbeddedServer()
    endpoint = server.start()
    counter = Counted()
    direct = DirectProvisioner(server, connect(make_settings(endpoint)))
    now = FakeClock().now()
    slots: dict[datetime, dict[str, str]] = {}
    load_demo_catalog(connect(make_settings(endpoint)), now, slots, direct)  # the once-per-worker seed
    backups = next(iter(slots.values()))
    figures: dict[str, list[float]] = {}
    requests: dict[str, list[int]] = {}

    def measure(key: str, run: Callable[..., object], *arguments: object) -> None:
        before = counter.count
        started = time.perf_counter()
        run(*arguments)
        figures.setdefault(key, []).append((time.perf_counter() - started) * 1000)
        requests.setdefault(key, []).append(counter.count - before)

    for _ in range(args.rounds):
        http = counter.watch(connect(make_settings(endpoint)))
        fast = counter.watch(connect(make_settings(endpoint)))
        measure("provision_http", provision, http)
        measure("provision_direct", direct.provision, fast)
        measure("catalog_http", http_catalog, http, backups)
        measure("catalog_direct", load_demo_catalog, fast, now, slots, direct)
    for key, values in figures.items():
        print(f"{key}_ms_p50={statistics.median(values):.1f}")
        print(f"{key}_requests={statistics.median(requests[key]):.0f}")
    print(f"tables={len(ALL_TABLES)} rounds={args.rounds}")
    server.stop()


if __name__ == "__main__":
    main()
