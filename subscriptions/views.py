"""The public subscription pages. Every answer to the subscribe form is the same whether the address is new,
pending or already subscribed; confirming and unsubscribing take a POST (mail scanners follow links with GET),
and the unsubscribe URL accepts the RFC 8058 one-click POST from mail clients, which carries no CSRF token."""

from __future__ import annotations

import uuid

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from hub.client_address import client_address
from subscriptions.enums import TargetKind
from subscriptions.forms import SubscribeForm
from subscriptions.selectors import subscription_target
from subscriptions.services import subscription_cancel, subscription_confirm, subscription_request
from subscriptions.throttle import subscribe_allowed
from subscriptions.tokens import (
    subscription_for_confirm_token,
    subscription_for_unsubscribe_token,
    unsubscribe_token_is_genuine,
)

NOTICES = {
    "pending": (
        _("Check your inbox"),
        _("If this address can be subscribed, we have sent it a link to confirm. Nothing is sent until you confirm."),
    ),
    "limited": (
        _("Too many requests"),
        _("Too many subscription requests have come from here or for this address. Please try again in an hour."),
    ),
    "confirmed": (
        _("Subscription confirmed"),
        _("You will receive the public messages you chose. Every e-mail has a link to unsubscribe."),
    ),
    "unsubscribed": (
        _("Unsubscribed"),
        _("You will receive no more e-mails from this subscription, and your address has been deleted."),
    ),
    "invalid": (
        _("This link is not valid"),
        _(
            "The link is incomplete or has expired. Confirmation links are valid for three days; "
            "you can subscribe again."
        ),
    ),
}


def _notice(request: HttpRequest, name: str, *, status: int = 200) -> HttpResponse:
    heading, text = NOTICES[name]
    role = "alert" if status >= 400 else "status"
    return render(request, "subscriptions/notice.html", {"heading": heading, "text": text, "role": role}, status=status)


def _language() -> str:
    return (get_language() or "ar").split("-")[0]


@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest, kind: str, key: uuid.UUID) -> HttpResponse:
    if kind not in TargetKind.values:
        raise Http404
    target = subscription_target(kind=kind, key=key, language_code=_language())
    if target is None:
        raise Http404
    form = SubscribeForm(request.POST or None)
    context = {"form": form, "target": target, "kind": kind}
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if not subscribe_allowed(client=client_address(request), email=email):
            response = _notice(request, "limited", status=429)
            response["Retry-After"] = "3600"
            return response
        subscription_request(
            email=email,
            language_code=_language(),
            target_kind=kind,
            target_key=key,
            frequency=form.cleaned_data["frequency"],
        )
        return redirect("subscriptions:pending")
    return render(request, "subscriptions/subscribe.html", context, status=400 if form.errors else 200)


def pending(request: HttpRequest) -> HttpResponse:
    return _notice(request, "pending")


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    subscription = subscription_for_confirm_token(token)
    if subscription is None:
        return _notice(request, "invalid", status=400)
    if request.method == "POST":
        subscription_confirm(subscription=subscription)
        return _notice(request, "confirmed")
    return render(request, "subscriptions/confirm.html")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    subscription = subscription_for_unsubscribe_token(token)
    if request.method == "POST":
        if subscription is not None:
            subscription_cancel(subscription=subscription)
        elif not unsubscribe_token_is_genuine(token):
            return _notice(request, "invalid", status=400)
        return _notice(request, "unsubscribed")
    if subscription is None:
        return (
            _notice(request, "unsubscribed")
            if unsubscribe_token_is_genuine(token)
            else _notice(request, "invalid", status=400)
        )
    return render(request, "subscriptions/unsubscribe.html")
