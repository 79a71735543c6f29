from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from webhooks.viewsets import WebhooksViewSetGroup


@hooks.register("register_admin_viewset")
def register_webhooks_viewsets() -> WebhooksViewSetGroup:
    return WebhooksViewSetGroup()


@hooks.register("register_log_actions")
def register_webhook_log_actions(actions) -> None:  # type: ignore[no-untyped-def]
    actions.register_action("tawasul.webhook.rotate", _("Rotate webhook secret"), _("Webhook secret rotated"))
