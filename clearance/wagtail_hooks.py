from django.utils.translation import gettext_lazy as _
from wagtail import hooks


@hooks.register("register_log_actions")
def register_clearance_log_actions(actions) -> None:  # type: ignore[no-untyped-def]
    actions.register_action(
        "tawasul.clearance.send", _("Send outside clearance link"), _("Outside clearance link sent")
    )
    actions.register_action(
        "tawasul.clearance.revoke", _("Revoke outside clearance link"), _("Outside clearance link revoked")
    )
    actions.register_action(
        "tawasul.clearance.clear", _("Clear (outside authority)"), _("Cleared by outside authority")
    )
    actions.register_action(
        "tawasul.clearance.return", _("Return (outside authority)"), _("Returned by outside authority")
    )
