from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "webhooks"
    label = "webhooks"
    verbose_name = _("Webhooks")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Imported here, not at the top: an app's modules that use models load after the app registry is ready.
        from messaging.services.relay import outbox_consumer_register
        from webhooks import tasks  # noqa: F401 - registers the Celery tasks that services send by name
        from webhooks.fanout import event_fanout

        outbox_consumer_register("webhooks", event_fanout, order=10)
