from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class HubConfig(AppConfig):
    name = "hub"
    verbose_name = _("Tawasul hub")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Imported here, not at the top: these modules use models, which load after the app registry is ready.
        from wagtail.models import Locale

        from hub import tasks  # noqa: F401 - registers the Celery tasks that the hub sends by name
        from hub.api import schema  # noqa: F401 - registers the OpenAPI security scheme
        from hub.api.state import api_state_watch

        api_state_watch(Locale)
        post_migrate.connect(_triggers_install, sender=self, dispatch_uid="hub-api-state-triggers")


def _triggers_install(sender: AppConfig, using: str = "default", **kwargs: object) -> None:
    """After every migrate (and flush), when every app's tables exist: the API state triggers, idempotently."""
    from hub.api.state import api_state_triggers_install

    api_state_triggers_install(using=using)
