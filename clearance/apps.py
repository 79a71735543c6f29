from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClearanceConfig(AppConfig):
    name = "clearance"
    verbose_name = _("Outside clearance")
    default_auto_field = "django.db.models.BigAutoField"
