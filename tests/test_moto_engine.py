"""Our changes to moto (services/platform/moto_engine.py) and what the embedded server journals."""

from __future__ import annotations

import random
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from botocore.exceptions import ClientError
from moto.dynamodb.models import dynamodb_backends

from services.platform import moto_engine
from services.platform.aws import Aws, connect
from services.platform.embedded import EmbeddedServer
from services.platform.journal import MAGIC, Journal, JournalWriter, Record, read_segment, segment_path
from services.platform.private_files import DataFileError
from services.platform.schema import BOOKINGS, SEATS


def _moto_table(aws: Aws) -> object:
    return dynamodb_backends["123456789012"][aws.settings.region].tables[aws.table_name(SEATS)]


def _put(aws: Aws, seat: str, **condition: str) -> dict:
    put: dict = {"TableName": aws.table_name(SEATS), "Item": {"showtime_id": "s", "seat_id": seat, "v": "new"}}
    put |= condition
    return {"Put": put}


def test_a_cancelled_transaction_puts_back_exactly_what_it_changed(aws: Aws) -> None:
    table = aws.table(SEATS)
    table.put_item(Item={"showtime_id": "s", "seat_id": "A1", "v": "old", "n": 1})
    table.put_item(Item={"showtime_id": "s", "seat_id": "A2", "v": "old"})
    table.put_item(Item={"showtime_id": "s", "seat_id": "TAKEN"})
    moto_table = _moto_table(aws)
    name = aws.table_name(SEATS)
    with pytest.raises(ClientError) as caught:
        aws.ddb.transact_write_items(TransactItems=[
            _put(aws, "A1"),  # overwrites
            {"Update": {"TableName": name, "Key": {"showtime_id": "s", "seat_id": "A2"},
                        "UpdateExpression": "SET v = :v, extra = :v", "ExpressionAttributeValues": {":v": "new"}}},
            {"Delete": {"TableName": name, "Key": {"showtime_id": "s", "seat_id": "A3"}}},
            _put(aws, "A4"),  # creates
            _put(aws, "TAKEN", ConditionExpression="attribute_not_exists(seat_id)"),  # fails: all is undone
        ])
    reasons = [reason["Code"] for reason in caught.value.response["CancellationReasons"]]
    assert reasons == ["None", "None", "None", "None", "ConditionalCheckFailed"]
    items = {item["seat_id"]: item for item in table.query(
        KeyConditionExpression="showtime_id = :s", ExpressionAttributeValues={":s": "s"}, ConsistentRead=True)["Items"]}
    assert items["A1"] == {"showtime_id": "s", "seat_id": "A1", "v": "old", "n": 1}
    assert items["A2"] == {"showtime_id": "s", "seat_id": "A2", "v": "old"}
    assert set(items) == {"A1", "A2", "TAKEN"}
    # moto's own version swapped in a deep copy of the whole table; ours leaves the table where it is.
    assert _moto_table(aws) is moto_table


def test_a_successful_transaction_applies_everything(aws: Aws) -> None:
    aws.ddb.transact_write_items(TransactItems=[_put(aws, "B1"), _put(aws, "B2")])
    keys = [{"showtime_id": "s", "seat_id": seat} for seat in ("B1", "B2")]
    found = aws.dynamodb.batch_get_item(RequestItems={aws.table_name(SEATS): {"Keys": keys}})["Responses"]
    assert len(found[aws.table_name(SEATS)]) == 2


def test_moto_keeps_no_model_instances(aws: Aws) -> None:
    table = aws.table(SEATS)
    for seat in range(30):
        table.put_item(Item={"showtime_id": "m", "seat_id": str(seat)})
    for _ in range(5):
        table.query(KeyConditionExpression="showtime_id = :s", ExpressionAttributeValues={":s": "m"})
    assert moto_engine.tracked_instances() == 0


def test_only_successful_mutating_requests_are_journaled(aws: Aws, tmp_path: Path) -> None:
    """Reads, refused writes and empty receives change nothing, so they are not in the journal."""
    server = EmbeddedServer()
    endpoint = server.start()
    server.app.journal = Journal(JournalWriter(segment_path(tmp_path, 1)))
    try:
        local = connect(aws.settings, endpoint)
        table = local.table(SEATS)
        table.put_item(Item={"showtime_id": "j", "seat_id": "A1"})  # journaled
        table.get_item(Key={"showtime_id": "j", "seat_id": "A1"})
        table.query(KeyConditionExpression="showtime_id = :s", ExpressionAttributeValues={":s": "j"})
        with pytest.raises(ClientError):
            table.put_item(Item={"showtime_id": "j", "seat_id": "A1"},
                           ConditionExpression="attribute_not_exists(seat_id)")
        url = local.sqs.create_queue(QueueName="journal-test")["QueueUrl"]  # journaled
        local.sqs.receive_message(QueueUrl=url, WaitTimeSeconds=0)
        local.sqs.send_message(QueueUrl=url, MessageBody="hello")  # journaled
        local.sqs.receive_message(QueueUrl=url, WaitTimeSeconds=0)  # journaled: it changed the message's state
        assert server.app.journal.writer.records == 4
    finally:
        server.app.journal.close()
        server.stop()
    records = list(read_segment(segment_path(tmp_path, 1)))
    assert [record.environ.get("HTTP_X_AMZ_TARGET", "").rsplit(".", 1)[-1] for record in records] == [
        "PutItem", "CreateQueue", "SendMessage", "ReceiveMessage"]


