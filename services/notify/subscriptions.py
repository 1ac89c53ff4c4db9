"""Who receives booking emails: each user's address subscribed to the topic with a filter policy on the
``email`` message attribute, so a confirmation reaches only its owner; the staff address unfiltered.

On AWS an address is subscribed only before its first confirmation is published (its first booking),
never at registration: otherwise anyone could make the stack's SNS email any address by registering it,
and a few hundred sign-ups would use up the topic's filter-policy quota (docs/NOTIFICATIONS.md). On the
embedded backend, where nothing is emailed, registration subscribes at once so the mailbox shows it.
The subscription ARN is kept on the user's item, so the profile
page can show whether the owner has confirmed it (on AWS an email subscription stays "pending
confirmation" until its owner clicks the link in AWS's confirmation email; unconfirmed ones are
deleted by SNS after a while). Limits that matter are in docs/NOTIFICATIONS.md.

On the embedded backend nothing is emailed: each subscription gets a twin SQS inbox with the same
filter policy (``services/notify/mailbox.py``), and since SNS and SQS state does not survive a restart there,
``restore()`` re-creates every subscription from what DynamoDB remembers.
"""

from __future__ import annotations

import json
import logging
import threading
from contextlib import suppress
from typing import Any, Literal

from botocore.exceptions import ClientError

from services.accounts.users import User, normalize_email
from services.errors import ServiceUnavailable
from services.notify.mailbox import MailboxService
from services.platform import dynamo, topic
from services.platform.aws import Aws
from services.platform.aws_errors import AWS_ERRORS, aws_call, error_code
from services.platform.logs import log_event
from services.platform.schema import USERS
from services.platform.topic import TopicMissing

SubscriptionStatus = Literal["confirmed", "pending", "not_subscribed", "mailbox", "unknown"]
ARN_ATTRIBUTE = "notify_subscription_arn"


def filter_policy(email: str) -> str:
    return json.dumps({"email": [normalize_email(email)]})


