from django.apps import AppConfig
from django.db.models.signals import post_init, pre_save
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "messaging"
    verbose_name = _("Messaging")

    def ready(self) -> None:
        from messaging.models.workflow_names import name_edited, name_localize

        # Every Task subclass is its own sender, so these listen to all models and pick workflows and tasks.
        post_init.connect(name_localize, dispatch_uid="workflow_name_localize")
        pre_save.connect(name_edited, dispatch_uid="workflow_name_edited")