def test_journal_framing_torn_tail_and_damage(tmp_path: Path) -> None:
    path = segment_path(tmp_path, 7)
    writer = JournalWriter(path)
    for index in range(3):
        writer.append(Record(index, {"PATH_INFO": "/"}, b"x" * index))
    writer.close()
    whole = path.read_bytes()
    assert [record.seed for record in read_segment(path)] == [0, 1, 2]
    path.write_bytes(whole[:-3])  # the last record cut short
    assert [record.seed for record in read_segment(path)] == [0, 1]
    path.write_bytes(MAGIC[:5])  # the crash came while the file was being started
    assert list(read_segment(path)) == []
    damaged = bytearray(whole)
    damaged[len(MAGIC) + 12] ^= 0xFF  # inside the first record, two good ones after it
    path.write_bytes(bytes(damaged))
    with pytest.raises(DataFileError, match="damaged"):
        list(read_segment(path))
    path.write_bytes(b"something else entirely")
    with pytest.raises(DataFileError, match="not a Movie Magic journal"):
        list(read_segment(path))


def test_index_queries_read_the_same_items_as_a_full_read_after_every_kind_of_change(aws: Aws) -> None:
    """Queries read only candidates (a partition, or an index map kept up to date); whatever changes an
    item (put, update moving it between index partitions or out of a sparse index, delete, a transaction
    rolled back), a query returns exactly what reading the whole table and filtering it returns."""
    rng = random.Random(7)
    table = aws.table(BOOKINGS)
    name = aws.table_name(BOOKINGS)
    users = [f"u{n}" for n in range(4)]
    ids = [f"b{n}" for n in range(40)]
    for step in range(240):
        booking_id, user = rng.choice(ids), rng.choice(users)
        action = rng.choice(["put", "put", "move", "unindex", "delete", "rollback"])
        stamp = f"2026-01-01T00:00:{step:03d}"
        if action == "put":
            table.put_item(Item={"booking_id": booking_id, "user_id": user, "created_at": stamp,
                                 "showtime_id": "show"})
        elif action == "move":
            table.update_item(Key={"booking_id": booking_id}, UpdateExpression="SET user_id = :u, created_at = :c",
                              ExpressionAttributeValues={":u": user, ":c": stamp})
        elif action == "unindex":
            table.update_item(Key={"booking_id": booking_id}, UpdateExpression="REMOVE user_id")
        elif action == "delete":
            table.delete_item(Key={"booking_id": booking_id})
        else:
            with pytest.raises(ClientError):
                aws.ddb.transact_write_items(TransactItems=[
                    {"Update": {"TableName": name, "Key": {"booking_id": booking_id},
                                "UpdateExpression": "SET user_id = :u", "ExpressionAttributeValues": {":u": user}}},
                    {"ConditionCheck": {"TableName": name, "Key": {"booking_id": "never"},
                                        "ConditionExpression": "attribute_exists(booking_id)"}},
                ])
        if step % 30 == 29:
            everything = []
            for page in aws.ddb.get_paginator("scan").paginate(TableName=name):  # scan-ok: the reference
                everything += page["Items"]
            for who in users:
                expected = sorted((item for item in everything if item.get("user_id") == who),
                                  key=lambda item: item["created_at"])
                found = []
                for page in aws.ddb.get_paginator("query").paginate(
                        TableName=name, IndexName="by-user-created", KeyConditionExpression="user_id = :u",
                        ExpressionAttributeValues={":u": who}, PaginationConfig={"PageSize": 3}):
                    found += page["Items"]
                assert found == expected, (step, who)
            by_show = table.query(IndexName="by-showtime", KeyConditionExpression="showtime_id = :s",
                                  ExpressionAttributeValues={":s": "show"})["Items"]
            assert len(by_show) == sum(1 for item in everything if item.get("showtime_id") == "show")


def test_group_commit_makes_every_record_durable_in_order(tmp_path: Path) -> None:
    """Threads append (in order, as under the server's lock) and wait for durability at once; each wait
    returns only once its record is synced, and a rotation in between loses nothing."""
    path = segment_path(tmp_path, 1)
    journal = Journal(JournalWriter(path))
    order_lock = threading.Lock()  # stands for the server's lock
    appended: list[int] = []

    def request(number: int) -> None:
        with order_lock:
            sequence = journal.append(Record(number, {"PATH_INFO": "/"}, b""))
            appended.append(number)
        journal.wait_durable(sequence)
        assert journal.durable >= sequence

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(request, range(40)))
        with order_lock:
            journal.rotate(JournalWriter(segment_path(tmp_path, 2)))
        list(pool.map(request, range(40, 60)))
    journal.close()
    seeds = [record.seed for number in (1, 2) for record in read_segment(segment_path(tmp_path, number))]
    assert seeds == appended and sorted(seeds) == list(range(60))
