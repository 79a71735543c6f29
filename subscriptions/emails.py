"""The e-mails: in the subscription's language (Arabic right-to-left), an HTML part and a plain-text part, and
on every notification a one-click unsubscribe (RFC 8058: `List-Unsubscribe` with an HTTPS URL and
`List-Unsubscribe-Post: List-Unsubscribe=One-Click`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from messaging.models import Message
from subscriptions.models import Subscription
from subscriptions.selectors import subscription_target
from subscriptions.tokens import confirm_token, unsubscribe_token


def absolute(path: str) -> str:
    return settings.TAWASUL_PUBLIC_BASE_URL.rstrip("/") + path


def target_name(subscription: Subscription) -> str:
    target = subscription_target(
        kind=subscription.target_kind, key=subscription.target_key, language_code=subscription.language_code
    )
    return str(getattr(target, "title", None) or getattr(target, "name", None) or "")


def _email(
    *, subscription: Subscription, subject: str, template: str, context: dict[str, Any], headers: dict[str, str]
) -> EmailMultiAlternatives:
    context = {
        **context,
        "language_code": subscription.language_code,
        "direction": "rtl" if translation.get_language_bidi() else "ltr",
        "target_name": target_name(subscription),
    }
    email = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"subscriptions/emails/{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[subscription.email],
        headers={"Content-Language": subscription.language_code, **headers},
    )
    email.attach_alternative(render_to_string(f"subscriptions/emails/{template}.html", context), "text/html")
    return email


def confirmation_email(*, subscription: Subscription) -> EmailMultiAlternatives:
    with translation.override(subscription.language_code):
        url = absolute(reverse("subscriptions:confirm", args=[confirm_token(subscription)]))
        return _email(
            subscription=subscription,
            subject=_("Confirm your subscription to Tawasul"),
            template="confirm",
            context={"confirm_url": url},
            headers={},
        )


def notification_email(*, subscription: Subscription, messages: list[Message], digest: bool) -> EmailMultiAlternatives:
    with translation.override(subscription.language_code):
        unsubscribe_url = absolute(reverse("subscriptions:unsubscribe", args=[unsubscribe_token(subscription)]))
        items = [
            {"message": message, "url": absolute(reverse("public-message", args=[message.translation_key]))}
            for message in messages
        ]
        if digest:
            subject = _("Tawasul: today's messages on %(name)s") % {"name": target_name(subscription)}
        else:
            subject = _("Tawasul: %(title)s") % {"title": messages[0].title}
        return _email(
            subscription=subscription,
            subject=subject,
            template="notification",
            context={"items": items, "digest": digest, "unsubscribe_url": unsubscribe_url},
            headers={
                "List-Unsubscribe": f"<{unsubscribe_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
