"""The DynamoDB module's contract, against the moto server: failed conditions carry the old item,
cancelled transactions their per-action reasons, paging reads everything, and any other AWS failure is
ServiceUnavailable (TransactionOutcomeUnknown for a transaction without an answer)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from boto3.dynamodb.conditions import Key

from services.container import Services
from services.errors import ServiceUnavailable
from services.platform import dynamo
from services.platform.schema import OUTBOX, SEATS, USERS
from tests.faults import Faults, server_error, throttled, timed_out, unreachable


@pytest.fixture
def faults(services: Services) -> Iterator[Faults]:
    injector = Faults(services)
    yield injector
    injector.clear()


def test_a_failed_condition_carries_the_old_item(services: Services) -> None:
    users = services.aws.table(USERS)
    dynamo.put_item(users, {"email": "a@x.io", "name": "Ann", "visits": 3})
    with pytest.raises(dynamo.ConditionFailed) as caught:
        dynamo.put_item(users, {"email": "a@x.io"}, ConditionExpression="attribute_not_exists(email)")
    assert caught.value.old_item == {"email": "a@x.io", "name": "Ann", "visits": 3}
    with pytest.raises(dynamo.ConditionFailed) as caught:
        dynamo.update_item(users, {"email": "a@x.io"}, UpdateExpression="SET visits = :v",
                           ConditionExpression="visits > :v", ExpressionAttributeValues={":v": 5})
    assert caught.value.old_item is not None and caught.value.old_item["visits"] == 3
    with pytest.raises(dynamo.ConditionFailed) as caught:
        dynamo.delete_item(users, {"email": "nobody@x.io"}, ConditionExpression="attribute_exists(email)")
    assert caught.value.old_item is None  # there was no item
    assert dynamo.get_item(users, {"email": "a@x.io"}) == {"email": "a@x.io", "name": "Ann", "visits": 3}


def test_a_cancelled_transaction_gives_each_action_s_reason(services: Services) -> None:
    users, name = services.aws.table(USERS), services.aws.table_name(USERS)
    dynamo.put_item(users, {"email": "a@x.io", "name": "Ann"})
    with pytest.raises(dynamo.TransactionCancelled) as caught:
        dynamo.transact_write(services.aws, [
            {"Put": {"TableName": name, "Item": {"email": "b@x.io", "name": "Ben"}}},
            {"Put": {"TableName": name, "Item": {"email": "a@x.io", "name": "Other"},
                     "ConditionExpression": "attribute_not_exists(email)"}},
        ])
    assert caught.value.codes == [None, "ConditionalCheckFailed"]
    assert caught.value.reasons[1].old_item == {"email": "a@x.io", "name": "Ann"}
    assert dynamo.get_item(users, {"email": "b@x.io"}) is None  # nothing was written


def test_query_all_and_batch_get_all_read_every_page(services: Services) -> None:
    seats, outbox = services.aws.table(SEATS), services.aws.table(OUTBOX)
    with seats.batch_writer() as writer:
        for n in range(7):
            writer.put_item(Item={"showtime_id": "s1", "seat_id": f"A{n}", "status": "sold"})
    result = dynamo.query_all(seats, KeyConditionExpression=Key("showtime_id").eq("s1"), Limit=2)
    assert sorted(item["seat_id"] for item in result.items) == [f"A{n}" for n in range(7)]
    assert result.scanned == 7
    with outbox.batch_writer() as writer:
        for n in range(130):
            writer.put_item(Item={"notification_id": f"n{n}"})
    keys = [{"notification_id": f"n{n}"} for n in range(135)]  # more than one request, five missing
    found = dynamo.batch_get_all(services.aws, services.aws.table_name(OUTBOX), keys)
    assert sorted(item["notification_id"] for item in found) == sorted(f"n{n}" for n in range(130))


@pytest.mark.parametrize("make_error", [throttled, server_error, unreachable])
def test_other_failures_are_service_unavailable_with_a_message(services: Services, faults: Faults,
                                                               make_error) -> None:
    users = services.aws.table(USERS)
    for operation, call in [
        ("GetItem", lambda: dynamo.get_item(users, {"email": "a@x.io"})),
        ("PutItem", lambda: dynamo.put_item(users, {"email": "a@x.io"})),
        ("Query", lambda: dynamo.query_all(users, IndexName="by-user-id",
                                           KeyConditionExpression=Key("user_id").eq("u"))),
        ("BatchGetItem", lambda: dynamo.batch_get_all(services.aws, services.aws.table_name(USERS),
                                                      [{"email": "a@x.io"}])),
    ]:
        faults.fail(operation, make_error)
        with pytest.raises(ServiceUnavailable) as caught:
            call()
        assert "try again" in caught.value.message


def test_a_transaction_without_an_answer_is_outcome_unknown(services: Services, faults: Faults) -> None:
    name = services.aws.table_name(USERS)
    faults.fail("TransactWriteItems", timed_out, after=True)  # it ran; only the answer was lost
    with pytest.raises(dynamo.TransactionOutcomeUnknown):
        dynamo.transact_write(services.aws, [{"Put": {"TableName": name, "Item": {"email": "c@x.io"}}}])
    assert dynamo.get_item(services.aws.table(USERS), {"email": "c@x.io"}) == {"email": "c@x.io"}
