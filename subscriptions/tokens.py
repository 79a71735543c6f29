"""Signed links: confirming a subscription (expires) and unsubscribing (does not: old e-mails must still work).

A token names the subscription and a digest of its address, so a token never applies to another row."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.core import signing

from subscriptions.models import Subscription

CONFIRM_SALT = "tawasul.subscriptions.confirm"
UNSUBSCRIBE_SALT = "tawasul.subscriptions.unsubscribe"
CONFIRM_MAX_AGE = timedelta(days=3)


def _address_digest(email: str) -> str:
    return hashlib.sha256(email.encode()).hexdigest()[:16]


def _token(subscription: Subscription, salt: str) -> str:
    return signing.dumps({"s": subscription.pk, "e": _address_digest(subscription.email)}, salt=salt, compress=True)


def _subscription(token: str, salt: str, max_age: timedelta | None) -> Subscription | None:
    try:
        payload = signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict):
        return None
    subscription_id = payload.get("s")
    if not isinstance(subscription_id, int):
        return None
    subscription = Subscription.objects.filter(pk=subscription_id).first()
    if subscription is None or _address_digest(subscription.email) != payload.get("e"):
        return None
    return subscription


def confirm_token(subscription: Subscription) -> str:
    return _token(subscription, CONFIRM_SALT)


def unsubscribe_token(subscription: Subscription) -> str:
    return _token(subscription, UNSUBSCRIBE_SALT)


def subscription_for_confirm_token(token: str) -> Subscription | None:
    return _subscription(token, CONFIRM_SALT, CONFIRM_MAX_AGE)


def subscription_for_unsubscribe_token(token: str) -> Subscription | None:
    return _subscription(token, UNSUBSCRIBE_SALT, None)


def unsubscribe_token_is_genuine(token: str) -> bool:
    """Whether we signed this unsubscribe link, even if its subscription is already gone: unsubscribing twice
    succeeds (RFC 8058 clients may post more than once)."""
    try:
        signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return False
    return True