class SubscriptionService:
    def __init__(self, aws: Aws, mailbox: MailboxService | None = None, sns: Any = None) -> None:
        self._aws = aws
        self._sns = sns or aws.quick_sns()
        self._users = aws.table(USERS)
        self._mailbox = mailbox
        self._staff = aws.settings.staff_email
        self._ses = aws.settings.ses_enabled
        self._topic_arn: str | None = None
        self._known: set[str] = set()  # emails subscribed by or known to this process
        self._prepared = False
        self._lock = threading.Lock()

    @property
    def embedded(self) -> bool:
        return self._mailbox is not None

    def topic_arn(self) -> str:
        if self._topic_arn is None:
            self._topic_arn = topic.topic_arn(self._aws)
        return self._topic_arn

    # Subscribing ----------------------------------------------------------------------------------
    def on_registered(self, user: User) -> None:
        """Registration hook: embedded only (see the module docstring); on AWS the first booking subscribes."""
        if self.embedded:
            self.try_subscribe(user.email)

    def try_subscribe(self, email: str) -> bool:
        if self._ses and normalize_email(email) != self._staff:
            return False  # the SES sender mails customers: no filter policy used up (docs/NOTIFICATIONS.md)
        try:
            self.subscribe_user(email)
        except (ServiceUnavailable, TopicMissing) as exc:
            log_event("subscription.failed", logging.WARNING, email_domain=email.rpartition("@")[2],
                      error=_error_code(exc))
            return False
        return True

    def subscribe_user(self, email: str) -> str:
        """Subscribe ``email`` with a filter policy matching only its own messages; returns the ARN.

        The staff address is the exception: SNS keeps one subscription per address, and staff's is the
        unfiltered one that receives every booking."""
        email = normalize_email(email)
        filtered = email != self._staff
        attributes = ({"FilterPolicyScope": "MessageAttributes", "FilterPolicy": filter_policy(email)}
                      if filtered else {})
        arn = self._subscribe(email, attributes)
        # No account (the staff address need not have one): nothing to remember.
        with suppress(dynamo.ConditionFailed):
            dynamo.update_item(
                self._users, {"email": email},
                UpdateExpression="SET #arn = :arn",
                ConditionExpression="attribute_exists(email)",
                ExpressionAttributeNames={"#arn": ARN_ATTRIBUTE},
                ExpressionAttributeValues={":arn": arn},
            )
        if self._mailbox is not None:
            self._mailbox.ensure_inbox(self.topic_arn(), email, filtered=filtered)
        with self._lock:
            self._known.add(email)
        log_event("subscription.created", filtered=filtered, email_domain=email.rpartition("@")[2])
        return arn

    def subscribe_staff(self) -> str:
        """The staff address receives every booking (no filter policy)."""
        if not self._staff:
            raise ValueError("staff_email is not set")
        return self.subscribe_user(self._staff)

    def ensure(self, email: str) -> None:
        """Before publishing to ``email``: subscribe an account that has no subscription yet (older
        accounts, or after an embedded restart). Guests without an account are never subscribed."""
        email = normalize_email(email)
        if not email:
            return
        with self._lock:
            if email in self._known:
                return
        try:
            item = dynamo.get_item(self._users, {"email": email}, ProjectionExpression="email, #arn",
                                   ExpressionAttributeNames={"#arn": ARN_ATTRIBUTE})
        except ServiceUnavailable as exc:
            log_event("subscription.lookup_failed", logging.WARNING, error=_error_code(exc))
            return
        if item is None:
            return
        if item.get(ARN_ATTRIBUTE) and not self.embedded:
            with self._lock:
                self._known.add(email)
            return
        self.try_subscribe(email)

    def _subscribe(self, email: str, attributes: dict[str, str]) -> str:
        arn = self.topic_arn()
        with aws_call("sns.subscribe"):
            response = self._sns.subscribe(TopicArn=arn, Protocol="email", Endpoint=email, Attributes=attributes,
                                           ReturnSubscriptionArn=True)
        return str(response["SubscriptionArn"])

    # Status ---------------------------------------------------------------------------------------
    def status(self, email: str) -> SubscriptionStatus:
        """For the profile page: has the owner confirmed their subscription?"""
        if self.embedded:
            return "mailbox"
        if self._ses:
            return "confirmed"  # the SES sender mails every account; no subscription to confirm
        email = normalize_email(email)
        try:
            item = dynamo.get_item(self._users, {"email": email}) or {}
            arn = item.get(ARN_ATTRIBUTE)
            if not arn:
                return "not_subscribed"
            attributes = self._sns.get_subscription_attributes(SubscriptionArn=arn)["Attributes"]
        except ClientError as exc:
            if error_code(exc) in ("NotFound", "NotFoundException"):
                return "not_subscribed"  # unsubscribed by its owner, or deleted unconfirmed
            log_event("subscription.status_failed", logging.WARNING, error=error_code(exc))
            return "unknown"
        except (*AWS_ERRORS, ServiceUnavailable, TopicMissing) as exc:
            log_event("subscription.status_failed", logging.WARNING, error=_error_code(exc))
            return "unknown"
        return "pending" if str(attributes.get("PendingConfirmation")).lower() == "true" else "confirmed"

    # Start-up -------------------------------------------------------------------------------------
    def prepare(self) -> None:
        """Once per process, before the first publish: subscribe the staff address, and on the embedded
        backend re-create the subscriptions lost with the last restart. Later calls return at once."""
        with self._lock:
            if self._prepared:
                return
            self._prepared = True
        if self.embedded:
            restored = self.restore()
            log_event("subscription.restored", subscriptions=restored)
        elif self._staff:
            self.try_subscribe(self._staff)

    def restore(self) -> int:
        """Embedded backend: re-create the subscriptions (and inboxes) DynamoDB remembers; returns how many."""
        if self._mailbox is None:
            return 0
        count = 0
        if self._staff:
            count += self.try_subscribe(self._staff)
        try:
            recipients = self._mailbox.recipients()
        except ServiceUnavailable as exc:  # ensure() still subscribes each owner before publishing
            log_event("subscription.restore_failed", logging.WARNING, error=_error_code(exc))
            return count
        for email in recipients:
            if email != self._staff:
                count += self.try_subscribe(email)
        return count


def _error_code(exc: BaseException) -> str:
    """The AWS code behind a failure (ServiceUnavailable keeps the AWS error as its cause), for logs."""
    return error_code(exc.__cause__ if isinstance(exc, ServiceUnavailable) and exc.__cause__ else exc)
