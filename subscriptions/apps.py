from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubscriptionsConfig(AppConfig):
    name = "subscriptions"
    label = "subscriptions"
    verbose_name = _("E-mail subscriptions")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from subscriptions import tasks  # noqa: F401 - registers the Celery tasks that services send by name
        from subscriptions.signals import signals_connect

        signals_connect()
