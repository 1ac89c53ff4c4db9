"""The booking topic's ARN at run time (provisioning creates the topic; this only finds it)."""

from __future__ import annotations

from services.platform.aws import Aws
from services.platform.aws_errors import aws_call


class TopicMissing(Exception):
    """The SNS topic does not exist (run ``python main.py provision``)."""


def find_topic_arn(aws: Aws) -> str | None:
    """The topic's ARN: from settings when given (no ListTopics permission needed), else by name.
    An AWS failure raises ServiceUnavailable."""
    if aws.settings.topic_arn:
        return aws.settings.topic_arn
    with aws_call("sns.list_topics"):
        for page in aws.sns.get_paginator("list_topics").paginate():
            for topic in page["Topics"]:
                if topic["TopicArn"].rsplit(":", 1)[-1] == aws.settings.topic_name:
                    return str(topic["TopicArn"])
    return None


def topic_arn(aws: Aws) -> str:
    """The topic's ARN; TopicMissing when it was never created."""
    arn = find_topic_arn(aws)
    if not arn:
        raise TopicMissing(f"SNS topic {aws.settings.topic_name} not found; run: python main.py provision")
    return arn
