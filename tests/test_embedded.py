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


def _run(code: str, data_dir: Path, *, end: str = "backend.stop()") -> str:
    """``code`` in a new process on the embedded backend of ``data_dir``; ``end`` how that process ends
    (a clean stop, or ``os.kill(os.getpid(), 9)``)."""
    script = (
        textwrap.dedent(
            f"""
        import os
        from pathlib import Path
        from main import build_services
        from services.platform.backend import start_backend
        from services.platform.local_secrets import with_local_secrets
        from services.platform.schema import SEATS
        from services.settings import Settings
        settings = with_local_secrets(Settings(data_dir=Path({str(data_dir)!r}), bcrypt_rounds=4))
        backend = start_backend(settings)
        services = build_services(settings, backend.aws)
        seats = services.aws.table(SEATS)
        """
        )
        + textwrap.dedent(code)
        + f"\nprint(flush=True)\n{end}\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode in (0, -9), result.stderr
    return result.stdout


KILL = "os.kill(os.getpid(), 9)"
READ_SEAT = """
item = seats.get_item(Key={"showtime_id": "s1", "seat_id": "A1"}, ConsistentRead=True).get("Item")
print(item["booking_id"] if item else "missing")
"""


def test_a_restart_keeps_users_and_seats(tmp_path: Path) -> None:
    """Each run is a new process, so moto starts empty: only the data directory carries anything over."""
    email = f"keep.{uuid.uuid4().hex[:6]}@example.com"
    _run(
        f"""
        services.users.register("Keeper", {email!r}, "correct horse")
        seats.put_item(Item={{"showtime_id": "s1", "seat_id": "A1", "status": "sold", "booking_id": "bk-1"}})
        """,
        tmp_path,
    )
    assert (tmp_path / "embedded.snapshot").exists()
    output = _run(f"print(services.users.authenticate({email!r}, 'correct horse').name)" + READ_SEAT, tmp_path)
    assert output.split() == ["Keeper", "bk-1"]


def test_a_kill_9_right_after_a_write_keeps_it(tmp_path: Path) -> None:
    """No snapshot, no clean stop: the journal alone brings the acknowledged write back."""
    _run('seats.put_item(Item={"showtime_id": "s1", "seat_id": "A1", "booking_id": "bk-9"})', tmp_path, end=KILL)
    assert not (tmp_path / "embedded.snapshot").exists()
    assert _run(READ_SEAT, tmp_path, end=KILL).split() == ["bk-9"]


def test_a_torn_journal_tail_is_dropped_not_fatal(tmp_path: Path) -> None:
    """A record the crash cut short was never acknowledged: start-up skips it and keeps the rest."""
    _run('seats.put_item(Item={"showtime_id": "s1", "seat_id": "A1", "booking_id": "bk-t"})', tmp_path, end=KILL)
    newest = sorted(tmp_path.glob("journal-*.log"))[-1]
    with newest.open("ab") as file:
        file.write(b"\x00\x00\x10\x00\xde\xad")  # a header promising 4 KiB that never came
    assert _run(READ_SEAT, tmp_path).split() == ["bk-t"]


def test_journal_damage_before_its_end_stops_start_up_and_is_kept(tmp_path: Path) -> None:
    """A bad record with good ones after it is not a torn tail: start-up refuses rather than skip data."""
    _run("""
        for seat in ("A1", "A2", "A3"):
            seats.put_item(Item={"showtime_id": "s1", "seat_id": seat, "booking_id": "bk-" + seat})
        """, tmp_path, end=KILL)
    newest = sorted(tmp_path.glob("journal-*.log"))[-1]
    damaged = bytearray(newest.read_bytes())
    damaged[len(damaged) // 3] ^= 0xFF
    newest.write_bytes(bytes(damaged))
    result = _start_main(tmp_path)
    assert result.returncode == 2 and str(newest) in result.stderr and "damaged" in result.stderr, result.stderr
    assert newest.read_bytes() == bytes(damaged)


def _start_main(data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "MOVIEMAGIC_DATA_DIR": str(data_dir), "MOVIEMAGIC_PORT": "1"}
    return subprocess.run(
        [sys.executable, "main.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )


def test_a_corrupted_snapshot_stops_start_up_with_one_line_and_is_kept(tmp_path: Path) -> None:
    _run('seats.put_item(Item={"showtime_id": "s1", "seat_id": "A1", "booking_id": "bk-c"})', tmp_path)
    path = tmp_path / "embedded.snapshot"
    damaged = bytearray(path.read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF
    path.write_bytes(bytes(damaged))
    result = _start_main(tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and "damaged" in lines[0], result.stderr
    assert path.read_bytes() == bytes(damaged), "the damaged file was changed"


def test_the_data_directory_is_private(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _run('seats.put_item(Item={"showtime_id": "s1", "seat_id": "A1"})', data)
    assert data.stat().st_mode & 0o777 == 0o700
    files = list(data.iterdir())
    assert {path.name for path in files} >= {"embedded.snapshot", "secrets.json", "embedded.lock"}
    assert all(path.stat().st_mode & 0o777 == 0o600 for path in files), [oct(p.stat().st_mode) for p in files]
