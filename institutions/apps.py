from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstitutionsConfig(AppConfig):
    name = "institutions"
    verbose_name = _("Institutions")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Imported here, not at the top: models load after the app registry is ready.
        from hub.api.state import api_state_watch
        from institutions.models import Institution, InstitutionAPIKey

        api_state_watch(Institution)
        api_state_watch(InstitutionAPIKey, ignore_columns=("last_used_at",))  # using a key changes no answer
