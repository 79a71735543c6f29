from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HubConfig(AppConfig):
    name = "hub"
    verbose_name = _("Tawasul hub")

    def ready(self) -> None:
        from hub.api import schema  # noqa: F401 - registers the OpenAPI security scheme
        from hub.api.state import api_state_receivers_connect

        api_state_receivers_connect()
