from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstitutionSpaceConfig(AppConfig):
    name = "institution_space"
    verbose_name = _("Institution space")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from institution_space import tasks  # noqa: F401 - registers the Celery tasks that services send by name

        # Imported here, not at the top: an app's modules that use models load after the app registry is ready.
        from institution_space.notifications import event_notify
        from messaging.services.relay import outbox_consumer_register

        outbox_consumer_register("contact notifications", event_notify, order=30)
