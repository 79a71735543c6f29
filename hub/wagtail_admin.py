"""Wagtail's admin app, with its workflow e-mails sent by the worker after the commit (`hub.workflow_mail`).

Its own module: a second AppConfig in `hub/apps.py` would stop Django choosing `HubConfig` for the hub.
"""

from wagtail.admin.apps import WagtailAdminAppConfig


class WagtailAdminConfig(WagtailAdminAppConfig):
    def ready(self) -> None:
        super().ready()  # connects Wagtail's notifiers, which the next lines replace
        from hub.workflow_mail import workflow_mail_defer

        workflow_mail_defer()
