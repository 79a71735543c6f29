"""The e-mail that carries a clearance link, in the language chosen for its reader."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from clearance.models import ClearanceLink
from clearance.tokens import token_for


def clearance_url(link: ClearanceLink) -> str:
    """A fresh token for the link each time: every token of a link is the link, and the row says what it may do."""
    with translation.override(link.language):
        path = reverse("clearance:page", kwargs={"token": token_for(link.pk)})
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def clearance_link_mail_send(*, link_id: str) -> bool:
    link = ClearanceLink.objects.select_related("revision").filter(pk=link_id).first()
    if link is None or link.used_at or link.revoked_at:
        return False
    message = link.revision.as_object()
    with translation.override(link.language):
        context = {"link": link, "message": message, "url": clearance_url(link), "language": link.language}
        subject = render_to_string("clearance/mail/link_subject.txt", context).strip()
        email = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("clearance/mail/link.txt", context),
            to=[link.recipient_email],
        )
        email.attach_alternative(render_to_string("clearance/mail/link.html", context), "text/html")
    email.send()
    return True
