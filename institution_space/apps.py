from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstitutionSpaceConfig(AppConfig):
    name = "institution_space"
    verbose_name = _("Institution space")
    default_auto_field = "django.db.models.BigAutoField"
