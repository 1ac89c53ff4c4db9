"""The two candidate channels between instances, side by side: Redis pub/sub vs SNS -> one SQS queue per
instance (both local: Debian's redis-server, and the durable embedded backend that speaks SNS and SQS).

    .venv/bin/python bench/bench_channel.py [--messages 200]

For each: one publisher sends seat-change-sized messages one after another (a short pause between them),
one subscriber per "instance" (2) receives them; prints p50/p95/max publish-to-receive latency in ms and
how long one publish call takes. SQS is read with long polling (WaitTimeSeconds=1), as an instance would.
On real AWS, SNS -> SQS delivery itself adds tens of milliseconds (not measurable here); ElastiCache pub/sub
stays sub-millisecond inside one VPC.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import out, pct  # noqa: E402
from services.platform.aws import connect  # noqa: E402
from services.settings import Settings  # noqa: E402
from tests.e2e.app_process import start_backend  # noqa: E402
from tests.redis_server import RedisServer  # noqa: E402

PAYLOAD = [["W10", "held", "h-" + "0" * 32], ["W11", "held", "h-" + "0" * 32]]


def report(name: str, delays: list[float], publish_ms: list[float], expected: int) -> None:
    out(**{f"{name}_received": len(delays), f"{name}_expected": expected, f"{name}_ms_p50": pct(delays, 0.5),
           f"{name}_ms_p95": pct(delays, 0.95), f"{name}_ms_max": max(delays, default=float("nan")),
           f"{name}_publish_call_ms_p50": pct(publish_ms, 0.5)})


def bench_redis(url: str, messages: int) -> None:
    delays: list[float] = []
    ready = threading.Barrier(3)
    lock = threading.Lock()

    def subscriber() -> None:
        pubsub = redis.Redis.from_url(url).pubsub(ignore_subscribe_messages=True)
        pubsub.subscribe("bench-live")
        ready.wait()
        got = 0
        deadline = time.monotonic() + 30
        while got < messages and time.monotonic() < deadline:
            message = pubsub.get_message(timeout=1.0)
            if message and message["type"] == "message":
                with lock:
                    delays.append(time.time() * 1000 - json.loads(message["data"])["t"])
                got += 1
        pubsub.close()

    threads = [threading.Thread(target=subscriber) for _ in range(2)]
    for thread in threads:
        thread.start()
    ready.wait()
    publisher = redis.Redis.from_url(url)
    publish_ms = []
    for _ in range(messages):
        started = time.time() * 1000
        publisher.publish("bench-live", json.dumps({"t": started, "c": PAYLOAD}))
        publish_ms.append(time.time() * 1000 - started)
        time.sleep(0.01)
    for thread in threads:
        thread.join()
    report("redis_pubsub", delays, publish_ms, 2 * messages)


def bench_sns_sqs(endpoint: str, messages: int) -> None:
    aws = connect(Settings(backend="embedded", table_prefix="bench-"), endpoint)
    sns, sqs = aws.sns, aws.sqs
    topic = sns.create_topic(Name="bench-live")["TopicArn"]
    queues = []
    for index in range(2):  # one queue per instance, created at its start
        url = sqs.create_queue(QueueName=f"bench-live-instance-{index}")["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, Attributes={"RawMessageDelivery": "true"})
        queues.append(url)
    delays: list[float] = []
    lock = threading.Lock()
    stop = threading.Event()

    def subscriber(url: str) -> None:
        while not stop.is_set():
            response = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1)
            now = time.time() * 1000
            entries = response.get("Messages", [])
            with lock:
                delays.extend(now - json.loads(m["Body"])["t"] for m in entries)
            if entries:
                sqs.delete_message_batch(QueueUrl=url, Entries=[
                    {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(entries)])

    threads = [threading.Thread(target=subscriber, args=(url,)) for url in queues]
    for thread in threads:
        thread.start()
    publish_ms = []
    for _ in range(messages):
        started = time.time() * 1000
        sns.publish(TopicArn=topic, Message=json.dumps({"t": started, "c": PAYLOAD}))
        publish_ms.append(time.time() * 1000 - started)
        time.sleep(0.01)
    deadline = time.monotonic() + 30
    while len(delays) < 2 * messages and time.monotonic() < deadline:
        time.sleep(0.1)
    stop.set()
    for thread in threads:
        thread.join()
    report("sns_sqs_embedded", delays, publish_ms, 2 * messages)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        server = RedisServer(Path(tmp) / "redis").start()
        try:
            bench_redis(server.url, args.messages)
        finally:
            server.stop()
        backend = start_backend(Path(tmp) / "data", snapshot_seconds="3600")
        try:
            bench_sns_sqs(backend.url, args.messages)
        finally:
            backend.stop()


if __name__ == "__main__":
    main()
