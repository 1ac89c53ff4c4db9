"""The embedded backend: moto's server behind a one-request-at-a-time lock, with data kept across restarts."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from botocore.exceptions import ClientError

from services.platform.aws import Aws
from services.platform.schema import SEATS

ROOT = Path(__file__).resolve().parent.parent


def test_concurrent_writes_beside_failing_transactions_are_never_lost(aws: Aws) -> None:
    """moto alone lost writes when a failing transaction ran beside them; the lock must prevent that."""
    table = aws.table(SEATS)
    table_name = aws.table_name(SEATS)
    table.put_item(Item={"showtime_id": "show", "seat_id": "TAKEN", "status": "sold"})

    def writer(index: int) -> None:
        for seat in range(15):
            table.put_item(Item={"showtime_id": "show", "seat_id": f"W{index}-{seat}", "status": "sold"})

    def failing_transaction(index: int) -> None:
        for attempt in range(15):
            try:
                aws.ddb.transact_write_items(
                    TransactItems=[
                        {
                            "Put": {
                                "TableName": table_name,
                                "Item": {"showtime_id": "show", "seat_id": f"F{index}-{attempt}"},
                            }
                        },
                        {
                            "Put": {
                                "TableName": table_name,
                                "Item": {"showtime_id": "show", "seat_id": "TAKEN"},
                                "ConditionExpression": "attribute_not_exists(seat_id)",
                            }
                        },
                    ]
                )
            except ClientError as exc:
                assert exc.response["Error"]["Code"] == "TransactionCanceledException"

    for _round in range(3):
        with ThreadPoolExecutor(max_workers=8) as pool:
            futures = [pool.submit(writer, i) for i in range(4)] + [
                pool.submit(failing_transaction, i) for i in range(4)
            ]
            for future in futures:
                future.result()
        items = table.query(
            KeyConditionExpression="showtime_id = :s", ExpressionAttributeValues={":s": "show"}, ConsistentRead=True
        )["Items"]
        seat_ids = {item["seat_id"] for item in items}
        assert {f"W{i}-{s}" for i in range(4) for s in range(15)} <= seat_ids
        assert not any(seat.startswith("F") for seat in seat_ids), "a cancelled transaction wrote nothing"


def _run(code: str, data_dir: Path) -> str:
    script = (
        textwrap.dedent(
            f"""
        from pathlib import Path
        from main import build_services
        from services.platform.backend import start_backend
        from services.platform.local_secrets import with_local_secrets
        from services.settings import Settings
        settings = with_local_secrets(Settings(data_dir=Path({str(data_dir)!r}), bcrypt_rounds=4))
        backend = start_backend(settings)
        services = build_services(settings, backend.aws)
        """
        )
        + textwrap.dedent(code)
        + "\nbackend.stop()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_restart_keeps_users_and_seats(tmp_path: Path) -> None:
    """Each run is a new process, so moto starts empty: only the data file carries anything over."""
    email = f"keep.{uuid.uuid4().hex[:6]}@example.com"
    _run(
        f"""
        services.users.register("Keeper", {email!r}, "correct horse")
        services.aws.table(__import__("services.platform.schema").platform.schema.SEATS).put_item(
            Item={{"showtime_id": "s1", "seat_id": "A1", "status": "sold", "booking_id": "bk-1"}})
        """,
        tmp_path,
    )
    assert (tmp_path / "embedded-data.json").exists()
    output = _run(
        f"""
        print(services.users.authenticate({email!r}, "correct horse").name)
        seat = services.aws.table(__import__("services.platform.schema").platform.schema.SEATS).get_item(
            Key={{"showtime_id": "s1", "seat_id": "A1"}})["Item"]
        print(seat["booking_id"])
        """,
        tmp_path,
    )
    assert output.split() == ["Keeper", "bk-1"]


def test_a_save_with_nothing_new_to_save_is_skipped(tmp_path: Path) -> None:
    """Saving holds every request for a moment, so an idle app must not do it every 30 seconds."""
    from services.platform.backend import start_backend
    from services.settings import Settings

    settings = Settings(data_dir=tmp_path, table_prefix=f"s{uuid.uuid4().hex[:8]}-", bcrypt_rounds=4)
    backend = start_backend(settings)
    try:
        seats = backend.aws.table(SEATS)
        seats.put_item(Item={"showtime_id": "s1", "seat_id": "A1", "status": "sold"})
        assert backend.save() == 1
        saved_at = (tmp_path / "embedded-data.json").stat().st_mtime_ns
        seats.get_item(Key={"showtime_id": "s1", "seat_id": "A1"})  # reads change nothing
        assert backend.save() == 0
        assert (tmp_path / "embedded-data.json").stat().st_mtime_ns == saved_at
        seats.put_item(Item={"showtime_id": "s1", "seat_id": "A2", "status": "sold"})
        assert backend.save() == 2
    finally:
        backend.stop()
