from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClearanceConfig(AppConfig):
    name = "clearance"
    verbose_name = _("Outside clearance")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Imported here, not at the top: these modules use models, which load after the app registry is ready.
        from clearance import tasks  # noqa: F401 - registers the Celery tasks that services send by name
        from clearance.models import OutsideClearanceTask
        from clearance.services import clearance_link_action

        OutsideClearanceTask.link_action = staticmethod(clearance_link_action)
